//! Keys, pastes and mouse events: the overlay in front, else the focus,
//! gets them; what a key does is looked up in the binding table.

use std::time::Instant;

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::keymap::{Action, Context};

use super::app::{App, Focus, Popup, PopupKind};
use super::key_event::spec_of;
use super::layout;
use super::msg::{Effect, Update};
use super::overlay::Overlay;
use super::paste_clean::Pasted;

use super::list_keys::WHEEL_ROWS;

// Children of this module, not siblings, so the places' key handlers stay
// private to the dispatch below, as they were when they lived in this file.
#[path = "focus_keys.rs"]
mod focus_keys;
#[path = "popup_keys.rs"]
mod popup_keys;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent, now: Instant) -> Update {
        // Terminals with the kitty protocol also report releases; act once.
        if key.kind == KeyEventKind::Release {
            return Update::none();
        }
        let had_notice = self.notice.take().is_some();
        let Some(spec) = spec_of(&key) else {
            return Update {
                effects: Vec::new(),
                redraw: had_notice,
            };
        };
        // Whatever the config and whatever is open.
        if spec.is_ctrl_c() {
            return Update::with(vec![Effect::Quit]);
        }
        let mut update = match self.overlays.top().map(Overlay::kind) {
            Some(top) => top.key(self, spec, now),
            None => match self.slot().focus {
                Focus::Instance | Focus::Backup => self.field_key(spec, now),
                Focus::List => self.list_key(spec, now),
                Focus::Filter => self.filter_key(spec, now),
            },
        };
        update.redraw |= had_notice;
        update
    }

    /// The keys that work anywhere: the end of every place's chain, so a
    /// place's own keys come first.
    pub(super) fn anywhere(&mut self, action: Option<Action>, now: Instant) -> Update {
        match action {
            Some(Action::Quit) => Update::with(vec![Effect::Quit]),
            Some(Action::Help) if self.overlays.top_popup_is(PopupKind::Help) => {
                self.overlays.pop();
                Update::redraw()
            }
            Some(Action::Help) => self.open(PopupKind::Help),
            Some(Action::History) => self.open_history(),
            Some(Action::Find) => self.open_find(),
            Some(Action::Health) => self.open_health(now),
            Some(Action::Messages) if self.overlays.top_popup_is(PopupKind::Messages) => {
                self.overlays.pop();
                Update::redraw()
            }
            Some(Action::Messages) => self.open(PopupKind::Messages),
            _ => Update::none(),
        }
    }

    /// Opens a popup in front of everything else.
    pub(super) fn open(&mut self, kind: PopupKind) -> Update {
        self.overlays
            .push(Overlay::Popup(Popup { kind, scroll: 0 }));
        Update::redraw()
    }

    /// The first key in force for `action` at `place`, for a notice that
    /// names one: what the operator's `[keys]` made it, never a default
    /// that no longer works.
    pub(super) fn key_name(&self, place: Context, typing: bool, action: Action) -> String {
        self.keys
            .keys_at(place, typing, action)
            .first()
            .map_or_else(|| format!("the {} key", action.name()), |k| k.to_string())
    }

    /// A bracketed paste goes to the overlay in front, else to the field
    /// with the focus. A paste that did not go in whole (too long, or with
    /// control characters) says so in the status bar.
    pub(super) fn on_paste(&mut self, text: &str, now: Instant) -> Update {
        if let Some(top) = self.overlays.top().map(Overlay::kind) {
            return top.paste(self, text, now);
        }
        let pasted = match self.slot().focus {
            Focus::Instance => self.slot_mut().instance.paste(text),
            Focus::Backup => self.slot_mut().backup.paste(text),
            Focus::Filter => {
                let pasted = self.slot_mut().filter.paste(text);
                let rows = self.list_rows();
                let slot = self.slot_mut();
                slot.nodes.set_filter(slot.filter.value(), rows);
                pasted
            }
            Focus::List => {
                self.notice = Some("Paste into a field: press Tab first".into());
                return Update::redraw();
            }
        };
        self.pasted(pasted)
    }

    /// After a paste: the status bar tells what was left out, if anything.
    pub(super) fn pasted(&mut self, pasted: Pasted) -> Update {
        if let Some(notice) = pasted.notice() {
            self.notice = Some(notice);
        }
        Update::redraw()
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Update {
        let Some(areas) = layout::areas_with(
            Rect::new(0, 0, self.width, self.height),
            self.detail_lines(),
        ) else {
            return Update::none();
        };
        // The overlay in front takes the mouse; only lists use it.
        if let Some(top) = self.overlays.top().map(Overlay::kind) {
            let area = areas.browser_rows;
            let clicked = (area.contains(Position::new(mouse.column, mouse.row)))
                .then(|| usize::from(mouse.row - area.y));
            return Update {
                effects: Vec::new(),
                redraw: top.mouse(self, mouse.kind, clicked),
            };
        }
        let rows = self.list_rows();
        let at = Position::new(mouse.column, mouse.row);
        let before = (
            self.slot().focus,
            self.slot().nodes.selected(),
            self.slot().nodes.offset(),
        );
        match mouse.kind {
            MouseEventKind::ScrollDown => self.slot_mut().nodes.scroll_by(WHEEL_ROWS, rows),
            MouseEventKind::ScrollUp => self.slot_mut().nodes.scroll_by(-WHEEL_ROWS, rows),
            MouseEventKind::Down(MouseButton::Left) => {
                if areas.instance_row.contains(at) {
                    self.slot_mut().focus = Focus::Instance;
                } else if areas.backup_row.contains(at) {
                    self.slot_mut().focus = Focus::Backup;
                } else if areas.list_rows.contains(at) {
                    let pos =
                        self.slot().nodes.offset() + usize::from(mouse.row - areas.list_rows.y);
                    if pos < self.slot().nodes.shown() {
                        self.slot_mut().nodes.select(pos, rows);
                    }
                    self.slot_mut().focus = Focus::List;
                } else if areas.list.contains(at) {
                    self.slot_mut().focus = Focus::List;
                }
            }
            _ => return Update::none(),
        }
        Update {
            effects: Vec::new(),
            redraw: before
                != (
                    self.slot().focus,
                    self.slot().nodes.selected(),
                    self.slot().nodes.offset(),
                ),
        }
    }
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "paste_tests.rs"]
mod paste_tests;

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod keymap_tests;

#[cfg(test)]
#[path = "truth_tests.rs"]
mod truth_tests;

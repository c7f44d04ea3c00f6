//! Keys, pastes and mouse events: the overlay in front, else the focus,
//! gets them; what a key does is looked up in the binding table.

use std::time::Instant;

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::keymap::{Action, Context, KeySpec};

use super::app::{App, Focus, Popup, PopupKind};
use super::input::Pasted;
use super::key_event::spec_of;
use super::layout;
use super::msg::{Effect, Update};
use super::overlay::{Kind, Overlay};

use super::list_keys::WHEEL_ROWS;

// A child of this module, not a sibling, so the popups' key handlers stay
// private to the dispatch below, as they were when they lived in this file.
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
            Some(Kind::Password) => self.password_key(spec),
            Some(Kind::Save) => self.save_key(spec),
            Some(Kind::Popup) => self.popup_key(spec, now),
            Some(Kind::Profiles) => self.switcher_key(spec, now),
            Some(Kind::History) => self.history_key(spec, now),
            Some(Kind::Picker) => self.picker_key(spec, now),
            Some(Kind::Readiness) => self.readiness_key(spec, now),
            Some(Kind::Find) => self.find_key(spec, now),
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
    pub(super) fn anywhere(&mut self, action: Option<Action>) -> Update {
        match action {
            Some(Action::Quit) => Update::with(vec![Effect::Quit]),
            Some(Action::Help) if self.overlays.top_popup_is(PopupKind::Help) => {
                self.overlays.pop();
                Update::redraw()
            }
            Some(Action::Help) => self.open(PopupKind::Help),
            Some(Action::History) => self.open_history(),
            Some(Action::Find) => self.open_find(),
            Some(Action::Messages) if self.overlays.top_popup_is(PopupKind::Messages) => {
                self.overlays.pop();
                Update::redraw()
            }
            Some(Action::Messages) => self.open(PopupKind::Messages),
            _ => Update::none(),
        }
    }

    /// Esc with no overlay open: cancel the lookup in flight, else leave a
    /// field for the list, else clear the list's filter, else stop
    /// watching. (An open overlay's own Esc closes it.)
    fn escape(&mut self, now: Instant) -> Update {
        if self.busy() {
            return Update::with(self.cancel(now));
        }
        match self.slot().focus {
            Focus::Instance | Focus::Backup => self.slot_mut().focus = Focus::List,
            Focus::Filter => {
                self.clear_filter();
                self.slot_mut().focus = Focus::List;
            }
            Focus::List if !self.slot().filter.value().is_empty() => self.clear_filter(),
            Focus::List => {
                let Some(backup) = self.watched().map(|w| w.query.backup.clone()) else {
                    return Update::none();
                };
                let effects = self.stop_watch(self.active);
                self.notice = Some(format!("Stopped watching {backup}"));
                return Update::with(effects);
            }
        }
        Update::redraw()
    }

    fn clear_filter(&mut self) {
        self.slot_mut().filter.clear();
        let rows = self.list_rows();
        self.slot_mut().nodes.set_filter("", rows);
    }

    /// Opens a popup in front of everything else.
    pub(super) fn open(&mut self, kind: PopupKind) -> Update {
        self.overlays
            .push(Overlay::Popup(Popup { kind, scroll: 0 }));
        Update::redraw()
    }

    fn field_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let action = self.keys.action(Context::Field, true, key);
        match action {
            // An empty field asks to pick instead of type.
            Some(Action::Submit)
                if self.slot().focus == Focus::Instance
                    && self.slot().instance.value().is_empty() =>
            {
                self.open_instances(now)
            }
            Some(Action::Submit)
                if self.slot().focus == Focus::Backup && self.slot().backup.value().is_empty() =>
            {
                self.open_backups(now)
            }
            Some(Action::Submit) => {
                let effects = self.submit(now);
                Update::with(effects)
            }
            Some(Action::NextField) => self.focus_step(1),
            Some(Action::PrevField) => self.focus_step(-1),
            Some(Action::Back) => self.escape(now),
            _ => {
                let field = if self.slot().focus == Focus::Instance {
                    &mut self.slot_mut().instance
                } else {
                    &mut self.slot_mut().backup
                };
                if field.apply(action, key) {
                    return Update::redraw();
                }
                self.anywhere(action)
            }
        }
    }

    /// Tab order: Instance ID, Backup ID, list, and around.
    fn focus_step(&mut self, step: i8) -> Update {
        const ORDER: [Focus; 3] = [Focus::Instance, Focus::Backup, Focus::List];
        let at = ORDER
            .iter()
            .position(|f| *f == self.slot().focus)
            .unwrap_or(2);
        let next = (at as i8 + step).rem_euclid(ORDER.len() as i8);
        self.slot_mut().focus = ORDER[next as usize];
        Update::redraw()
    }

    fn list_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let rows = self.list_rows();
        let before = (self.slot().nodes.selected(), self.slot().nodes.offset());
        let action = self.keys.action(Context::List, false, key);
        match action {
            _ if self.slot_mut().nodes.steer(action, rows) => {}
            Some(Action::NextField) => return self.focus_to(Focus::Instance),
            Some(Action::PrevField) => return self.focus_to(Focus::Backup),
            Some(Action::Instances) => return self.open_instances(now),
            Some(Action::Backups) => return self.open_backups(now),
            Some(Action::Profiles) => return self.open_switcher(),
            Some(Action::Filter) => return self.focus_to(Focus::Filter),
            Some(Action::ShowError) => {
                if self.slot().last_error.is_some() {
                    return self.open(PopupKind::Error);
                }
                self.notice = Some("No error to show".into());
                return Update::redraw();
            }
            Some(Action::CopyId) => return self.copy_id(),
            Some(Action::CopyJson) => return self.copy_backup(),
            Some(Action::Save) => return self.open_save(),
            Some(Action::OpenNode) => return self.open_node(),
            Some(Action::Fields) => return self.open_fields(),
            Some(Action::Readiness) => return self.open_readiness_on_shown(now),
            Some(Action::Reload) => return self.repeat(now),
            Some(Action::Back) => return self.escape(now),
            other => return self.anywhere(other),
        }
        Update {
            effects: Vec::new(),
            redraw: before != (self.slot().nodes.selected(), self.slot().nodes.offset()),
        }
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

    /// `r` in the list: the lookup again, or why there is none.
    fn repeat(&mut self, now: Instant) -> Update {
        match self.repeatable() {
            Some(query) => Update::with(self.begin(query, now)),
            None => {
                self.notice = Some(format!(
                    "Nothing to repeat yet: type the IDs in the form and press {}",
                    self.key_name(Context::Field, true, Action::Submit)
                ));
                Update::redraw()
            }
        }
    }

    fn focus_to(&mut self, focus: Focus) -> Update {
        self.slot_mut().focus = focus;
        Update::redraw()
    }

    fn filter_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let rows = self.list_rows();
        let action = self.keys.action(Context::Filter, true, key);
        match action {
            Some(Action::KeepFilter) => self.slot_mut().focus = Focus::List,
            Some(Action::Back) => return self.escape(now),
            _ if self.slot_mut().nodes.steer(action, rows) => {}
            _ => {
                if !self.slot_mut().filter.apply(action, key) {
                    return self.anywhere(action);
                }
                let slot = self.slot_mut();
                slot.nodes.set_filter(slot.filter.value(), rows);
            }
        }
        Update::redraw()
    }

    /// A bracketed paste goes to the overlay in front, else to the field
    /// with the focus. A paste that did not go in whole (too long, or with
    /// control characters) says so in the status bar.
    pub(super) fn on_paste(&mut self, text: &str, now: Instant) -> Update {
        match self.overlays.top_mut() {
            Some(Overlay::Password(ask)) => {
                let pasted = ask.insert(text.trim());
                return self.pasted(pasted);
            }
            Some(Overlay::Save(prompt)) => {
                let pasted = prompt.path.paste(text);
                return self.pasted(pasted);
            }
            Some(Overlay::Popup(_) | Overlay::Profiles(_) | Overlay::Readiness(_)) => {
                return Update::none();
            }
            Some(Overlay::History(_)) => return self.history_paste(text),
            Some(Overlay::Find(_)) => return self.find_paste(text, now),
            Some(Overlay::Picker(_)) => return self.picker_paste(text),
            None => {}
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
            let view = self.picker_rows();
            let area = areas.browser_rows;
            let clicked = (area.contains(Position::new(mouse.column, mouse.row)))
                .then(|| usize::from(mouse.row - area.y));
            let changed = match top {
                Kind::History => self
                    .history_list()
                    .map(|mut l| l.mouse(mouse.kind, clicked, view)),
                Kind::Picker => self
                    .picker_list()
                    .map(|mut l| l.mouse(mouse.kind, clicked, view)),
                _ => None,
            };
            return Update {
                effects: Vec::new(),
                redraw: changed.unwrap_or(false),
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

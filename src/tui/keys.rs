//! Keys, pastes and mouse events: which focus gets them and what they do.

use std::time::Instant;

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::act::Clip;
use super::app::{App, Focus, Popup, PopupKind};
use super::input::Pasted;
use super::layout;
use super::msg::{Effect, Update};
use super::ui::popup;

use super::list_keys::WHEEL_ROWS;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent, now: Instant) -> Update {
        // Terminals with the kitty protocol also report releases; act once.
        if key.kind == KeyEventKind::Release {
            return Update::none();
        }
        let had_notice = self.notice.take().is_some();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return Update::with(vec![Effect::Quit]);
        }
        let mut update = if self.password.is_some() {
            self.password_key(key)
        } else if ctrl && key.code == KeyCode::Char('r') {
            // From anywhere, as in a shell.
            self.open_history()
        } else if self.history_view.is_some() {
            self.history_key(key, now)
        } else if self.save.is_some() {
            self.save_key(key)
        } else if self.popup.is_some() {
            self.popup_key(key)
        } else if self.switcher.is_some() {
            self.switcher_key(key, now)
        } else if self.picker.is_some() {
            self.picker_key(key, now)
        } else if key.code == KeyCode::Esc {
            self.escape(now)
        } else if key.code == KeyCode::F(1) {
            self.open(PopupKind::Help)
        } else {
            match self.focus {
                Focus::Instance | Focus::Backup => self.field_key(key, now),
                Focus::List => self.list_key(key, now),
                Focus::Filter => self.filter_key(key),
            }
        };
        update.redraw |= had_notice;
        update
    }

    /// The password popup takes every key but Ctrl-C: Enter answers, Esc
    /// refuses (the lookup then fails and says so).
    fn password_key(&mut self, key: KeyEvent) -> Update {
        let Some(ask) = &mut self.password else {
            return Update::none();
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter if ask.typed.is_blank() => {
                self.notice = Some("Type the password, or Esc to cancel the sign-in".into());
                Update::redraw()
            }
            KeyCode::Enter => {
                let typed =
                    std::mem::replace(&mut ask.typed, crate::secret::Secret::new(String::new()));
                self.password = None;
                Update::with(vec![Effect::AnswerPassword(Some(typed))])
            }
            KeyCode::Esc => {
                self.password = None;
                Update::with(vec![Effect::AnswerPassword(None)])
            }
            KeyCode::Backspace => {
                ask.typed.pop();
                Update::redraw()
            }
            KeyCode::Char('u') if ctrl => {
                ask.typed.clear();
                Update::redraw()
            }
            KeyCode::Char(c) if !ctrl => {
                ask.insert(c.encode_utf8(&mut [0; 4]));
                Update::redraw()
            }
            _ => Update::none(),
        }
    }

    /// Esc, by priority: close the popup (handled by `popup_key`), else
    /// cancel the lookup in flight, else leave a field for the list, else
    /// clear the list's filter.
    fn escape(&mut self, now: Instant) -> Update {
        if self.busy() {
            return Update::with(self.cancel(now));
        }
        match self.focus {
            Focus::Instance | Focus::Backup => self.focus = Focus::List,
            Focus::Filter => {
                self.clear_filter();
                self.focus = Focus::List;
            }
            Focus::List if !self.filter.value().is_empty() => self.clear_filter(),
            Focus::List => return Update::none(),
        }
        Update::redraw()
    }

    fn clear_filter(&mut self) {
        self.filter.clear();
        let rows = self.list_rows();
        self.nodes.set_filter("", rows);
    }

    pub(super) fn open(&mut self, kind: PopupKind) -> Update {
        self.popup = Some(Popup { kind, scroll: 0 });
        Update::redraw()
    }

    fn popup_key(&mut self, key: KeyEvent) -> Update {
        let Some(open) = self.popup else {
            return Update::none();
        };
        let max = popup::max_scroll(self, open.kind);
        let page = popup::page_rows(self, open.kind);
        let scroll = match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => {
                self.popup = None;
                return Update::redraw();
            }
            KeyCode::Char('?') | KeyCode::F(1) if open.kind == PopupKind::Help => {
                self.popup = None;
                return Update::redraw();
            }
            KeyCode::Char('e') if open.kind == PopupKind::Error => {
                self.popup = None;
                return Update::redraw();
            }
            KeyCode::Char('y') | KeyCode::Char('n') if open.kind == PopupKind::Node => {
                return self.node_popup_key(key).unwrap_or_else(Update::none);
            }
            KeyCode::Char('y') if open.kind == PopupKind::Error => {
                // Operators quote the request ID to support.
                let id = self
                    .shown_error()
                    .and_then(|e| e.request_id())
                    .map(str::to_string);
                return self.copy(
                    Clip::Id,
                    id,
                    "request ID",
                    "This error has no request ID to copy",
                );
            }
            KeyCode::Down | KeyCode::Char('j') => open.scroll.saturating_add(1),
            KeyCode::Up | KeyCode::Char('k') => open.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => open.scroll.saturating_add(page),
            KeyCode::PageUp => open.scroll.saturating_sub(page),
            KeyCode::Home | KeyCode::Char('g') => 0,
            KeyCode::End | KeyCode::Char('G') => max,
            _ => return Update::none(),
        }
        .min(max);
        if scroll == open.scroll {
            return Update::none();
        }
        self.popup = Some(Popup { scroll, ..open });
        Update::redraw()
    }

    fn field_key(&mut self, key: KeyEvent, now: Instant) -> Update {
        match key.code {
            // An empty field asks to pick instead of type.
            KeyCode::Enter if self.focus == Focus::Instance && self.instance.value().is_empty() => {
                self.open_instances(now)
            }
            KeyCode::Enter if self.focus == Focus::Backup && self.backup.value().is_empty() => {
                self.open_backups(now)
            }
            KeyCode::Enter => {
                let effects = self.submit(now);
                Update::with(effects)
            }
            KeyCode::Tab | KeyCode::Down => self.focus_step(1),
            KeyCode::BackTab | KeyCode::Up => self.focus_step(-1),
            _ => {
                let field = if self.focus == Focus::Instance {
                    &mut self.instance
                } else {
                    &mut self.backup
                };
                Update {
                    effects: Vec::new(),
                    redraw: field.handle_key(key),
                }
            }
        }
    }

    /// Tab order: Instance ID, Backup ID, list, and around.
    fn focus_step(&mut self, step: i8) -> Update {
        const ORDER: [Focus; 3] = [Focus::Instance, Focus::Backup, Focus::List];
        let at = ORDER.iter().position(|f| *f == self.focus).unwrap_or(2);
        let next = (at as i8 + step).rem_euclid(ORDER.len() as i8);
        self.focus = ORDER[next as usize];
        Update::redraw()
    }

    fn list_key(&mut self, key: KeyEvent, now: Instant) -> Update {
        let rows = self.list_rows();
        let page = rows.saturating_sub(1).max(1) as isize;
        let before = (self.nodes.selected(), self.nodes.offset());
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.nodes.move_by(1, rows),
            KeyCode::Up | KeyCode::Char('k') => self.nodes.move_by(-1, rows),
            KeyCode::PageDown => self.nodes.move_by(page, rows),
            KeyCode::PageUp => self.nodes.move_by(-page, rows),
            KeyCode::Home | KeyCode::Char('g') => self.nodes.select(0, rows),
            KeyCode::End | KeyCode::Char('G') => self.nodes.select(usize::MAX, rows),
            KeyCode::Tab => return self.focus_to(Focus::Instance),
            KeyCode::Char('i') => return self.open_instances(now),
            KeyCode::Char('b') => return self.open_backups(now),
            KeyCode::Char('p') => return self.open_switcher(),
            KeyCode::BackTab => return self.focus_to(Focus::Backup),
            KeyCode::Char('/') => return self.focus_to(Focus::Filter),
            KeyCode::Char('q') => return Update::with(vec![Effect::Quit]),
            KeyCode::Char('?') => return self.open(PopupKind::Help),
            KeyCode::Char('e') => {
                if self.last_error.is_some() {
                    return self.open(PopupKind::Error);
                }
                self.notice = Some("No error to show".into());
                return Update::redraw();
            }
            KeyCode::Char('y') => return self.copy_id(),
            KeyCode::Char('Y') => return self.copy_backup(),
            KeyCode::Char('s') => return self.open_save(),
            KeyCode::Enter => return self.open_node(),
            KeyCode::Char('r') => {
                let Some(query) = self.last_query.clone() else {
                    self.notice =
                        Some("Nothing to repeat yet: type the IDs and press Enter".into());
                    return Update::redraw();
                };
                let effects = self.begin(query, now);
                return Update::with(effects);
            }
            _ => return Update::none(),
        }
        Update {
            effects: Vec::new(),
            redraw: before != (self.nodes.selected(), self.nodes.offset()),
        }
    }

    fn focus_to(&mut self, focus: Focus) -> Update {
        self.focus = focus;
        Update::redraw()
    }

    fn filter_key(&mut self, key: KeyEvent) -> Update {
        let rows = self.list_rows();
        match key.code {
            KeyCode::Enter | KeyCode::Tab => self.focus = Focus::List,
            KeyCode::Down => self.nodes.move_by(1, rows),
            KeyCode::Up => self.nodes.move_by(-1, rows),
            KeyCode::PageDown => self.nodes.move_by(rows as isize, rows),
            KeyCode::PageUp => self.nodes.move_by(-(rows as isize), rows),
            _ => {
                if !self.filter.handle_key(key) {
                    return Update::none();
                }
                self.nodes.set_filter(self.filter.value(), rows);
            }
        }
        Update::redraw()
    }

    /// A bracketed paste goes to whatever takes text now. A paste that did
    /// not go in whole (too long, or with control characters) says so in
    /// the status bar.
    pub(super) fn on_paste(&mut self, text: &str) -> Update {
        if let Some(ask) = &mut self.password {
            let pasted = ask.insert(text.trim());
            return self.pasted(pasted);
        }
        if let Some(prompt) = &mut self.save {
            let pasted = prompt.path.paste(text);
            return self.pasted(pasted);
        }
        if self.popup.is_some() || self.switcher.is_some() {
            return Update::none();
        }
        if self.history_view.is_some() {
            return self.history_paste(text);
        }
        if self.picker.is_some() {
            return self.picker_paste(text);
        }
        let pasted = match self.focus {
            Focus::Instance => self.instance.paste(text),
            Focus::Backup => self.backup.paste(text),
            Focus::Filter => {
                let pasted = self.filter.paste(text);
                let rows = self.list_rows();
                self.nodes.set_filter(self.filter.value(), rows);
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
        let Some(areas) = layout::areas(Rect::new(0, 0, self.width, self.height)) else {
            return Update::none();
        };
        if self.popup.is_none() && self.switcher.is_none() && self.save.is_none() {
            let view = self.picker_rows();
            let area = areas.browser_rows;
            let clicked = (area.contains(Position::new(mouse.column, mouse.row)))
                .then(|| usize::from(mouse.row - area.y));
            let changed = if self.history_view.is_some() {
                self.history_list()
                    .map(|mut l| l.mouse(mouse.kind, clicked, view))
            } else {
                self.picker_list()
                    .map(|mut l| l.mouse(mouse.kind, clicked, view))
            };
            if let Some(redraw) = changed {
                return Update {
                    effects: Vec::new(),
                    redraw,
                };
            }
        }
        if self.covered() {
            return Update::none();
        }
        let rows = self.list_rows();
        let at = Position::new(mouse.column, mouse.row);
        let before = (self.focus, self.nodes.selected(), self.nodes.offset());
        match mouse.kind {
            MouseEventKind::ScrollDown => self.nodes.scroll_by(WHEEL_ROWS, rows),
            MouseEventKind::ScrollUp => self.nodes.scroll_by(-WHEEL_ROWS, rows),
            MouseEventKind::Down(MouseButton::Left) => {
                if areas.instance_row.contains(at) {
                    self.focus = Focus::Instance;
                } else if areas.backup_row.contains(at) {
                    self.focus = Focus::Backup;
                } else if areas.list_rows.contains(at) {
                    let pos = self.nodes.offset() + usize::from(mouse.row - areas.list_rows.y);
                    if pos < self.nodes.shown() {
                        self.nodes.select(pos, rows);
                    }
                    self.focus = Focus::List;
                } else if areas.list.contains(at) {
                    self.focus = Focus::List;
                }
            }
            _ => return Update::none(),
        }
        Update {
            effects: Vec::new(),
            redraw: before != (self.focus, self.nodes.selected(), self.nodes.offset()),
        }
    }
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "paste_tests.rs"]
mod paste_tests;

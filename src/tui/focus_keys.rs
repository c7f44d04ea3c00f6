//! The focus's keys, when no overlay is open: the ID fields, the list and
//! its filter, and Esc's way back out of them.

use std::time::Instant;

use crate::keymap::{Action, Context, KeySpec};

use super::super::app::{App, Focus, PopupKind};
use super::super::msg::Update;

impl App {
    pub(super) fn field_key(&mut self, key: KeySpec, now: Instant) -> Update {
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
                self.anywhere(action, now)
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

    pub(super) fn list_key(&mut self, key: KeySpec, now: Instant) -> Update {
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
            other => return self.anywhere(other, now),
        }
        Update {
            effects: Vec::new(),
            redraw: before != (self.slot().nodes.selected(), self.slot().nodes.offset()),
        }
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

    pub(super) fn filter_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let rows = self.list_rows();
        let action = self.keys.action(Context::Filter, true, key);
        match action {
            Some(Action::KeepFilter) => self.slot_mut().focus = Focus::List,
            Some(Action::Back) => return self.escape(now),
            _ if self.slot_mut().nodes.steer(action, rows) => {}
            _ => {
                if !self.slot_mut().filter.apply(action, key) {
                    return self.anywhere(action, now);
                }
                let slot = self.slot_mut();
                slot.nodes.set_filter(slot.filter.value(), rows);
            }
        }
        Update::redraw()
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
                let effects = self.stop_watch(self.active_id());
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
}

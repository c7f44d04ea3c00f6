//! The popups' keys: the password popup, which takes every key, and the
//! scrolling popups (help, messages, error, node, backup fields).

use std::time::Instant;

use crate::keymap::{Action, Context, KeySpec};

use super::super::act::Clip;
use super::super::app::{App, PopupKind};
use super::super::layout::popup;
use super::super::msg::{Effect, Update};
use super::super::overlay::Overlay;

impl App {
    /// The password popup takes every key; only Ctrl-C gets past it.
    /// Enter answers, Esc refuses (the lookup then fails and says so).
    pub(super) fn password_key(&mut self, key: KeySpec) -> Update {
        let action = self.keys.action(Context::Password, true, key);
        let Some(Overlay::Password(ask)) = self.overlays.top_mut() else {
            return Update::none();
        };
        match action {
            Some(Action::Submit) if ask.typed.is_blank() => {
                self.notice = Some("Type the password, or Esc to cancel the sign-in".into());
                Update::redraw()
            }
            Some(Action::Submit) => {
                let typed =
                    std::mem::replace(&mut ask.typed, crate::secret::Secret::new(String::new()));
                self.overlays.pop();
                Update::with(vec![Effect::AnswerPassword(Some(typed))])
            }
            Some(Action::Back) => {
                self.overlays.pop();
                Update::with(vec![Effect::AnswerPassword(None)])
            }
            Some(Action::DeleteBack) => {
                ask.typed.pop();
                Update::redraw()
            }
            Some(Action::DeleteToStart) => {
                ask.typed.clear();
                Update::redraw()
            }
            None => match key.typed() {
                Some(c) => {
                    ask.insert(c.encode_utf8(&mut [0; 4]));
                    Update::redraw()
                }
                None => Update::none(),
            },
            Some(_) => Update::none(),
        }
    }

    pub(super) fn popup_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let Some(Overlay::Popup(open)) = self.overlays.top().cloned() else {
            return Update::none();
        };
        let action = self.keys.action(Context::Popup, false, key);
        let max = popup::max_scroll(self, open.kind);
        let page = popup::page_rows(self, open.kind);
        let scroll = match action {
            Some(Action::Back) => {
                self.overlays.pop();
                return Update::redraw();
            }
            Some(Action::ShowError) if open.kind == PopupKind::Error => {
                self.overlays.pop();
                return Update::redraw();
            }
            Some(action @ (Action::CopyId | Action::CopyName)) if open.kind == PopupKind::Node => {
                return self.node_popup_key(action).unwrap_or_else(Update::none);
            }
            Some(Action::CopyId) if open.kind == PopupKind::Row => {
                let (id, what) = match self.readiness().and_then(|v| v.selected_id()) {
                    Some((id, what)) => (Some(id), what),
                    None => (None, "ID"),
                };
                return self.copy(Clip::Id, id, what, "No row selected to copy");
            }
            Some(action @ (Action::CopyId | Action::CopyName))
                if open.kind == PopupKind::Backup =>
            {
                return self.fields_popup_key(action).unwrap_or_else(Update::none);
            }
            // Both popups are about the shown backup: the view replaces them.
            Some(Action::Readiness) if matches!(open.kind, PopupKind::Backup | PopupKind::Node) => {
                self.overlays.pop();
                return self.open_readiness_on_shown(now);
            }
            Some(Action::CopyId) if open.kind == PopupKind::Error => {
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
            Some(Action::Down) => open.scroll.saturating_add(1),
            Some(Action::Up) => open.scroll.saturating_sub(1),
            Some(Action::PageDown) => open.scroll.saturating_add(page),
            Some(Action::PageUp) => open.scroll.saturating_sub(page),
            Some(Action::HalfPageDown) => open.scroll.saturating_add(page / 2),
            Some(Action::HalfPageUp) => open.scroll.saturating_sub(page / 2),
            Some(Action::First) => 0,
            Some(Action::Last) => max,
            Some(Action::ShowError | Action::CopyId | Action::CopyName | Action::Readiness) => {
                return Update::none();
            }
            other => return self.anywhere(other),
        }
        .min(max);
        if scroll == open.scroll {
            return Update::none();
        }
        if let Some(Overlay::Popup(top)) = self.overlays.top_mut() {
            top.scroll = scroll;
        }
        Update::redraw()
    }
}

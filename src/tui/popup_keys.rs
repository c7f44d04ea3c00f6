//! The popups' keys: the password popup, which takes every key, and the
//! scrolling popups (help, messages, error, node, backup fields).

use std::time::Instant;

use ratatui::text::Span;

use crate::keymap::{Action, Context, KeySpec};

use super::super::act::Clip;
use super::super::app::{App, Popup, PopupKind};
use super::super::layout::popup;
use super::super::layout::status::Said;
use super::super::msg::{Effect, Update};
use super::super::overlay::{Hint, Layer, Overlay};
use super::super::password::PasswordAsk;
use super::super::text;
use super::super::theme::Theme;

use Hint::Keys;

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
            other => return self.anywhere(other, now),
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

/// The password popup: it takes every key and the paste, and the status
/// bar says the lookup waits for the operator.
impl Layer for PasswordAsk {
    const PLACE: Context = Context::Password;

    fn key(app: &mut App, key: KeySpec, _now: Instant) -> Update {
        app.password_key(key)
    }

    fn paste(app: &mut App, text: &str, _now: Instant) -> Update {
        let Some(ask) = app.overlays.password_mut() else {
            return Update::none();
        };
        let pasted = ask.insert(text.trim());
        app.pasted(pasted)
    }

    fn typing(&self) -> bool {
        true
    }

    fn hints(&self, _app: &App) -> Vec<Hint> {
        use Action as A;
        vec![
            Keys(&[A::Submit], None),
            Keys(&[A::Back], None),
            Keys(&[A::Quit], None),
        ]
    }

    /// Wherever it is: the lookup waits for the operator, not the network.
    fn status(&self, _app: &App, _on_top: bool, theme: Theme) -> Option<Said> {
        Some(Said {
            spans: vec![
                Span::styled("…", theme.key()),
                Span::raw(" Waiting for the IAM password"),
                Span::styled(" · Esc cancels the sign-in", theme.dim()),
            ],
            kept: None,
            over_watch: true,
        })
    }
}

/// The scrolling popups: help, messages, the error, the node, the backup's
/// fields and the readiness view's row.
impl Layer for Popup {
    const PLACE: Context = Context::Popup;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        app.popup_key(key, now)
    }

    fn hints(&self, _app: &App) -> Vec<Hint> {
        use Action as A;
        match self.kind {
            PopupKind::Node | PopupKind::Backup => vec![
                Keys(&[A::CopyId], None),
                Keys(&[A::CopyName], None),
                Keys(&[A::Back], None),
                Keys(&[A::Readiness], None),
                Keys(&[A::Quit], None),
            ],
            PopupKind::Error => vec![
                Keys(&[A::Down, A::Up], Some("scroll")),
                Keys(&[A::CopyId], Some("copy request ID")),
                Keys(&[A::Back], None),
                Keys(&[A::Quit], None),
            ],
            PopupKind::Row => vec![
                Keys(&[A::CopyId], None),
                Keys(&[A::Back], None),
                Keys(&[A::Quit], None),
            ],
            PopupKind::Help | PopupKind::Messages => vec![
                Keys(&[A::Down, A::Up], Some("scroll")),
                Keys(&[A::Back], None),
                Keys(&[A::Quit], None),
            ],
        }
    }

    /// With the log in front, the bar shows the newest message it holds,
    /// never an older outcome under a newer one.
    fn status(&self, app: &App, on_top: bool, _theme: Theme) -> Option<Said> {
        if !on_top || self.kind != PopupKind::Messages {
            return None;
        }
        let newest = app.messages.newest_first().next()?;
        Some(Said {
            spans: vec![Span::raw(text::sanitize(&newest.text))],
            kept: None,
            over_watch: true,
        })
    }
}

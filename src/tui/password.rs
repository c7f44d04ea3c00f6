//! Asking for a password inside the UI: the authenticator's request becomes a
//! masked popup, and the operator's answer goes back to the waiting lookup.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

use super::input::TEXT_LIMIT;
use super::msg::Msg;
use super::paste_clean::{self, Pasted};
use crate::auth::{PasswordPrompt, password_question};
use crate::secret::Secret;

/// The link between the authenticator (which asks) and the event loop (which
/// shows the popup and answers). Cheap to clone; all clones share one state.
#[derive(Clone, Default)]
pub struct PasswordBridge {
    inner: Arc<Mutex<BridgeState>>,
    /// One question at a time: Find signs in to several profiles at once,
    /// and a second question must wait for the first answer rather than
    /// replace it. An asker whose task is aborted lets go of its turn.
    turn: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Default)]
struct BridgeState {
    /// Where to tell the app a password is wanted; set by the running loop.
    notify: Option<UnboundedSender<Msg>>,
    /// The lookup waiting for the answer.
    waiting: Option<oneshot::Sender<Option<Secret>>>,
}

impl PasswordBridge {
    /// Connects the bridge to a running loop's message channel.
    pub fn attach(&self, notify: UnboundedSender<Msg>) {
        self.state().notify = Some(notify);
    }

    /// Hands the operator's answer (or refusal) to the waiting lookup.
    pub fn answer(&self, password: Option<Secret>) {
        if let Some(waiting) = self.state().waiting.take() {
            // The lookup may have been cancelled meanwhile: nobody to tell.
            let _ = waiting.send(password);
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, BridgeState> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl PasswordPrompt for PasswordBridge {
    fn ask(
        &self,
        profile: &str,
        user: &str,
        domain: &str,
    ) -> Pin<Box<dyn Future<Output = Option<Secret>> + Send + '_>> {
        let question = password_question(profile, user, domain);
        Box::pin(async move {
            let _turn = self.turn.lock().await;
            let (tx, rx) = oneshot::channel();
            {
                let mut state = self.state();
                let notify = state.notify.clone()?;
                // A newer question replaces an unanswered one; the old asker gets None.
                state.waiting = Some(tx);
                notify.send(Msg::PasswordWanted { question }).ok()?;
            }
            rx.await.ok().flatten()
        })
    }
}

/// The popup's state: the question and what has been typed (never shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordAsk {
    pub question: String,
    pub typed: Secret,
}

impl PasswordAsk {
    /// A fresh popup for `question`.
    pub fn new(question: String) -> Self {
        PasswordAsk {
            question,
            typed: Secret::with_capacity(128),
        }
    }

    /// Adds pasted (or typed) text under the same rules as a text field:
    /// at most `TEXT_LIMIT` characters in all, no control characters. Goes
    /// character by character into the secret, so no plain copy of the
    /// password is made on the way.
    pub fn insert(&mut self, text: &str) -> Pasted {
        let room = TEXT_LIMIT.saturating_sub(self.typed.char_count());
        let typed = &mut self.typed;
        paste_clean::accept(text, room, TEXT_LIMIT, |c| typed.push(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_question_reaches_the_loop_and_the_answer_comes_back() {
        let bridge = PasswordBridge::default();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        bridge.attach(tx);
        let asker = bridge.clone();
        let asked = tokio::spawn(async move { asker.ask("p", "ops", "acct").await });
        let msg = rx.recv().await.unwrap();
        assert_eq!(
            msg,
            Msg::PasswordWanted {
                question: "Password for IAM user ops in account acct (profile p)".into()
            }
        );
        bridge.answer(Some(Secret::new("pw".into())));
        assert_eq!(asked.await.unwrap().unwrap().expose(), "pw");
    }

    #[tokio::test]
    async fn without_a_loop_nobody_is_asked() {
        assert!(PasswordBridge::default().ask("p", "u", "d").await.is_none());
    }

    #[test]
    fn the_typed_password_never_prints() {
        let mut ask = PasswordAsk::new("q".into());
        for c in "typed-secret".chars() {
            ask.typed.push(c);
        }
        let shown = format!("{ask:?}");
        assert!(
            !shown.contains("typed-secret") && shown.contains("<redacted>"),
            "{shown}"
        );
    }
}

#[cfg(test)]
mod popup_tests {
    use crossterm::event::KeyCode;

    use super::super::msg::{Effect, Msg};
    use super::super::test_support::{app, ch, ctrl, key, send, submitted, type_str};
    use crate::secret::Secret;

    /// A lookup in flight that asked for the password.
    fn asked() -> super::super::app::App {
        let (mut a, _) = submitted();
        send(
            &mut a,
            Msg::PasswordWanted {
                question: "Password for IAM user u".into(),
            },
        );
        a
    }

    #[test]
    fn a_question_with_nothing_in_flight_is_dropped() {
        let mut a = app();
        let u = send(
            &mut a,
            Msg::PasswordWanted {
                question: "late".into(),
            },
        );
        assert!(!u.redraw);
        assert!(a.password().is_none());
    }

    #[test]
    fn typing_fills_the_masked_field_and_enter_answers() {
        let mut a = asked();
        assert!(a.password().is_some());
        type_str(&mut a, "s3cret!");
        send(&mut a, key(KeyCode::Backspace));
        send(&mut a, ch('?'));
        // Keys that act elsewhere (q, ?, e) are just characters here.
        assert_eq!(a.popup(), None);
        let update = send(&mut a, key(KeyCode::Enter));
        assert_eq!(
            update.effects,
            vec![Effect::AnswerPassword(Some(Secret::new("s3cret?".into())))]
        );
        assert!(a.password().is_none());
    }

    #[test]
    fn esc_refuses_and_an_empty_enter_is_not_sent() {
        let mut a = asked();
        let update = send(&mut a, key(KeyCode::Enter));
        assert!(update.effects.is_empty());
        assert!(a.notice.is_some());
        let update = send(&mut a, key(KeyCode::Esc));
        assert_eq!(update.effects, vec![Effect::AnswerPassword(None)]);
        assert!(a.password().is_none());
    }

    #[test]
    fn ctrl_u_clears_paste_inserts_and_ctrl_c_still_quits() {
        let mut a = asked();
        type_str(&mut a, "abc");
        send(&mut a, ctrl('u'));
        send(&mut a, Msg::Paste("  pasted-pw \n".into()));
        assert_eq!(a.password().unwrap().typed.expose(), "pasted-pw");
        assert_eq!(send(&mut a, ctrl('c')).effects, vec![Effect::Quit]);
    }

    #[test]
    fn the_screen_shows_dots_never_the_password() {
        let mut a = asked();
        type_str(&mut a, "visible?");
        let backend = ratatui::backend::TestBackend::new(80, 24);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        terminal.draw(|f| super::super::ui::render(f, &a)).unwrap();
        let screen: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert!(
            screen.contains("IAM sign-in") && screen.contains("••••••••"),
            "{screen}"
        );
        assert!(!screen.contains("visible?"));
    }
}

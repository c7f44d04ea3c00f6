//! Asking for a password on the terminal, for `show` and `config check`.

use std::future::Future;
use std::pin::Pin;

use crate::auth::{PasswordPrompt, password_question};
use crate::secret::Secret;

/// Prompts on the controlling terminal (not stdout, which may be a pipe);
/// without one, declines, and the caller says how to give the password.
pub struct TerminalPrompt;

impl PasswordPrompt for TerminalPrompt {
    fn ask(
        &self,
        profile: &str,
        user: &str,
        domain: &str,
    ) -> Pin<Box<dyn Future<Output = Option<Secret>> + Send + '_>> {
        // The names come from the config: escaped, as every config value
        // that reaches a terminal.
        let asked = password_question(profile, user, domain);
        let question = format!("{}: ", crate::terminal_text::escape(&asked));
        Box::pin(async move {
            if !has_terminal() {
                return None;
            }
            // Reading the terminal blocks; keep it off the async thread.
            let read = tokio::task::spawn_blocking(move || {
                // Echo is off until the read ends: a signal meanwhile must
                // not leave it off.
                let _armed = super::tty_restore::arm();
                rpassword::prompt_password(question)
            })
            .await;
            match read {
                Ok(Ok(password)) => Some(Secret::new(password)),
                _ => None,
            }
        })
    }
}

/// Whether a controlling terminal can be opened to ask on.
pub fn has_terminal() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok()
}

//! `tmux display-message`: inside tmux a watch's end also shows on tmux's
//! message line, so an operator in another window sees it.

use std::io;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::tmux_buffer::wait_with_timeout;

/// How long `tmux display-message` may take before it is killed.
const TMUX_TIMEOUT: Duration = Duration::from_secs(2);

/// How long tmux shows the message, in milliseconds: its default (750 ms)
/// is gone before a glance from another window reaches it.
const SHOWN_FOR_MS: &str = "5000";

/// The longest message sent.
const MAX_CHARS: usize = 120;

/// `text` as tmux may be given it: tmux expands `#` sequences in a
/// message (`#(cmd)` runs a command), so only letters, digits, spaces and
/// `-_.:()` pass, and at most [`MAX_CHARS`] of them.
pub fn tmux_safe(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || " -_.:()".contains(*c))
        .take(MAX_CHARS)
        .collect()
}

/// Shows `text` (cleaned by [`tmux_safe`]) on tmux's message line, as its
/// own argument and never through a shell. Blocks for up to about two
/// seconds per attempt: run it on a blocking thread.
pub fn display_message(text: &str) -> io::Result<()> {
    display_with("tmux", None, text)
}

/// [`display_message`] with the program and an optional `-L` socket, so
/// tests can use a private tmux server.
fn display_with(program: &str, socket: Option<&str>, text: &str) -> io::Result<()> {
    let text = tmux_safe(text);
    // `-d` needs tmux 3.2; an older one refuses it, and gets the message
    // without it.
    run(program, socket, &["-d", SHOWN_FOR_MS, "--", &text])
        .or_else(|_| run(program, socket, &["--", &text]))
}

fn run(program: &str, socket: Option<&str>, args: &[&str]) -> io::Result<()> {
    let mut command = Command::new(program);
    if let Some(socket) = socket {
        command.args(["-L", socket]);
    }
    let mut child = command
        .arg("display-message")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    match wait_with_timeout(&mut child, TMUX_TIMEOUT)? {
        Some(status) if status.success() => Ok(()),
        Some(status) => Err(io::Error::other(format!(
            "`{program} display-message` failed ({status})"
        ))),
        None => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("`{program} display-message` did not finish in time and was killed"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_words_reach_tmux() {
        assert_eq!(
            tmux_safe("ddm-backups: creating-br09 is normal now"),
            "ddm-backups: creating-br09 is normal now"
        );
        assert_eq!(
            tmux_safe("x#(touch /tmp/p)\u{1b}]0;y\x07"),
            "x(touch tmpp)0y"
        );
        assert_eq!(tmux_safe(&"a".repeat(500)).len(), MAX_CHARS);
    }

    #[test]
    fn a_missing_program_is_an_error_not_a_hang() {
        let err = display_with("ddm-backups-no-such-tmux", None, "x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn the_message_reaches_a_private_tmux_server() {
        let socket = format!(
            "ddm-backups-notify-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        );
        let tmux = |args: &[&str]| {
            Command::new("tmux")
                .args(["-f", "/dev/null", "-L", &socket])
                .args(args)
                .stdin(Stdio::null())
                .output()
                .ok()
        };
        let Some(started) = tmux(&["new-session", "-d"]) else {
            eprintln!("skipped: no tmux binary");
            return;
        };
        assert!(started.status.success());
        // Without an attached client tmux has nowhere to draw the message,
        // but it still accepts the command: what matters is that it runs
        // and exits.
        let shown = display_with("tmux", Some(&socket), "ddm-backups: b1 is normal now");
        let _ = tmux(&["kill-server"]);
        shown.expect("display-message ran");
    }
}

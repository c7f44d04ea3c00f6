//! tmux's paste buffer: inside tmux a copy also goes there (`tmux
//! load-buffer -w`, which also forwards it to the outer terminal's
//! clipboard), because tmux passes neither an application's OSC 52 nor a
//! passthrough sequence on by default.

use std::io::{self, Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long `tmux load-buffer` may take before it is killed: a wedged tmux
/// server must not hold a copy (and the thread running it) forever.
const TMUX_TIMEOUT: Duration = Duration::from_secs(2);

/// Loads `text` into tmux's paste buffer with `tmux load-buffer -w -`
/// (falling back to `load-buffer -` on tmux older than 3.2, which lacks
/// `-w`). Blocks for up to about two seconds per attempt: run it on a
/// blocking thread.
pub fn load_tmux_buffer(text: &str) -> io::Result<()> {
    load_buffer_with("tmux", None, text)
}

/// [`load_tmux_buffer`] with the program and an optional `-L` socket name,
/// so tests can use a private tmux server.
fn load_buffer_with(program: &str, socket: Option<&str>, text: &str) -> io::Result<()> {
    match run_load_buffer(program, socket, true, text) {
        Ok(()) => Ok(()),
        // Only a refusal is worth a retry without -w: a missing program or
        // a hung server would fail (or hang) the same way again.
        Err(LoadFailure::Exited(first)) => {
            run_load_buffer(program, socket, false, text).map_err(|second| {
                let second = second.into_io();
                io::Error::new(second.kind(), format!("{first}; without -w: {second}"))
            })
        }
        Err(other) => Err(other.into_io()),
    }
}

/// How one `load-buffer` run failed.
enum LoadFailure {
    /// It ran and exited unsuccessfully.
    Exited(io::Error),
    /// It could not be started, fed, or finished in time.
    Other(io::Error),
}

impl LoadFailure {
    fn into_io(self) -> io::Error {
        match self {
            LoadFailure::Exited(e) | LoadFailure::Other(e) => e,
        }
    }
}

fn run_load_buffer(
    program: &str,
    socket: Option<&str>,
    forward: bool,
    text: &str,
) -> Result<(), LoadFailure> {
    let mut args: Vec<&str> = Vec::new();
    if let Some(socket) = socket {
        args.extend(["-L", socket]);
    }
    args.push("load-buffer");
    if forward {
        args.push("-w");
    }
    args.push("-");
    let shown = format!("`{program} {}`", args.join(" "));
    let other = |what: &str, e: io::Error| {
        LoadFailure::Other(io::Error::new(e.kind(), format!("{shown} {what}: {e}")))
    };

    let mut child = Command::new(program)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| other("could not start", e))?;

    // Fed from another thread: a server that stops reading would otherwise
    // block this one in write() past the timeout once the pipe is full.
    let stdin = child.stdin.take();
    let owned = text.to_owned();
    let writer = thread::spawn(move || match stdin {
        Some(mut stdin) => stdin.write_all(owned.as_bytes()),
        None => Ok(()),
    });

    let status = wait_with_timeout(&mut child, TMUX_TIMEOUT);
    // After exit or kill the pipe's reader is gone, so the writer finishes.
    let written = writer
        .join()
        .unwrap_or_else(|_| Err(io::Error::other("the stdin writer panicked")));
    let status = match status {
        Ok(Some(status)) => status,
        Ok(None) => {
            return Err(LoadFailure::Other(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "{shown} did not finish within {} s and was killed",
                    TMUX_TIMEOUT.as_secs()
                ),
            )));
        }
        Err(e) => return Err(other("could not be waited for", e)),
    };
    if !status.success() {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        let stderr = stderr.trim();
        let detail = if stderr.is_empty() {
            String::new()
        } else {
            format!(": {stderr}")
        };
        return Err(LoadFailure::Exited(io::Error::other(format!(
            "{shown} failed ({status}){detail}"
        ))));
    }
    written.map_err(|e| other("could not be given the text", e))
}

/// Waits for `child` up to `timeout`; on timeout kills and reaps it and
/// returns `None`.
pub(super) fn wait_with_timeout(
    child: &mut Child,
    timeout: Duration,
) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            child.wait()?;
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::clipboard::MAX_COPY_BYTES;

    #[test]
    fn a_missing_program_is_named_in_the_error() {
        let err = load_buffer_with("ddm-backups-no-such-tmux", None, "x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        let message = err.to_string();
        assert!(
            message.contains("ddm-backups-no-such-tmux load-buffer -w -"),
            "{message}"
        );
        assert!(message.contains("could not start"), "{message}");
    }

    #[test]
    fn a_hung_program_is_killed_after_the_timeout() {
        // `yes` never reads its stdin and never exits: a wedged tmux. The
        // text is larger than a pipe buffer, so feeding it would block too.
        // (GNU `yes` rejects `-w`, so this also goes through the fallback.)
        let started = Instant::now();
        let err = match load_buffer_with("yes", None, &"x".repeat(MAX_COPY_BYTES)) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                eprintln!("skipped: no `yes` binary");
                return;
            }
            other => other.unwrap_err(),
        };
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "{err}");
        assert!(err.to_string().contains("was killed"), "{err}");
        // At most two runs (with and without -w), each cut off at the timeout.
        assert!(started.elapsed() < TMUX_TIMEOUT * 3);
    }

    /// Runs tmux against a private server; None when tmux is not installed.
    fn tmux(socket: &str, args: &[&str]) -> Option<std::process::Output> {
        Command::new("tmux")
            .args(["-f", "/dev/null", "-L", socket])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .ok()
    }

    /// Kills the private tmux server even when an assertion fails.
    struct Server(String);

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = tmux(&self.0, &["kill-server"]);
        }
    }

    #[test]
    fn the_tmux_buffer_is_loaded_through_a_private_server() {
        let socket = format!(
            "ddm-backups-test-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        );
        let Some(started) = tmux(&socket, &["new-session", "-d"]) else {
            eprintln!("skipped: no tmux binary");
            return;
        };
        let server = Server(socket);
        assert!(
            started.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        let text = "node01in01\nsecond line é";
        load_buffer_with("tmux", Some(&server.0), text).expect("load-buffer");
        let shown = tmux(&server.0, &["show-buffer"]).expect("tmux show-buffer");
        assert!(shown.status.success());
        assert_eq!(String::from_utf8_lossy(&shown.stdout), text);
    }
}

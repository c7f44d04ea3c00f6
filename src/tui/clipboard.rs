//! Copying from a terminal that may be inside tmux, over SSH.
//!
//! OSC 52 asks the terminal to put text on the system clipboard, with no
//! clipboard library or display server. Inside tmux two more routes help,
//! because tmux by default passes neither an application's OSC 52 nor a
//! passthrough sequence on: the sequence is wrapped in tmux's passthrough,
//! and the text is also loaded into tmux's paste buffer (which `-w` forwards
//! to the outer clipboard).

use std::io::{self, Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Payloads larger than this are not sent (terminals and tmux drop or truncate big OSC 52 writes).
pub const MAX_COPY_BYTES: usize = 100 * 1024;

/// How long `tmux load-buffer` may take before it is killed: a wedged tmux
/// server must not hold a copy (and the thread running it) forever.
const TMUX_TIMEOUT: Duration = Duration::from_secs(2);

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Where a copy went, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// The OSC 52 sequence was written to the terminal (which may still ignore it).
    pub osc52: bool,
    /// The text is in tmux's paste buffer.
    pub tmux_buffer: bool,
}

impl Copied {
    /// E.g. "terminal clipboard (OSC 52)" or "terminal clipboard (OSC 52) and tmux buffer".
    pub fn describe(&self) -> String {
        match (self.osc52, self.tmux_buffer) {
            (true, true) => "terminal clipboard (OSC 52) and tmux buffer",
            (true, false) => "terminal clipboard (OSC 52)",
            (false, true) => "tmux buffer",
            (false, false) => "nowhere",
        }
        .to_string()
    }
}

/// Why a copy was refused before sending anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Over [`MAX_COPY_BYTES`].
    #[error("not copied: {bytes} bytes is over the {} KiB limit", MAX_COPY_BYTES / 1024)]
    TooLarge {
        /// The size of the text, in bytes.
        bytes: usize,
    },
}

/// Checks the size limit (pure; the TUI calls it before asking the loop to copy).
pub fn check_size(text: &str) -> Result<(), Refused> {
    if text.len() > MAX_COPY_BYTES {
        Err(Refused::TooLarge { bytes: text.len() })
    } else {
        Ok(())
    }
}

/// Standard base64 with padding (RFC 4648), which OSC 52 requires.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The escape sequence that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

/// The OSC 52 sequence as it must be written to the terminal.
///
/// Inside tmux (`in_tmux`: the `TMUX` variable is set) it is wrapped in
/// tmux's DCS passthrough, every ESC doubled, so it reaches the outer
/// terminal even when tmux's `set-clipboard` is off. tmux 3.3 and later
/// drop passthrough unless `set -g allow-passthrough on`; [`copy`] therefore
/// also loads the tmux buffer, which needs no option.
pub fn osc52_for(text: &str, in_tmux: bool) -> String {
    let plain = osc52(text);
    if in_tmux {
        format!("\x1bPtmux;{}\x1b\\", plain.replace('\x1b', "\x1b\x1b"))
    } else {
        plain
    }
}

/// Whether this process runs inside tmux (the `TMUX` variable is set).
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

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
fn wait_with_timeout(child: &mut Child, timeout: Duration) -> io::Result<Option<ExitStatus>> {
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

/// Everything a copy does: writes [`osc52_for`] to `out` and flushes it,
/// and inside tmux also loads the tmux buffer. Returns what succeeded; an
/// error only if nothing did (or the text is over [`MAX_COPY_BYTES`]).
/// Blocking when `in_tmux`.
pub fn copy(text: &str, out: &mut impl Write, in_tmux: bool) -> io::Result<Copied> {
    check_size(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    let written = out
        .write_all(osc52_for(text, in_tmux).as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| io::Error::new(e.kind(), format!("writing OSC 52 failed: {e}")));
    if !in_tmux {
        return written.map(|()| Copied {
            osc52: true,
            tmux_buffer: false,
        });
    }
    match (written, load_tmux_buffer(text)) {
        (Ok(()), Ok(())) => Ok(Copied {
            osc52: true,
            tmux_buffer: true,
        }),
        (Ok(()), Err(e)) => {
            tracing::debug!(error = %e, "loading the tmux buffer failed; OSC 52 was written");
            Ok(Copied {
                osc52: true,
                tmux_buffer: false,
            })
        }
        (Err(e), Ok(())) => {
            tracing::debug!(error = %e, "OSC 52 failed; the tmux buffer was loaded");
            Ok(Copied {
                osc52: false,
                tmux_buffer: true,
            })
        }
        (Err(w), Err(t)) => Err(io::Error::new(
            w.kind(),
            format!("{w}; loading the tmux buffer failed: {t}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
    }

    #[test]
    fn the_sequence_is_osc_52_for_the_clipboard() {
        assert_eq!(osc52("demo-in09"), "\x1b]52;c;ZGVtby1pbjA5\x07");
    }

    #[test]
    fn outside_tmux_the_sequence_is_plain() {
        assert_eq!(osc52_for("demo-in09", false), "\x1b]52;c;ZGVtby1pbjA5\x07");
    }

    #[test]
    fn inside_tmux_the_sequence_is_wrapped_in_passthrough_with_esc_doubled() {
        assert_eq!(
            osc52_for("demo-in09", true).as_bytes(),
            b"\x1bPtmux;\x1b\x1b]52;c;ZGVtby1pbjA5\x07\x1b\\"
        );
    }

    #[test]
    fn the_size_limit_is_100_kib_inclusive() {
        assert_eq!(MAX_COPY_BYTES, 102_400);
        assert_eq!(check_size(&"a".repeat(MAX_COPY_BYTES)), Ok(()));
        assert_eq!(
            check_size(&"a".repeat(MAX_COPY_BYTES + 1)),
            Err(Refused::TooLarge { bytes: 102_401 })
        );
        // Bytes, not characters: 'é' is two bytes.
        assert!(check_size(&"é".repeat(MAX_COPY_BYTES / 2 + 1)).is_err());
        assert_eq!(
            Refused::TooLarge { bytes: 102_401 }.to_string(),
            "not copied: 102401 bytes is over the 100 KiB limit"
        );
    }

    #[test]
    fn copy_outside_tmux_writes_the_plain_sequence() {
        let mut out = Vec::new();
        let copied = copy("demo-in09", &mut out, false).expect("copy into a Vec");
        assert_eq!(out, b"\x1b]52;c;ZGVtby1pbjA5\x07");
        assert_eq!(
            copied,
            Copied {
                osc52: true,
                tmux_buffer: false
            }
        );
        assert_eq!(copied.describe(), "terminal clipboard (OSC 52)");
    }

    #[test]
    fn copy_refuses_too_large_text_without_writing() {
        let mut out = Vec::new();
        let err = copy(&"a".repeat(MAX_COPY_BYTES + 1), &mut out, false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(out.is_empty());
    }

    #[test]
    fn copy_reports_a_failed_write() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = copy("x", &mut Broken, false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert!(err.to_string().contains("writing OSC 52 failed"), "{err}");
    }

    #[test]
    fn describe_names_every_destination() {
        let both = Copied {
            osc52: true,
            tmux_buffer: true,
        };
        assert_eq!(
            both.describe(),
            "terminal clipboard (OSC 52) and tmux buffer"
        );
        let tmux = Copied {
            osc52: false,
            tmux_buffer: true,
        };
        assert_eq!(tmux.describe(), "tmux buffer");
    }

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

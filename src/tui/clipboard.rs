//! Copying from a terminal that may be inside tmux, over SSH.
//!
//! OSC 52 asks the terminal to put text on the system clipboard, with no
//! clipboard library or display server. Inside tmux two more routes help,
//! because tmux by default passes neither an application's OSC 52 nor a
//! passthrough sequence on: the sequence is wrapped in tmux's passthrough,
//! and the text is also loaded into tmux's paste buffer (which `-w` forwards
//! to the outer clipboard).

/// Payloads larger than this are not sent (terminals and tmux drop or truncate big OSC 52 writes).
pub const MAX_COPY_BYTES: usize = 100 * 1024;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Why a copy was refused before sending anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Over [`MAX_COPY_BYTES`].
    #[error("not copied: {bytes} bytes is over the {} limit", limit())]
    TooLarge {
        /// The size of the text, in bytes.
        bytes: usize,
    },
    /// Holds a character that is unsafe to paste.
    #[error("not copied: it holds U+{code:04X}, which is unsafe to paste")]
    Unsafe {
        /// The first such character's code point.
        code: u32,
    },
}

/// [`MAX_COPY_BYTES`] on the one size ladder, as the copy notice says it.
fn limit() -> String {
    crate::shown::size::bytes(crate::api::Bytes(MAX_COPY_BYTES as u64))
}

/// Checks what every copy must pass (pure; the TUI calls it before asking
/// the loop to copy, and the loop again before sending): the size limit, and
/// no character a terminal or a shell would act on. The line breaks of
/// pretty JSON are the one exception: what the app copies has been made safe
/// already (`App::copy`), so this is the last guard, not the filter.
pub fn check(text: &str) -> Result<(), Refused> {
    if text.len() > MAX_COPY_BYTES {
        return Err(Refused::TooLarge { bytes: text.len() });
    }
    match text
        .chars()
        .find(|&c| c != '\n' && crate::terminal_text::is_unsafe(c))
    {
        Some(c) => Err(Refused::Unsafe { code: c as u32 }),
        None => Ok(()),
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
/// drop passthrough unless `set -g allow-passthrough on`; the app therefore
/// also loads the tmux buffer (`tmux_buffer`), which needs no option.
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
    fn nothing_unsafe_is_sent_but_the_line_breaks_of_json() {
        assert_eq!(check("{\n  \"id\": \"a\"\n}\n"), Ok(()));
        assert_eq!(check("a\u{1b}[201~"), Err(Refused::Unsafe { code: 0x1b }));
        assert_eq!(check("a\r"), Err(Refused::Unsafe { code: 0x0d }));
        assert_eq!(check("\u{202e}"), Err(Refused::Unsafe { code: 0x202e }));
    }

    #[test]
    fn the_size_limit_is_100_kib_inclusive() {
        assert_eq!(MAX_COPY_BYTES, 102_400);
        assert_eq!(check(&"a".repeat(MAX_COPY_BYTES)), Ok(()));
        assert_eq!(
            check(&"a".repeat(MAX_COPY_BYTES + 1)),
            Err(Refused::TooLarge { bytes: 102_401 })
        );
        // Bytes, not characters: 'é' is two bytes.
        assert!(check(&"é".repeat(MAX_COPY_BYTES / 2 + 1)).is_err());
        assert_eq!(
            Refused::TooLarge { bytes: 102_401 }.to_string(),
            "not copied: 102401 bytes is over the 100 KB limit"
        );
    }
}

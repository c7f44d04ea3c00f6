//! Cleaning a paste for a field, and the report the status bar reads.
//!
//! What a paste may carry: surrounding white space (a copied line's
//! newline) is stripped; a line break or tab inside becomes one space, so
//! two pasted lines never run together into one plausible ID (the ID check
//! then refuses the space and says so); every other character the terminal
//! filter calls unsafe (controls, escapes, bidi marks) is dropped, since a
//! field could not show it and it must not travel on into a request, the
//! history or a saved file's name.

use crate::terminal_text;

/// What a paste did, for the status bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pasted {
    /// Characters inserted.
    pub inserted: usize,
    /// True when the paste did not fit and its end was left out.
    pub cut: bool,
    /// Control and other unsafe characters left out.
    pub dropped: usize,
    /// The field's limit, for the message.
    pub limit: usize,
}

impl Pasted {
    /// The status-bar line for a paste that did not go in whole; `None`
    /// when it did.
    pub fn notice(&self) -> Option<String> {
        let dropped = match self.dropped {
            0 => None,
            1 => Some("1 control character left out".to_string()),
            n => Some(format!("{n} control characters left out")),
        };
        let also = dropped
            .as_ref()
            .map_or_else(String::new, |d| format!("; {d}"));
        match (self.cut, dropped) {
            (false, None) => None,
            // An ID field holds one character more than an ID may have, so
            // a cut paste is still refused; the message names the ID's own
            // limit, the one the field's ✗ names too.
            (true, _) if self.limit == crate::ids::MAX_ID_LEN + 1 => Some(format!(
                "Pasted text is longer than an ID may be (at most {} characters); \
                 shorten it before Enter{also}",
                crate::ids::MAX_ID_LEN
            )),
            (true, dropped) => Some(format!(
                "Pasted text cut to {} characters (this field holds at most {}){}",
                self.inserted,
                self.limit,
                dropped.map_or_else(String::new, |d| format!("; {d}"))
            )),
            (false, Some(dropped)) => Some(format!("Pasted text: {dropped}")),
        }
    }
}

/// Hands `put` each character of `s` a field may take, at most `room` of
/// them: line breaks and tabs as a space, other unsafe characters left out.
/// Stops looking at `s` once the room is used up, so the cost is bounded by
/// the field, not by the paste. Shared with the password popup, which puts
/// the characters straight into its secret.
pub fn accept(s: &str, room: usize, limit: usize, mut put: impl FnMut(char)) -> Pasted {
    let mut report = Pasted {
        limit,
        ..Pasted::default()
    };
    for c in s.chars() {
        let c = match c {
            '\n' | '\r' | '\t' => ' ',
            c if terminal_text::is_unsafe(c) => {
                report.dropped += 1;
                continue;
            }
            c => c,
        };
        if report.inserted == room {
            report.cut = true;
            break;
        }
        put(c);
        report.inserted += 1;
    }
    report
}

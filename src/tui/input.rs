//! A one-line text field: the editing keys operators know from readline.
//!
//! Every field has a limit in characters, so a huge paste (or a flood of
//! keys from a terminal without bracketed paste) costs at most one limit's
//! worth of work, and a paste is inserted in one step, not a character at a
//! time.
//!
//! What a paste may carry is decided in `paste_clean`.

use super::paste_clean::{Pasted, accept};
use super::text;
use crate::keymap::{Action, KeySpec};

/// The most characters a free-text field (a filter, a save path) holds:
/// more than any path or filter needs, and little enough that every edit
/// stays instant.
pub const TEXT_LIMIT: usize = 4096;

/// The most characters an ID field holds: one more than an ID may have, so
/// a longer paste, once cut, still reads as too long and is refused by the
/// ID check instead of being sent as a shorter, different ID.
pub const ID_FIELD_LIMIT: usize = crate::ids::MAX_ID_LEN + 1;

/// The text and the cursor (a character index, never a byte index, so
/// non-ASCII pastes cannot split a character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField {
    value: String,
    cursor: usize,
    /// Characters in `value`, kept so a full field refuses a key at once.
    chars: usize,
    limit: usize,
}

impl Default for TextField {
    fn default() -> Self {
        TextField::with_limit(TEXT_LIMIT)
    }
}

impl TextField {
    /// An empty field that holds at most `limit` characters.
    pub fn with_limit(limit: usize) -> Self {
        TextField {
            value: String::new(),
            cursor: 0,
            chars: 0,
            limit,
        }
    }

    /// A free-text field holding `value`, cursor at the end.
    pub fn new(value: &str) -> Self {
        let mut field = TextField::default();
        field.insert_str(value);
        field
    }

    /// An ID field (instance, backup) holding `value`, cursor at the end.
    pub fn id(value: &str) -> Self {
        let mut field = TextField::with_limit(ID_FIELD_LIMIT);
        field.insert_str(value);
        field
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// The cursor as a character index.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The most characters this field holds.
    pub fn limit(&self) -> usize {
        self.limit
    }

    fn len(&self) -> usize {
        self.chars
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Inserts text at the cursor, up to the field's limit, in one step:
    /// the accepted characters are gathered first, then placed with a
    /// single copy of the text after the cursor (linear in the field, not
    /// in the field times the paste). Line breaks and tabs become a space;
    /// other unsafe characters are dropped.
    pub fn insert_str(&mut self, s: &str) -> Pasted {
        let room = self.limit.saturating_sub(self.chars);
        let mut accepted = String::new();
        let report = accept(s, room, self.limit, |c| accepted.push(c));
        if report.inserted > 0 {
            let at = self.byte_at(self.cursor);
            self.value.insert_str(at, &accepted);
            self.cursor += report.inserted;
            self.chars += report.inserted;
        }
        report
    }

    /// A bracketed paste: surrounding white space (a copied line's newline)
    /// is stripped, then it is inserted as `insert_str` does.
    pub fn paste(&mut self, s: &str) -> Pasted {
        self.insert_str(s.trim())
    }

    /// Empties the field.
    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
        self.chars = 0;
    }

    fn delete_range(&mut self, from: usize, to: usize) {
        let (a, b) = (self.byte_at(from), self.byte_at(to));
        self.value.replace_range(a..b, "");
        self.chars = self.chars.saturating_sub(to - from);
        self.cursor = from;
    }

    /// Applies an editing action, or types the character of a key bound
    /// to none; false when the key is neither (it goes elsewhere).
    pub fn apply(&mut self, action: Option<Action>, key: KeySpec) -> bool {
        match action {
            Some(Action::DeleteToStart) => self.delete_range(0, self.cursor),
            Some(Action::DeleteWord) => {
                let start = self.word_start();
                self.delete_range(start, self.cursor);
            }
            Some(Action::DeleteBack) if self.cursor > 0 => {
                self.delete_range(self.cursor - 1, self.cursor)
            }
            Some(Action::DeleteForward) if self.cursor < self.len() => {
                let at = self.cursor;
                self.delete_range(at, at + 1);
            }
            Some(Action::DeleteBack | Action::DeleteForward) => {}
            Some(Action::CursorLeft) => self.cursor = self.cursor.saturating_sub(1),
            Some(Action::CursorRight) => self.cursor = (self.cursor + 1).min(self.len()),
            Some(Action::LineStart) => self.cursor = 0,
            Some(Action::LineEnd) => self.cursor = self.len(),
            Some(_) => return false,
            // A typed key past the limit is dropped quietly: it is still
            // an editing key, so it goes nowhere else.
            None => match key.typed() {
                Some(c) => {
                    self.insert_str(c.encode_utf8(&mut [0; 4]));
                }
                None => return false,
            },
        }
        true
    }

    /// Where Ctrl-W stops: back over separators, then over letters and
    /// digits, so `demo-in09` loses `in09` and keeps `demo-`.
    fn word_start(&self) -> usize {
        let chars: Vec<char> = self.value.chars().take(self.cursor).collect();
        let mut i = chars.len();
        while i > 0 && !chars[i - 1].is_alphanumeric() {
            i -= 1;
        }
        while i > 0 && chars[i - 1].is_alphanumeric() {
            i -= 1;
        }
        i
    }

    /// What fits in `cells` cells: the visible text and the cursor's column,
    /// scrolled so the cursor is always inside.
    pub fn view(&self, cells: usize) -> (String, usize) {
        let clean = text::sanitize(&self.value);
        let chars: Vec<(char, usize)> = clean
            .chars()
            .map(|c| (c, text::width(c.encode_utf8(&mut [0; 4]))))
            .collect();
        let cursor = self.cursor.min(chars.len());
        if cells == 0 {
            return (String::new(), 0);
        }
        // Start as late as needed to keep the cursor, and one cell for it,
        // on screen.
        let mut start = 0;
        let mut before: usize = chars[..cursor].iter().map(|(_, w)| w).sum();
        while before + 1 > cells && start < cursor {
            before -= chars[start].1;
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for &(c, w) in &chars[start..] {
            if used + w > cells {
                break;
            }
            shown.push(c);
            used += w;
        }
        (shown, before)
    }
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;

//! A one-line text field: the editing keys operators know from readline.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::text;

/// The text and the cursor (a character index, never a byte index, so
/// non-ASCII pastes cannot split a character).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    value: String,
    cursor: usize,
}

impl TextField {
    /// A field holding `value`, cursor at the end.
    pub fn new(value: &str) -> Self {
        let mut field = TextField::default();
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

    fn len(&self) -> usize {
        self.value.chars().count()
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Inserts text at the cursor; control characters are dropped because a
    /// field could not show them.
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars().filter(|c| !c.is_control()) {
            let at = self.byte_at(self.cursor);
            self.value.insert(at, c);
            self.cursor += 1;
        }
    }

    /// A bracketed paste: surrounding white space (a copied line's newline)
    /// is stripped.
    pub fn paste(&mut self, s: &str) {
        self.insert_str(s.trim());
    }

    /// Empties the field.
    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    fn delete_range(&mut self, from: usize, to: usize) {
        let (a, b) = (self.byte_at(from), self.byte_at(to));
        self.value.replace_range(a..b, "");
        self.cursor = from;
    }

    /// Applies an editing key; false when the key is not an editing key.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => self.delete_range(0, self.cursor),
            KeyCode::Char('w') if ctrl => {
                let start = self.word_start();
                self.delete_range(start, self.cursor);
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.len(),
            KeyCode::Char(_) if ctrl || key.modifiers.contains(KeyModifiers::ALT) => return false,
            KeyCode::Char(c) => self.insert_str(c.encode_utf8(&mut [0; 4])),
            KeyCode::Backspace if self.cursor > 0 => {
                self.delete_range(self.cursor - 1, self.cursor)
            }
            KeyCode::Delete if self.cursor < self.len() => {
                let at = self.cursor;
                self.delete_range(at, at + 1);
            }
            KeyCode::Backspace | KeyCode::Delete => {}
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            _ => return false,
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
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(s: &str) -> TextField {
        let mut f = TextField::default();
        for c in s.chars() {
            assert!(f.handle_key(key(KeyCode::Char(c))));
        }
        f
    }

    #[test]
    fn typing_inserts_at_the_cursor() {
        let mut f = typed("demo-in09");
        assert_eq!(f.value(), "demo-in09");
        f.handle_key(key(KeyCode::Home));
        f.handle_key(key(KeyCode::Char('x')));
        assert_eq!(f.value(), "xdemo-in09");
        assert_eq!(f.cursor(), 1);
    }

    #[test]
    fn cursor_moves_stay_inside_the_text() {
        let mut f = typed("ab");
        f.handle_key(key(KeyCode::Right));
        assert_eq!(f.cursor(), 2);
        f.handle_key(key(KeyCode::Left));
        f.handle_key(key(KeyCode::Left));
        f.handle_key(key(KeyCode::Left));
        assert_eq!(f.cursor(), 0);
        f.handle_key(key(KeyCode::End));
        assert_eq!(f.cursor(), 2);
    }

    #[test]
    fn backspace_and_delete() {
        let mut f = typed("abc");
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!(f.value(), "ab");
        f.handle_key(key(KeyCode::Home));
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!(f.value(), "ab");
        f.handle_key(key(KeyCode::Delete));
        assert_eq!(f.value(), "b");
        f.handle_key(key(KeyCode::End));
        f.handle_key(key(KeyCode::Delete));
        assert_eq!(f.value(), "b");
    }

    #[test]
    fn ctrl_u_and_ctrl_w() {
        let mut f = typed("demo-in09");
        f.handle_key(ctrl('w'));
        assert_eq!(f.value(), "demo-");
        f.handle_key(ctrl('w'));
        assert_eq!(f.value(), "");
        let mut f = typed("abcdef");
        f.handle_key(key(KeyCode::Left));
        f.handle_key(ctrl('u'));
        assert_eq!((f.value(), f.cursor()), ("f", 0));
    }

    #[test]
    fn other_control_keys_are_not_edits() {
        let mut f = typed("ab");
        assert!(!f.handle_key(ctrl('c')));
        assert!(!f.handle_key(key(KeyCode::Enter)));
        assert!(!f.handle_key(key(KeyCode::Tab)));
        assert_eq!(f.value(), "ab");
    }

    #[test]
    fn paste_strips_surrounding_white_space_and_control_characters() {
        let mut f = TextField::default();
        f.paste("  34970585d4964f2a8d6d9ea8d303398bin09\n");
        assert_eq!(f.value(), "34970585d4964f2a8d6d9ea8d303398bin09");
        let mut f = TextField::default();
        f.paste("a\u{1b}b c");
        assert_eq!(f.value(), "ab c");
    }

    #[test]
    fn non_ascii_text_edits_by_character() {
        let mut f = TextField::new("订单");
        f.handle_key(key(KeyCode::Backspace));
        assert_eq!(f.value(), "订");
    }

    #[test]
    fn the_view_scrolls_to_keep_the_cursor_visible() {
        let f = TextField::new("abcdefghij");
        assert_eq!(f.view(20), ("abcdefghij".into(), 10));
        let (shown, col) = f.view(5);
        assert_eq!((shown.as_str(), col), ("ghij", 4));
        let mut f = f;
        f.handle_key(key(KeyCode::Home));
        assert_eq!(f.view(5), ("abcde".into(), 0));
        let f = TextField::new("订单订单订单");
        let (shown, col) = f.view(5);
        assert!(text::width(&shown) <= 5 && col < 5, "{shown} {col}");
    }
}

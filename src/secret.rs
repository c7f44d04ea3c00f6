//! A wrapper for tokens, keys and passwords that never prints its contents.

use std::fmt;
use zeroize::Zeroize;

/// A secret string: `Debug` and `Display` print `<redacted>`, and the buffer is
/// zeroed on drop so the value does not linger in freed memory.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value; the caller should drop (or zeroize) any other copy.
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// An empty secret with room for `capacity` bytes, for typing into.
    pub fn with_capacity(capacity: usize) -> Self {
        Secret(String::with_capacity(capacity))
    }

    /// Appends a character. When the buffer must grow, the old one is
    /// zeroed first, so no copy of the partial secret is left behind.
    pub fn push(&mut self, c: char) {
        if self.0.len() + c.len_utf8() > self.0.capacity() {
            let mut bigger = String::with_capacity((self.0.capacity() * 2).max(64));
            bigger.push_str(&self.0);
            self.0.zeroize();
            self.0 = bigger;
        }
        self.0.push(c);
    }

    /// Removes the last character (its bytes are zeroed with the rest on drop).
    pub fn pop(&mut self) {
        self.0.pop();
    }

    /// Empties the secret, zeroing its buffer.
    pub fn clear(&mut self) {
        self.0.zeroize();
    }

    /// How many characters it holds (for a masked display).
    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }

    /// True when the secret holds nothing but white space.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_its_value() {
        let s = Secret::new("hunter2-token".into());
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(<redacted>)");
        assert_eq!(s.expose(), "hunter2-token");
    }

    #[test]
    fn typing_edits_in_place() {
        let mut s = Secret::with_capacity(2);
        for c in "pässword-longer-than-the-first-buffer-0123456789-0123456789-xyz".chars() {
            s.push(c);
        }
        s.pop();
        assert_eq!(
            s.expose(),
            "pässword-longer-than-the-first-buffer-0123456789-0123456789-xy"
        );
        assert_eq!(s.char_count(), 62);
        s.clear();
        assert!(s.is_blank());
    }
}

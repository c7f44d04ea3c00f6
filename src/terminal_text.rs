//! Which characters must never reach a terminal from outside data: they
//! would move the cursor, change colours or reorder the text around them.
//! Shared by the TUI, `show`'s text output and error messages.

/// True for control characters and the invisible ones that reorder text.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' // zero-width and direction marks
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{FEFF}')
}

/// The string with every unsafe character replaced: line breaks and tabs
/// become a space (so words stay apart), anything else is dropped.
pub fn sanitize(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_reordering_marks_go() {
        assert_eq!(sanitize("a\u{1b}[31mb\tc\u{202e}d\u{200b}e"), "a[31mb cde");
        assert_eq!(sanitize("订单 🚀"), "订单 🚀");
    }
}

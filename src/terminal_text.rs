//! The one definition of which characters from outside data must never reach
//! a terminal, a clipboard or a saved file: they would move the cursor,
//! change colours, end a bracketed paste, split a line, or reorder the text
//! around them. Shared by the TUI, `show`'s output, copies, exports and
//! error messages.

use unicode_general_category::{GeneralCategory, get_general_category};

/// True for every character that may not pass through unescaped:
/// C0 controls, DEL and C1 controls (category Cc), every format character
/// (Cf, which holds all Bidi_Control characters such as U+061C, U+200E and
/// U+202E, the zero-width ones and U+FEFF), and the line and paragraph
/// separators U+2028 and U+2029 (Zl, Zp).
pub fn is_unsafe(c: char) -> bool {
    // Printable ASCII is by far the common case: skip the table lookup.
    if (' '..='~').contains(&c) {
        return false;
    }
    c.is_control()
        || matches!(
            get_general_category(c),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

/// True for a character that draws something on its own: not unsafe (see
/// [`is_unsafe`]), not a space, not a combining mark (it would join the
/// character before it), not zero-width, and assigned outside the private
/// use and surrogate areas. For text a user defines one character of, such
/// as a key: an invisible one could not be read back on the screen.
pub fn is_visible(c: char) -> bool {
    if c.is_ascii_graphic() {
        return true;
    }
    !is_unsafe(c)
        && !c.is_whitespace()
        && unicode_width::UnicodeWidthChar::width(c).is_some_and(|w| w > 0)
        && !matches!(
            get_general_category(c),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
                | GeneralCategory::Unassigned
                | GeneralCategory::PrivateUse
                | GeneralCategory::Surrogate
        )
}

/// True when the whole string may pass through unchanged.
pub fn is_safe(s: &str) -> bool {
    // Nearly every string is printable ASCII: a byte scan the compiler can
    // vectorise answers those without decoding a character.
    printable_ascii(s.as_bytes()) || !s.chars().any(is_unsafe)
}

/// True when every byte is in ' '..='~'. Checked 16 bytes at a time without
/// an early exit inside a block, so the compiler can use vector compares.
fn printable_ascii(bytes: &[u8]) -> bool {
    bytes.chunks(16).all(|block| {
        block
            .iter()
            .fold(true, |ok, &b| ok & (b.wrapping_sub(b' ') < b'~' - b' ' + 1))
    })
}

/// The string with every unsafe character replaced: line breaks and tabs
/// become a space (so words stay apart), anything else is dropped.
pub fn sanitize(s: &str) -> String {
    if is_safe(s) {
        return s.to_string();
    }
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// The string with every unsafe character written out as an escape (`\n`,
/// `\u{200b}`), borrowed when there is none. For a message that quotes a
/// server value next to a judgement of it: "is normal\u{200b}, not normal"
/// reads true, where the cleaned "is normal, not normal" contradicts itself.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if is_safe(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

/// Pushes `c`, written as an escape when it is unsafe: `\n`, `\r`, `\t`,
/// else `\u{hex}` (Rust's spelling, as in the TUI's and `wait`'s messages).
pub fn push_escaped(out: &mut String, c: char) {
    if !is_unsafe(c) {
        out.push(c);
        return;
    }
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// Writes `s` with every unsafe character as a JSON `\uXXXX` escape (a
/// surrogate pair above U+FFFF), for text that goes inside a JSON string.
pub fn escape_json_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_reordering_marks_go() {
        assert_eq!(sanitize("a\u{1b}[31mb\tc\u{202e}d\u{200b}e"), "a[31mb cde");
        assert_eq!(sanitize("订单 🚀"), "订单 🚀");
        assert_eq!(sanitize("a\u{2028}b\u{061c}c"), "a bc");
    }

    /// Walks every class the definition names, end to end, and checks the
    /// characters operators do type stay.
    #[test]
    fn each_class_is_unsafe() {
        let c0 = ('\u{0}'..='\u{1f}').collect::<Vec<_>>();
        let del = ['\u{7f}'];
        let c1 = ('\u{80}'..='\u{9f}').collect::<Vec<_>>();
        // Every Bidi_Control character (Unicode's PropList.txt).
        let bidi = [
            '\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}',
            '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ];
        // A sample of Cf from every block that has one, and Zl, Zp.
        let format = [
            '\u{00ad}',
            '\u{0600}',
            '\u{06dd}',
            '\u{070f}',
            '\u{180e}',
            '\u{200b}',
            '\u{200d}',
            '\u{2060}',
            '\u{2064}',
            '\u{206f}',
            '\u{feff}',
            '\u{fff9}',
            '\u{fffb}',
            '\u{110bd}',
            '\u{1d173}',
            '\u{e0001}',
            '\u{e007f}',
        ];
        let separators = ['\u{2028}', '\u{2029}'];
        for (class, chars) in [
            ("C0", &c0[..]),
            ("DEL", &del[..]),
            ("C1", &c1[..]),
            ("Bidi_Control", &bidi[..]),
            ("Cf", &format[..]),
            ("Zl/Zp", &separators[..]),
        ] {
            for &c in chars {
                assert!(is_unsafe(c), "{class}: U+{:04X} passes", c as u32);
                assert!(!sanitize(&format!("a{c}b")).contains(c), "{class}");
            }
        }
        for c in [
            'a', ' ', '~', 'é', '订', '🚀', '\u{a0}', '\u{3000}', '\u{fffd}',
        ] {
            assert!(!is_unsafe(c), "U+{:04X} is refused", c as u32);
        }
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_definition() {
        for b in 0u8..=127 {
            let s = format!("{}{}", "a".repeat(20), b as char);
            assert_eq!(printable_ascii(s.as_bytes()), (b' '..=b'~').contains(&b));
            assert_eq!(is_safe(&s), !is_unsafe(b as char), "{b}");
        }
    }

    #[test]
    fn visible_characters_draw_on_their_own() {
        for c in ['a', 'Y', '?', '/', 'é', '订', 'ß', '€', '🚀', 'Ω'] {
            assert!(is_visible(c), "{c:?}");
        }
        for c in [
            ' ',
            '\u{a0}',
            '\u{3000}',
            '\t',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{202e}',
            '\u{200b}',
            '\u{200d}',
            '\u{feff}',
            '\u{2028}',
            '\u{301}',
            '\u{20dd}',
            '\u{903}',
            '\u{e000}',
            '\u{10ffff}',
            '\u{378}',
        ] {
            assert!(!is_visible(c), "{c:?}");
        }
    }

    #[test]
    fn escapes_show_what_sanitize_drops() {
        assert_eq!(escape("normal"), "normal");
        assert!(matches!(escape("订单 🚀"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(escape("normal\u{200b}"), "normal\\u{200b}");
        assert_eq!(
            escape("a\u{1b}[2J\nb\t\u{202e}\u{e0001}"),
            "a\\u{1b}[2J\\nb\\t\\u{202e}\\u{e0001}"
        );
        assert!(is_safe(&escape("\u{2028}\u{85}\u{7f}")));
    }

    #[test]
    fn json_escapes_use_utf16_units() {
        let mut out = String::new();
        escape_json_into(&mut out, "a\u{7f}\u{202e}\u{e0001}b\n");
        assert_eq!(out, "a\\u007f\\u202e\\udb40\\udc01b\\u000a");
    }
}

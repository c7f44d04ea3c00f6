//! ListBackups' `file_size` (KB): a JSON number, or a number written in a
//! string (`"12.5"`), which the official SDK also converts. What is no
//! size is refused with the value named, never read as one: not a number,
//! NaN, negative, or past [`MAX_KB`].

use serde::Deserializer;
use serde::de::{self, Visitor};
use std::fmt;

/// The largest size taken, in KB: 2^53, past which an f64 no longer counts
/// whole KB (some 8 ZiB; no backup comes near).
pub const MAX_KB: f64 = 9_007_199_254_740_992.0;

/// What the shape check says a size should be.
pub(super) const WANTED: &str = "a size in KB (a number, or a number in a string)";

/// Why `kb` is no size, as the end of "got ...": `None` when it is one.
pub(super) fn number_problem(kb: f64) -> Option<String> {
    let shown =
        || serde_json::Number::from_f64(kb).map_or_else(|| kb.to_string(), |n| n.to_string());
    if kb.is_nan() {
        Some("NaN".into())
    } else if kb < 0.0 {
        Some(format!("{}, which is negative", shown()))
    } else if kb > MAX_KB {
        Some(format!("{}, too large for a size", shown()))
    } else {
        None
    }
}

/// The size a string holds, or the end of "got ..." naming what it holds.
pub(super) fn from_text(text: &str) -> Result<f64, String> {
    // At most 32 characters of it are named, escaped.
    let quoted = || {
        let mut shown = String::from("\"");
        for c in text.chars().take(32) {
            crate::terminal_text::push_escaped(&mut shown, c);
        }
        if text.chars().nth(32).is_some() {
            shown.push('…');
        }
        shown.push('"');
        shown
    };
    // Rust's parser also takes "inf" and "NaN", which the checks below
    // refuse; surrounding white space is allowed, as the SDK allows it.
    let Ok(kb) = text.trim().parse::<f64>() else {
        return Err(quoted());
    };
    if kb.is_infinite() {
        return Err(format!("{}, too large for a size", quoted()));
    }
    match number_problem(kb) {
        None => Ok(kb),
        Some(_) if kb.is_nan() => Err(quoted()),
        Some(_) if kb < 0.0 => Err(format!("{}, which is negative", quoted())),
        Some(_) => Err(format!("{}, too large for a size", quoted())),
    }
}

/// Reads `file_size`: `null` or absent is `None`; a number or numeric
/// string within the rules is the size; anything else fails the page with
/// the shape check's words.
pub(super) fn file_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_option(SizeVisitor)
}

struct SizeVisitor;

impl SizeVisitor {
    fn checked<E: de::Error>(kb: f64) -> Result<Option<f64>, E> {
        match number_problem(kb) {
            None => Ok(Some(kb)),
            Some(got) => Err(E::custom(format_args!("expected {WANTED}, got {got}"))),
        }
    }
}

impl<'de> Visitor<'de> for SizeVisitor {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(WANTED)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::checked(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::checked(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::checked(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        from_text(v)
            .map(Some)
            .map_err(|got| E::custom(format_args!("expected {WANTED}, got {got}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_strings_are_sizes_and_the_rest_is_named() {
        for (text, kb) in [("12.5", 12.5), (" 7 ", 7.0), ("1e3", 1000.0), ("0", 0.0)] {
            assert_eq!(from_text(text), Ok(kb), "{text}");
        }
        for (text, got) in [
            ("abc", "\"abc\""),
            ("", "\"\""),
            ("NaN", "\"NaN\""),
            ("12 KB", "\"12 KB\""),
            ("-5", "\"-5\", which is negative"),
            ("1e400", "\"1e400\", too large for a size"),
            ("inf", "\"inf\", too large for a size"),
            ("1e16", "\"1e16\", too large for a size"),
            ("a\u{1b}[2J", "\"a\\u{1b}[2J\""),
        ] {
            assert_eq!(from_text(text), Err(got.to_string()), "{text}");
        }
        let long = "9".repeat(400);
        let said = from_text(&format!("x{long}")).unwrap_err();
        assert!(said.ends_with("…\"") && said.len() < 40, "{said}");
    }

    #[test]
    fn numbers_keep_the_same_rules() {
        assert_eq!(number_problem(0.0), None);
        assert_eq!(number_problem(MAX_KB), None);
        assert_eq!(
            number_problem(-1.0).as_deref(),
            Some("-1.0, which is negative")
        );
        assert_eq!(
            number_problem(1e300).as_deref(),
            Some("1e+300, too large for a size")
        );
    }
}

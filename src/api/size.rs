//! ListBackups' `file_size` (KB): a JSON number, or a number written in a
//! string (`"12.5"`), which the official SDK also converts. What is no
//! size is refused with the value named, never read as one: not a number,
//! NaN, negative, or past [`MAX_KB`].

use serde::de::{self, Visitor};
use serde::{Deserializer, Serialize, Serializer};
use std::fmt;

/// A size in bytes: the one unit every size is kept in once read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bytes(pub u64);

impl Bytes {
    /// In kilobytes (1024 bytes), for the unit ladder that counts in them.
    pub fn as_kb(self) -> f64 {
        self.0 as f64 / 1024.0
    }

    /// `kb` kilobytes (1024 bytes each), rounded to the byte; `None` for
    /// what is no size (see [`number_problem`]).
    pub fn from_kb(kb: f64) -> Option<Bytes> {
        if number_problem(kb).is_some() || !kb.is_finite() {
            return None;
        }
        // At most MAX_KB * 1024 = 2^63, which a u64 holds exactly.
        Some(Bytes((kb * 1024.0).round() as u64))
    }
}

/// ListBackups' `file_size`: the size in bytes, and the number as sent
/// (KB), which JSON output repeats unchanged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FileSize {
    bytes: Bytes,
    kb: f64,
}

impl FileSize {
    /// A checked size in KB; `None` for what is no size.
    pub fn from_kb(kb: f64) -> Option<FileSize> {
        Some(FileSize {
            bytes: Bytes::from_kb(kb)?,
            kb,
        })
    }

    /// The size in bytes.
    pub fn bytes(&self) -> Bytes {
        self.bytes
    }
}

impl Serialize for FileSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.kb)
    }
}

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
pub(super) fn file_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FileSize>, D::Error> {
    let kb = d.deserialize_option(SizeVisitor)?;
    // The visitor has refused every value `from_kb` would.
    Ok(kb.and_then(FileSize::from_kb))
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
    fn sizes_are_bytes_and_repeat_the_number_sent() {
        assert_eq!(Bytes::from_kb(0.5), Some(Bytes(512)));
        assert_eq!(Bytes::from_kb(12.5), Some(Bytes(12_800)));
        assert_eq!(Bytes::from_kb(MAX_KB), Some(Bytes(1 << 63)));
        for bad in [-1.0, f64::NAN, f64::INFINITY, MAX_KB * 2.0] {
            assert_eq!(Bytes::from_kb(bad), None, "{bad}");
        }
        let size = FileSize::from_kb(0.3).unwrap();
        assert_eq!(size.bytes(), Bytes(307));
        assert_eq!(serde_json::to_string(&size).unwrap(), "0.3");
        assert_eq!(
            serde_json::to_string(&FileSize::from_kb(2048.0)).unwrap(),
            "2048.0"
        );
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

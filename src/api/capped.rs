//! Strings from list rows, cut while they are read: a server that sends a
//! 120 KB name in every row must not make a listing hold them all.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The most bytes a row's string field keeps; more is cut at a character
/// boundary. Real IDs, names and dates are far shorter.
pub const MAX_FIELD: usize = 4 * 1024;

/// `s` cut to at most `max` bytes, on a character boundary.
pub fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// An optional string field (`null` or absent is `None`), cut to
/// [`MAX_FIELD`]. Other types are shape errors, as before the cut.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_option(Capped { numbers: false })
}

/// Like [`text`], but a number becomes its text and any other type `None`:
/// the documented types are strings, but a number must not fail a listing.
pub fn number_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_option(Capped { numbers: true })
}

/// Copies at most [`MAX_FIELD`] bytes of whatever string it is handed, so
/// the full value is never owned when the parser can lend it.
#[derive(Clone, Copy)]
struct Capped {
    numbers: bool,
}

impl Capped {
    fn other<E: de::Error>(self, unexpected: de::Unexpected<'_>) -> Result<Option<String>, E> {
        if self.numbers {
            Ok(None)
        } else {
            Err(E::invalid_type(unexpected, &self))
        }
    }
}

impl<'de> Visitor<'de> for Capped {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.numbers {
            "a string or a number"
        } else {
            "a string"
        })
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

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(cut(v, MAX_FIELD).to_owned()))
    }

    fn visit_string<E: de::Error>(self, mut v: String) -> Result<Self::Value, E> {
        if v.len() > MAX_FIELD {
            let keep = cut(&v, MAX_FIELD).len();
            v.truncate(keep);
            v.shrink_to_fit();
        }
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        if self.numbers {
            Ok(Some(v.to_string()))
        } else {
            Err(E::invalid_type(de::Unexpected::Unsigned(v), &self))
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        if self.numbers {
            Ok(Some(v.to_string()))
        } else {
            Err(E::invalid_type(de::Unexpected::Signed(v), &self))
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if self.numbers {
            Ok(Some(v.to_string()))
        } else {
            Err(E::invalid_type(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.other(de::Unexpected::Bool(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if !self.numbers {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if !self.numbers {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Row {
        #[serde(default, deserialize_with = "text")]
        name: Option<String>,
        #[serde(default, deserialize_with = "number_or_text")]
        port: Option<String>,
    }

    fn row(json: &str) -> Result<Row, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        assert_eq!(cut("abc", 10), "abc");
        assert_eq!(cut("abc", 2), "ab");
        // "é" is two bytes: a cut in its middle keeps the byte before it.
        assert_eq!(cut("aé", 2), "a");
        assert_eq!(cut("€€", 4), "€");
        assert_eq!(cut("€", 0), "");
    }

    #[test]
    fn long_strings_are_cut_to_the_cap() {
        // Three-byte characters, so the cap lands inside one.
        let long = "€".repeat(10_000);
        let r = row(&format!(r#"{{"name":"{long}"}}"#)).unwrap();
        let name = r.name.unwrap();
        assert!(name.len() <= MAX_FIELD && name.len() > MAX_FIELD - 3);
        assert!(name.chars().all(|c| c == '€'));
        // Escapes make serde_json build an owned string: cut as well.
        let escaped = "\\u00e9".repeat(10_000);
        let r = row(&format!(r#"{{"name":"{escaped}"}}"#)).unwrap();
        let name = r.name.unwrap();
        assert!(name.len() <= MAX_FIELD && name.chars().all(|c| c == 'é'));
        assert_eq!(name.capacity(), name.len());
    }

    #[test]
    fn short_values_nulls_and_types_behave_as_before() {
        let r = row(r#"{"name":"n","port":5066}"#).unwrap();
        assert_eq!(r.name.as_deref(), Some("n"));
        assert_eq!(r.port.as_deref(), Some("5066"));
        let r = row(r#"{"name":null,"port":"x"}"#).unwrap();
        assert_eq!((r.name, r.port.as_deref()), (None, Some("x")));
        let r = row(r#"{"port":[1,[2]]}"#).unwrap();
        assert_eq!(r.port, None);
        let r = row(r#"{"port":{"a":{"b":1}},"name":"after"}"#).unwrap();
        assert_eq!((r.port, r.name.as_deref()), (None, Some("after")));
        let r = row(r#"{"port":-2.5}"#).unwrap();
        assert_eq!(r.port.as_deref(), Some("-2.5"));
        assert!(row(r#"{"name":5}"#).is_err());
        assert!(row(r#"{"name":["x"]}"#).is_err());
        let long_port = "9".repeat(MAX_FIELD * 2);
        let r = row(&format!(r#"{{"port":"{long_port}"}}"#)).unwrap();
        assert_eq!(r.port.unwrap().len(), MAX_FIELD);
    }
}

//! Where a JSON body leaves the documented shape, said as a path and the
//! type expected there (`related_data_nodes[0].instance_id: expected a
//! string, got a number`). serde's own message gives a line and column,
//! which an operator cannot use on a body they never saw.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// What the API documents at one place of a body.
#[derive(Debug)]
pub enum Expect {
    /// A string; `null` or missing is accepted (shown as empty).
    Text,
    /// A string that must be there.
    RequiredText,
    /// A whole number of zero or more; `null` or missing is accepted.
    Count,
    /// A size in KB: a number or a numeric string within
    /// [`super::size`]'s rules; `null` or missing is accepted.
    Size,
    /// Anything (a field read leniently, such as a string-or-number).
    Any,
    /// An object with these fields; other fields are ignored.
    Object(&'static [(&'static str, Expect)]),
    /// An array (or `null`, or missing) of these.
    List(&'static Expect),
}

impl Expect {
    /// What it wants, as a sentence names it.
    fn wanted(&self) -> &'static str {
        match self {
            Expect::Text | Expect::RequiredText => "a string",
            Expect::Count => "a whole number",
            Expect::Size => super::size::WANTED,
            Expect::Any => "anything",
            Expect::Object(_) => "an object",
            Expect::List(_) => "a list",
        }
    }
}

/// The first place, in the order the fields are documented, where the
/// JSON `body` is not what `expect` says; `Ok(None)` when it fits
/// everywhere, `Err` when it is not JSON. Read in one pass that builds
/// nothing but the answer: a wrong-shaped 16 MiB body must not become a
/// value tree many times its size just to be named.
pub fn first_mismatch(body: &[u8], expect: &Expect) -> Result<Option<String>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let found = Check {
        expect,
        path: String::new(),
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(found)
}

/// Checks one value against `expect`; `path` names where it is.
struct Check<'e> {
    expect: &'e Expect,
    path: String,
}

impl Check<'_> {
    fn place(&self) -> &str {
        if self.path.is_empty() {
            "the body"
        } else {
            &self.path
        }
    }

    /// A mismatch unless `fits`: wanted what `expect` says, got `got`.
    fn unless(&self, fits: bool, got: &str) -> Option<String> {
        (!fits).then(|| {
            format!(
                "{}: expected {}, got {got}",
                self.place(),
                self.expect.wanted()
            )
        })
    }

    /// A number where a whole number of zero or more was wanted, named:
    /// "expected a whole number, got a number" says nothing (-1, 1.5,
    /// 18446744073709551616). A number's text is safe to show.
    fn number(&self, n: Option<serde_json::Number>) -> Option<String> {
        if let Expect::Size = self.expect {
            let got = super::size::number_problem(n.as_ref()?.as_f64()?)?;
            return Some(format!(
                "{}: expected {}, got {got}",
                self.place(),
                self.expect.wanted()
            ));
        }
        match self.expect {
            Expect::Any => None,
            Expect::Count => {
                let n = n.map_or_else(|| "a number".to_string(), |n| n.to_string());
                let n = super::capped::cut(&n, 32);
                Some(format!(
                    "{}: expected a whole number, got {n}",
                    self.place()
                ))
            }
            _ => self.unless(false, "a number"),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Check<'_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if let Expect::Size = self.expect {
            let got = super::size::from_text(v).err();
            return Ok(got.map(|got| {
                format!(
                    "{}: expected {}, got {got}",
                    self.place(),
                    self.expect.wanted()
                )
            }));
        }
        let fits = matches!(
            self.expect,
            Expect::Text | Expect::RequiredText | Expect::Any
        );
        Ok(self.unless(fits, "a string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        let fits = !matches!(self.expect, Expect::RequiredText | Expect::Object(_));
        Ok(self.unless(fits, "null"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(self.unless(matches!(self.expect, Expect::Any), "true or false"))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        if matches!(self.expect, Expect::Count) {
            return Ok(None);
        }
        Ok(self.number(Some(v.into())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.number(Some(v.into())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.number(serde_json::Number::from_f64(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut found = match self.expect {
            Expect::List(_) | Expect::Any => None,
            _ => self.unless(false, "a list"),
        };
        if let Expect::List(item) = self.expect {
            let mut i = 0usize;
            while found.is_none() {
                let check = Check {
                    expect: item,
                    path: format!("{}[{i}]", self.path),
                };
                match seq.next_element_seed(check)? {
                    Some(mismatch) => found = mismatch,
                    None => return Ok(None),
                }
                i += 1;
            }
        }
        // The rest is checked as JSON, never built.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(found)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Expect::Object(fields) = self.expect else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(self.unless(matches!(self.expect, Expect::Any), "an object"));
        };
        // Per documented field: whether it came, and its first mismatch (a
        // key sent twice counts by its last value, as a JSON map keeps).
        let mut seen = vec![None::<Option<String>>; fields.len()];
        while let Some(index) = map.next_key_seed(FieldIndex(fields))? {
            let Some(index) = index else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let (name, expect) = &fields[index];
            let path = if self.path.is_empty() {
                (*name).to_string()
            } else {
                format!("{}.{name}", self.path)
            };
            seen[index] = Some(map.next_value_seed(Check { expect, path })?);
        }
        for ((name, expect), seen) in fields.iter().zip(seen) {
            match seen {
                Some(Some(mismatch)) => return Ok(Some(mismatch)),
                Some(None) => {}
                // Only a required field may be missing.
                None if matches!(expect, Expect::RequiredText) => {
                    let path = if self.path.is_empty() {
                        (*name).to_string()
                    } else {
                        format!("{}.{name}", self.path)
                    };
                    return Ok(Some(format!("{path}: expected a string, got nothing")));
                }
                None => {}
            }
        }
        Ok(None)
    }
}

/// Which documented field a key is, if any; read without owning the key.
struct FieldIndex(&'static [(&'static str, Expect)]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|(name, _)| *name == v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NODE: Expect = Expect::Object(&[("instance_id", Expect::Text), ("name", Expect::Text)]);
    const DOC: Expect =
        Expect::Object(&[("id", Expect::RequiredText), ("nodes", Expect::List(&NODE))]);

    fn check(body: &str) -> Option<String> {
        first_mismatch(body.as_bytes(), &DOC).unwrap()
    }

    #[test]
    fn the_path_and_both_types_are_named() {
        assert_eq!(
            check(r#"{"id":"x","nodes":[{"instance_id":"a"},{"instance_id":7}]}"#).as_deref(),
            Some("nodes[1].instance_id: expected a string, got a number")
        );
        assert_eq!(
            check(r#"{"id":"x","nodes":"abc"}"#).as_deref(),
            Some("nodes: expected a list, got a string")
        );
        assert_eq!(
            check(r#"{"id":"x","nodes":[[1]]}"#).as_deref(),
            Some("nodes[0]: expected an object, got a list")
        );
        assert_eq!(
            check(r#"[1]"#).as_deref(),
            Some("the body: expected an object, got a list")
        );
    }

    #[test]
    fn a_count_that_is_no_whole_number_is_named() {
        const PAGE: Expect = Expect::Object(&[("total", Expect::Count)]);
        let check = |body: &str| first_mismatch(body.as_bytes(), &PAGE).unwrap();
        for (body, got) in [
            (r#"{"total":-1}"#, "-1"),
            (r#"{"total":1.5}"#, "1.5"),
            (
                r#"{"total":18446744073709551616}"#,
                "1.8446744073709552e+19",
            ),
        ] {
            assert_eq!(
                check(body),
                Some(format!("total: expected a whole number, got {got}")),
                "{body}"
            );
        }
        assert_eq!(
            check(r#"{"total":"5"}"#).as_deref(),
            Some("total: expected a whole number, got a string")
        );
    }

    #[test]
    fn required_fields_may_not_be_missing_or_null_and_the_rest_may() {
        assert_eq!(
            check(r#"{"nodes":null}"#).as_deref(),
            Some("id: expected a string, got nothing")
        );
        assert_eq!(
            check(r#"{"id":null}"#).as_deref(),
            Some("id: expected a string, got null")
        );
        assert_eq!(
            check(r#"{"id":"x","nodes":[{"name":null}],"extra":1}"#),
            None
        );
    }
}

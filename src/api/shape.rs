//! Where a JSON body leaves the documented shape, said as a path and the
//! type expected there (`related_data_nodes[0].instance_id: expected a
//! string, got a number`). serde's own message gives a line and column,
//! which an operator cannot use on a body they never saw.

use serde_json::Value;

/// What the API documents at one place of a body.
#[derive(Debug)]
pub enum Expect {
    /// A string; `null` or missing is accepted (shown as empty).
    Text,
    /// A string that must be there.
    RequiredText,
    /// A number; `null` or missing is accepted.
    Number,
    /// A whole number of zero or more; `null` or missing is accepted.
    Count,
    /// Anything (a field read leniently, such as a string-or-number).
    Any,
    /// An object with these fields; other fields are ignored.
    Object(&'static [(&'static str, Expect)]),
    /// An array (or `null`, or missing) of these.
    List(&'static Expect),
}

/// The first place, in the order the fields are documented, where `value`
/// is not what `expect` says; `None` when it fits everywhere.
pub fn first_mismatch(value: &Value, expect: &Expect) -> Option<String> {
    let mut path = String::new();
    mismatch_at(value, expect, &mut path, true)
}

fn mismatch_at(value: &Value, expect: &Expect, path: &mut String, present: bool) -> Option<String> {
    let here = |path: &str, wanted: &str| {
        let place = if path.is_empty() { "the body" } else { path };
        let got = if present { kind(value) } else { "nothing" };
        Some(format!("{place}: expected {wanted}, got {got}"))
    };
    match (expect, value) {
        (Expect::Text, Value::String(_) | Value::Null) => None,
        (Expect::RequiredText, Value::String(_)) => None,
        (Expect::Text | Expect::RequiredText, _) => here(path, "a string"),
        (Expect::Any, _) | (Expect::Number, Value::Number(_) | Value::Null) => None,
        (Expect::Number, _) => here(path, "a number"),
        (Expect::Count, Value::Null) => None,
        (Expect::Count, Value::Number(n)) if n.is_u64() => None,
        // "expected a whole number, got a number" says nothing: name it
        // (-1, 1.5, 18446744073709551616). A number's text is safe to show.
        (Expect::Count, Value::Number(n)) => {
            let place = if path.is_empty() { "the body" } else { path };
            let n = n.to_string();
            let n = super::capped::cut(&n, 32);
            Some(format!("{place}: expected a whole number, got {n}"))
        }
        (Expect::Count, _) => here(path, "a whole number"),
        (Expect::List(_), Value::Null) => None,
        (Expect::List(item), Value::Array(items)) => {
            let len = path.len();
            for (i, element) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                let found = mismatch_at(element, item, path, true);
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Expect::List(_), _) => here(path, "a list"),
        (Expect::Object(fields), Value::Object(map)) => {
            let len = path.len();
            for (name, field) in fields.iter() {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
                let found = match map.get(*name) {
                    Some(v) => mismatch_at(v, field, path, true),
                    // Only a required field may be missing.
                    None => match field {
                        Expect::RequiredText => mismatch_at(&Value::Null, field, path, false),
                        _ => None,
                    },
                };
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Expect::Object(_), _) => here(path, "an object"),
    }
}

/// A JSON value's kind, as an operator would name it.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NODE: Expect = Expect::Object(&[("instance_id", Expect::Text), ("name", Expect::Text)]);
    const DOC: Expect =
        Expect::Object(&[("id", Expect::RequiredText), ("nodes", Expect::List(&NODE))]);

    fn check(body: &str) -> Option<String> {
        first_mismatch(&serde_json::from_str(body).unwrap(), &DOC)
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
        let check = |body: &str| first_mismatch(&serde_json::from_str(body).unwrap(), &PAGE);
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

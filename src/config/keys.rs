//! The `[keys]` table: the operator's own keys, checked against the
//! binding table (`crate::keymap`) with the file's positions in errors.

use std::collections::BTreeMap;

use toml::Spanned;

use super::file::{Located, at};
use crate::keymap::{KeyOverride, Keymap};

/// `[keys]` as written: an action name and a key or a list of keys.
pub type RawKeys = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// A `[keys]` entry of the wrong type, said as every type error is.
fn not_keys(action: &str) -> String {
    super::kinds::must_be(&["keys", action])
}

/// The bindings in force: the defaults with `raw` over them. A problem
/// points at the entry's name, or at its keys when one of them is wrong.
pub fn resolve(raw: Option<RawKeys>) -> Result<Keymap, Located> {
    let Some(raw) = raw else {
        return Ok(Keymap::default());
    };
    let mut entries = Vec::with_capacity(raw.len());
    let mut overrides = Vec::with_capacity(raw.len());
    for (action, value) in raw {
        let keys = match value.get_ref() {
            toml::Value::String(key) => vec![key.clone()],
            toml::Value::Array(list) => list
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| at(&value, not_keys(action.get_ref())))?,
            _ => return Err(at(&value, not_keys(action.get_ref()))),
        };
        overrides.push(KeyOverride {
            action: action.get_ref().clone(),
            keys,
        });
        entries.push((action, value));
    }
    Keymap::with_overrides(&overrides).map_err(|e| {
        let span = entries.get(e.entry).map(|(action, value)| match e.key {
            Some(_) => value.span(),
            None => action.span(),
        });
        Located {
            span,
            message: e.message,
        }
    })
}

//! The user's `[keys]` over the defaults: each named action gets the listed
//! keys wherever it is bound. Checked here, so `config check` and the app
//! refuse the same things.

use std::collections::HashSet;

use super::{Action, Context, KeySpec, Keymap, chain, parse};

/// One `[keys]` entry as written: `copy_id = "c"` or `quit = ["q", "ctrl-q"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOverride {
    pub action: String,
    pub keys: Vec<String>,
}

/// Why the `[keys]` table was refused: which entry, which of its keys (if
/// one), and a sentence naming both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideError {
    pub entry: usize,
    pub key: Option<usize>,
    pub message: String,
}

impl Keymap {
    /// The defaults with `overrides` applied; the first problem found is
    /// returned instead.
    pub fn with_overrides(overrides: &[KeyOverride]) -> Result<Keymap, OverrideError> {
        let mut keymap = Keymap::default();
        // Which entry set each action's keys, to place a conflict.
        let mut set_by: Vec<(Action, usize, Vec<KeySpec>)> = Vec::new();
        for (entry, wanted) in overrides.iter().enumerate() {
            let fail = |key: Option<usize>, message: String| OverrideError {
                entry,
                key,
                message: format!("keys.{}: {message}", wanted.action),
            };
            let Some(action) = Action::named(&wanted.action) else {
                return Err(fail(
                    None,
                    "is not an action; `ddm-backups keys` lists them".into(),
                ));
            };
            if action.is_fixed() {
                return Err(fail(None, "cannot be rebound".into()));
            }
            let mut keys = Vec::with_capacity(wanted.keys.len() + 1);
            for (i, text) in wanted.keys.iter().enumerate() {
                let key = parse(text).map_err(|why| fail(Some(i), why))?;
                if key.is_ctrl_c() && action != Action::Quit {
                    return Err(fail(
                        Some(i),
                        "Ctrl-C always quits and cannot be rebound".into(),
                    ));
                }
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            if action == Action::Quit && !keys.iter().any(KeySpec::is_ctrl_c) {
                keys.push(KeySpec::ctrl('c'));
            }
            for binding in keymap.bindings.iter_mut().filter(|b| b.action == action) {
                binding.keys.clone_from(&keys);
            }
            set_by.push((action, entry, keys));
        }
        if let Some((entry, key, message)) = keymap.conflict(&set_by) {
            let key_index = overrides
                .get(entry)
                .and_then(|o| o.keys.iter().position(|k| parse(k).ok() == Some(key)));
            let name = overrides.get(entry).map_or("", |o| o.action.as_str());
            return Err(OverrideError {
                entry,
                key: key_index,
                message: format!("keys.{name}: {message}"),
            });
        }
        Ok(keymap)
    }

    /// A key that does two things in one place, where the user set at
    /// least one of them (the defaults' overlaps, such as Home moving the
    /// cursor while typing and the selection otherwise, are by design).
    fn conflict(
        &self,
        set_by: &[(Action, usize, Vec<KeySpec>)],
    ) -> Option<(usize, KeySpec, String)> {
        let user = |action: Action, key: KeySpec| {
            set_by
                .iter()
                .rev()
                .find(|(a, _, keys)| *a == action && keys.contains(&key))
                .map(|(_, entry, _)| *entry)
        };
        let places = [
            Context::Field,
            Context::Filter,
            Context::List,
            Context::Picker,
            Context::History,
            Context::Profiles,
            Context::Popup,
            Context::Readiness,
            Context::Save,
            Context::Password,
        ];
        for place in places {
            let mut group: Vec<Context> = Vec::new();
            for typing in [false, true] {
                for &c in chain(place, typing) {
                    if c != Context::Anywhere && !group.contains(&c) {
                        group.push(c);
                    }
                }
            }
            let mut seen: HashSet<(KeySpec, Action)> = HashSet::new();
            let bound: Vec<(KeySpec, Action)> = group
                .iter()
                .flat_map(|&c| self.of(c))
                .flat_map(|b| b.keys.iter().map(move |k| (*k, b.action)))
                .filter(|pair| seen.insert(*pair))
                .collect();
            for (i, &(key, a)) in bound.iter().enumerate() {
                for &(other_key, b) in &bound[i + 1..] {
                    if key != other_key || a == b {
                        continue;
                    }
                    let blame = match (user(a, key), user(b, key)) {
                        (None, None) => continue,
                        (x, y) => x.max(y)?,
                    };
                    return Some((
                        blame,
                        key,
                        format!(
                            "key {key} would do two things {}: {} and {}",
                            place.title(),
                            a.name(),
                            b.name()
                        ),
                    ));
                }
            }
        }
        None
    }
}

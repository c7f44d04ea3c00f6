//! Key specs: what a binding names (`ctrl-r`, `F1`, `?`), parsed from the
//! config's `[keys]` and the default table alike, and shown the one way the
//! help, the hints and the reference all use.

use std::fmt;

/// A key without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyName {
    /// A character as typed: `Y` is shifted `y`.
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
    Delete,
}

/// One key with Ctrl and Alt. Shift is part of the character (`Y`) or of
/// the key's name (`shift-tab`), as terminals report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub name: KeyName,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeySpec {
    /// The key alone.
    pub const fn plain(name: KeyName) -> Self {
        KeySpec {
            name,
            ctrl: false,
            alt: false,
        }
    }

    /// A character with Ctrl.
    pub const fn ctrl(c: char) -> Self {
        KeySpec {
            name: KeyName::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// The character this key types, if it types one (no Ctrl or Alt).
    pub fn typed(&self) -> Option<char> {
        match self.name {
            KeyName::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }

    /// Ctrl-C: always quits, whatever the config says.
    pub fn is_ctrl_c(&self) -> bool {
        *self == KeySpec::ctrl('c')
    }
}

/// Named keys: what the config may write, and the key it means.
const NAMES: &[(&str, KeyName)] = &[
    ("enter", KeyName::Enter),
    ("esc", KeyName::Esc),
    ("escape", KeyName::Esc),
    ("tab", KeyName::Tab),
    ("shift-tab", KeyName::BackTab),
    ("backtab", KeyName::BackTab),
    ("up", KeyName::Up),
    ("down", KeyName::Down),
    ("left", KeyName::Left),
    ("right", KeyName::Right),
    ("pgup", KeyName::PageUp),
    ("pageup", KeyName::PageUp),
    ("pgdn", KeyName::PageDown),
    ("pagedown", KeyName::PageDown),
    ("home", KeyName::Home),
    ("end", KeyName::End),
    ("backspace", KeyName::Backspace),
    ("del", KeyName::Delete),
    ("delete", KeyName::Delete),
    ("space", KeyName::Char(' ')),
];

/// What a key spec may be, for error messages.
pub const SPEC_HELP: &str = "a character, ctrl-x, alt-x, shift-tab, f1…f12, enter, esc, tab, \
     up/down/left/right, pgup/pgdn, home/end, backspace, del or space";

/// Parses `ctrl-r`, `alt-x`, `F5`, `pgdn`, `?`, `Y`…; the error says why not.
pub fn parse(text: &str) -> Result<KeySpec, String> {
    let mut rest = text;
    let (mut ctrl, mut alt) = (false, false);
    // `-` alone (or after a prefix) is the minus key, not a separator.
    loop {
        let lower = rest.to_ascii_lowercase();
        if lower.starts_with("ctrl-") && rest.len() > 5 {
            ctrl = true;
            rest = &rest[5..];
        } else if lower.starts_with("alt-") && rest.len() > 4 {
            alt = true;
            rest = &rest[4..];
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let name = match (chars.next(), chars.next()) {
        (None, _) => return Err(format!("{text:?} is empty; a key is {SPEC_HELP}")),
        // A format or combining character, a space or a control would be
        // invisible in the help and the hint line, or reorder the text
        // around it there.
        (Some(c), None) if !crate::terminal_text::is_visible(c) => {
            return Err(format!(
                "{text:?} is not a visible character; a key is {SPEC_HELP}"
            ));
        }
        // Terminals report Ctrl with the unshifted letter.
        (Some(c), None) if ctrl => KeyName::Char(c.to_ascii_lowercase()),
        (Some(c), None) => KeyName::Char(c),
        _ => named(rest).ok_or_else(|| format!("{text:?} is not a key; a key is {SPEC_HELP}"))?,
    };
    if name == KeyName::BackTab && (ctrl || alt) {
        return Err(format!("{text:?}: shift-tab takes no other modifier"));
    }
    Ok(KeySpec { name, ctrl, alt })
}

fn named(text: &str) -> Option<KeyName> {
    let lower = text.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix('f')
        && let Ok(n) = n.parse::<u8>()
    {
        return (1..=12).contains(&n).then_some(KeyName::F(n));
    }
    NAMES
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, key)| *key)
}

impl fmt::Display for KeySpec {
    /// `Ctrl-R`, `Alt-X`, `F1`, `Shift-Tab`, `↑`, `PgDn`, `Space`, `?`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.name {
            KeyName::Char(' ') => f.write_str("Space"),
            KeyName::Char(c) if self.ctrl => write!(f, "{}", c.to_ascii_uppercase()),
            KeyName::Char(c) => write!(f, "{c}"),
            KeyName::F(n) => write!(f, "F{n}"),
            KeyName::Enter => f.write_str("Enter"),
            KeyName::Esc => f.write_str("Esc"),
            KeyName::Tab => f.write_str("Tab"),
            KeyName::BackTab => f.write_str("Shift-Tab"),
            KeyName::Up => f.write_str("↑"),
            KeyName::Down => f.write_str("↓"),
            KeyName::Left => f.write_str("←"),
            KeyName::Right => f.write_str("→"),
            KeyName::PageUp => f.write_str("PgUp"),
            KeyName::PageDown => f.write_str("PgDn"),
            KeyName::Home => f.write_str("Home"),
            KeyName::End => f.write_str("End"),
            KeyName::Backspace => f.write_str("Backspace"),
            KeyName::Delete => f.write_str("Del"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_spec_parses_and_shows() {
        for (spec, shown) in [
            ("q", "q"),
            ("Y", "Y"),
            ("?", "?"),
            ("-", "-"),
            ("ctrl-q", "Ctrl-Q"),
            ("Ctrl-Q", "Ctrl-Q"),
            ("alt-x", "Alt-x"),
            ("ctrl--", "Ctrl--"),
            ("shift-tab", "Shift-Tab"),
            ("F1", "F1"),
            ("f12", "F12"),
            ("enter", "Enter"),
            ("ESC", "Esc"),
            ("pgdn", "PgDn"),
            ("up", "↑"),
            ("space", "Space"),
            ("é", "é"),
        ] {
            assert_eq!(
                parse(spec).map(|s| s.to_string()),
                Ok(shown.into()),
                "{spec}"
            );
        }
        assert_eq!(parse("ctrl-Q"), parse("ctrl-q"));
    }

    #[test]
    fn bad_specs_say_what_a_key_is() {
        for bad in [
            "", "f13", "f0", "ctrl-", "shift-x", "hyper-a", "pgdown2", " ", "\u{1b}",
        ] {
            let err = parse(bad).expect_err(bad);
            assert!(
                err.contains("a key is") || err.contains("ctrl-"),
                "{bad}: {err}"
            );
        }
        assert!(parse("ctrl-shift-tab").is_err());
    }
}

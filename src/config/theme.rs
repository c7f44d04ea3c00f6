//! The `[theme]` table: which colour each part of the UI takes. Plain data:
//! the TUI turns it into styles, so this layer knows nothing of terminals.

use std::collections::BTreeMap;

use toml::Spanned;

use super::file::{Located, at};

/// A part of the UI that takes a colour of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The focused field and pane, the header bar.
    Accent,
    /// Success: a valid field, a finished lookup.
    Ok,
    /// Warnings: a cancelled lookup, notices.
    Warn,
    /// Errors (always also bold and marked with ✗).
    Error,
    /// Secondary text: labels, hints, placeholders.
    Dim,
    /// The selected row's bar (it is drawn reversed).
    Selection,
    /// The borders of panes without focus.
    Border,
    /// Key names in hints and help.
    Key,
}

impl Role {
    /// Every role, in the order the documentation lists them.
    pub const ALL: [Role; 8] = [
        Role::Accent,
        Role::Ok,
        Role::Warn,
        Role::Error,
        Role::Dim,
        Role::Selection,
        Role::Border,
        Role::Key,
    ];

    /// The role's key in `[theme]`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Accent => "accent",
            Role::Ok => "ok",
            Role::Warn => "warn",
            Role::Error => "error",
            Role::Dim => "dim",
            Role::Selection => "selection",
            Role::Border => "border",
            Role::Key => "key",
        }
    }

    fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// A colour as the config file gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSpec {
    /// `"default"`: the terminal's own colour, i.e. none is set.
    Default,
    /// One of the 16 named ANSI colours, by palette number (0-7, 8-15 for
    /// the bright ones). Kept apart from `Indexed` because names are sent
    /// as the basic SGR codes, which 16-colour terminals also understand.
    Ansi(u8),
    /// An entry of the 256-colour palette.
    Indexed(u8),
    /// `#rrggbb`.
    Rgb(u8, u8, u8),
}

/// The colour names, by palette number; `bright-` (or `bright_`) before a
/// name gives the number plus 8.
pub const ANSI_NAMES: [&str; 8] = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
];

impl ColorSpec {
    /// Reads a name, `default`, an index written as text, or `#rrggbb`;
    /// case does not matter.
    pub fn parse(text: &str) -> Result<ColorSpec, String> {
        let lower = text.trim().to_ascii_lowercase();
        if lower == "default" {
            return Ok(ColorSpec::Default);
        }
        if let Some(hex) = lower.strip_prefix('#') {
            return parse_hex(hex)
                .ok_or_else(|| format!("{text:?} is not a colour: #rrggbb needs six hex digits"));
        }
        if !lower.is_empty() && lower.bytes().all(|b| b.is_ascii_digit()) {
            return lower
                .parse::<u8>()
                .map(ColorSpec::Indexed)
                .map_err(|_| format!("{} is not a colour index: use 0..=255", text.trim()));
        }
        let (base, bright) = match lower
            .strip_prefix("bright-")
            .or_else(|| lower.strip_prefix("bright_"))
        {
            Some(base) => (base, 8),
            None => (lower.as_str(), 0),
        };
        match ANSI_NAMES.iter().position(|&n| n == base) {
            // The position is below 8, so the number fits.
            Some(n) => Ok(ColorSpec::Ansi(n as u8 + bright)),
            None => Err(format!(
                "{text:?} is not a colour: use a name ({}, bright-red…, default), \
                 an index 0..=255 or \"#rrggbb\"",
                ANSI_NAMES.join(", ")
            )),
        }
    }

    /// A 256-colour palette index.
    pub fn index(n: i64) -> Result<ColorSpec, String> {
        u8::try_from(n)
            .map(ColorSpec::Indexed)
            .map_err(|_| format!("{n} is not a colour index: use 0..=255"))
    }
}

fn parse_hex(hex: &str) -> Option<ColorSpec> {
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    Some(ColorSpec::Rgb(byte(0)?, byte(2)?, byte(4)?))
}

/// The colours the user chose; a role left out keeps the app's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeColors {
    chosen: BTreeMap<Role, ColorSpec>,
}

impl ThemeColors {
    /// The user's colour for `role`, if they chose one.
    pub fn get(&self, role: Role) -> Option<ColorSpec> {
        self.chosen.get(&role).copied()
    }

    /// Sets `role`'s colour (for tests and callers that build a theme).
    pub fn with(mut self, role: Role, color: ColorSpec) -> Self {
        self.chosen.insert(role, color);
        self
    }
}

/// `[theme]` as read: spans kept on keys and values so that an error can
/// point at the one that is wrong.
pub(super) type RawTheme = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// Checks every role name and colour of `[theme]`.
pub(super) fn validate(raw: RawTheme) -> Result<ThemeColors, Located> {
    let mut colors = ThemeColors::default();
    for (key, value) in raw {
        let role = Role::from_name(key.get_ref()).ok_or_else(|| {
            let roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            at(
                &key,
                format!(
                    "theme: unknown role {:?} (roles: {})",
                    key.get_ref(),
                    roles.join(", ")
                ),
            )
        })?;
        let spec = match value.get_ref() {
            toml::Value::String(text) => ColorSpec::parse(text),
            toml::Value::Integer(n) => ColorSpec::index(*n),
            // The wrong type is said as every type error is.
            _ => return Err(at(&value, super::kinds::must_be(&["theme", role.name()]))),
        }
        .map_err(|why| at(&value, format!("theme.{}: {why}", role.name())))?;
        colors.chosen.insert(role, spec);
    }
    Ok(colors)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::config::{Location, load};

    /// A valid file with `theme` as its `[theme]` table.
    const PROFILE: &str = "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\n\
                           auth = { type = \"token\", token_env = \"T\" }\n";

    fn load_theme(theme: &str) -> Result<ThemeColors, String> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        write!(f, "{PROFILE}[theme]\n{theme}").unwrap();
        load(&Location {
            path: f.path().to_path_buf(),
            origin: "test",
        })
        .map(|c| c.ui.theme)
        .map_err(|e| e.to_string())
    }

    #[test]
    fn names_indexes_and_hex_parse_in_any_case() {
        let theme = load_theme(
            "accent = \"Magenta\"\nok = \"bright-green\"\nwarn = 130\nerror = \"#C0ffee\"\n\
             dim = \"BRIGHT_BLACK\"\nselection = \"default\"\nborder = \"244\"\nkey = \"white\"\n",
        )
        .unwrap();
        let expected = [
            (Role::Accent, ColorSpec::Ansi(5)),
            (Role::Ok, ColorSpec::Ansi(10)),
            (Role::Warn, ColorSpec::Indexed(130)),
            (Role::Error, ColorSpec::Rgb(0xc0, 0xff, 0xee)),
            (Role::Dim, ColorSpec::Ansi(8)),
            (Role::Selection, ColorSpec::Default),
            (Role::Border, ColorSpec::Indexed(244)),
            (Role::Key, ColorSpec::Ansi(7)),
        ];
        for (role, spec) in expected {
            assert_eq!(theme.get(role), Some(spec), "{role:?}");
        }
    }

    #[test]
    fn roles_left_out_keep_their_defaults() {
        let theme = load_theme("error = \"red\"\n").unwrap();
        assert_eq!(theme.get(Role::Error), Some(ColorSpec::Ansi(1)));
        assert_eq!(theme.get(Role::Ok), None);
        assert_eq!(load_theme("").unwrap(), ThemeColors::default());
    }

    #[test]
    fn an_unknown_role_names_file_line_and_key() {
        let err = load_theme("ok = \"green\"\nerrors = \"red\"\n").unwrap_err();
        assert!(err.contains(".tmp"), "{err}");
        assert!(err.contains(":7:1: "), "{err}");
        assert!(err.contains("unknown role \"errors\""), "{err}");
        assert!(err.contains("accent, ok, warn"), "{err}");
    }

    #[test]
    fn a_bad_colour_names_file_line_and_key() {
        let cases = [
            (
                "error = \"#12345\"\n",
                ":6:9: ",
                "theme.error: \"#12345\" is not a colour",
            ),
            ("warn = \"#12345g\"\n", ":6:8: ", "six hex digits"),
            (
                "dim = 300\n",
                ":6:7: ",
                "theme.dim: 300 is not a colour index",
            ),
            ("dim = \"300\"\n", ":6:7: ", "300 is not a colour index"),
            ("dim = -1\n", ":6:7: ", "-1 is not a colour index"),
            (
                "key = \"chartreuse\"\n",
                ":6:7: ",
                "theme.key: \"chartreuse\" is not a colour",
            ),
            ("key = \"bright-\"\n", ":6:7: ", "is not a colour"),
            ("key = \"\"\n", ":6:7: ", "is not a colour"),
            (
                "border = true\n",
                ":6:10: ",
                "theme.border must be a colour: a name, an index from 0 to 255 or \"#rrggbb\", like \"magenta\"",
            ),
        ];
        for (line, position, message) in cases {
            let err = load_theme(line).unwrap_err();
            assert!(err.contains(".tmp"), "{err}");
            assert!(err.contains(position), "{position} in {err}");
            assert!(err.contains(message), "{message} in {err}");
        }
    }

    #[test]
    fn every_ansi_name_has_its_palette_number() {
        for (n, name) in ANSI_NAMES.iter().enumerate() {
            assert_eq!(ColorSpec::parse(name), Ok(ColorSpec::Ansi(n as u8)));
            let bright = format!("bright-{name}");
            assert_eq!(ColorSpec::parse(&bright), Ok(ColorSpec::Ansi(n as u8 + 8)));
        }
        assert_eq!(ColorSpec::parse("255"), Ok(ColorSpec::Indexed(255)));
        assert!(ColorSpec::parse("99999999999999999999999").is_err());
    }
}

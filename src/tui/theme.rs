//! Styles. Meaning never rests on colour alone: errors are bold and marked
//! with ✗, the selection is reversed and marked with ▶, focus is bold with a
//! ▸ marker. Under NO_COLOR the colours go and the rest stays.
//!
//! Each style belongs to a role of `[theme]`; the user's colours replace the
//! defaults role by role. The defaults are the six base ANSI colours, which a
//! terminal's own theme keeps readable on its background, or no colour at
//! all; never palette colour 8 (bright black), which some dark themes draw
//! in the background's own colour, nor white or black text on the
//! terminal's background, one of which is always invisible.

use ratatui::style::{Color, Modifier, Style};

use crate::config::{ColorSpec, Role, ThemeColors};

/// True unless NO_COLOR is set to a non-empty value (no-color.org).
pub fn color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The colour a role has when the user chose none.
fn default_color(role: Role) -> Option<Color> {
    match role {
        Role::Accent | Role::Key => Some(Color::Cyan),
        Role::Ok => Some(Color::Green),
        Role::Warn => Some(Color::Yellow),
        Role::Error => Some(Color::Red),
        // Faint default text reads on any background; a fixed grey does not.
        Role::Dim | Role::Border => None,
        // Reverse video alone is the most legible highlight everywhere.
        Role::Selection => None,
    }
}

/// A config colour as the terminal is told it.
fn to_color(spec: ColorSpec) -> Option<Color> {
    const ANSI: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match spec {
        ColorSpec::Default => None,
        // Config only makes numbers 0..=15 here; anything else is a plain index.
        ColorSpec::Ansi(n) => Some(
            ANSI.get(usize::from(n))
                .copied()
                .unwrap_or(Color::Indexed(n)),
        ),
        ColorSpec::Indexed(n) => Some(Color::Indexed(n)),
        ColorSpec::Rgb(r, g, b) => Some(Color::Rgb(r, g, b)),
    }
}

/// The styles for one colour setting and one set of role colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
    /// Indexed like `Role::ALL`; `None` is the terminal's own colour.
    colors: [Option<Color>; Role::ALL.len()],
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(true)
    }
}

impl Theme {
    /// The default colours (or none, when `color` is false).
    pub fn new(color: bool) -> Self {
        Theme::with_colors(&ThemeColors::default(), color)
    }

    /// The defaults overlaid by the user's `[theme]`. NO_COLOR (`color`
    /// false) still wins over the user's colours.
    pub fn with_colors(user: &ThemeColors, color: bool) -> Self {
        let colors = Role::ALL.map(|role| match user.get(role) {
            Some(spec) => to_color(spec),
            None => default_color(role),
        });
        Theme { color, colors }
    }

    /// The role's colour, if colours are on and it has one.
    fn color_of(self, role: Role) -> Option<Color> {
        if !self.color {
            return None;
        }
        Role::ALL
            .iter()
            .position(|&r| r == role)
            .and_then(|i| self.colors.get(i).copied().flatten())
    }

    fn fg(self, role: Role) -> Style {
        match self.color_of(role) {
            Some(color) => Style::new().fg(color),
            None => Style::new(),
        }
    }

    /// A role's own style; the other styles below are built on these.
    pub fn role(self, role: Role) -> Style {
        match role {
            Role::Accent => self.fg(role).add_modifier(Modifier::BOLD),
            Role::Ok | Role::Warn => self.fg(role),
            Role::Error => self.fg(role).add_modifier(Modifier::BOLD),
            // Faint when no colour says "secondary" (and under NO_COLOR).
            Role::Dim | Role::Border => match self.color_of(role) {
                Some(color) => Style::new().fg(color),
                None => Style::new().add_modifier(Modifier::DIM),
            },
            // Reversed, the foreground colour becomes the bar's colour and
            // the text takes the terminal's background colour.
            Role::Selection => self
                .fg(role)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD),
            Role::Key => self.fg(role).add_modifier(Modifier::BOLD),
        }
    }

    /// Errors and invalid input.
    pub fn error(self) -> Style {
        self.role(Role::Error)
    }

    /// How a status's colour role looks: healthy green, failed red, busy
    /// yellow. Here, below both the layout and the drawing, so every
    /// status is coloured alike.
    pub fn status(self, role: crate::shown::status::Role) -> Style {
        use crate::shown::status::Role as S;
        match role {
            S::Ok => self.ok(),
            S::Bad => self.error(),
            S::Busy => self.warn(),
            S::Plain => Style::new(),
        }
    }

    /// A successful lookup, a valid field.
    pub fn ok(self) -> Style {
        self.role(Role::Ok)
    }

    /// Warnings: cancelled lookups, notices.
    pub fn warn(self) -> Style {
        self.role(Role::Warn)
    }

    /// Secondary text: labels, hints, placeholders.
    pub fn dim(self) -> Style {
        self.role(Role::Dim)
    }

    /// The border of a pane without focus.
    pub fn border(self) -> Style {
        self.role(Role::Border)
    }

    /// The focused field's label and the focused pane's border.
    pub fn focus(self) -> Style {
        self.role(Role::Accent)
    }

    /// The text inside an input box.
    pub fn input(self) -> Style {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }

    /// The selected list row.
    pub fn selected(self) -> Style {
        self.role(Role::Selection)
    }

    /// Key names in the hint line and help.
    pub fn key(self) -> Style {
        self.role(Role::Key)
    }

    /// The text a search matched in a result: underlined as well as
    /// coloured, so it shows without colour too.
    pub fn matched(self) -> Style {
        self.key().add_modifier(Modifier::UNDERLINED)
    }

    /// Titles and headings.
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The header line: a bar in the accent colour. Its text is black, which
    /// reads on the default cyan and on any light accent; without an accent
    /// colour the bar is reverse video instead.
    pub fn header(self) -> Style {
        match self.color_of(Role::Accent) {
            Some(accent) => Style::new().fg(Color::Black).bg(accent),
            None => Style::new().add_modifier(Modifier::REVERSED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every style the UI draws with, named for failure messages.
    fn every_style(theme: Theme) -> Vec<(String, Style)> {
        let mut styles: Vec<(String, Style)> = Role::ALL
            .iter()
            .map(|&r| (r.name().to_string(), theme.role(r)))
            .collect();
        styles.extend([
            ("input".to_string(), theme.input()),
            ("title".to_string(), theme.title()),
            ("header".to_string(), theme.header()),
        ]);
        styles
    }

    fn all_roles(spec: ColorSpec) -> ThemeColors {
        Role::ALL
            .iter()
            .fold(ThemeColors::default(), |t, &r| t.with(r, spec))
    }

    #[test]
    fn a_user_colour_replaces_the_default_of_its_role_only() {
        let user = ThemeColors::default()
            .with(Role::Error, ColorSpec::Rgb(0xc0, 0x10, 0x20))
            .with(Role::Key, ColorSpec::Ansi(13))
            .with(Role::Dim, ColorSpec::Indexed(242));
        let theme = Theme::with_colors(&user, true);
        assert_eq!(theme.error().fg, Some(Color::Rgb(0xc0, 0x10, 0x20)));
        assert!(theme.error().add_modifier.contains(Modifier::BOLD));
        assert_eq!(theme.key().fg, Some(Color::LightMagenta));
        // A chosen dim colour replaces the faint look rather than adding to it.
        assert_eq!(theme.dim(), Style::new().fg(Color::Indexed(242)));
        // Roles left out keep their defaults.
        assert_eq!(theme.ok(), Theme::new(true).ok());
        assert_eq!(theme.focus(), Theme::new(true).focus());
    }

    #[test]
    fn default_removes_a_roles_colour_but_not_its_marking() {
        let theme = Theme::with_colors(&all_roles(ColorSpec::Default), true);
        for (name, style) in every_style(theme) {
            assert_eq!((style.fg, style.bg), (None, None), "{name}");
        }
        assert!(theme.error().add_modifier.contains(Modifier::BOLD));
        assert_eq!(
            theme.header().add_modifier,
            Modifier::REVERSED,
            "the header stays a bar"
        );
    }

    #[test]
    fn no_color_drops_every_colour_and_keeps_every_modifier() {
        let specs = [
            ColorSpec::Ansi(1),
            ColorSpec::Indexed(200),
            ColorSpec::Rgb(1, 2, 3),
        ];
        for spec in specs {
            let user = all_roles(spec);
            let colored = every_style(Theme::with_colors(&user, true));
            let plain = every_style(Theme::with_colors(&user, false));
            for ((name, with), (_, without)) in colored.iter().zip(&plain) {
                assert_eq!((without.fg, without.bg), (None, None), "{name} {spec:?}");
                assert!(
                    without.add_modifier.contains(with.add_modifier),
                    "{name} {spec:?}: {without:?} lost a modifier of {with:?}"
                );
            }
        }
        // What colour said, a modifier says instead.
        let plain = Theme::new(false);
        assert!(plain.dim().add_modifier.contains(Modifier::DIM));
        assert!(plain.border().add_modifier.contains(Modifier::DIM));
        assert!(plain.header().add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn no_default_style_uses_bright_black_or_bare_black_or_white() {
        for (name, style) in every_style(Theme::new(true)) {
            for color in [style.fg, style.bg].into_iter().flatten() {
                assert!(
                    !matches!(color, Color::DarkGray | Color::Indexed(8)),
                    "{name} uses palette colour 8"
                );
            }
            // Black or white text is invisible on one of the two
            // backgrounds unless the style brings its own background.
            if matches!(
                style.fg,
                Some(Color::Black | Color::White | Color::Gray | Color::Indexed(0 | 7 | 15))
            ) {
                assert!(style.bg.is_some(), "{name} has bare black or white text");
            }
        }
    }

    #[test]
    fn meaning_survives_without_colour() {
        let plain = Theme::new(false);
        assert!(plain.error().add_modifier.contains(Modifier::BOLD));
        assert!(plain.focus().add_modifier.contains(Modifier::BOLD));
        assert!(plain.key().add_modifier.contains(Modifier::BOLD));
        assert!(
            plain
                .selected()
                .add_modifier
                .contains(Modifier::REVERSED | Modifier::BOLD)
        );
    }

    #[test]
    fn names_map_to_their_ansi_colours() {
        assert_eq!(to_color(ColorSpec::Ansi(1)), Some(Color::Red));
        assert_eq!(to_color(ColorSpec::Ansi(7)), Some(Color::Gray));
        assert_eq!(to_color(ColorSpec::Ansi(8)), Some(Color::DarkGray));
        assert_eq!(to_color(ColorSpec::Ansi(15)), Some(Color::White));
        assert_eq!(to_color(ColorSpec::Indexed(8)), Some(Color::Indexed(8)));
        assert_eq!(to_color(ColorSpec::Default), None);
    }
}

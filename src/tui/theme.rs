//! Styles. Meaning never rests on colour alone: errors are bold and marked
//! with ✗, the selection is reversed and marked with ▶, focus is bold with a
//! ▸ marker. Under NO_COLOR the colours go and the rest stays.

use ratatui::style::{Color, Modifier, Style};

/// True unless NO_COLOR is set to a non-empty value (no-color.org).
pub fn color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The styles for one colour setting.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// Errors and invalid input.
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// A successful lookup, a valid field.
    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }

    /// Warnings: cancelled lookups, notices.
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    /// Secondary text: labels, hints, placeholders.
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// The focused field's label and the focused pane's border.
    pub fn focus(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The text inside an input box.
    pub fn input(self) -> Style {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }

    /// The selected list row.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Key names in the hint line and help.
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Titles and headings.
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The header line.
    pub fn header(self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
}

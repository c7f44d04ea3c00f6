//! The status bar: the line `layout::status` words, cut to the screen,
//! with the key that opens the messages when a kept one is cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::keymap::{Action, Context, KeySpec};

use super::super::app::App;
use super::super::layout::status::spans;
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

// The formats other views share, where they have always found them.
pub use super::super::layout::status::{duration, spinner};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let (spans, kept) = spans(app, theme);
    let keep = kept.is_some();
    let width = usize::from(area.width);
    let total: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let line = match open_messages_key(app) {
        // A kept message that does not fit says how to read it whole.
        Some(key) if keep && total > width => {
            let marker = format!("… {key}");
            let room = width.saturating_sub(text::width(&marker));
            let mut line = cut_spans(spans, room);
            line.push_span(Span::styled(marker, theme.key()));
            line
        }
        _ => fit_spans(spans, width),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The first key that opens the messages overlay from where the keys go
/// now: in a text field a character key would be typed, so none is named
/// there unless one with Ctrl or a function key is bound.
fn open_messages_key(app: &App) -> Option<KeySpec> {
    app.keys
        .keys_at(Context::Anywhere, app.typing(), Action::Messages)
        .first()
        .copied()
}

/// `spans` cut to `width` cells without a `…` of their own (the caller
/// adds the marker).
fn cut_spans(spans: Vec<Span<'static>>, width: usize) -> ratatui::text::Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let part = text::cut(&span.content, width - used);
        used += text::width(&part);
        let whole = part.len() == span.content.len();
        out.push(Span::styled(part, span.style));
        if !whole {
            break;
        }
    }
    ratatui::text::Line::from(out)
}

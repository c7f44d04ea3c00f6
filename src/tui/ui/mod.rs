//! Drawing: a pure function of `&App`. Nothing here changes state or does
//! I/O, so a frame can be snapshot-tested from a hand-built `App`.

pub mod detail;
mod find;
mod form;
mod health;
mod health_chart;
mod hint;
mod history;
mod list;
mod picker;
pub mod popup;
pub mod readiness;
pub mod status;
mod switcher;
mod table;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::app::App;
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::overlay::{Overlay, registry};
use super::text;
use super::theme::Theme;

// Built by the layout layer, which state shares; drawn here.
pub(super) use super::layout::fit_spans;

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = app.theme;
    let Some(areas) = layout::areas_with(area, layout::detail::wanted_lines(app)) else {
        too_small(frame, area, theme);
        return;
    };
    header(frame, areas.header, app, theme);
    form::render(frame, &areas, app, theme);
    detail::render(frame, areas.detail, areas.roomy, app, theme);
    list::render(frame, &areas, app, theme);
    status::render(frame, areas.status, app, theme);
    hint::render(frame, areas.hint, app, theme);
    // Bottom-up: the overlay in front is drawn last, never over the
    // status bar and hints.
    let at = Places {
        browser: areas.browser,
        above: layout::overlay_area(area),
    };
    for overlay in app.overlays.iter() {
        draw_overlay(frame, &at, app, overlay, theme);
    }
    seal_wide_glyphs(frame.buffer_mut());
}

/// Where an overlay may open.
pub(super) struct Places {
    /// Between the header and the status bar: the pickers, the history,
    /// Find and the readiness view.
    pub browser: Rect,
    /// Everything above the status bar and the hint line, which stay
    /// readable under popups and the switcher.
    pub above: Rect,
}

/// How an overlay is drawn: one impl beside each overlay's drawing.
pub(super) trait Draw {
    fn draw(&self, frame: &mut Frame, at: &Places, app: &App, theme: Theme);
}

macro_rules! draw_each {
    ($($(#[$doc:meta])* $name:ident($ty:ty),)*) => {
        /// Draws one overlay, whichever it is.
        fn draw_overlay(frame: &mut Frame, at: &Places, app: &App, overlay: &Overlay, theme: Theme) {
            match overlay {
                $(Overlay::$name(open) => open.draw(frame, at, app, theme),)*
            }
        }
    };
}

registry!(draw_each);

/// Blanks every wide glyph whose second cell was drawn over later (an
/// overlay's border beside a CJK name): a terminal would draw the glyph
/// across that cell and the border would be lost, or leave a stray half.
/// What is drawn later is in front, so the glyph gives way.
fn seal_wide_glyphs(buf: &mut ratatui::buffer::Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if text::width(buf[(x, y)].symbol()) < 2 {
                continue;
            }
            let hidden_cell_drawn =
                x + 1 >= area.right() || !matches!(buf[(x + 1, y)].symbol(), " " | "");
            if hidden_cell_drawn {
                buf[(x, y)].set_symbol(" ");
            }
        }
    }
}

fn header(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let p = app.profile();
    let text = format!(
        " ddm-backups {} │ profile {} │ {} │ {}",
        app.version, p.name, p.region, p.endpoint_host
    );
    let line = Line::from(text::fit(&text, usize::from(area.width)));
    frame.render_widget(Paragraph::new(line).style(theme.header()), area);
}

fn too_small(frame: &mut Frame, area: Rect, theme: Theme) {
    let message = format!(
        "Terminal too small: {}x{}. ddm-backups needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window; Ctrl-C quits.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(message)
            .style(theme.title())
            .wrap(Wrap { trim: true }),
        area,
    );
}

//! The readiness view, drawn where the pickers open: the box, its body
//! from the scroll on, and the footer, as `layout::readiness` lays them
//! out.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::keymap::{Action, Context};

use super::super::app::App;
use super::super::layout::readiness::shown_geometry;
use super::super::readiness::ReadinessView;
use super::super::text;
use super::super::theme::Theme;
use super::{Draw, Places, fit_spans};

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &ReadinessView, theme: Theme) {
    let (g, scroll) = shown_geometry(app, view, area);
    let total = g.body.total;
    let mut title = format!(" Restore readiness · {} ", view.report.backup_id);
    if let Some(name) = view.name() {
        title = format!(" Restore readiness · {name} ({}) ", view.report.backup_id);
    }
    let mut block = Block::bordered()
        .border_style(theme.focus())
        .title(fit_spans(
            vec![Span::styled(text::sanitize(&title), theme.title())],
            g.width,
        ));
    if total > g.body_height {
        let last = (scroll + g.body_height).min(total);
        // At the end there is nothing more below to page to.
        let page = app
            .keys
            .keys_at(Context::Readiness, false, Action::PageDown)
            .first()
            .filter(|_| last < total)
            .map(|k| format!(" · {k} more"))
            .unwrap_or_default();
        let said = format!(" {}-{last}/{total}{page} ", scroll + 1);
        if text::width(&said) + 2 <= g.width {
            block = block.title_bottom(Line::styled(said, theme.dim()).right_aligned());
        }
    }
    frame.render_widget(Clear, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Built from `scroll` on.
    let shown: Vec<Line> = g.body.lines.into_iter().take(g.body_height).collect();
    let body_area = Rect {
        height: u16::try_from(g.body_height).unwrap_or(0).min(inner.height),
        ..inner
    };
    frame.render_widget(Paragraph::new(shown), body_area);
    let footer_area = Rect {
        y: body_area.bottom(),
        height: inner.height.saturating_sub(body_area.height),
        ..inner
    };
    frame.render_widget(Paragraph::new(g.footer), footer_area);
}

impl Draw for ReadinessView {
    fn draw(&self, frame: &mut Frame, at: &Places, app: &App, theme: Theme) {
        render(frame, at.browser, app, self, theme);
    }
}

//! `v` in the Health view: the selected instance's backup sizes over the
//! window, a bar per UTC day (the day's newest normal backup) against a
//! size axis, a failed day marked `×` and a missed one `·` on the time
//! axis, where its bar would stand. Drawn cell by cell, so it reads the
//! same at 40x12 as at 200x60.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use super::super::app::App;
use super::super::health::HealthView;
use super::super::layout::health::{
    BLOCKS, Day, FAILED, MAKING, MISSED, days, eighths, shown_name,
};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;
use crate::api::Bytes;
use crate::shown;

/// The most cells a day's slot takes: wider bars say nothing more.
const MAX_SLOT: usize = 8;

/// The tallest plot drawn, in lines.
const MAX_PLOT: u16 = 20;

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &HealthView, theme: Theme) {
    let Some(row) = view.selected_row(app.fleet()) else {
        let line = fit_spans(
            vec![Span::styled("No instance selected", theme.dim())],
            usize::from(area.width),
        );
        frame
            .buffer_mut()
            .set_line(area.x, area.y, &line, area.width);
        return;
    };
    // A plot needs a line above its axis: with less, drawing would spill
    // onto the view's border.
    if area.height < 2 {
        return;
    }
    let r = &row.report;
    let all = days(r, row.at);
    // Lines: title and legend when there is room; the axis and its dates
    // always; the plot whatever is left.
    let titled = area.height >= 5;
    let legend = area.height >= 8;
    let dated = area.height >= 4;
    let chrome = u16::from(titled) + u16::from(legend) + 1 + u16::from(dated);
    let plot_h = area.height.saturating_sub(chrome).clamp(1, MAX_PLOT);
    let mut y = area.y;
    let buf = frame.buffer_mut();
    if titled {
        let name = shown_name(&r.instance_name);
        let span = match (all.first(), all.last()) {
            (Some(a), Some(b)) => format!(
                " · sizes per UTC day, {} to {}",
                shown::time::month_day(a.date),
                shown::time::month_day(b.date)
            ),
            _ => String::new(),
        };
        let line = fit_spans(
            vec![
                Span::styled(text::sanitize(name), theme.title()),
                Span::styled(
                    format!(" ({})", text::sanitize(&r.instance_id)),
                    theme.dim(),
                ),
                Span::raw(span),
            ],
            usize::from(area.width),
        );
        buf.set_line(area.x, y, &line, area.width);
        y += 1;
    }
    let max = all.iter().filter_map(|d| d.size).max().unwrap_or(0);
    let top = shown::size::bytes(Bytes(max));
    let zero = shown::size::bytes(Bytes(0));
    let mid_row = (plot_h >= 4).then_some(plot_h / 2);
    let mid = mid_row
        .map(|r| edge(max, plot_h, r))
        .map(|b| shown::size::bytes(Bytes(b)));
    let label_w = [Some(&top), Some(&zero), mid.as_ref()]
        .into_iter()
        .flatten()
        .map(|s| text::width(s))
        .max()
        .unwrap_or(0);
    let label_w = u16::try_from(label_w).unwrap_or(0).min(area.width / 3);
    let axis_x = area.x + label_w;
    let plot_x = axis_x + 1;
    let plot_w = usize::from(area.right().saturating_sub(plot_x));
    if plot_w == 0 {
        return;
    }
    // The newest days when the window is wider than the screen.
    let shown_days = &all[all.len().saturating_sub(plot_w)..];
    let slot = (plot_w / shown_days.len().max(1)).clamp(1, MAX_SLOT);
    let bar = if slot >= 3 { slot - 1 } else { 1 };
    let label = |buf: &mut ratatui::buffer::Buffer, y: u16, s: &str, mark: &str| {
        let cut = text::fit(s, usize::from(label_w));
        let pad = usize::from(label_w).saturating_sub(text::width(&cut));
        buf.set_string(area.x + pad as u16, y, cut, theme.dim());
        buf.set_string(axis_x, y, mark, theme.dim());
    };
    for r in 0..plot_h {
        let line_y = y + r;
        match (r, mid_row) {
            (0, _) => label(buf, line_y, &top, "┤"),
            (r, Some(m)) if r == m => label(buf, line_y, mid.as_deref().unwrap_or(""), "┤"),
            _ => label(buf, line_y, "", "│"),
        }
    }
    let base = y + plot_h;
    label(buf, base, &zero, "└");
    for (n, day) in shown_days.iter().enumerate() {
        let x = plot_x + u16::try_from(n * slot).unwrap_or(u16::MAX);
        if x >= area.right() {
            break;
        }
        let width = u16::try_from(bar).unwrap_or(1).min(area.right() - x);
        bars(buf, x, width, y, plot_h, day, max, theme);
        for dx in 0..u16::try_from(slot).unwrap_or(1).min(area.right() - x) {
            buf.set_string(x + dx, base, "─", theme.dim());
        }
        let (mark, style) = axis_mark(day, theme);
        if let Some(mark) = mark
            && let Some(cell) = buf.cell_mut((x + (width - 1) / 2, base))
        {
            cell.set_char(mark).set_style(style);
        }
        if dated && slot >= 3 {
            let day_n = format!("{:>w$}", day.date.day(), w = usize::from(width).min(2));
            buf.set_stringn(x, base + 1, day_n, usize::from(width), theme.dim());
        }
    }
    if dated && slot < 3 {
        // Too narrow for a label per day: the first and last days.
        let (Some(first), Some(last)) = (shown_days.first(), shown_days.last()) else {
            return;
        };
        let (a, b) = (
            shown::time::month_day(first.date),
            shown::time::month_day(last.date),
        );
        let room = area.right().saturating_sub(plot_x);
        if text::width(&a) + text::width(&b) < usize::from(room) {
            buf.set_string(plot_x, base + 1, &a, theme.dim());
        }
        let bx = area.right().saturating_sub(text::width(&b) as u16);
        buf.set_string(bx.max(plot_x), base + 1, &b, theme.dim());
    }
    if legend {
        let line = fit_spans(
            vec![
                Span::raw("█"),
                Span::styled(" the day's newest normal backup  ", theme.dim()),
                Span::styled(FAILED.to_string(), theme.error()),
                Span::styled(" failed  ", theme.dim()),
                Span::styled(MISSED.to_string(), theme.warn()),
                Span::styled(" missed (no backup)  ? no size", theme.dim()),
            ],
            usize::from(area.width),
        );
        buf.set_line(area.x, base + 1 + u16::from(dated), &line, area.width);
    }
}

/// The size at the top edge of plot line `r` (0 the top) of `lines`.
fn edge(max: u64, lines: u16, r: u16) -> u64 {
    let v = u128::from(max) * u128::from(lines - r) / u128::from(lines.max(1));
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// One day's bar: as many eighths of the plot's lines as its size is of
/// the window's largest (at least one, so a small backup still shows).
#[allow(clippy::too_many_arguments)]
fn bars(
    buf: &mut ratatui::buffer::Buffer,
    x: u16,
    width: u16,
    top: u16,
    lines: u16,
    day: &Day,
    max: u64,
    theme: Theme,
) {
    let Some(size) = day.size.filter(|_| max > 0) else {
        if day.normal {
            // A normal backup that did not say its size.
            buf.set_string(x, top + lines - 1, "?", theme.dim());
        }
        return;
    };
    let eighths = eighths(size, max, lines);
    for r in 0..lines {
        let from_bottom = u64::from(r) * 8;
        let filled = eighths.saturating_sub(from_bottom).min(8);
        if filled == 0 {
            break;
        }
        let y = top + lines - 1 - r;
        for dx in 0..width {
            if let Some(cell) = buf.cell_mut((x + dx, y)) {
                cell.set_char(BLOCKS[filled as usize - 1])
                    .set_style(Style::new());
            }
        }
    }
}

/// What the time axis shows under a day: `×` a failure that day, `·` a
/// missed day, `◷` one whose only backup is still being made.
fn axis_mark(day: &Day, theme: Theme) -> (Option<char>, Style) {
    if day.failed {
        (Some(FAILED), theme.error())
    } else if day.missed {
        (Some(MISSED), theme.warn())
    } else if day.any && !day.normal {
        (Some(MAKING), theme.warn())
    } else {
        (None, Style::new())
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::layout::Rect;

    use crate::tui::test_support::{health_loaded, screen};
    use crate::tui::theme::Theme;

    /// Squeezed to one line, the chart draws nothing rather than a plot
    /// and an axis that spill onto the lines around it.
    #[test]
    fn a_chart_one_line_tall_draws_nothing_outside_it() {
        let app = health_loaded();
        let view = app.health().expect("open");
        let mut terminal = Terminal::new(TestBackend::new(40, 3)).expect("terminal");
        terminal
            .draw(|f| super::render(f, Rect::new(0, 1, 40, 1), &app, view, Theme::default()))
            .expect("draw");
        let drawn = screen(terminal.backend().buffer());
        assert!(drawn.trim().is_empty(), "{drawn:?}");
    }
}

//! A bordered table that opens over the form and list: the pickers and the
//! history use it. Which columns fit and how wide each is are the layout
//! layer's (`layout::table`); only the rows on screen are drawn.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::super::input::TextField;
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

// The column layout, where the drawing's callers have always found it.
pub use super::super::layout::table::{
    Column, GAP, MARK, cut_apart, fit_to_rows, heading_spans, layout,
};

/// A table's title, followed by ` /filter ` while one is typed or
/// ` filter: text ` while one is kept in force, and where the filter's
/// cursor goes while typing.
pub fn title_with_filter(
    title: String,
    filter: &TextField,
    typing: bool,
    area: Rect,
    theme: Theme,
) -> (Vec<Span<'static>>, Option<u16>) {
    let start = usize::from(area.x) + 1 + text::width(&title) + 2;
    let mut spans = vec![Span::styled(title, theme.focus())];
    let mut cursor_x = None;
    let room = usize::from(area.width / 3);
    if typing {
        let (shown, col) = filter.view(room);
        cursor_x = u16::try_from(start + col).ok();
        spans.push(Span::styled(format!(" /{shown} "), theme.key()));
    } else if !filter.value().trim().is_empty() {
        // Kept: the whole filter, or its start marked as cut, never a
        // window that reads as another filter.
        let shown = text::fit(&text::sanitize(filter.value()), room);
        spans.push(Span::styled(format!(" filter: {shown} "), theme.key()));
    }
    (spans, cursor_x)
}

/// What one frame of a table shows.
pub struct Table<'a> {
    pub title: Vec<Span<'static>>,
    /// Right-aligned on the bottom border: position, order, counts.
    pub bottom: Option<String>,
    pub columns: &'a [Column],
    /// The rows on screen: their cells (one per column) and a style each.
    pub rows: Vec<Vec<(String, Style)>>,
    /// Which of `rows` is selected.
    pub selected: Option<usize>,
    /// Shown instead of the heading and rows when there are no rows.
    pub empty: Vec<Line<'static>>,
    /// Where the filter's cursor goes (absolute x on the title line).
    pub cursor_x: Option<u16>,
    /// Under the rows, the selected row whole: every cell, uncut, joined
    /// (see [`super::super::layout::footer_lines`]).
    pub footer: bool,
}

/// Draws `table` in `area` (its border included) over whatever is there.
pub fn render(frame: &mut Frame, area: Rect, table: Table<'_>, theme: Theme) {
    frame.render_widget(Clear, area);
    let mut block = Block::bordered()
        .border_style(theme.focus())
        .title(fit_spans(
            table.title,
            usize::from(area.width.saturating_sub(2)),
        ));
    // Left out rather than drawn over the corners on a narrow screen.
    if let Some(bottom) = table
        .bottom
        .filter(|b| text::width(b) + 2 <= usize::from(area.width))
    {
        block = block.title_bottom(Line::styled(bottom, theme.dim()).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(x) = table.cursor_x {
        frame.set_cursor_position((x.min(area.right().saturating_sub(2)), area.y));
    }
    if inner.height == 0 {
        return;
    }
    let heading = Rect { height: 1, ..inner };
    let mut body = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    if table.footer && !table.rows.is_empty() {
        // At least one row stays.
        let lines =
            super::super::layout::footer_lines(body.height).min(body.height.saturating_sub(1));
        let said = table
            .selected
            .and_then(|n| table.rows.get(n))
            .map(|cells| {
                let parts: Vec<String> = cells
                    .iter()
                    .map(|(v, _)| text::sanitize(v))
                    .filter(|v| !v.trim().is_empty())
                    .collect();
                parts.join(" · ")
            })
            .unwrap_or_default();
        let width = usize::from(inner.width).max(2);
        let wanted = wanted_lines(&said, width);
        // Rows the list leaves empty (a short list) give the footer more
        // room, so the row is whole wherever it can be.
        let spare = body
            .height
            .saturating_sub(lines)
            .saturating_sub(u16::try_from(table.rows.len()).unwrap_or(u16::MAX));
        let lines = lines.max(wanted.min(lines + spare));
        body.height -= lines;
        let area = Rect {
            y: body.bottom(),
            height: lines,
            ..inner
        };
        draw_whole_row(frame, area, &said, theme);
    }
    if table.rows.is_empty() {
        let lines: Vec<Line> = table
            .empty
            .into_iter()
            .map(|l| fit_spans(l.spans, usize::from(inner.width)))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let fitted = fit_to_rows(table.columns, &table.rows);
    let shown = layout(&fitted, usize::from(inner.width));
    let mut rows = table.rows;
    cut_apart(&mut rows, &fitted, &shown);
    self::heading(frame, heading, &fitted, &shown, theme);
    // Straight into the buffer, as the node list does: cheap for big lists.
    let buf = frame.buffer_mut();
    for (n, (y, cells)) in (body.y..body.bottom()).zip(rows).enumerate() {
        let row = Rect {
            y,
            height: 1,
            ..body
        };
        draw_row(
            buf,
            row,
            &cells,
            &fitted,
            &shown,
            table.selected == Some(n),
            theme,
        );
    }
}

/// One row of cells into `buf` at `row` (one line), straight into the
/// buffer: cheap for big lists. The selected one is marked and styled.
pub fn draw_row(
    buf: &mut Buffer,
    row: Rect,
    cells: &[(String, Style)],
    fitted: &[Column],
    shown: &[(usize, usize)],
    selected: bool,
    theme: Theme,
) {
    let y = row.y;
    let row_style = if selected {
        theme.selected()
    } else {
        Style::new()
    };
    if selected {
        buf.set_style(Rect::new(row.x, y, row.width, 1), row_style);
        buf.set_stringn(row.x, y, "▶ ", MARK, row_style);
    }
    let mut x = row.x + MARK as u16;
    for &(i, w) in shown {
        let c = fitted[i];
        let (value, style) = cells
            .get(i)
            .map(|(v, s)| (v.as_str(), *s))
            .unwrap_or(("", Style::new()));
        let fitted = c.fit(value, w);
        let cell = if c.right {
            let pad = w.saturating_sub(text::width(&fitted));
            format!("{}{fitted}", " ".repeat(pad))
        } else {
            fitted
        };
        let room = usize::from(row.right().saturating_sub(x));
        buf.set_stringn(x, y, cell, w.min(room), style.patch(row_style));
        x = x.saturating_add((w + GAP) as u16);
        if x >= row.right() {
            break;
        }
    }
}

/// Lines `said` takes wrapped at `width`: what a footer showing a
/// selected row whole asks for.
pub(super) fn wanted_lines(said: &str, width: usize) -> u16 {
    u16::try_from(text::wrap(said, width).len()).unwrap_or(u16::MAX)
}

/// A selected row whole, wrapped into `area` (its last line cut if the
/// area is short), as every list's footer draws it.
pub(super) fn draw_whole_row(frame: &mut Frame, area: Rect, said: &str, theme: Theme) {
    let lines: Vec<Line> = text::wrap_in(
        said,
        usize::from(area.width).max(2),
        usize::from(area.height),
    )
    .into_iter()
    .map(|l| Line::styled(l, theme.key()))
    .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The columns' heading on `area`'s first line, cut to its width: the
/// pickers', Find's and Health's tables alike.
pub(super) fn heading(
    frame: &mut Frame,
    area: Rect,
    columns: &[Column],
    widths: &[(usize, usize)],
    theme: Theme,
) {
    let line = fit_spans(
        heading_spans(columns, widths, theme),
        usize::from(area.width),
    );
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..area });
}

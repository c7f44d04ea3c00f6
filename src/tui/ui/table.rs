//! A bordered table that opens over the form and list: the pickers and the
//! history use it. Columns that do not fit are left out, the flexible one
//! (the name) takes what is left, and only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::super::input::TextField;
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

/// One column: its heading, the cells it wants, and whether it may be left
/// out on a narrow screen.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub heading: &'static str,
    /// Cells wanted; the flexible column's is its minimum.
    pub width: usize,
    pub optional: bool,
    /// Takes the room the other columns leave.
    pub flex: bool,
    pub right: bool,
}

impl Column {
    pub const fn fixed(heading: &'static str, width: usize) -> Self {
        Column {
            heading,
            width,
            optional: false,
            flex: false,
            right: false,
        }
    }

    pub const fn flex(heading: &'static str, min: usize) -> Self {
        Column {
            flex: true,
            ..Column::fixed(heading, min)
        }
    }

    pub const fn optional(self) -> Self {
        Column {
            optional: true,
            ..self
        }
    }

    pub const fn right(self) -> Self {
        Column {
            right: true,
            ..self
        }
    }
}

/// Two cells for the selection marker, two between columns.
const MARK: usize = 2;
const GAP: usize = 2;

/// Which columns are shown in `width` cells and how wide each is; the
/// indexes refer to `columns`.
pub fn layout(columns: &[Column], width: usize) -> Vec<(usize, usize)> {
    let mut keep: Vec<usize> = (0..columns.len()).collect();
    let need = |keep: &[usize]| -> usize {
        MARK + keep.iter().map(|&i| columns[i].width).sum::<usize>()
            + GAP * keep.len().saturating_sub(1)
    };
    // Drop optional columns from the right until the rest fit and the
    // flexible column (the name people read) gets twice its minimum.
    let flex_min: usize = columns.iter().filter(|c| c.flex).map(|c| c.width).sum();
    while need(&keep) + flex_min > width {
        match keep.iter().rposition(|&i| columns[i].optional) {
            Some(at) => {
                keep.remove(at);
            }
            None => break,
        }
    }
    let mut widths: Vec<usize> = keep.iter().map(|&i| columns[i].width).collect();
    let spare = width.saturating_sub(need(&keep));
    let mut over = need(&keep).saturating_sub(width);
    let flex = keep.iter().position(|&i| columns[i].flex);
    if let Some(f) = flex {
        widths[f] += spare;
    }
    // Still too wide: the name gives up to 10 cells, then the other columns
    // down to their headings (from the right), then the name the rest. The
    // cells are cut with an ellipsis, so a cut ID still shows its start.
    let mut shrink = |at: usize, floor: usize, over: &mut usize| {
        let cut = (*over).min(widths[at].saturating_sub(floor));
        widths[at] -= cut;
        *over -= cut;
    };
    if let Some(f) = flex {
        shrink(f, 10, &mut over);
    }
    for at in (0..keep.len()).rev() {
        if Some(at) != flex {
            let floor = text::width(columns[keep[at]].heading).max(4);
            shrink(at, floor, &mut over);
        }
    }
    if let Some(f) = flex {
        shrink(f, 1, &mut over);
    }
    keep.into_iter().zip(widths).collect()
}

/// A table's title, followed by ` /filter ` while one is typed or kept,
/// and where the filter's cursor goes while typing.
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
    if typing || !filter.value().is_empty() {
        let (shown, col) = filter.view(usize::from(area.width / 3));
        if typing {
            cursor_x = u16::try_from(start + col).ok();
        }
        spans.push(Span::styled(format!(" /{shown} "), theme.key()));
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
    let body = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    if table.rows.is_empty() {
        let lines: Vec<Line> = table
            .empty
            .into_iter()
            .map(|l| fit_spans(l.spans, usize::from(inner.width)))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    // Fixed columns shrink to what is on screen (short demo IDs leave the
    // room to the names), never below their heading.
    let fitted: Vec<Column> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.flex {
                return *c;
            }
            let widest = table
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|(v, _)| text::width(v))
                .max()
                .unwrap_or(0);
            Column {
                width: widest.max(text::width(c.heading)).min(c.width),
                ..*c
            }
        })
        .collect();
    let shown = layout(&fitted, usize::from(inner.width));
    let mut head = vec![Span::raw(" ".repeat(MARK))];
    for (n, &(i, w)) in shown.iter().enumerate() {
        let c = fitted[i];
        let cell = if c.right {
            format!("{:>w$}", text::fit(c.heading, w))
        } else {
            text::fit_pad(c.heading, w)
        };
        head.push(Span::styled(cell, theme.title()));
        if n + 1 < shown.len() {
            head.push(Span::raw(" ".repeat(GAP)));
        }
    }
    frame.render_widget(
        Paragraph::new(fit_spans(head, usize::from(inner.width))),
        heading,
    );
    // Straight into the buffer, as the node list does: cheap for big lists.
    let buf = frame.buffer_mut();
    for (n, (y, cells)) in (body.y..body.bottom()).zip(table.rows).enumerate() {
        let selected = table.selected == Some(n);
        let row_style = if selected {
            theme.selected()
        } else {
            Style::new()
        };
        if selected {
            buf.set_style(Rect::new(body.x, y, body.width, 1), row_style);
            buf.set_stringn(body.x, y, "▶ ", MARK, row_style);
        }
        let mut x = body.x + MARK as u16;
        for &(i, w) in &shown {
            let c = fitted[i];
            let (value, style) = cells
                .get(i)
                .map(|(v, s)| (v.as_str(), *s))
                .unwrap_or(("", Style::new()));
            let fitted = text::fit(value, w);
            let cell = if c.right {
                let pad = w.saturating_sub(text::width(&fitted));
                format!("{}{fitted}", " ".repeat(pad))
            } else {
                fitted
            };
            let room = usize::from(body.right().saturating_sub(x));
            buf.set_stringn(x, y, cell, w.min(room), style.patch(row_style));
            x = x.saturating_add((w + GAP) as u16);
            if x >= body.right() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [Column; 3] = [
        Column::flex("NAME", 10),
        Column::fixed("STATUS", 8),
        Column::fixed("ID", 36).optional(),
    ];

    #[test]
    fn the_name_takes_the_spare_room() {
        assert_eq!(layout(&COLUMNS, 80), [(0, 30), (1, 8), (2, 36)]);
    }

    #[test]
    fn optional_columns_go_first_on_a_narrow_screen() {
        assert_eq!(layout(&COLUMNS, 40), [(0, 28), (1, 8)]);
        // The name would get less than twice its minimum beside the ID.
        assert_eq!(layout(&COLUMNS, 69), [(0, 57), (1, 8)]);
        assert_eq!(layout(&COLUMNS, 70), [(0, 20), (1, 8), (2, 36)]);
    }

    #[test]
    fn a_screen_too_narrow_even_then_squeezes_the_name() {
        assert_eq!(layout(&COLUMNS, 16), [(0, 6), (1, 6)]);
    }

    #[test]
    fn a_required_wide_column_is_cut_before_the_name_disappears() {
        const REQUIRED_ID: [Column; 3] = [
            Column::flex("NAME", 16),
            Column::fixed("STATUS", 7),
            Column::fixed("ID", 36),
        ];
        // 38 cells: the name keeps 10, the ID gives up the rest.
        assert_eq!(layout(&REQUIRED_ID, 38), [(0, 10), (1, 7), (2, 15)]);
        // Down to the smallest screen's table, everything fits.
        for width in 22..80 {
            let shown = layout(&REQUIRED_ID, width);
            let used: usize = shown.iter().map(|(_, w)| w).sum();
            assert!(used + MARK + GAP * (shown.len() - 1) <= width, "{width}");
        }
    }
}

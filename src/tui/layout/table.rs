//! A table's columns: which fit a width and how wide each is, how a cell is
//! cut, and the heading line. The pickers, Find, the history and the
//! readiness view lay their tables out with it; drawing them is `ui`'s.

use ratatui::style::Style;
use ratatui::text::Span;

use super::super::text;
use super::super::theme::Theme;

/// One column: its heading, the cells it wants, how far it may be cut and
/// when it is left out on a narrow screen.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub heading: &'static str,
    /// Cells wanted; the flexible column's is the room it gets before the
    /// other columns grow, and it takes whatever is left after them.
    pub width: usize,
    /// The fewest cells it may be cut to before it is left out (or, for a
    /// column that is never left out, before the last-resort squeeze).
    pub min: usize,
    /// Left out on a narrow screen, highest rank first; 0 = always kept,
    /// because it says which thing the row is.
    pub drop: u8,
    /// Takes the room the other columns leave.
    pub flex: bool,
    pub right: bool,
    /// Cut in the middle (`3b1f0c…in01`): IDs and names that share a
    /// prefix differ at their end.
    pub middle: bool,
}

impl Column {
    /// A column that is never cut while the screen has room for it.
    pub const fn fixed(heading: &'static str, width: usize) -> Self {
        Column {
            heading,
            width,
            min: width,
            drop: 0,
            flex: false,
            right: false,
            middle: false,
        }
    }

    /// The flexible column: at least `min` cells, `want` before the other
    /// columns grow.
    pub const fn flex(heading: &'static str, min: usize, want: usize) -> Self {
        Column {
            flex: true,
            min,
            ..Column::fixed(heading, want)
        }
    }

    /// May be cut down to `min` cells, at its end.
    pub const fn cut(self, min: usize) -> Self {
        Column { min, ..self }
    }

    /// May be cut down to `min` cells, in its middle.
    pub const fn cut_middle(self, min: usize) -> Self {
        Column {
            min,
            middle: true,
            ..self
        }
    }

    /// Left out when the screen is narrow; higher ranks go first.
    pub const fn drop(self, rank: u8) -> Self {
        Column { drop: rank, ..self }
    }

    pub const fn right(self) -> Self {
        Column {
            right: true,
            ..self
        }
    }

    /// `value` cut to `cells` the way this column cuts, marked with `…`.
    pub fn fit(&self, value: &str, cells: usize) -> String {
        if self.middle {
            crate::cells::fit_middle(value, cells)
        } else {
            text::fit(value, cells)
        }
    }
}

/// Two cells for the selection marker, two between columns.
pub const MARK: usize = 2;
pub const GAP: usize = 2;

/// Which columns are shown in `width` cells and how wide each is; the
/// indexes refer to `columns`.
pub fn layout(columns: &[Column], width: usize) -> Vec<(usize, usize)> {
    let mut keep: Vec<usize> = (0..columns.len()).collect();
    let need = |keep: &[usize], size: fn(&Column) -> usize| -> usize {
        MARK + keep.iter().map(|&i| size(&columns[i])).sum::<usize>()
            + GAP * keep.len().saturating_sub(1)
    };
    // Leave columns out, highest rank first, until every kept one fits at
    // its smallest and the flexible one (the name people read) at its
    // wanted width: a row that still says which thing it is beats one
    // with more facts about an unknown thing.
    let smallest = |c: &Column| if c.flex { c.width } else { c.min };
    while need(&keep, smallest) > width {
        let droppable = keep
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].drop > 0)
            .max_by_key(|(at, i)| (columns[**i].drop, *at));
        match droppable {
            Some((at, _)) => {
                keep.remove(at);
            }
            None => break,
        }
    }
    let mut widths: Vec<usize> = keep.iter().map(|&i| smallest(&columns[i])).collect();
    let mut spare = width.saturating_sub(need(&keep, smallest));
    // The other columns grow a cell at a time each, so no single wide one
    // (a 36-cell ID) takes all the room; the flexible one gets the rest.
    while spare > 0 {
        let mut grew = false;
        for (at, &i) in keep.iter().enumerate() {
            if spare > 0 && !columns[i].flex && widths[at] < columns[i].width {
                widths[at] += 1;
                spare -= 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let flex = keep.iter().position(|&i| columns[i].flex);
    if let Some(f) = flex {
        widths[f] += spare;
    }
    // Still too wide with only the kept columns: the name gives up cells
    // to its minimum, then the others to theirs (from the right), then
    // everything down to a cell. Every cut ends or breaks with `…`.
    let mut over = need(&keep, smallest).saturating_sub(width);
    let mut shrink = |at: usize, floor: usize, over: &mut usize| {
        let cut = (*over).min(widths[at].saturating_sub(floor));
        widths[at] -= cut;
        *over -= cut;
    };
    if let Some(f) = flex {
        shrink(f, columns[keep[f]].min, &mut over);
    }
    for at in (0..keep.len()).rev() {
        if Some(at) != flex {
            let floor = text::width(columns[keep[at]].heading).max(4);
            shrink(at, floor, &mut over);
        }
    }
    for at in (0..keep.len()).rev() {
        shrink(at, 1, &mut over);
    }
    keep.into_iter().zip(widths).collect()
}

/// Cuts the values of every middle-cut column that does not fit so that
/// what tells the rows on screen apart stays (`…shard-05`, not
/// `rds-or…rd-05` on every row): see [`crate::cells::fit_distinct`].
pub fn cut_apart(rows: &mut [Vec<(String, Style)>], fitted: &[Column], shown: &[(usize, usize)]) {
    for &(i, w) in shown {
        if !fitted[i].middle {
            continue;
        }
        let values: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.get(i))
            .map(|(v, _)| v.as_str())
            .filter(|v| !v.is_empty())
            .collect();
        let (prefix, suffix) = crate::cells::common_affixes(&values);
        if prefix + suffix == 0 {
            continue;
        }
        for row in rows.iter_mut() {
            if let Some((value, _)) = row.get_mut(i) {
                // Sanitized first: the cut counts the cells it will draw.
                let clean = text::sanitize(value);
                *value = crate::cells::fit_distinct(&clean, w, prefix, suffix);
            }
        }
    }
}

/// A fixed column shrunk to its widest cell (short demo IDs leave the room
/// to the names), never below its heading; the flexible one as it is.
pub fn shrink_to(c: Column, widest: usize) -> Column {
    if c.flex {
        return c;
    }
    let width = widest.max(text::width(c.heading)).min(c.width);
    Column {
        width,
        min: c.min.min(width),
        ..c
    }
}

/// Every column shrunk to the widest of `rows`' cells in it.
pub fn fit_to_rows(columns: &[Column], rows: &[Vec<(String, Style)>]) -> Vec<Column> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let widest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|(v, _)| text::width(v))
                .max()
                .unwrap_or(0);
            shrink_to(*c, widest)
        })
        .collect()
}

/// The heading line's spans for the `shown` columns (index, width) of
/// `fitted`.
pub fn heading_spans(
    fitted: &[Column],
    shown: &[(usize, usize)],
    theme: Theme,
) -> Vec<Span<'static>> {
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
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [Column; 4] = [
        Column::flex("NAME", 8, 12),
        Column::fixed("ID", 36).cut_middle(13),
        Column::fixed("STATUS", 8).drop(1),
        Column::fixed("CREATED", 16).drop(2),
    ];

    fn used(shown: &[(usize, usize)]) -> usize {
        MARK + shown.iter().map(|(_, w)| w).sum::<usize>() + GAP * (shown.len() - 1)
    }

    #[test]
    fn the_name_takes_the_room_the_others_leave() {
        assert_eq!(layout(&COLUMNS, 100), [(0, 32), (1, 36), (2, 8), (3, 16)]);
    }

    #[test]
    fn columns_grow_together_so_a_long_id_does_not_take_all_the_room() {
        // 2 + 12 + 13 + 8 + 16 + 6 = 57: eight spare cells, shared.
        assert_eq!(layout(&COLUMNS, 65), [(0, 12), (1, 21), (2, 8), (3, 16)]);
    }

    #[test]
    fn the_highest_ranks_go_first_and_the_id_stays() {
        assert_eq!(layout(&COLUMNS, 56), [(0, 12), (1, 30), (2, 8)]);
        assert_eq!(layout(&COLUMNS, 38), [(0, 12), (1, 22)]);
        assert_eq!(layout(&COLUMNS, 29), [(0, 12), (1, 13)]);
    }

    #[test]
    fn a_screen_too_narrow_even_then_squeezes_the_name_then_the_rest() {
        assert_eq!(layout(&COLUMNS, 25), [(0, 8), (1, 13)]);
        assert_eq!(layout(&COLUMNS, 20), [(0, 8), (1, 8)]);
        for width in 8..120 {
            assert!(used(&layout(&COLUMNS, width)) <= width, "{width}");
        }
    }

    #[test]
    fn a_middle_cut_keeps_both_ends_of_an_id() {
        let id = Column::fixed("ID", 36).cut_middle(11);
        assert_eq!(
            id.fit("3b1f0c4e1f0a9b84d2e8f1a7b3c5d9e0in01", 11),
            "3b1f0…0in01"
        );
        let name = Column::fixed("NAME", 36).cut(6);
        assert_eq!(name.fit("eu-west-101", 9), "eu-west-…");
    }
}

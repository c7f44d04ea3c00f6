//! The readiness view's two tables: their columns, their cells, and the
//! lines a table becomes (heading, rows, a note under a row).

use ratatui::style::Style;
use ratatui::text::Span;

use crate::api::{self, RestoreTarget};
use crate::readiness::Coverage;

use super::super::readiness::{ColumnFit, NodeLine, Table};
use super::super::text;
use super::super::theme::Theme;
use super::readiness_body::Builder;
use super::table::{self, Column, GAP};

// What says which row it is (name, ID, coverage) stays; the engine,
// status and size give way first on a narrow screen (the footer shows
// them for the selected row).
pub(super) const NODE_COLUMNS: [Column; 6] = [
    Column::flex("NAME", 8, 20).cut_middle(8),
    Column::fixed("ID", 36).cut_middle(13),
    Column::fixed("STATUS", 10).drop(2),
    Column::fixed("ENGINE", 16).drop(3),
    Column::fixed("SIZE", 9).right().drop(1),
    Column::fixed("COVERAGE", 17),
];

pub(super) const TARGET_COLUMNS: [Column; 5] = [
    Column::flex("NAME", 8, 20).cut_middle(8),
    Column::fixed("ID", 36).cut_middle(13),
    Column::fixed("STATUS", 10).drop(2),
    Column::fixed("AVAILABLE", 9),
    Column::fixed("VPC", 16).drop(1),
];

impl Builder<'_> {
    /// A table of `count` rows: its heading, then each row (and, under a
    /// row, the note `under` gives it), the selected one marked when the
    /// keys act here. `cells` builds a row's cells; only rows whose line
    /// is in the builder's window are built (a table may hold 100,000),
    /// the others are blank lines that keep the count.
    /// A table of `count` rows: a heading, then each row's line and, when
    /// `under` has one, a note line under it. `notes_before(i)` counts the
    /// rows before row `i` that have a note (and `notes_before(count)` all
    /// of them), so the rows outside the window are skipped by arithmetic:
    /// a key costs the same with 100,000 rows as with 10.
    pub(super) fn table(
        &mut self,
        which: Table,
        columns: &[Column],
        count: usize,
        cells: impl Fn(usize) -> Vec<(String, Style)>,
        notes_before: impl Fn(usize) -> usize,
        under: impl Fn(usize) -> Option<String>,
    ) {
        let t = self.theme;
        let fits = self.view.column_fit(which);
        // A column no row has a value for (nothing compared yet) is left
        // out, unless it is one that says which row it is.
        let keep: Vec<usize> = (0..columns.len())
            .filter(|&i| columns[i].drop == 0 || fits.get(i).is_some_and(|f| f.filled))
            .collect();
        let fitted: Vec<Column> = keep
            .iter()
            .map(|&i| table::shrink_to(columns[i], fits.get(i).map_or(0, |f| f.widest)))
            .collect();
        let shown = table::layout(&fitted, self.width);
        let head = table::heading_spans(&fitted, &shown, t);
        self.push(head);
        let start = self.at;
        let line_of = |at: usize| start + at + notes_before(at);
        // The row's last line: its note's, if it has one.
        let last_of = |at: usize| line_of(at + 1) - 1;
        let acting = self.view.acting() == Some(which);
        let selected = self.view.selected(which);
        if acting && selected < count {
            self.selected = Some((line_of(selected), last_of(selected)));
        }
        // The first row that ends in the window or after its start.
        let (mut lo, mut hi) = (0, count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if last_of(mid) < self.window.start {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // The rows in the window, their cells in `fitted`'s order, cut
        // so that what tells them apart stays.
        let mut hi = lo;
        while hi < count && line_of(hi) < self.window.end {
            hi += 1;
        }
        let mut visible: Vec<Vec<(String, Style)>> = (lo..hi)
            .map(|at| {
                let row = cells(at);
                keep.iter()
                    .map(|&k| row.get(k).cloned().unwrap_or_default())
                    .collect()
            })
            .collect();
        table::cut_apart(&mut visible, &fitted, &shown);
        for (at, row) in (lo..hi).zip(visible) {
            self.at = line_of(at);
            let here = acting && at == selected;
            let row_style = if here { t.selected() } else { Style::new() };
            let mut spans = vec![Span::styled(if here { "▶ " } else { "  " }, row_style)];
            for &(i, w) in &shown {
                let c = fitted[i];
                let (value, style) = row.get(i).cloned().unwrap_or_default();
                let cell = c.fit(&value, w);
                let pad = " ".repeat(w.saturating_sub(text::width(&cell)));
                let cell = if c.right { pad + &cell } else { cell + &pad };
                spans.push(Span::styled(cell, style.patch(row_style)));
                spans.push(Span::styled(" ".repeat(GAP), row_style));
            }
            self.push(spans);
            if let Some(note) = under(at) {
                // One line, cut: the footer says the selected row's whole.
                let note = text::fit(&note, self.width.saturating_sub(4));
                self.push(vec![Span::raw("    "), Span::styled(note, t.warn())]);
            }
        }
        self.at = line_of(count);
    }
}

/// The node table's column fits over every row: measured when the
/// report changes (a table may hold 100,000 rows), so a frame only reads
/// them. Widths do not depend on the colours, so any theme measures.
pub fn node_fits(lines: &[NodeLine]) -> Vec<ColumnFit> {
    let theme = Theme::default();
    measure(
        NODE_COLUMNS.len(),
        lines.iter().map(|l| node_cells(l, theme)),
    )
}

/// The target table's column fits over every row, as [`node_fits`].
pub fn target_fits(targets: &[RestoreTarget]) -> Vec<ColumnFit> {
    let theme = Theme::default();
    measure(
        TARGET_COLUMNS.len(),
        targets.iter().map(|t| target_cells(t, theme)),
    )
}

/// Each column's fit over every row's cells.
fn measure(columns: usize, rows: impl Iterator<Item = Vec<(String, Style)>>) -> Vec<ColumnFit> {
    let mut fits = vec![ColumnFit::default(); columns];
    for row in rows {
        for (fit, (value, _)) in fits.iter_mut().zip(&row) {
            fit.filled |= !value.is_empty();
            fit.widest = fit.widest.max(text::width(value));
        }
    }
    fits
}

/// Healthy green, failed red, anything else yellow.
pub fn status_style(status: &str, theme: Theme) -> Style {
    match status {
        "(none)" => Style::new(),
        _ => theme.status(crate::shown::status::role(status)),
    }
}

/// Bytes as people read them, on the one ladder (`512 B`).
pub fn human_bytes(bytes: u64) -> String {
    crate::shown::size::bytes(api::Bytes(bytes))
}

/// The words of a node's coverage (the colour only repeats them).
pub fn coverage_label(coverage: Option<Coverage>) -> &'static str {
    coverage.map_or("not compared", Coverage::label)
}

fn coverage_style(coverage: Option<Coverage>, theme: Theme) -> Style {
    match coverage {
        Some(Coverage::Both) => theme.ok(),
        Some(Coverage::BackupOnly) => theme.error(),
        Some(Coverage::Added | Coverage::Unknown) => theme.warn(),
        None => theme.dim(),
    }
}

/// `MySQL 8.0.28`, or whichever half is known.
pub fn engine(line: &NodeLine) -> String {
    [line.engine.as_deref(), line.version.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn node_cells(line: &NodeLine, theme: Theme) -> Vec<(String, Style)> {
    let clean = |s: Option<&str>| s.map(text::sanitize).unwrap_or_default();
    let status = clean(line.status.as_deref());
    vec![
        (
            line.name
                .as_deref()
                .map_or("(no name)".into(), text::sanitize),
            Style::new(),
        ),
        (text::sanitize(&line.id), theme.dim()),
        (status.clone(), status_style(&status, theme)),
        (text::sanitize(&engine(line)), Style::new()),
        (
            line.size_bytes.map(human_bytes).unwrap_or_default(),
            Style::new(),
        ),
        (
            coverage_label(line.coverage).into(),
            coverage_style(line.coverage, theme),
        ),
    ]
}

/// `yes`, `no` or `unknown` (the server may not say).
pub fn available(target: &RestoreTarget) -> &'static str {
    match target.available {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

pub(super) fn target_cells(target: &RestoreTarget, theme: Theme) -> Vec<(String, Style)> {
    let clean = |s: Option<&str>| s.map(text::sanitize).unwrap_or_default();
    let status = clean(target.status.as_deref());
    let avail = match target.available {
        Some(true) => theme.ok(),
        Some(false) => theme.error(),
        None => theme.dim(),
    };
    vec![
        (
            target
                .instance_name
                .as_deref()
                .map_or("(no name)".into(), text::sanitize),
            Style::new(),
        ),
        (clean(target.instance_id.as_deref()), theme.dim()),
        (status.clone(), status_style(&status, theme)),
        (available(target).into(), avail),
        (clean(target.vpc_name.as_deref()), Style::new()),
    ]
}

//! The `instances` and `backups` tables, fitted to a width: names are cut
//! (marked with …), IDs never; when even that does not fit, the least
//! needed columns are left out and named, so the caller can say so.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{clean, or_dash};
use jiff::tz::TimeZone;

use crate::api::{BackupRow, InstanceRow, backup_type_label};
use crate::cells;
use crate::shown::{size, status, time};

/// Headers of the columns a table left out to fit its width.
pub type Dropped = Vec<&'static str>;

/// Space between columns.
const GAP: usize = 2;

pub(super) struct Column {
    pub(super) header: &'static str,
    pub(super) fit: Fit,
    /// Columns with the lowest value are left out first; `KEEP` never.
    pub(super) keep: u8,
}

pub(super) enum Fit {
    /// Shown whole (IDs: a cut one could read as another valid ID).
    Whole,
    /// Cut at the end with … down to this many cells, never below the header.
    Cut(usize),
    /// Names: cut in the middle (see [`cells::fit_middle`]), same floor rule.
    Middle(usize),
}

pub(super) const KEEP: u8 = u8::MAX;

/// Prints the instance list as a table at most `width` cells wide.
pub fn write_instances(
    out: &mut impl Write,
    rows: &[InstanceRow],
    width: usize,
) -> io::Result<Dropped> {
    const COLUMNS: &[Column] = &[
        Column {
            header: "NAME",
            fit: Fit::Middle(16),
            keep: KEEP,
        },
        Column {
            header: "STATUS",
            fit: Fit::Cut(8),
            keep: 2,
        },
        Column {
            header: "NODES",
            fit: Fit::Cut(5),
            keep: 1,
        },
        Column {
            header: "ID",
            fit: Fit::Whole,
            keep: KEEP,
        },
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                field(&r.name),
                field(&r.status),
                field(&r.node_count),
                field(&r.id),
            ]
        })
        .collect();
    write_table(out, COLUMNS, &cells, width)
}

/// Prints the backup list as a table at most `width` cells wide: types,
/// times (in `zone`, to the minute), sizes and statuses as the TUI shows
/// them.
pub fn write_backups(
    out: &mut impl Write,
    rows: &[BackupRow],
    zone: &TimeZone,
    width: usize,
) -> io::Result<Dropped> {
    // What tells backups apart (name, ID, time) outlasts what describes them.
    const COLUMNS: &[Column] = &[
        Column {
            header: "NAME",
            fit: Fit::Middle(16),
            keep: KEEP,
        },
        Column {
            header: "STATUS",
            fit: Fit::Cut(10),
            keep: 3,
        },
        Column {
            header: "TYPE",
            fit: Fit::Cut(6),
            keep: 1,
        },
        Column {
            header: "CREATED",
            fit: Fit::Cut(16),
            keep: 4,
        },
        Column {
            header: "SIZE",
            fit: Fit::Cut(9),
            keep: 2,
        },
        Column {
            header: "ID",
            fit: Fit::Whole,
            keep: KEEP,
        },
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let kind = r.backup_type.as_deref().map(backup_type_label);
            let created = r.created.as_ref().map(|c| time::sent_minute(c, zone));
            vec![
                field(&r.name),
                field(&r.status.as_ref().map(|s| status::label(s).to_string())),
                or_dash(&clean(kind.unwrap_or(""))),
                field(&created),
                r.file_size
                    .map_or_else(|| "-".to_string(), |s| size::bytes(s.bytes())),
                field(&r.id),
            ]
        })
        .collect();
    write_table(out, COLUMNS, &cells, width)
}

pub(super) fn field(value: &Option<String>) -> String {
    or_dash(&clean(value.as_deref().unwrap_or("")))
}

pub(super) fn write_table(
    out: &mut impl Write,
    columns: &[Column],
    rows: &[Vec<String>],
    width: usize,
) -> io::Result<Dropped> {
    write_rows(
        out,
        columns,
        rows.len(),
        &|i| Cow::Borrowed(&rows[i]),
        width,
    )
}

/// [`write_table`] of `count` rows whose cells `row(i)` makes when asked:
/// twice per row (once to measure, once to print), so a table of many
/// large rows never holds all its cells at once.
pub(super) fn write_rows<'a>(
    out: &mut impl Write,
    columns: &[Column],
    count: usize,
    row: &dyn Fn(usize) -> Cow<'a, [String]>,
    width: usize,
) -> io::Result<Dropped> {
    let mut natural: Vec<usize> = columns.iter().map(|c| cells::width(c.header)).collect();
    for i in 0..count {
        for (w, cell) in natural.iter_mut().zip(row(i).iter()) {
            *w = (*w).max(cells::width(cell));
        }
    }
    let widths = layout(columns, &natural, width);
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let shown: Vec<(usize, &Fit, &str)> = cells
            .enumerate()
            .filter_map(|(i, cell)| {
                Some((
                    widths.get(i).copied().flatten()?,
                    &columns.get(i)?.fit,
                    cell,
                ))
            })
            .collect();
        let last = shown.len().saturating_sub(1);
        let parts: Vec<String> = shown
            .iter()
            .enumerate()
            .map(|(n, (w, fit, cell))| {
                let cut = match fit {
                    Fit::Middle(_) => cells::fit_middle(cell, *w),
                    _ => cells::fit(cell, *w),
                };
                if n == last { cut } else { cells::pad(&cut, *w) }
            })
            .collect();
        parts.join(&" ".repeat(GAP))
    };
    writeln!(out, "{}", line(&mut columns.iter().map(|c| c.header)))?;
    for i in 0..count {
        writeln!(out, "{}", line(&mut row(i).iter().map(String::as_str)))?;
    }
    Ok(columns
        .iter()
        .zip(&widths)
        .filter(|(_, w)| w.is_none())
        .map(|(c, _)| c.header)
        .collect())
}

/// Each column's width, `None` for one left out. Columns are left out
/// (lowest `keep` first) until the rest fit at their narrowest; then the
/// widest cuttable column gives up a cell at a time. Whole columns never
/// shrink, so a table of long IDs may still be wider than `width`.
fn layout(columns: &[Column], natural: &[usize], width: usize) -> Vec<Option<usize>> {
    let narrowest: Vec<usize> = columns
        .iter()
        .zip(natural)
        .map(|(c, &n)| match c.fit {
            Fit::Whole => n,
            Fit::Cut(floor) | Fit::Middle(floor) => n.min(floor.max(cells::width(c.header))),
        })
        .collect();
    let total = |widths: &[Option<usize>]| {
        let shown: Vec<usize> = widths.iter().flatten().copied().collect();
        shown.iter().sum::<usize>() + GAP * shown.len().saturating_sub(1)
    };
    let mut widths: Vec<Option<usize>> = narrowest.iter().copied().map(Some).collect();
    while total(&widths) > width {
        let least = (0..columns.len())
            .filter(|&i| widths[i].is_some() && columns[i].keep != KEEP)
            .min_by_key(|&i| columns[i].keep);
        match least {
            Some(i) => widths[i] = None,
            None => break,
        }
    }
    for (w, &n) in widths.iter_mut().zip(natural) {
        if w.is_some() {
            *w = Some(n);
        }
    }
    while total(&widths) > width {
        let widest = (0..columns.len())
            .filter(|&i| matches!(widths[i], Some(w) if w > narrowest[i]))
            .max_by_key(|&i| widths[i]);
        match widest {
            Some(i) => widths[i] = widths[i].map(|w| w - 1),
            None => break,
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{FileSize, Status};

    fn text(write: impl FnOnce(&mut Vec<u8>) -> io::Result<Dropped>) -> (String, Dropped) {
        let mut out = Vec::new();
        let dropped = write(&mut out).unwrap();
        (String::from_utf8(out).unwrap(), dropped)
    }

    #[test]
    fn tables_align_and_fill_gaps() {
        let rows = vec![
            InstanceRow {
                id: Some("i1".into()),
                name: Some("订单".into()),
                status: Some("RUNNING".into()),
                ..Default::default()
            },
            InstanceRow::default(),
        ];
        let (out, dropped) = text(|o| write_instances(o, &rows, 80));
        assert_eq!(
            out,
            "NAME  STATUS   NODES  ID\n订单  RUNNING  -      i1\n-     -        -      -\n"
        );
        assert!(dropped.is_empty());
        let rows = vec![BackupRow {
            id: Some("b".into()),
            file_size: FileSize::from_kb(2048.0),
            backup_type: Some("auto_metadata".into()),
            created: Some("2025-02-19T10:50:20.5+0800".into()),
            ..Default::default()
        }];
        let (out, _) = text(|o| write_backups(o, &rows, &TimeZone::UTC, 80));
        assert!(out.contains("2.0 MB"), "{out}");
        assert!(out.contains("  auto  "), "types read as in the TUI: {out}");
        assert!(
            out.contains("2025-02-19 02:50  "),
            "in the zone, to the minute: {out}"
        );
        let plus8 = TimeZone::fixed(jiff::tz::offset(8));
        let (out, _) = text(|o| write_backups(o, &rows, &plus8, 80));
        assert!(out.contains("2025-02-19 10:50  "), "{out}");
    }

    fn backup(name: &str, id: &str) -> BackupRow {
        BackupRow {
            id: Some(id.into()),
            name: Some(name.into()),
            status: Some("normal".into()),
            backup_type: Some("metadata".into()),
            created: Some("2025-06-01T02:00:00+0000".into()),
            file_size: FileSize::from_kb(133.0),
            ..Default::default()
        }
    }

    #[test]
    fn names_are_cut_by_cells_and_ids_never() {
        let id = "09902ee7866649b8908ec209bfee2747br09";
        let rows = vec![
            backup(&format!("订单中心-{}", "x".repeat(80)), "nodes-br09"),
            backup("🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀", id),
        ];
        for width in [40, 60, 80, 100, 120] {
            let (out, dropped) = text(|o| write_backups(o, &rows, &TimeZone::UTC, width));
            for line in out.lines() {
                assert!(
                    cells::width(line) <= width.max(16 + GAP + id.len()),
                    "{width}: {line}"
                );
            }
            assert!(
                out.contains(id) && out.contains("nodes-br09"),
                "{width}: {out}"
            );
            assert!(out.lines().nth(1).unwrap().contains('…'), "{width}: {out}");
            assert!(!dropped.contains(&"NAME") && !dropped.contains(&"ID"));
        }
        // At 80 columns with the API's 36-character IDs, the time and
        // STATUS stay and TYPE and SIZE go (in column order in the note).
        let (out, dropped) = text(|o| write_backups(o, &rows, &TimeZone::UTC, 80));
        assert_eq!(dropped, ["TYPE", "SIZE"], "{out}");
        assert!(out.starts_with("NAME"), "{out}");
        assert!(out.contains("CREATED"), "{out}");
        // Wide enough, nothing is cut or left out.
        let (out, dropped) = text(|o| write_backups(o, &rows, &TimeZone::UTC, 400));
        assert!(dropped.is_empty() && !out.contains('…'), "{out}");
    }

    #[test]
    fn a_huge_server_value_is_cut_not_the_table_widened() {
        let mut row = backup("n", "b1-br09");
        row.status = Some(Status::parse(&"s".repeat(4096)));
        let (out, dropped) = text(|o| write_backups(o, &[row], &TimeZone::UTC, 80));
        assert!(dropped.is_empty(), "{dropped:?}");
        assert!(out.lines().all(|l| cells::width(l) <= 80), "{out}");
        assert!(out.contains("s…"), "{out}");
    }
}

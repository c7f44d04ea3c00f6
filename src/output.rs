//! Headless printing for `show`: aligned text for people, JSON for scripts.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::api::{BackupDetail, Error};

/// Prints a backup as aligned text.
pub fn write_text(out: &mut impl Write, backup: &BackupDetail) -> io::Result<()> {
    let fields = [
        ("Backup ID", &backup.id),
        ("Name", &backup.name),
        ("Instance ID", &backup.instance_id),
        ("Instance name", &backup.instance_name),
    ];
    for (label, value) in fields {
        writeln!(out, "{label:<15}{}", or_dash(&clean(value)))?;
    }
    let nodes = &backup.related_data_nodes;
    writeln!(out)?;
    if nodes.is_empty() {
        return writeln!(out, "Related data nodes: none");
    }
    writeln!(out, "Related data nodes ({})", nodes.len())?;
    let names: Vec<String> = nodes
        .iter()
        .map(|n| or_dash(&clean(&n.instance_name)))
        .collect();
    let width = names
        .iter()
        .map(|n| n.width())
        .max()
        .unwrap_or(0)
        .max("NAME".len());
    writeln!(out, "  {}  ID", pad("NAME", width))?;
    for (node, name) in nodes.iter().zip(&names) {
        writeln!(
            out,
            "  {}  {}",
            pad(name, width),
            or_dash(&clean(&node.instance_id))
        )?;
    }
    Ok(())
}

/// Prints a backup as the API's JSON: the five documented fields.
pub fn write_json(out: &mut impl Write, backup: &BackupDetail) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, backup).map_err(io::Error::other)?;
    writeln!(out)
}

/// The one line `show` prints on stderr for a failed lookup.
pub fn error_line(error: &Error) -> String {
    match error.hint() {
        Some(hint) => format!("error: {} (hint: {hint})", error.status_line()),
        None => format!("error: {}", error.status_line()),
    }
}

/// Text from the API with unsafe characters blanked, so a hostile name
/// cannot move the cursor, recolour the terminal or reorder the line.
pub fn clean(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if crate::terminal_text::is_unsafe(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn or_dash(value: &str) -> String {
    if value.trim().is_empty() {
        "-".into()
    } else {
        value.to_string()
    }
}

/// Pads to a display width (CJK and emoji count double).
fn pad(value: &str, width: usize) -> String {
    let mut padded = value.to_string();
    padded.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(value.width()),
    ));
    padded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RelatedDataNode;

    fn backup(nodes: &[(&str, &str)]) -> BackupDetail {
        BackupDetail {
            id: "b1".into(),
            name: "nightly".into(),
            instance_id: "i1".into(),
            instance_name: "".into(),
            related_data_nodes: nodes
                .iter()
                .map(|(id, name)| RelatedDataNode {
                    instance_id: id.to_string(),
                    instance_name: name.to_string(),
                })
                .collect(),
        }
    }

    fn text(b: &BackupDetail) -> String {
        let mut out = Vec::new();
        write_text(&mut out, b).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_aligns_by_display_width() {
        let out = text(&backup(&[("n1", "订单库"), ("n2", "rds\u{1b}[31m")]));
        assert_eq!(
            out,
            "Backup ID      b1\nName           nightly\nInstance ID    i1\nInstance name  -\n\n\
             Related data nodes (2)\n  NAME      ID\n  订单库    n1\n  rds [31m  n2\n"
        );
    }

    #[test]
    fn an_empty_list_says_so() {
        assert!(text(&backup(&[])).ends_with("Related data nodes: none\n"));
    }

    #[test]
    fn json_is_the_model() {
        let mut out = Vec::new();
        write_json(&mut out, &backup(&[("n1", "a")])).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["related_data_nodes"][0]["instance_id"], "n1");
        assert_eq!(value.as_object().unwrap().len(), 5);
    }
}

/// Prints rows as the API's JSON: an array of the typed rows.
pub fn write_json_rows<T: serde::Serialize>(out: &mut impl Write, rows: &[T]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, rows).map_err(io::Error::other)?;
    writeln!(out)
}

/// Prints the instance list as a table.
pub fn write_instances(out: &mut impl Write, rows: &[crate::api::InstanceRow]) -> io::Result<()> {
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
    write_table(out, &["NAME", "STATUS", "NODES", "ID"], &cells)
}

/// Prints the backup list as a table, sizes in human units.
pub fn write_backups(out: &mut impl Write, rows: &[crate::api::BackupRow]) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let size = r
                .file_size
                .map_or_else(|| "-".to_string(), crate::api::human_size);
            vec![
                field(&r.name),
                field(&r.status),
                field(&r.backup_type),
                field(&r.created),
                size,
                field(&r.id),
            ]
        })
        .collect();
    write_table(
        out,
        &["NAME", "STATUS", "TYPE", "CREATED", "SIZE", "ID"],
        &cells,
    )
}

fn field(value: &Option<String>) -> String {
    or_dash(&clean(value.as_deref().unwrap_or("")))
}

/// Columns padded to their widest cell by display width; the last column
/// is not padded.
fn write_table(out: &mut impl Write, headers: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    c.to_string()
                } else {
                    pad(c, widths[i])
                }
            })
            .collect();
        parts.join("  ")
    };
    writeln!(out, "{}", line(headers.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use crate::api::{BackupRow, InstanceRow};

    #[test]
    fn tables_align_and_fill_gaps() {
        let mut out = Vec::new();
        let rows = vec![
            InstanceRow {
                id: Some("i1".into()),
                name: Some("订单".into()),
                status: Some("RUNNING".into()),
                ..Default::default()
            },
            InstanceRow::default(),
        ];
        write_instances(&mut out, &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME  STATUS   NODES  ID\n订单  RUNNING  -      i1\n-     -        -      -\n"
        );
        let mut out = Vec::new();
        let rows = vec![BackupRow {
            id: Some("b".into()),
            file_size: Some(2048.0),
            ..Default::default()
        }];
        write_backups(&mut out, &rows).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("2.0 MB"));
    }
}

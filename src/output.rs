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

/// Text from the API with control characters removed, so a hostile name
/// cannot move the cursor or recolour the terminal.
pub fn clean(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
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

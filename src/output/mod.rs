//! Headless printing for `show`: aligned text for people, JSON for scripts.

pub mod check;
mod found;
pub mod readiness;
mod table;

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

/// Prints a backup as the API's JSON: the five documented fields. This is
/// also what `Y` copies and `s` saves.
pub fn write_json(out: &mut impl Write, backup: &BackupDetail) -> io::Result<()> {
    write_safe_json(out, backup)
}

/// Pretty JSON in which no string carries a character that is unsafe in a
/// terminal, a clipboard or a file (see [`crate::terminal_text`]): those
/// are written as `\uXXXX`, so the data stays exact and the text stays inert.
pub fn write_safe_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeFormatter::new());
    // `From` keeps the io::Error itself (a closed pipe stays a closed pipe).
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    writeln!(out)
}

/// serde_json's pretty layout; string fragments go through the escape.
/// serde_json already escapes `"`, `\\` and C0 itself; the rest of the
/// unsafe set reaches `write_string_fragment`.
struct SafeFormatter(serde_json::ser::PrettyFormatter<'static>);

impl SafeFormatter {
    fn new() -> Self {
        SafeFormatter(serde_json::ser::PrettyFormatter::new())
    }
}

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if crate::terminal_text::is_safe(fragment) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut escaped = String::with_capacity(fragment.len() + 16);
        crate::terminal_text::escape_json_into(&mut escaped, fragment);
        writer.write_all(escaped.as_bytes())
    }

    // The layout is PrettyFormatter's own.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// The one line `show` prints on stderr for a failed lookup, and under it
/// an identity-policy denial's encrypted reasons and how to decode them:
/// the only place a command shows them, whole, to hand to an administrator.
pub fn error_line(error: &Error) -> String {
    let mut line = match error.hint() {
        Some(hint) => format!("error: {} (hint: {hint})", error.status_line()),
        None => format!("error: {}", error.status_line()),
    };
    if let Some(encoded) = error.encoded_authorization() {
        line.push_str(&format!(
            "\n  denial reasons, encoded (encoded_authorization_message): {encoded}\n  \
             to read them, {}",
            crate::api::DECODE_DENIAL
        ));
    }
    line
}

/// Text from the API made safe for a terminal (see
/// [`crate::terminal_text::sanitize`]), borrowed when nothing needs to go
/// (nearly always).
pub fn clean(value: &str) -> std::borrow::Cow<'_, str> {
    if crate::terminal_text::is_safe(value) {
        std::borrow::Cow::Borrowed(value)
    } else {
        std::borrow::Cow::Owned(crate::terminal_text::sanitize(value))
    }
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

/// Prints rows as the API's JSON: an array of the typed rows.
pub fn write_json_rows<T: serde::Serialize>(out: &mut impl Write, rows: &[T]) -> io::Result<()> {
    write_safe_json(out, &rows)
}

pub use found::write_found;
pub use table::{Dropped, write_backups, write_instances};

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
            nodes_cut: None,
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
             Related data nodes (2)\n  NAME     ID\n  订单库   n1\n  rds[31m  n2\n"
        );
    }

    #[test]
    fn an_empty_list_says_so() {
        assert!(text(&backup(&[])).ends_with("Related data nodes: none\n"));
    }

    #[test]
    fn json_escapes_what_a_terminal_or_a_paste_would_act_on() {
        let hostile = "n\u{1b}[201~\u{7f}\u{85}\u{202e}\u{2028}\u{61c}";
        let mut out = Vec::new();
        write_json(&mut out, &backup(&[(hostile, hostile)])).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        // Only the layout's own newlines are left.
        assert!(
            text.chars()
                .all(|c| c == '\n' || !crate::terminal_text::is_unsafe(c)),
            "{text:?}"
        );
        assert!(
            text.contains(r#""n\u001b[201~\u007f\u0085\u202e\u2028\u061c""#),
            "{text}"
        );
        // The data is exact after a parse.
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["related_data_nodes"][0]["instance_id"], hostile);
        // Same layout as serde_json's pretty printer.
        let plain = backup(&[("n1", "a")]);
        let mut ours = Vec::new();
        write_json(&mut ours, &plain).unwrap();
        let theirs = serde_json::to_string_pretty(&plain).unwrap() + "\n";
        assert_eq!(String::from_utf8(ours).unwrap(), theirs);
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

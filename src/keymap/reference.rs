//! The key reference: every context's bindings as one Markdown table.
//! `ddm-backups keys` prints it and the README's key table is it (a test
//! compares them), so the documentation cannot drift from dispatch.

use super::{Binding, Context, KeySpec, Keymap};

/// The keys of `binding` the reference shows, of those `keep` keeps
/// (told whether a key is a single character).
fn shown_keys(binding: &Binding, keep: impl Fn(bool) -> bool) -> Vec<KeySpec> {
    binding
        .keys
        .iter()
        .copied()
        .filter(|k| !(binding.context.takes_text() && k.typed().is_some()))
        .filter(|k| keep(k.typed().is_some()))
        .collect()
}

fn show(binding: &Binding, keys: &[KeySpec], tick: &str) -> String {
    if let Some(fixed) = binding.action.fixed_keys() {
        return fixed.to_string();
    }
    if keys.is_empty() {
        return "(none)".into();
    }
    let shown: Vec<String> = keys
        .iter()
        .map(|k| format!("{tick}{}{tick}", k.to_string().replace('|', "\\|")))
        .collect();
    shown.join(" ")
}

/// One section of the reference: where its keys act, and each binding
/// with the keys that act there.
pub struct Section<'a> {
    pub title: &'static str,
    pub rows: Vec<SectionRow<'a>>,
}

/// A binding with the keys that act in its section.
pub struct SectionRow<'a> {
    pub keys: Vec<KeySpec>,
    pub binding: &'a Binding,
}

impl SectionRow<'_> {
    /// The keys as the help (`tick` "") and the reference (`` ` ``) show them.
    pub fn keys_text(&self, tick: &str) -> String {
        show(self.binding, &self.keys, tick)
    }
}

/// Where the keys that are single characters (`q`, `f`, `?`) of the
/// `anywhere` bindings act: in a text field a character is text, so they
/// are listed apart from the keys that act even there (`Ctrl-C`, `F1`).
pub const OUT_OF_TEXT: &str = "out of a text field";

/// The reference in order: a section per context, the `anywhere`
/// bindings split by whether a key acts in a text field too. The one
/// statement of the model the help, `ddm-backups keys` and the README
/// share: a character is text in a text field and a key elsewhere; a key
/// with Ctrl or a function key acts everywhere.
pub fn sections(keymap: &Keymap) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    for context in Context::ALL {
        if context != Context::Anywhere {
            let rows = keymap
                .of(context)
                .map(|binding| SectionRow {
                    keys: shown_keys(binding, |_| true),
                    binding,
                })
                .collect();
            out.push(Section {
                title: context.title(),
                rows,
            });
            continue;
        }
        for (title, characters) in [(context.title(), false), (OUT_OF_TEXT, true)] {
            let rows = keymap
                .of(context)
                .map(|binding| SectionRow {
                    keys: shown_keys(binding, |typed| typed == characters),
                    binding,
                })
                .filter(|row| !row.keys.is_empty())
                .collect();
            out.push(Section { title, rows });
        }
    }
    out
}

/// The whole reference as a Markdown table.
pub fn markdown(keymap: &Keymap) -> String {
    let mut out = String::from("| where | keys | action | what it does |\n|---|---|---|---|\n");
    for section in sections(keymap) {
        for (i, row) in section.rows.iter().enumerate() {
            let place = if i == 0 { section.title } else { "" };
            out.push_str(&format!(
                "| {place} | {} | `{}` | {} |\n",
                row.keys_text("`"),
                row.binding.action.name(),
                row.binding.label
            ));
        }
    }
    out
}

//! The key reference: every context's bindings as one Markdown table.
//! `ddm-backups keys` prints it and the README's key table is it (a test
//! compares them), so the documentation cannot drift from dispatch.

use super::{Binding, Context, Keymap};

/// The keys of a binding, as the help and the reference show them:
/// `` `Ctrl-C` `q` ``, or what a fixed action's keys are called. Where
/// characters are typed as text, keys that are characters are left out.
pub fn keys_text(binding: &Binding, tick: &str) -> String {
    if let Some(fixed) = binding.action.fixed_keys() {
        return fixed.to_string();
    }
    let shown: Vec<String> = binding
        .keys
        .iter()
        .filter(|k| !(binding.context.takes_text() && k.typed().is_some()))
        .map(|k| format!("{tick}{}{tick}", k.to_string().replace('|', "\\|")))
        .collect();
    if shown.is_empty() {
        "(none)".into()
    } else {
        shown.join(" ")
    }
}

/// The whole reference as a Markdown table.
pub fn markdown(keymap: &Keymap) -> String {
    let mut out = String::from("| where | keys | action | what it does |\n|---|---|---|---|\n");
    for context in Context::ALL {
        for (i, binding) in keymap.of(context).enumerate() {
            let place = if i == 0 { context.title() } else { "" };
            out.push_str(&format!(
                "| {place} | {} | `{}` | {} |\n",
                keys_text(binding, "`"),
                binding.action.name(),
                binding.label
            ));
        }
    }
    out
}

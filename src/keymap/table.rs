//! The default bindings: for each context, each action with its keys, the
//! word the hint line shows and the sentence the help and the reference
//! show. Everything that dispatches or describes a key reads this table.

use super::{Action, Context};

/// One default binding.
pub struct Row {
    pub context: Context,
    pub action: Action,
    /// Key specs as the config writes them.
    pub keys: &'static [&'static str],
    /// One or two words for the hint line.
    pub hint: &'static str,
    /// What it does, for the help and the reference.
    pub label: &'static str,
}

const fn row(
    context: Context,
    action: Action,
    keys: &'static [&'static str],
    hint: &'static str,
    label: &'static str,
) -> Row {
    Row {
        context,
        action,
        keys,
        hint,
        label,
    }
}

use Action as A;
use Context as C;

/// In the order the help and the reference show them.
#[rustfmt::skip]
pub const DEFAULTS: &[Row] = &[
    row(C::Anywhere, A::Quit, &["q", "ctrl-c"], "quit", "quit (Ctrl-C even in the password popup)"),
    row(C::Anywhere, A::Help, &["?", "f1"], "help", "this help"),
    row(C::Anywhere, A::History, &["ctrl-r"], "history", "history: the last 200 lookups; Enter repeats one"),
    row(C::Anywhere, A::Find, &["f", "ctrl-f"], "find", "find a backup in every profile by ID, ID prefix or name"),
    row(C::Anywhere, A::Health, &["H", "f2"], "health", "fleet health: every instance of every profile, worst first, and why"),
    row(C::Anywhere, A::Messages, &["M"], "messages", "messages: the last 100 status messages, whole, with their times"),
    row(C::Field, A::Submit, &["enter"], "look up", "look the backup up; on an empty field, pick from a list instead"),
    row(C::Field, A::NextField, &["tab", "down"], "next", "next field, then the list"),
    row(C::Field, A::PrevField, &["shift-tab", "up"], "previous", "previous field"),
    row(C::Field, A::Back, &["esc"], "list", "cancel the lookup in flight, else go to the list"),
    row(C::Edit, A::Type, &[], "type", "here characters are text, not keys; a paste loses its surrounding spaces"),
    row(C::Edit, A::CursorLeft, &["left"], "left", "cursor left"),
    row(C::Edit, A::CursorRight, &["right"], "right", "cursor right"),
    row(C::Edit, A::LineStart, &["home", "ctrl-a"], "start", "cursor to the start"),
    row(C::Edit, A::LineEnd, &["end", "ctrl-e"], "end", "cursor to the end"),
    row(C::Edit, A::DeleteBack, &["backspace"], "delete", "delete the character before the cursor"),
    row(C::Edit, A::DeleteForward, &["del"], "delete", "delete the character under the cursor"),
    row(C::Edit, A::DeleteToStart, &["ctrl-u"], "clear", "delete to the start"),
    row(C::Edit, A::DeleteWord, &["ctrl-w"], "delete word", "delete the word before the cursor"),
    row(C::List, A::OpenNode, &["enter"], "node", "the selected node's fields, with copy keys"),
    row(C::List, A::Fields, &["d"], "backup", "the backup's fields whole (a long name wraps), with copy keys"),
    row(C::List, A::Filter, &["/"], "filter", "filter by name or ID"),
    row(C::List, A::Instances, &["i"], "instances", "pick an instance (DDM instances of the project)"),
    row(C::List, A::Backups, &["b"], "backups", "pick a backup of the instance in the form"),
    row(C::List, A::Profiles, &["p"], "profiles", "switch profile (each keeps its own form and result)"),
    row(C::List, A::CopyId, &["y"], "copy", "copy the selected node's ID, else the backup's ID (OSC 52, and tmux's buffer inside tmux)"),
    row(C::List, A::CopyJson, &["Y"], "copy JSON", "copy the whole backup as JSON (up to 100 KB)"),
    row(C::List, A::Save, &["s"], "save", "save the backup's JSON to a file (./<backup id>.json)"),
    row(C::List, A::Readiness, &["R"], "readiness", "restore readiness of the shown backup: windows, data nodes then and now, targets"),
    row(C::List, A::Reload, &["r"], "reload", "look up the IDs in the form again (else repeat the last lookup)"),
    row(C::List, A::ShowError, &["e"], "error", "the whole last error (y there copies its request ID)"),
    row(C::List, A::NextField, &["tab"], "form", "to the Instance ID field"),
    row(C::List, A::PrevField, &["shift-tab"], "form", "to the Backup ID field"),
    row(C::List, A::Back, &["esc"], "cancel", "cancel the lookup in flight, else clear the filter, else stop watching"),
    row(C::Filter, A::KeepFilter, &["enter", "tab"], "keep", "keep the filter, back to the rows"),
    row(C::Filter, A::Back, &["esc"], "clear", "clear the filter"),
    row(C::Move, A::Down, &["j", "down"], "move", "down"),
    row(C::Move, A::Up, &["k", "up"], "move", "up"),
    row(C::Move, A::PageDown, &["pgdn"], "page", "a page down"),
    row(C::Move, A::PageUp, &["pgup"], "page", "a page up"),
    row(C::Move, A::HalfPageDown, &["ctrl-d"], "half page", "half a page down"),
    row(C::Move, A::HalfPageUp, &["ctrl-u"], "half page", "half a page up"),
    row(C::Move, A::First, &["g", "home"], "first", "the first row"),
    row(C::Move, A::Last, &["G", "end"], "last", "the last row"),
    row(C::Picker, A::Pick, &["enter"], "pick", "fill the form (a backup is looked up at once); also while filtering"),
    row(C::Picker, A::Filter, &["/"], "filter", "filter by name or ID as you type"),
    row(C::Picker, A::Sort, &["o"], "sort", "sort: newest, oldest, name, size"),
    row(C::Picker, A::Readiness, &["R"], "readiness", "restore readiness of the selected backup"),
    row(C::Picker, A::Reload, &["r"], "reload", "load the list again"),
    row(C::Picker, A::CopyId, &["y"], "copy ID", "copy the selected row's ID"),
    row(C::Picker, A::ShowError, &["e"], "error", "the listing's whole error"),
    row(C::Picker, A::Back, &["esc", "q"], "close", "clear the filter, else close (stops loading)"),
    row(C::History, A::Rerun, &["enter"], "look up again", "repeat the lookup, in its profile; also while filtering"),
    row(C::History, A::RerunAt, &[], "look up", "repeat the lookup at that place (1 is the first shown)"),
    row(C::History, A::Filter, &["/"], "filter", "filter as you type"),
    row(C::History, A::CopyId, &["y"], "copy ID", "copy the lookup's backup ID"),
    row(C::History, A::Back, &["esc", "q"], "close", "clear the filter, else close"),
    row(C::Profiles, A::Switch, &["enter"], "switch", "show the selected profile"),
    row(C::Profiles, A::SwitchTo, &[], "switch to", "show the profile at that place"),
    row(C::Profiles, A::Back, &["esc", "q", "p"], "close", "close"),
    row(C::Popup, A::Back, &["esc", "q", "enter"], "close", "close the popup"),
    row(C::Popup, A::CopyId, &["y"], "copy ID", "the node's or backup's ID; in the error popup, the request ID"),
    row(C::Popup, A::CopyName, &["n"], "copy name", "copy the node's or backup's name"),
    row(C::Popup, A::ShowError, &["e"], "close", "close the error popup"),
    row(C::Popup, A::Readiness, &["R"], "readiness", "in the backup's or a node's popup: restore readiness of the shown backup"),
    row(C::Popup, A::PageDown, &["space"], "page", "a page down"),
    row(C::Readiness, A::NextField, &["tab"], "other table", "between the data nodes and the targets"),
    row(C::Readiness, A::PrevField, &["shift-tab"], "other table", "between the data nodes and the targets"),
    row(C::Readiness, A::CopyId, &["y"], "copy ID", "copy the selected node's or target's ID"),
    row(C::Readiness, A::OpenNode, &["enter"], "whole row", "the selected node's or target's fields, whole, with copy keys"),
    row(C::Readiness, A::Reload, &["r"], "reload", "ask every call again"),
    row(C::Readiness, A::Back, &["esc", "q"], "close", "close the view (stops its calls)"),
    row(C::Find, A::Pick, &["enter"], "open", "switch to the result's profile and look the backup up; also while typing"),
    row(C::Find, A::KeepFilter, &["tab"], "results", "between the text and the results (there j/k/g/G move)"),
    row(C::Find, A::Filter, &["/"], "edit", "from the results back to the text"),
    row(C::Find, A::CopyId, &["y"], "copy ID", "copy the selected result's backup ID"),
    row(C::Find, A::Back, &["esc", "q"], "close", "close (stops what is still loading)"),
    row(C::Health, A::Pick, &["enter"], "backups", "switch to the row's profile and pick from its instance's backups; also while filtering"),
    row(C::Health, A::Readiness, &["R"], "readiness", "restore readiness of the instance's newest normal backup"),
    row(C::Health, A::Chart, &["v"], "chart", "the instance's backup sizes per UTC day over the window (v or Esc goes back)"),
    row(C::Health, A::Filter, &["/"], "filter", "filter by instance name or ID as you type"),
    row(C::Health, A::Profiles, &["p"], "profile", "show one profile's instances, then the next, then all"),
    row(C::Health, A::Reload, &["r"], "recheck", "check every profile again now (stops the check in flight)"),
    row(C::Health, A::CopyId, &["y"], "copy ID", "copy the selected instance's ID"),
    row(C::Health, A::Back, &["esc", "q"], "close", "clear the filter, else close (a check in flight goes on; H shows it)"),
    row(C::Save, A::Submit, &["enter"], "save", "save to that file"),
    row(C::Save, A::Back, &["esc"], "cancel", "close without saving"),
    row(C::Save, A::Replace, &["y", "Y"], "replace", "when the file exists: replace it (any other key keeps it)"),
    row(C::Password, A::Type, &[], "type", "type or paste (shown as dots)"),
    row(C::Password, A::Submit, &["enter"], "sign in", "sign in"),
    row(C::Password, A::DeleteBack, &["backspace"], "delete", "delete the last character"),
    row(C::Password, A::DeleteToStart, &["ctrl-u"], "clear", "clear"),
    row(C::Password, A::Back, &["esc"], "cancel", "cancel the sign-in (the lookup fails and says so)"),
];

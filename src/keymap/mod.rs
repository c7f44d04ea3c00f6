//! The one binding table: for each context, each action with its keys and
//! labels. Key dispatch, the hint line, the help overlay, `ddm-backups
//! keys` and the README's key table all read a `Keymap`; the config's
//! `[keys]` overlays it. Pure data, below both `config` and `tui`, so the
//! config can check a user's keys without knowing the UI.

mod overrides;
pub mod reference;
mod spec;
mod table;

pub use overrides::{KeyOverride, OverrideError};
pub use spec::{KeyName, KeySpec, SPEC_HELP, parse};

/// Where keys are read. Each place consults a chain of contexts (its own
/// first, `Anywhere` last); see `chain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Anywhere,
    /// The Instance ID and Backup ID fields.
    Field,
    /// Every text field: the form, filters, the save prompt.
    Edit,
    /// The related data nodes.
    List,
    /// Typing a filter over a list.
    Filter,
    /// Moving in any list or popup.
    Move,
    Picker,
    History,
    Profiles,
    Popup,
    Save,
    Password,
    /// The restore readiness view.
    Readiness,
    /// Find: one search over every profile.
    Find,
    /// Fleet health: every instance of every profile, worst first.
    Health,
}

impl Context {
    /// Every context, in the order the help and the reference show them.
    pub const ALL: [Context; 15] = [
        Context::Anywhere,
        Context::Field,
        Context::Edit,
        Context::List,
        Context::Filter,
        Context::Move,
        Context::Picker,
        Context::History,
        Context::Profiles,
        Context::Popup,
        Context::Readiness,
        Context::Find,
        Context::Health,
        Context::Save,
        Context::Password,
    ];

    /// Where it applies, as the help and the reference name it.
    pub fn title(self) -> &'static str {
        match self {
            Context::Anywhere => "anywhere",
            Context::Field => "in a field",
            Context::Edit => "editing text",
            Context::List => "in the list",
            Context::Filter => "typing a filter",
            Context::Move => "moving in a list",
            Context::Picker => "in a picker",
            Context::History => "history",
            Context::Profiles => "profiles",
            Context::Popup => "popups",
            Context::Save => "save prompt",
            Context::Password => "password popup",
            Context::Readiness => "readiness view",
            Context::Find => "find",
            Context::Health => "fleet health",
        }
    }

    /// True where plain characters are typed as text, so a binding to one
    /// could never fire.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Context::Field | Context::Edit | Context::Filter | Context::Password
        )
    }
}

/// The contexts a place consults, its own first. While `typing`, plain
/// characters are text and match no binding. The one statement of which
/// keys a place shares with which.
pub fn chain(place: Context, typing: bool) -> &'static [Context] {
    use Context as C;
    match (place, typing) {
        (C::Field, _) => &[C::Field, C::Edit, C::Anywhere],
        (C::Filter, _) => &[C::Filter, C::Edit, C::Move, C::Anywhere],
        (C::List, _) => &[C::List, C::Move, C::Anywhere],
        (C::Picker, false) => &[C::Picker, C::Move, C::Anywhere],
        (C::Picker, true) => &[C::Picker, C::Filter, C::Edit, C::Move, C::Anywhere],
        (C::History, false) => &[C::History, C::Move, C::Anywhere],
        (C::History, true) => &[C::History, C::Filter, C::Edit, C::Move, C::Anywhere],
        (C::Profiles, _) => &[C::Profiles, C::Move, C::Anywhere],
        (C::Popup, _) => &[C::Popup, C::Move, C::Anywhere],
        (C::Readiness, _) => &[C::Readiness, C::Move, C::Anywhere],
        // Typing the text, the arrows and page keys still move the rows.
        (C::Find, false) => &[C::Find, C::Move, C::Anywhere],
        (C::Find, true) => &[C::Find, C::Edit, C::Move, C::Anywhere],
        // Like a picker: typing its filter, Enter still opens the row.
        (C::Health, false) => &[C::Health, C::Move, C::Anywhere],
        (C::Health, true) => &[C::Health, C::Filter, C::Edit, C::Move, C::Anywhere],
        (C::Save, false) => &[C::Save],
        (C::Save, true) => &[C::Save, C::Edit, C::Anywhere],
        // The password popup takes every key; only Ctrl-C gets past it.
        (C::Password, _) => &[C::Password],
        (C::Anywhere, _) => &[C::Anywhere],
        (C::Edit, _) => &[C::Edit],
        (C::Move, _) => &[C::Move],
    }
}

macro_rules! actions {
    ($($variant:ident = $name:literal,)*) => {
        /// Something a key does. Its name is what `[keys]` rebinds; one
        /// action may be bound in several contexts (`copy_id`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant,)* }

        impl Action {
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            /// The name `[keys]` uses.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)* }
            }
        }
    };
}

actions! {
    Quit = "quit",
    Help = "help",
    History = "history",
    Submit = "submit",
    NextField = "next_field",
    PrevField = "prev_field",
    Back = "back",
    Type = "type",
    CursorLeft = "cursor_left",
    CursorRight = "cursor_right",
    LineStart = "line_start",
    LineEnd = "line_end",
    DeleteBack = "delete_back",
    DeleteForward = "delete_forward",
    DeleteToStart = "delete_to_start",
    DeleteWord = "delete_word",
    OpenNode = "open_node",
    Filter = "filter",
    Instances = "instances",
    Backups = "backups",
    Profiles = "profiles",
    CopyId = "copy_id",
    CopyJson = "copy_json",
    CopyName = "copy_name",
    Save = "save",
    Reload = "reload",
    ShowError = "show_error",
    KeepFilter = "keep_filter",
    Down = "down",
    Up = "up",
    PageDown = "page_down",
    PageUp = "page_up",
    HalfPageDown = "half_page_down",
    HalfPageUp = "half_page_up",
    First = "first",
    Last = "last",
    Pick = "pick",
    Sort = "sort",
    Rerun = "rerun",
    Switch = "switch",
    SwitchTo = "switch_to",
    RerunAt = "rerun_at",
    Replace = "replace",
    Messages = "messages",
    Fields = "fields",
    Readiness = "readiness",
    Find = "find",
    Health = "health",
    Chart = "chart",
}

impl Action {
    /// The action `[keys]` calls `name`.
    pub fn named(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// Bound to no key: typing text, and the digits of the switcher and
    /// the history.
    pub fn is_fixed(self) -> bool {
        matches!(self, Action::Type | Action::SwitchTo | Action::RerunAt)
    }

    /// What a fixed action's keys are called.
    pub fn fixed_keys(self) -> Option<&'static str> {
        match self {
            Action::Type => Some("type, paste"),
            Action::SwitchTo | Action::RerunAt => Some("1–9"),
            _ => None,
        }
    }
}

/// One binding in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
    pub action: Action,
    pub keys: Vec<KeySpec>,
    pub hint: &'static str,
    pub label: &'static str,
}

/// The bindings in force: the defaults, with the user's `[keys]` over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = table::DEFAULTS
            .iter()
            .map(|row| Binding {
                context: row.context,
                action: row.action,
                // The table's own specs are checked by a test.
                keys: row.keys.iter().filter_map(|k| parse(k).ok()).collect(),
                hint: row.hint,
                label: row.label,
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// Every binding, in the table's order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The bindings of one context.
    pub fn of(&self, context: Context) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.context == context)
    }

    /// The action `key` triggers in `context` alone.
    pub fn find(&self, context: Context, key: KeySpec) -> Option<Action> {
        self.of(context)
            .find(|b| b.keys.contains(&key))
            .map(|b| b.action)
    }

    /// The action `key` triggers at `place`: its chain of contexts in
    /// order; while `typing`, a plain character is text and triggers none.
    pub fn action(&self, place: Context, typing: bool, key: KeySpec) -> Option<Action> {
        if typing && key.typed().is_some() {
            return None;
        }
        chain(place, typing)
            .iter()
            .find_map(|&context| self.find(context, key))
    }

    /// The binding of `action` at `place` (the first context of its chain
    /// that has one).
    pub fn binding(&self, place: Context, typing: bool, action: Action) -> Option<&Binding> {
        chain(place, typing)
            .iter()
            .find_map(|&context| self.of(context).find(|b| b.action == action))
    }

    /// The keys of `action` that work at `place` now, for the hint line.
    pub fn keys_at(&self, place: Context, typing: bool, action: Action) -> Vec<KeySpec> {
        let Some(binding) = self.binding(place, typing, action) else {
            return Vec::new();
        };
        binding
            .keys
            .iter()
            .copied()
            .filter(|k| !(typing && k.typed().is_some()))
            .filter(|k| self.action(place, typing, *k) == Some(action))
            .collect()
    }
}

#[cfg(test)]
mod tests;

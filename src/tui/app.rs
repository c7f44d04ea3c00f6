//! The app's state: plain data, changed only by `update` (in `update.rs`
//! and `keys.rs`), so every path can be tested without a terminal.

use std::time::Instant;

use crate::api::{self, IdField, InvalidId, check_id};

use crate::keymap::Keymap;

use super::act::SavePrompt;
use super::layout;
use super::msg::{Effect, Query};
use super::overlay::{Overlay, Overlays};
use super::password::PasswordAsk;
use super::picker::{Picker, PickerLoad};
use super::profiles::ProfileInfo;
use super::recent::HistoryView;
use super::slot::Slot;

// The lookup's state has a file of its own; the rest of the app names it
// beside `App`.
pub use super::lookup::{BackupSummary, Lookup};

/// Which part of the screen takes the keys when no overlay is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Instance,
    Backup,
    List,
    /// Typing a filter for the list.
    Filter,
}

/// An overlay that takes the keys while open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopupKind {
    Help,
    Error,
    /// The selected related data node.
    Node,
    /// The last status messages with their times.
    Messages,
    /// The shown backup's fields, whole.
    Backup,
    /// The readiness view's selected node or target, every field whole
    /// (its footer may be cut on a small screen).
    Row,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Popup {
    pub kind: PopupKind,
    /// Lines scrolled past; clamped when drawn.
    pub scroll: u16,
}

/// What the header line shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderInfo {
    pub version: String,
    pub profile: String,
    pub region: String,
    pub endpoint_host: String,
}

/// What the help overlay shows beside the keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpInfo {
    /// `ddm-backups 0.1.0 (1a2b3c4d5e 2026-12-06)`, as `--version` says it;
    /// empty leaves the line out.
    pub version: String,
    pub log_file: Option<String>,
    /// Under `--demo`, the demo backups, so a newcomer knows what to try.
    pub demo: Vec<DemoRow>,
}

/// One demo backup and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRow {
    pub instance: String,
    pub backup: String,
    pub shows: String,
}

/// The whole state of the interactive app.
#[derive(Debug, Clone, PartialEq)]
pub struct App {
    /// The version the header shows; the rest of it is the active profile.
    pub version: String,
    pub help: HelpInfo,
    /// The bindings in force: the defaults with the user's `[keys]`.
    pub keys: Keymap,
    /// The open overlays, in front last; the front one takes the keys.
    pub overlays: Overlays,
    /// Every profile the switcher offers; `active` is the one shown.
    /// Changed only with `slots` (`set_profiles`), so the two always
    /// have the same length.
    pub(crate) profiles: Vec<ProfileInfo>,
    /// Each profile's form, result and work in flight, by profile index:
    /// everything that differs between profiles lives here, and `App`
    /// keeps no copy of it.
    pub(crate) slots: Vec<Slot>,
    pub(crate) active: usize,
    /// What Find and the pickers loaded, per profile: one cache with one
    /// freshness rule.
    pub(crate) listings: super::listings::Listings,
    /// What the fleet health checks found, and the check in flight: the
    /// app's, so a refresh runs with the Health view closed.
    pub(crate) fleet: super::health::FleetHealth,
    /// How often the fleet's health is checked again after a check (at
    /// least `health::MIN_REFRESH`); `None`: only when asked (`H`, `r`).
    pub health_refresh: Option<std::time::Duration>,
    /// Past lookups, newest first (all profiles).
    pub history: Vec<crate::history::Entry>,
    /// The operator's time zone with all its rules (DST included), read at
    /// launch, for the history's times.
    pub zone: jiff::tz::TimeZone,
    /// Inside tmux: copies also go to tmux's buffer.
    pub in_tmux: bool,
    /// A one-off message for the status bar, cleared by the next key.
    pub notice: Option<String>,
    /// The status bar's last messages, to read whole (`M`).
    pub messages: super::messages::Messages,
    /// Both IDs came from the command line: look them up at once.
    pub look_up_at_start: bool,
    /// The newest generation handed out; answers for older ones are dropped.
    pub generation: u64,
    pub width: u16,
    pub height: u16,
    /// The user's colours; under NO_COLOR styles keep bold and reverse
    /// and drop colours.
    pub theme: crate::tui::theme::Theme,
}

impl App {
    /// A fresh app with the IDs from the command line (if any) in the form.
    pub fn new(
        header: HeaderInfo,
        help: HelpInfo,
        instance: Option<&str>,
        backup: Option<&str>,
    ) -> Self {
        let only = ProfileInfo {
            name: header.profile,
            region: header.region,
            endpoint_host: header.endpoint_host,
            auth: String::new(),
            problem: None,
            health: Default::default(),
        };
        let mut slot = Slot::new(instance.unwrap_or_default(), backup.unwrap_or_default());
        slot.visited = true;
        App {
            profiles: vec![only],
            slots: vec![slot],
            active: 0,
            listings: Default::default(),
            fleet: Default::default(),
            health_refresh: None,
            history: Vec::new(),
            in_tmux: false,
            zone: jiff::tz::TimeZone::UTC,
            version: header.version,
            help,
            keys: Keymap::default(),
            overlays: Overlays::default(),
            notice: None,
            messages: super::messages::Messages::default(),
            look_up_at_start: instance.is_some_and(|i| !i.is_empty())
                && backup.is_some_and(|b| !b.is_empty()),
            generation: 0,
            width: 80,
            height: 24,
            theme: crate::tui::theme::Theme::default(),
        }
    }

    /// Starts the lookup at launch when both IDs came from the command line;
    /// focus then goes to the list, where the answer will be.
    /// IDs the history put in the form wait for Enter: opening the app
    /// should not call the API unasked.
    pub fn start(&mut self, now: Instant) -> Vec<Effect> {
        if !self.look_up_at_start {
            return Vec::new();
        }
        self.submit(now)
    }

    /// The profile shown (its name, region and endpoint are in the header).
    pub fn profile(&self) -> &ProfileInfo {
        // `profiles` is never empty and `active` always indexes it.
        &self.profiles[self.active.min(self.profiles.len() - 1)]
    }

    /// Every profile the switcher offers.
    pub fn profiles(&self) -> &[ProfileInfo] {
        &self.profiles
    }

    /// The index of the profile shown.
    pub fn active(&self) -> usize {
        self.active
    }

    /// Offers `profiles` in the switcher, `active` shown with the screen
    /// the app has now; each other one starts with an empty screen of its
    /// own.
    pub fn set_profiles(&mut self, profiles: Vec<ProfileInfo>, active: usize) {
        if profiles.is_empty() {
            return;
        }
        let shown = self.slots.swap_remove(self.active);
        let was = crate::fleet::ProfileId(self.active);
        self.active = active.min(profiles.len() - 1);
        // The shown screen's lists go with it; the others start empty.
        self.listings
            .keep_only(was, crate::fleet::ProfileId(self.active));
        self.slots = vec![Slot::new("", ""); profiles.len()];
        self.slots[self.active] = shown;
        self.profiles = profiles;
    }

    /// The error `e` shows: the open picker's failed listing, else the
    /// last lookup's.
    pub fn shown_error(&self) -> Option<&api::Error> {
        match self.picker() {
            Some(Picker {
                load: PickerLoad::Failed { error },
                ..
            }) => Some(error),
            _ => self.slot().last_error.as_ref().map(|e| &e.error),
        }
    }

    /// When the error `e` shows happened; `None` for a picker's listing.
    pub fn shown_error_at(&self) -> Option<jiff::civil::Time> {
        match self.picker() {
            Some(Picker {
                load: PickerLoad::Failed { .. },
                ..
            }) => None,
            _ => self.slot().last_error.as_ref().map(|e| e.at),
        }
    }

    /// True when an overlay takes the keys, so the form and list show no
    /// focus or cursor.
    pub fn covered(&self) -> bool {
        !self.overlays.is_empty()
    }

    /// True while a text field has the cursor, so a key that is a single
    /// character is text there and not a key.
    pub fn typing(&self) -> bool {
        match self.overlays.top() {
            Some(top) => top.typing(),
            None => self.slot().focus != Focus::List,
        }
    }

    /// The open picker.
    pub fn picker(&self) -> Option<&Picker> {
        self.overlays.picker()
    }

    /// The open popup (help, error, node).
    pub fn popup(&self) -> Option<Popup> {
        self.overlays.popup()
    }

    /// The profile switcher's row, when it is open.
    pub fn switcher(&self) -> Option<usize> {
        self.overlays.switcher()
    }

    /// The open history view.
    pub fn history_view(&self) -> Option<&HistoryView> {
        self.overlays.history()
    }

    /// The open save prompt.
    pub fn save(&self) -> Option<&SavePrompt> {
        self.overlays.save()
    }

    /// The open password popup.
    pub fn password(&self) -> Option<&PasswordAsk> {
        self.overlays.password()
    }

    /// True while a lookup or an overlay's calls are in flight (the
    /// spinners need ticks).
    pub fn ticking(&self) -> bool {
        self.busy() || self.overlays.iter().any(Overlay::ticking)
    }

    /// How many list rows fit on screen now.
    pub fn list_rows(&self) -> usize {
        layout::list_rows_with(self.width, self.height, self.detail_lines())
    }

    /// Lines the detail pane wants for the shown backup (long values wrap).
    pub fn detail_lines(&self) -> u16 {
        layout::detail::wanted_lines(self)
    }

    /// The ID check of a form field, for display beside it.
    pub fn field_problem(&self, field: IdField) -> Option<InvalidId> {
        let slot = self.slot();
        let value = match field {
            IdField::Backup => slot.backup.value(),
            _ => slot.instance.value(),
        };
        check_id(field, value).err()
    }

    /// The lookup the form asks for, when both its IDs are valid.
    pub fn form_query(&self) -> Option<Query> {
        if self.field_problem(IdField::Instance).is_some()
            || self.field_problem(IdField::Backup).is_some()
        {
            return None;
        }
        let slot = self.slot();
        Some(Query {
            instance: slot.instance.value().to_string(),
            backup: slot.backup.value().to_string(),
        })
    }

    /// What `r` in the list looks up: the form's IDs when both are valid
    /// (they are what the operator sees), else the last lookup.
    pub fn repeatable(&self) -> Option<Query> {
        self.form_query().or_else(|| self.slot().last_query.clone())
    }

    /// Checks the form and starts a lookup; an invalid form is never sent:
    /// focus goes to the first bad field and the status bar says why.
    pub(super) fn submit(&mut self, now: Instant) -> Vec<Effect> {
        for (field, focus) in [
            (IdField::Instance, Focus::Instance),
            (IdField::Backup, Focus::Backup),
        ] {
            if let Some(problem) = self.field_problem(field) {
                self.slot_mut().focus = focus;
                self.notice = Some(format!("Not sent: {problem}"));
                return Vec::new();
            }
        }
        let slot = self.slot_mut();
        let query = Query {
            instance: slot.instance.value().to_string(),
            backup: slot.backup.value().to_string(),
        };
        slot.focus = Focus::List;
        self.begin(query, now)
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;

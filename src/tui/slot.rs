//! One profile's share of the app: its form, result, selection and the
//! lookup in flight (its loaded lists are in the app's one listing cache,
//! `listings.rs`, keyed by profile). `App` holds one slot per profile and
//! shows one of them; switching changes which, and copies nothing. State
//! that belongs to a profile goes here and nowhere else, so a field added
//! later cannot leak from one profile into another.

use std::time::Instant;

use crate::api::{self, BackupDetail, Fetched};
use crate::fleet::ProfileId;

use super::app::{App, BackupSummary, Focus, Lookup};
use super::input::TextField;
use super::msg::{Effect, Query, Update};
use super::picker::PickRow;
use super::rows::NodeList;

/// A lookup's error and the local time it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedError {
    pub error: api::Error,
    pub at: jiff::civil::Time,
}

/// What one profile shows and is doing.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub instance: TextField,
    pub backup: TextField,
    /// The list's filter.
    pub filter: TextField,
    pub focus: Focus,
    pub lookup: Lookup,
    pub shown: Option<BackupSummary>,
    pub nodes: NodeList,
    pub last_query: Option<Query>,
    /// The error of the result on screen, for `e`: replaced by every
    /// failed lookup and cleared by every successful one, so `e` never
    /// shows an earlier failure under a backup that loaded.
    pub last_error: Option<TimedError>,
    /// The list row of the backup last picked, for the detail pane.
    pub picked: Option<PickRow>,
    /// The backup watched while it is being made, or how that ended.
    pub watch: super::watch::Watching,
    /// Shown at least once. A profile shown for the first time starts with
    /// the IDs its last lookup used; later its form is the operator's.
    pub visited: bool,
}

impl Slot {
    /// A profile's screen before anything happened in it: the form holds
    /// `instance` and `backup`.
    pub fn new(instance: &str, backup: &str) -> Self {
        Slot {
            instance: TextField::id(instance),
            backup: TextField::id(backup),
            filter: TextField::default(),
            focus: Focus::Instance,
            lookup: Lookup::Idle,
            shown: None,
            nodes: NodeList::default(),
            last_query: None,
            last_error: None,
            picked: None,
            watch: super::watch::Watching::Off,
            visited: false,
        }
    }

    /// True while this profile's lookup is in flight.
    pub fn busy(&self) -> bool {
        matches!(self.lookup, Lookup::Loading { .. })
    }

    /// The IDs of the lookup in flight, if any.
    pub fn in_flight(&self) -> Option<&Query> {
        match &self.lookup {
            Lookup::Loading { query, .. } => Some(query),
            _ => None,
        }
    }

    /// Puts a fetched backup on screen. Reloading the same backup keeps the
    /// filter and the selected row, so `r` does not lose the operator's
    /// place. `rows` is how many list rows fit now.
    fn show(&mut self, detail: BackupDetail, rows: usize) {
        let same = self.shown.as_ref().is_some_and(|s| s.id == detail.id);
        let selected = self.nodes.selected();
        self.shown = Some(BackupSummary {
            id: detail.id,
            name: detail.name,
            instance_id: detail.instance_id,
            instance_name: detail.instance_name,
            nodes_cut: detail.nodes_cut,
        });
        self.nodes = NodeList::new(detail.related_data_nodes);
        if same {
            self.nodes.set_filter(self.filter.value(), rows);
            self.nodes.select(selected, rows);
        } else {
            self.clear_list_filter();
        }
    }

    /// A failed lookup: the error replaces the result.
    fn fail(&mut self, error: api::Error, at: jiff::civil::Time) {
        self.lookup = Lookup::Failed {
            error: error.clone(),
            at,
        };
        self.last_error = Some(TimedError { error, at });
        self.shown = None;
        self.nodes = NodeList::default();
        self.clear_list_filter();
    }

    fn clear_list_filter(&mut self) {
        self.filter.clear();
        if self.focus == Focus::Filter {
            self.focus = Focus::List;
        }
    }
}

impl App {
    /// The shown profile's slot.
    pub fn slot(&self) -> &Slot {
        // `slots` is never empty and `active` always indexes it (both
        // change only in `new`, `set_profiles` and `switch_to`).
        &self.slots[self.active]
    }

    /// The shown profile's slot, to change.
    pub fn slot_mut(&mut self) -> &mut Slot {
        &mut self.slots[self.active]
    }

    /// Every profile's slot, by profile index.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// True while the shown profile's lookup is in flight (the spinner
    /// needs ticks; Esc cancels it).
    pub fn busy(&self) -> bool {
        self.slot().busy()
    }

    /// True while any profile's lookup is in flight.
    pub fn any_busy(&self) -> bool {
        self.slots.iter().any(Slot::busy)
    }

    /// Starts a lookup for `query` in the shown profile, superseding the
    /// one in flight there (other profiles' lookups keep running).
    pub(super) fn begin(&mut self, query: Query, now: Instant) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Lookup::Loading { generation, .. } = self.slot().lookup {
            effects.push(Effect::Cancel { generation });
        }
        // Another backup leaves the watched one behind; the same one again
        // (`r`) keeps its watch and schedule. A watch that ended has said
        // so: the new lookup's status takes its place.
        match &self.slot().watch {
            super::watch::Watching::On(w) if w.query == query => {}
            _ => effects.extend(self.stop_watch(self.active_id())),
        }
        // One counter for every profile: a generation names one task, so
        // a cancel needs no profile and no answer can match another slot.
        self.generation += 1;
        let generation = self.generation;
        let profile = self.active_id();
        let slot = self.slot_mut();
        slot.lookup = Lookup::Loading {
            generation,
            query: query.clone(),
            started: now,
            now,
        };
        slot.last_query = Some(query.clone());
        effects.push(Effect::Fetch {
            profile,
            generation,
            query,
        });
        effects
    }

    /// Stops the shown profile's lookup; what was on screen stays.
    pub(super) fn cancel(&mut self, now: Instant) -> Vec<Effect> {
        let Lookup::Loading {
            generation,
            started,
            ..
        } = self.slot().lookup
        else {
            return Vec::new();
        };
        self.slot_mut().lookup = Lookup::Cancelled {
            after: now.saturating_duration_since(started),
        };
        // The question came from a lookup that is gone, unless another
        // profile's lookup is still running and may be the one asking.
        if !self.any_busy() {
            self.overlays.remove(super::overlay::Kind::Password);
        }
        vec![Effect::Cancel { generation }]
    }

    /// A lookup of `profile` ended. It lands in that profile's slot, shown
    /// or not; a superseded or cancelled one changes nothing.
    pub(super) fn on_fetched(
        &mut self,
        profile: ProfileId,
        generation: u64,
        result: Result<Fetched<BackupDetail>, api::Error>,
        clock: jiff::Timestamp,
    ) -> Update {
        let rows = self.list_rows();
        let Some(slot) = self.slots.get(profile.index()) else {
            return Update::none();
        };
        let query = match &slot.lookup {
            Lookup::Loading {
                generation: g,
                query,
                ..
            } if *g == generation => query.clone(),
            _ => return Update::none(),
        };
        let name = self.profiles[profile.index()].name.clone();
        let wall = super::zone::wall_time(clock, &self.zone);
        let entry = self.history_entry(&name, profile, slot, query.clone(), &result, clock);
        let remember = self.remember(entry);
        let outcome = match &result {
            Ok(fetched) => crate::http::status_text(fetched.status),
            Err(error) => format!("✗ {}", error.short_line()),
        };
        let slot = &mut self.slots[profile.index()];
        match result {
            Ok(fetched) => {
                slot.lookup = Lookup::Loaded {
                    status: fetched.status,
                    elapsed: fetched.elapsed,
                    request_id: fetched.request_id,
                    attempts: fetched.attempts,
                    fetched_at: wall,
                };
                slot.show(fetched.value, rows);
                slot.last_error = None;
            }
            Err(error) => slot.fail(error, wall),
        }
        self.notice = if profile == self.active_id() {
            // The outcome shows in the status bar; a notice would hide it
            // (and one from the switch would still say "looking up").
            None
        } else {
            // Out of sight: the status bar says it ended, and where.
            Some(format!("{name}: {outcome} {}", query.backup))
        };
        Update::with(vec![remember])
    }
}

#[cfg(test)]
#[path = "slot_tests.rs"]
mod tests;

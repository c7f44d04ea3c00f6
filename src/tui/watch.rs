//! Watching a backup being made: while its list row says `creating`, the
//! row is read again on `readiness::watch::Backoff`'s schedule (5 s,
//! doubling to 60 s) until it says something else. Each wait is one
//! `Effect::WatchAfter` (a sleep, then the call, as one task keyed by its
//! generation), so between checks the loop has nothing to wake it: no
//! countdown is drawn, the status bar names the clock time of the next
//! check instead. A watch belongs to its profile's slot and ends only
//! there: a profile switch leaves it running.

use std::time::{Duration, Instant};

use crate::api::{self, BackupRow, IdField, check_id};
use crate::fleet::ProfileId;
use crate::readiness::watch::{Backoff, Progress};

use super::app::{App, Lookup};
use super::msg::{Effect, Query, Update};
use super::picker::{PickRow, PickerKind};
use super::text;

/// Checks that may fail in a row before the watch gives up (shared with
/// `wait`).
pub use crate::readiness::watch::MAX_FAILURES;

/// A watch's part of a profile's slot.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Watching {
    /// Nothing watched.
    #[default]
    Off,
    /// Checks are going on.
    On(Watch),
    /// The last watch ended on its own; the status bar says how until the
    /// next lookup.
    Ended(Ended),
}

/// A running watch.
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    /// The backup watched (instance and backup ID).
    pub query: Query,
    /// The check in flight (its wait, then its call): an answer with
    /// another generation is stale.
    pub generation: u64,
    pub backoff: Backoff,
    /// The wait before the check in flight.
    pub wait: Duration,
    /// When the check in flight is due, for "next check at 14:03:20".
    pub due: Instant,
    /// Checks answered so far.
    pub checks: u32,
    /// Checks failed in a row, and the last one's error.
    pub failures: u32,
    pub last_error: Option<api::Error>,
}

/// How a watch ended on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Ended {
    pub backup: String,
    pub outcome: Outcome,
    /// The local time of the check that ended it.
    pub at: jiff::civil::Time,
}

/// What the last check found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Normal,
    /// `createfail`.
    Failed,
    /// Another status, its unsafe characters escaped ("" when the row had none).
    Other(String),
    /// No row has the backup's ID any more (deleted, or past the cap).
    Gone,
    /// [`MAX_FAILURES`] checks failed in a row; the last one's error.
    GaveUp(api::Error),
}

impl Outcome {
    /// What the status bar says, e.g. `creating-br09 is normal now`.
    pub fn sentence(&self, backup: &str) -> String {
        match self {
            Outcome::Normal => format!("{backup} is normal now"),
            Outcome::Failed => format!("{backup} failed (createfail)"),
            Outcome::Other(status) if status.is_empty() => {
                format!("{backup} has no status any more; stopped watching")
            }
            Outcome::Other(status) => format!("{backup} is {status} now; stopped watching"),
            Outcome::Gone => format!("{backup} is no longer listed; stopped watching"),
            Outcome::GaveUp(e) => format!(
                "stopped watching {backup}: {MAX_FAILURES} checks failed in a row ({})",
                e.short_line()
            ),
        }
    }

    /// The alert's words: the ID and the outcome only, never text the
    /// server wrote, since it goes to tmux's message line.
    fn alert(&self, backup: &str) -> String {
        let what = match self {
            Outcome::Normal => "is normal now",
            Outcome::Failed => "failed (createfail)",
            Outcome::Other(_) => "is no longer creating",
            Outcome::Gone => "is no longer listed",
            Outcome::GaveUp(_) => "could not be checked",
        };
        format!("ddm-backups: {backup} {what}")
    }

    /// True for the outcome an operator hoped for.
    pub fn is_good(&self) -> bool {
        matches!(self, Outcome::Normal)
    }
}

impl App {
    /// Entry point for any view that learns a backup's list row (the
    /// picker, the readiness view): a backup of `instance` in `creating`
    /// is watched in `profile`'s slot. Anything else starts nothing.
    pub fn row_learned(
        &mut self,
        profile: ProfileId,
        instance: &str,
        row: &BackupRow,
        now: Instant,
    ) -> Vec<Effect> {
        match (&row.id, Progress::of(row.status.as_ref())) {
            (Some(backup), Progress::Creating) => self.start_watch(profile, instance, backup, now),
            _ => Vec::new(),
        }
    }

    /// Watches `backup` of `instance` in `profile`'s slot, replacing
    /// another watch there; one of the same backup goes on as it was. IDs
    /// outside the rule are never watched (they name a request path).
    pub fn start_watch(
        &mut self,
        profile: ProfileId,
        instance: &str,
        backup: &str,
        now: Instant,
    ) -> Vec<Effect> {
        if check_id(IdField::Instance, instance).is_err()
            || check_id(IdField::Backup, backup).is_err()
        {
            return Vec::new();
        }
        let query = Query {
            instance: instance.to_string(),
            backup: backup.to_string(),
        };
        let Some(slot) = self.slots.get(profile.index()) else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        match &slot.watch {
            Watching::On(w) if w.query == query => return effects,
            Watching::On(w) => effects.push(Effect::Cancel {
                generation: w.generation,
            }),
            _ => {}
        }
        self.generation += 1;
        let mut backoff = Backoff::default();
        let wait = backoff.next_wait();
        let watch = Watch {
            query: query.clone(),
            generation: self.generation,
            backoff,
            wait,
            due: now + wait,
            checks: 0,
            failures: 0,
            last_error: None,
        };
        effects.push(watch.effect(profile));
        self.slots[profile.index()].watch = Watching::On(watch);
        effects
    }

    /// Stops `profile`'s watch, if any (Esc, leaving the backup), and
    /// forgets how the last one ended; nothing rings.
    pub fn stop_watch(&mut self, profile: ProfileId) -> Vec<Effect> {
        let Some(slot) = self.slots.get_mut(profile.index()) else {
            return Vec::new();
        };
        match std::mem::take(&mut slot.watch) {
            Watching::On(w) => vec![Effect::Cancel {
                generation: w.generation,
            }],
            _ => Vec::new(),
        }
    }

    /// True while any profile's watch is running.
    pub fn any_watching(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s.watch, Watching::On(_)))
    }

    /// The watched backup of the shown profile, if a watch is running.
    pub fn watched(&self) -> Option<&Watch> {
        match &self.slot().watch {
            Watching::On(w) => Some(w),
            _ => None,
        }
    }

    /// After `profile`'s lookup loaded: the backup now shown is watched
    /// when its list row (picked, or in a list loaded lately) says `creating`.
    pub(super) fn watch_shown(&mut self, profile: ProfileId, now: Instant) -> Vec<Effect> {
        let Some(slot) = self.slots.get(profile.index()) else {
            return Vec::new();
        };
        let Some(shown) = &slot.shown else {
            return Vec::new();
        };
        // The row picked, else one from a backup list loaded lately (the
        // backup was typed, or picked from history).
        let row = slot
            .picked
            .as_ref()
            .filter(|p| p.id == shown.id)
            .or_else(|| self.fresh_pick_row(profile, &shown.instance_id, &shown.id, now));
        let Some(row) = row else {
            return Vec::new();
        };
        if !matches!(slot.lookup, Lookup::Loaded { .. })
            || Progress::of(Some(&row.status)) != Progress::Creating
        {
            return Vec::new();
        }
        let (instance, backup) = (shown.instance_id.clone(), shown.id.clone());
        self.start_watch(profile, &instance, &backup, now)
    }

    /// A check of `profile`'s watch ended. A stale one (the watch stopped,
    /// or replaced) changes nothing; a row read goes to the readiness view
    /// of that backup too, if it is open.
    pub(super) fn on_watched(
        &mut self,
        profile: ProfileId,
        generation: u64,
        result: Result<Option<BackupRow>, api::Error>,
        clock: jiff::Timestamp,
        now: Instant,
    ) -> Update {
        let current = match self.slots.get(profile.index()).map(|s| &s.watch) {
            Some(Watching::On(w)) if w.generation == generation => Some(w.query.backup.clone()),
            _ => None,
        };
        let row = result.as_ref().ok().cloned();
        let mut update = self.check_watched(profile, generation, result, clock, now);
        if let (Some(backup), Some(row)) = (current, row) {
            update
                .effects
                .extend(self.watch_read_row(profile, &backup, row));
        }
        update
    }

    /// [`Self::on_watched`] for the watch itself.
    fn check_watched(
        &mut self,
        profile: ProfileId,
        generation: u64,
        result: Result<Option<BackupRow>, api::Error>,
        clock: jiff::Timestamp,
        now: Instant,
    ) -> Update {
        let Some(slot) = self.slots.get_mut(profile.index()) else {
            return Update::none();
        };
        let Watching::On(watch) = &mut slot.watch else {
            return Update::none();
        };
        if watch.generation != generation {
            return Update::none();
        }
        self.messages.set_anchor(now, clock);
        let wall = super::zone::wall_time(clock, &self.zone);
        watch.checks += 1;
        let outcome = match result {
            Ok(Some(row)) => {
                watch.failures = 0;
                watch.last_error = None;
                let progress = Progress::of(row.status.as_ref());
                learn_row(
                    &mut slot.picked,
                    self.listings
                        .of_mut(profile)
                        .filter_map(|(_, listed)| match listed {
                            super::listings::Listed::Picker(p) => Some(&mut **p),
                            super::listings::Listed::Found(_) => None,
                        }),
                    &watch.query.instance,
                    PickRow::from(&row),
                );
                match progress {
                    Progress::Creating => None,
                    Progress::Normal => Some(Outcome::Normal),
                    Progress::Failed => Some(Outcome::Failed),
                    Progress::Other(status) => {
                        // Escaped, not cleaned: "normal\u{200b}" must not
                        // read "is normal now; stopped watching".
                        let shown = crate::terminal_text::escape(&status);
                        Some(Outcome::Other(text::cut(&shown, 32)))
                    }
                }
            }
            Ok(None) => Some(Outcome::Gone),
            Err(error) => {
                watch.failures += 1;
                let gave_up = watch.failures >= MAX_FAILURES;
                watch.last_error = Some(error.clone());
                gave_up.then_some(Outcome::GaveUp(error))
            }
        };
        let Some(outcome) = outcome else {
            self.generation += 1;
            watch.generation = self.generation;
            watch.wait = watch.backoff.next_wait();
            watch.due = now + watch.wait;
            return Update::with(vec![watch.effect(profile)]);
        };
        let backup = watch.query.backup.clone();
        let alert = outcome.alert(&backup);
        let sentence = outcome.sentence(&backup);
        slot.watch = Watching::Ended(Ended {
            backup,
            outcome,
            at: wall,
        });
        if profile != self.active_id() {
            // Out of sight: the status bar says it ended, and where.
            self.notice = Some(format!(
                "{}: {sentence}",
                self.profiles[profile.index()].name
            ));
        }
        Update::with(vec![Effect::Alert(alert)])
    }
}

impl Watch {
    /// The wait and check now due.
    fn effect(&self, profile: ProfileId) -> Effect {
        Effect::WatchAfter {
            profile,
            generation: self.generation,
            wait: self.wait,
            query: self.query.clone(),
        }
    }
}

/// A newer list row of a backup of `instance`: a slot's picked row and
/// the backup picker it keeps for that instance show it from now on.
fn learn_row<'a>(
    picked: &mut Option<PickRow>,
    pickers: impl Iterator<Item = &'a mut super::picker::Picker>,
    instance: &str,
    row: PickRow,
) {
    if picked.as_ref().is_some_and(|p| p.id == row.id) {
        *picked = Some(row.clone());
    }
    for picker in pickers {
        if matches!(&picker.kind, PickerKind::Backups { instance_id } if instance_id == instance) {
            picker.rows.replace(|r| r.id == row.id, &row);
        }
    }
}

#[cfg(test)]
#[path = "watch_tests.rs"]
mod tests;

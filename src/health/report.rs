//! A whole check: every instance's verdict with where it lives, and every
//! profile's outcome. What `check` prints in each format and the Health
//! view shows.

use std::sync::Arc;
use std::time::Duration;

use super::{Backup, State, Thresholds, Verdict};
use crate::fleet::ProfileId;

/// One instance's verdict, with its profile and names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceReport {
    pub profile_id: ProfileId,
    pub profile: String,
    pub region: String,
    pub instance_id: String,
    pub instance_name: String,
    pub verdict: Verdict,
    /// Its backups, oldest first (what a chart of it draws).
    pub backups: Vec<Backup>,
    /// The thresholds it was judged by (its profile's).
    pub limits: Arc<Thresholds>,
}

/// How one profile's listing went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileReport {
    pub profile_id: ProfileId,
    pub profile: String,
    pub region: String,
    /// Why its instances could not be listed; `None` when they were.
    pub error: Option<String>,
    /// How long its part of the check took.
    pub took: Duration,
}

/// Everything one check found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Worst first, then by profile and instance ID.
    pub instances: Vec<InstanceReport>,
    pub profiles: Vec<ProfileReport>,
}

/// How many instances are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub ok: usize,
    pub warning: usize,
    pub critical: usize,
    pub unknown: usize,
}

impl FromIterator<State> for Counts {
    /// Counts states: what a report, the Health view's title and its
    /// messages all say.
    fn from_iter<I: IntoIterator<Item = State>>(states: I) -> Self {
        let mut counts = Counts::default();
        for state in states {
            match state {
                State::Ok => counts.ok += 1,
                State::Warning => counts.warning += 1,
                State::Critical => counts.critical += 1,
                State::Unknown => counts.unknown += 1,
            }
        }
        counts
    }
}

impl Report {
    /// Orders the instances worst first, then by profile and ID, so two
    /// checks of one fleet print alike.
    pub fn sort(&mut self) {
        self.instances.sort_by(|a, b| {
            b.verdict
                .state
                .cmp(&a.verdict.state)
                .then_with(|| a.profile.cmp(&b.profile))
                .then_with(|| a.instance_id.cmp(&b.instance_id))
        });
    }

    pub fn counts(&self) -> Counts {
        self.instances.iter().map(|i| i.verdict.state).collect()
    }

    /// The check's state: the worst instance's; a profile that could not
    /// be listed makes it at least unknown (its instances are not known
    /// to be backed up), and a check that saw nothing at all is unknown.
    pub fn state(&self) -> State {
        let worst = self.instances.iter().map(|i| i.verdict.state).max();
        let failed = self.profiles.iter().any(|p| p.error.is_some());
        match (worst, failed) {
            (None, _) => State::Unknown,
            (Some(s), true) => s.max(State::Unknown),
            (Some(s), false) => s,
        }
    }
}

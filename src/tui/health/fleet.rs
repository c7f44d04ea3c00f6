//! The fleet's health as the checks found it: every instance's latest
//! verdict, each profile's part of the check in flight, and what the last
//! finished check said of each instance (what the next one is compared
//! to, to ring). Kept in `App`, not in the view: a refresh runs, and
//! rings, with the view closed. Plain data, changed only by `apply`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::api;
use crate::fleet::{Event, ProfileId};
use crate::health::{Checked, InstanceReport, Progress, State};

/// One instance's row: its report, the check it came from and the
/// instant that check judged it at (its ages count to that instant).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub report: Arc<InstanceReport>,
    /// The number of the check it came from ([`FleetHealth::checks`]).
    pub check: u64,
    pub at: Timestamp,
    /// Its name and ID folded, what the `/` filter matches.
    pub folded: String,
}

impl Row {
    /// Which instance it is: its profile and ID.
    pub fn key(&self) -> (ProfileId, &str) {
        (self.report.profile_id, &self.report.instance_id)
    }

    pub fn state(&self) -> State {
        self.report.verdict.state
    }
}

/// Where one profile's part of a check is.
#[derive(Debug, Clone, PartialEq)]
pub enum ProfileState {
    /// Waiting for a turn (at most `fleet::PARALLEL` profiles at once).
    Waiting,
    /// Listing its instances and backups.
    Listing,
    /// Listed: `judged` of `of` instances judged so far.
    Judging { judged: usize, of: usize },
    Done {
        instances: usize,
        took: Duration,
        /// Its backup listing stopped at the row limit.
        truncated: bool,
    },
    /// Its listing failed: none of its instances could be judged.
    Failed(api::Error),
}

/// One profile's line in the view.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileCheck {
    pub id: ProfileId,
    pub name: String,
    pub region: String,
    pub state: ProfileState,
}

impl ProfileCheck {
    /// Done or failed.
    pub fn ended(&self) -> bool {
        matches!(
            self.state,
            ProfileState::Done { .. } | ProfileState::Failed(_)
        )
    }
}

/// An instance a check found worse than the check before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turned {
    pub profile: String,
    pub instance_id: String,
    pub instance_name: String,
    pub from: State,
    pub to: State,
}

/// See the module's comment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FleetHealth {
    /// The check in flight, its refresh wait included: news of any other
    /// generation is late and changes nothing.
    pub generation: Option<u64>,
    /// Its calls have begun (else it waits for its refresh time).
    pub running: bool,
    /// When the check waiting for its refresh time is due.
    pub due: Option<Timestamp>,
    /// The instant the newest check judged at.
    pub checked_at: Option<Timestamp>,
    /// When the last check ended, for whether `H` checks again.
    pub ended: Option<Instant>,
    /// Each profile's part of the check in flight, or of the last one.
    pub profiles: Vec<ProfileCheck>,
    /// Worst first, then by profile, name and ID.
    pub rows: Vec<Row>,
    /// Each instance's state after the last check its profile finished:
    /// what a check compares to.
    pub baseline: BTreeMap<(ProfileId, String), State>,
    /// What the check in flight found worse than the baseline so far.
    pub turned: Vec<Turned>,
    /// Checks begun so far.
    pub checks: u64,
}

/// How rows are ordered: worst first, then profile, then name (then ID
/// and profile number, so two rows never tie).
fn order(a: &InstanceReport, b: &InstanceReport) -> std::cmp::Ordering {
    b.verdict
        .state
        .cmp(&a.verdict.state)
        .then_with(|| a.profile.cmp(&b.profile))
        .then_with(|| a.instance_name.cmp(&b.instance_name))
        .then_with(|| a.instance_id.cmp(&b.instance_id))
        .then_with(|| a.profile_id.cmp(&b.profile_id))
}

impl FleetHealth {
    /// True while a check's calls are in flight.
    pub fn loading(&self) -> Option<u64> {
        self.generation.filter(|_| self.running)
    }

    /// A check's calls begin (at `at`, the instant it judges at) over
    /// `profiles`. The rows of the last check stay until their own
    /// profile's new answer replaces them, so a refresh never empties
    /// the view.
    pub fn begin(&mut self, profiles: Vec<(ProfileId, String, String)>, at: Timestamp) {
        self.checks += 1;
        self.running = true;
        self.due = None;
        self.checked_at = Some(at);
        self.turned.clear();
        self.profiles = profiles
            .into_iter()
            .map(|(id, name, region)| ProfileCheck {
                id,
                name,
                region,
                state: ProfileState::Waiting,
            })
            .collect();
    }

    /// Takes one event of the check in flight.
    pub fn apply(&mut self, event: Event<Progress, Checked>) {
        let profile = event.profile();
        let Some(line) = self.profiles.iter_mut().find(|p| p.id == profile) else {
            return;
        };
        match event {
            Event::Started { .. } => line.state = ProfileState::Listing,
            Event::Progress {
                progress: Progress::Listed { instances },
                ..
            } => {
                line.state = ProfileState::Judging {
                    judged: 0,
                    of: instances,
                }
            }
            Event::Progress {
                progress: Progress::Judged(report),
                ..
            } => {
                if let ProfileState::Judging { judged, .. } = &mut line.state {
                    *judged += 1;
                }
                self.judged(*report);
            }
            Event::Done { value, .. } => {
                line.state = ProfileState::Done {
                    instances: value.instances,
                    took: value.took,
                    truncated: value.truncated,
                };
                self.drop_older(profile);
            }
            Event::Failed { error, .. } => {
                line.state = ProfileState::Failed(error);
                // Its instances are not known now: rows from an older
                // check would read as current. The baseline stays, so the
                // next check that lists them compares to what was known.
                self.drop_older(profile);
            }
        }
    }

    /// An instance judged: its row goes in its place, replacing the one
    /// an older check gave it.
    fn judged(&mut self, report: InstanceReport) {
        let key = (report.profile_id, report.instance_id.clone());
        if let Some(at) = self
            .rows
            .iter()
            .position(|r| r.key() == (key.0, key.1.as_str()))
        {
            self.rows.remove(at);
        }
        if let Some(&from) = self.baseline.get(&key)
            && report.verdict.state > from
        {
            self.turned.push(Turned {
                profile: report.profile.clone(),
                instance_id: report.instance_id.clone(),
                instance_name: report.instance_name.clone(),
                from,
                to: report.verdict.state,
            });
        }
        let mut folded = crate::find::fold(&report.instance_name);
        folded.push('\n');
        crate::find::push_folded(&mut folded, &report.instance_id);
        let row = Row {
            report: Arc::new(report),
            check: self.checks,
            at: self.checked_at.unwrap_or_default(),
            folded,
        };
        let at = self
            .rows
            .partition_point(|r| order(&r.report, &row.report).is_lt());
        self.rows.insert(at, row);
    }

    /// Drops `profile`'s rows from checks before this one.
    fn drop_older(&mut self, profile: ProfileId) {
        let now = self.checks;
        self.rows
            .retain(|r| r.report.profile_id != profile || r.check == now);
    }

    /// True when every profile of the check in flight is done or failed.
    pub fn all_ended(&self) -> bool {
        self.profiles.iter().all(ProfileCheck::ended)
    }

    /// The check in flight ended (at `now`): what it found worse than the
    /// check before. What each profile it listed holds now is what the
    /// next check is compared to (an instance no longer listed is
    /// forgotten); a failed profile keeps what was known. A check
    /// cancelled before its end changes no baseline, so the next one
    /// still rings for what it would have.
    pub fn end(&mut self, now: Instant) -> Vec<Turned> {
        self.running = false;
        self.generation = None;
        self.ended = Some(now);
        for line in &self.profiles {
            if !matches!(line.state, ProfileState::Done { .. }) {
                continue;
            }
            let id = line.id;
            self.baseline.retain(|(p, _), _| *p != id);
            for row in self.rows.iter().filter(|r| r.report.profile_id == id) {
                self.baseline
                    .insert((id, row.report.instance_id.clone()), row.state());
            }
        }
        std::mem::take(&mut self.turned)
    }

    /// How many instances are in each state: of one profile, or of all.
    pub fn counts(&self, profile: Option<ProfileId>) -> crate::health::Counts {
        self.rows
            .iter()
            .filter(|r| profile.is_none_or(|p| r.report.profile_id == p))
            .map(Row::state)
            .collect()
    }
}

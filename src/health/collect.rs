//! Gathering a check: every profile's instances and backups, and each
//! instance's latest restorable time, judged as they arrive. The Health
//! view streams the events; `check` waits for the whole report.
//!
//! Above `fleet` (one fan-out, each profile through its own credentials)
//! and `api`; it prints and draws nothing.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::group::{Grouper, InstanceBackups};
use super::{Input, InstanceReport, Thresholds, judge};
use crate::api::{self, ListLimit};
use crate::fleet::{self, Event, ProfileId, Report, Source};

/// Profiles checked at the same time (the fleet's own limit).
pub const PROFILES_AT_ONCE: usize = fleet::PARALLEL;

/// Restore-window calls in flight at once within one profile: enough to
/// make 100 instances quick, few enough that one gateway sees no flood.
pub const RESTORE_CALLS_AT_ONCE: usize = 8;

/// What one check covers.
#[derive(Debug, Clone)]
pub struct Plan {
    pub sources: Vec<Source>,
    /// Each source's thresholds, by position in `sources`.
    pub limits: Vec<Arc<Thresholds>>,
    /// Only these instances, when any are named.
    pub only: Vec<String>,
    /// The instant every rule is judged at.
    pub now: Timestamp,
    /// The zone findings write times in.
    pub zone: TimeZone,
}

/// A profile's progress in a check.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Its instances and backups are listed: this many will be judged.
    Listed { instances: usize },
    /// One instance judged.
    Judged(Box<InstanceReport>),
}

/// A profile's check, done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub instances: usize,
    pub took: Duration,
    /// The backup listing stopped at its row limit: older backups were not
    /// read (the window's may be among them).
    pub truncated: bool,
}

/// Checks every profile of `plan`, at most [`PROFILES_AT_ONCE`] at a
/// time, telling `on_event` as each profile starts, lists, judges each
/// instance and ends. Cancelling is dropping the future.
pub async fn collect<E>(plan: &Plan, on_event: &E)
where
    E: Fn(Event<Progress, Checked>) + Sync,
{
    fleet::fan_out(
        &plan.sources,
        PROFILES_AT_ONCE,
        |source, report| one(plan, source, report),
        on_event,
    )
    .await;
}

async fn one(
    plan: &Plan,
    source: &Source,
    report: Report<'_, Progress, Checked>,
) -> Result<Checked, api::Error> {
    let started = Instant::now();
    let position = plan.sources.iter().position(|s| s.id == source.id);
    let limits = position
        .and_then(|at| plan.limits.get(at))
        .cloned()
        .unwrap_or_default();
    let mut grouper = Grouper::default();
    let mut on_page = |page: api::PageRows<api::BackupRow>| {
        for row in page.rows {
            grouper.add(row);
        }
        ControlFlow::Continue(())
    };
    let (instances, visited) = futures_util::future::join(
        source.client.list_instances(ListLimit::ALL),
        source
            .client
            .visit_project_backups(ListLimit::ALL, &mut on_page),
    )
    .await;
    let (instances, truncated) = (instances?, visited?.truncated);
    // Every instance the profile has, with or without backups; a backup of
    // an instance no longer listed still counts (it may be mid-deletion,
    // and its backups are still the operator's to see).
    let mut all: BTreeMap<String, InstanceBackups> = grouper
        .finish()
        .into_iter()
        .map(|g| (g.instance_id.clone(), g))
        .collect();
    for row in instances.rows {
        let Some(id) = row.id.filter(|id| !id.is_empty()) else {
            continue;
        };
        let entry = all.entry(id.clone()).or_insert_with(|| InstanceBackups {
            instance_id: id,
            ..InstanceBackups::default()
        });
        if let Some(name) = row.name.filter(|n| !n.is_empty()) {
            entry.instance_name = name;
        }
    }
    let wanted: Vec<InstanceBackups> = all
        .into_values()
        .filter(|g| !limits.ignore.contains(&g.instance_id))
        .filter(|g| plan.only.is_empty() || plan.only.contains(&g.instance_id))
        .collect();
    let count = wanted.len();
    tracing::debug!(
        profile = %source.profile,
        instances = count,
        ms = started.elapsed().as_millis() as u64,
        "health: listed"
    );
    report.progress(Progress::Listed { instances: count });
    let client = &source.client;
    let mut judged = stream::iter(wanted)
        .map(|g| async move {
            let restore = client.restore_windows(&g.instance_id).await;
            (g, restore)
        })
        .buffer_unordered(RESTORE_CALLS_AT_ONCE);
    while let Some((mut g, restore)) = judged.next().await {
        let restore = match restore {
            Ok(windows) => Ok(windows.latest().and_then(|t| t.timestamp())),
            Err(e) => Err(e.short_line()),
        };
        let input = Input {
            backups: &g.backups,
            unreadable: g.unreadable,
            listing: Ok(()),
            restore,
        };
        let verdict = judge(&input, &limits, plan.now, &plan.zone);
        g.backups.sort_by_key(|b| b.created);
        report.progress(Progress::Judged(Box::new(InstanceReport {
            profile_id: source.id,
            profile: source.profile.clone(),
            region: source.region.clone(),
            instance_id: g.instance_id,
            instance_name: g.instance_name,
            verdict,
            backups: g.backups,
            limits: limits.clone(),
        })));
    }
    tracing::debug!(
        profile = %source.profile,
        ms = started.elapsed().as_millis() as u64,
        "health: judged every instance"
    );
    Ok(Checked {
        instances: count,
        took: started.elapsed(),
        truncated,
    })
}

/// A whole check, for `check`: waits for every profile, then returns the
/// report sorted worst first. A failed profile is a [`super::ProfileReport`]
/// with its error; its instances are not known.
pub async fn check(plan: &Plan) -> super::Report {
    use std::sync::Mutex;
    let report = Mutex::new(super::Report::default());
    let started: Mutex<BTreeMap<ProfileId, Instant>> = Mutex::new(BTreeMap::new());
    let on_event = |event: Event<Progress, Checked>| {
        let Some(source) = plan.sources.iter().find(|s| s.id == event.profile()) else {
            return;
        };
        let mut report = report.lock().unwrap_or_else(|p| p.into_inner());
        match event {
            Event::Started { profile } => {
                started
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(profile, Instant::now());
            }
            Event::Progress {
                progress: Progress::Judged(instance),
                ..
            } => report.instances.push(*instance),
            Event::Progress { .. } => {}
            Event::Done { profile, value } => report.profiles.push(super::ProfileReport {
                profile_id: profile,
                profile: source.profile.clone(),
                region: source.region.clone(),
                error: None,
                took: value.took,
            }),
            Event::Failed { profile, error } => {
                let took = started
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get(&profile)
                    .map_or(Duration::ZERO, Instant::elapsed);
                report.profiles.push(super::ProfileReport {
                    profile_id: profile,
                    profile: source.profile.clone(),
                    region: source.region.clone(),
                    error: Some(error.short_line()),
                    took,
                });
            }
        }
    };
    if !plan.sources.is_empty() {
        collect(plan, &on_event).await;
    }
    let mut report = report.into_inner().unwrap_or_else(|p| p.into_inner());
    report.sort();
    report.profiles.sort_by_key(|p| p.profile_id);
    report
}

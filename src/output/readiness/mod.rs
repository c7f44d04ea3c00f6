//! `restore-check`'s report: the readiness sections as the JSON a script
//! reads, and (in [`text`]) as the page a person reads. A section whose
//! call failed or was not made is `null`, never an empty list: an empty
//! list would read as a fact ("no targets") that nobody established.

mod text;

use std::io::{self, Write};

use serde::Serialize;

use crate::api::{ApiTime, RestoreTarget, RestoreWindow};
use crate::readiness::{NodeRow, Part, Readiness};

pub use text::write_text;

/// The whole report, in the keys issue 12 names, plus `failed`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub backup: Option<BackupFacts>,
    pub windows: Option<Vec<Window>>,
    /// related-dn's own, else the end of the newest window; it may lie
    /// outside every window (see `latest_outside_windows`).
    pub latest_restorable_time: Option<String>,
    /// related-dn's latest restorable time is in no window read (the text
    /// says so); never serialised, the windows are there to compare.
    #[serde(skip)]
    pub latest_outside_windows: bool,
    /// The time the nodes now were asked at (the newest window's end):
    /// what the node table compares, `None` when related-dn was not asked.
    pub nodes_at: Option<String>,
    /// The joined rows as they are: their fields are the report's keys.
    pub nodes: Option<Vec<NodeRow>>,
    pub targets: Option<Vec<Target>>,
    /// Every call answered. When false, `blockers` are those of what
    /// loaded and more may be missing: an empty list is then no pass.
    pub complete: bool,
    /// Facts to check before a restore, as sentences.
    pub blockers: Vec<String>,
    /// Each call that failed, with its one-line error.
    pub failed: Vec<FailedCall>,
}

/// The backup from ShowBackup and its list row; whichever loaded fills in
/// what it knows.
#[derive(Debug, Serialize)]
pub struct BackupFacts {
    pub id: String,
    pub name: Option<String>,
    pub instance_id: String,
    pub instance_name: Option<String>,
    /// `None` when the list row did not load or has no status.
    pub status: Option<String>,
    /// RFC 3339; `None` when absent or not a time the API writes.
    pub created: Option<String>,
}

/// A point-in-time window; an end that is not a time is `None`.
#[derive(Debug, Serialize)]
pub struct Window {
    pub start: Option<String>,
    pub end: Option<String>,
    /// It ends before it starts (the text says it is not counted).
    #[serde(skip)]
    pub inverted: bool,
}

#[derive(Debug, Serialize)]
pub struct Target {
    pub instance_id: Option<String>,
    pub instance_name: Option<String>,
    pub status: Option<String>,
    /// `None` when the server did not say: unknown, not unavailable.
    pub available: Option<bool>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FailedCall {
    /// As the API reference names it: `ShowBackup`, `related-dn`, ...
    pub call: &'static str,
    pub error: String,
}

impl Report {
    /// The report of what loaded.
    pub fn of(r: &Readiness) -> Report {
        Report {
            backup: backup_facts(r),
            windows: r.windows.ready().map(|w| windows(&w.windows)),
            latest_restorable_time: r.latest_restorable_time().and_then(rfc3339),
            latest_outside_windows: r.latest_outside_windows(),
            nodes_at: r.nodes_asked_at().and_then(rfc3339),
            nodes: r.nodes(),
            targets: r
                .targets
                .ready()
                .map(|t| t.rows.iter().map(target).collect()),
            complete: r.complete(),
            blockers: r.blockers().iter().map(ToString::to_string).collect(),
            failed: r
                .failures()
                .into_iter()
                .map(|(call, e)| FailedCall {
                    call: call.name(),
                    error: e.status_line(),
                })
                .collect(),
        }
    }
}

/// Writes the report as pretty JSON with unsafe characters escaped, as
/// `show` writes a backup.
pub fn write_json(out: &mut impl Write, r: &Readiness) -> io::Result<()> {
    super::write_safe_json(out, &Report::of(r))
}

/// RFC 3339 in UTC, as the README promises (`shown::time`'s JSON form):
/// the API writes its own offset (`+0800`), and a script comparing times
/// must not have to. A time that is no time in UTC (year 9999 at -14:00)
/// is `None`.
fn rfc3339(at: ApiTime) -> Option<String> {
    crate::shown::time::json(at)
}

fn backup_facts(r: &Readiness) -> Option<BackupFacts> {
    let detail = r.detail.ready();
    let row = match &r.row {
        Part::Ready(row) => row.as_ref(),
        _ => None,
    };
    if detail.is_none() && !matches!(r.row, Part::Ready(_)) {
        return None;
    }
    let text = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
    Some(BackupFacts {
        id: r.backup_id.clone(),
        name: detail
            .and_then(|d| text(&d.name))
            .or_else(|| row.and_then(|row| row.name.clone())),
        instance_id: r.instance_id.clone(),
        instance_name: detail
            .and_then(|d| text(&d.instance_name))
            .or_else(|| row.and_then(|row| row.instance_name.clone())),
        status: row.and_then(|row| row.status.as_ref().map(|s| s.sent().to_string())),
        created: row.and_then(|row| rfc3339(row.created.as_ref()?.at()?)),
    })
}

/// Newest first, whatever order the server sent.
fn windows(list: &[RestoreWindow]) -> Vec<Window> {
    let mut sorted: Vec<&RestoreWindow> = list.iter().collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.end()));
    sorted
        .into_iter()
        .map(|w| Window {
            start: w.start().and_then(rfc3339),
            end: w.end().and_then(rfc3339),
            inverted: w.is_inverted(),
        })
        .collect()
}

fn target(t: &RestoreTarget) -> Target {
    Target {
        instance_id: t.instance_id.clone(),
        instance_name: t.instance_name.clone(),
        status: t.status.clone(),
        available: t.available,
        reason: t.unavailable_reason.clone(),
    }
}

#[cfg(test)]
mod tests;

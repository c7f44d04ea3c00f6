//! Restore readiness: what an operator checks between "this is the right
//! backup" and a restore. The backup's list row, the instance's restore
//! windows, its data nodes then and now, and the DDM instances that could
//! take the restore, each loaded on its own so one failed call hides
//! nothing else. Shared by the TUI's view and `restore-check`; nothing
//! here draws or prints.

mod blockers;
mod coverage;
mod fetch;
pub mod watch;

use crate::api::ApiTime;

use crate::api::{
    self, BackupDetail, BackupRow, Listing, RelatedDataNodesAt, RestoreTarget, RestoreWindows,
    Shortfall,
};

pub use blockers::{Blocker, MAX_NAMED_GONE};
pub use coverage::{Coverage, NodeRow, join};
pub use fetch::{find_row, load, nodes_at};

/// One section's state.
#[derive(Debug, Clone, PartialEq)]
pub enum Part<T> {
    Loading,
    Ready(T),
    Failed(api::Error),
    /// Not asked, and why (the related-dn call needs a restore time).
    Skipped(&'static str),
}

impl<T> Part<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Part::Ready(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Part::Loading)
    }

    pub fn from_result(result: Result<T, api::Error>) -> Part<T> {
        match result {
            Ok(v) => Part::Ready(v),
            Err(e) => Part::Failed(e),
        }
    }
}

/// The calls a report is made of, named as the API reference names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    ShowBackup,
    ListBackups,
    Windows,
    RelatedDn,
    Targets,
}

impl Call {
    pub fn name(self) -> &'static str {
        match self {
            Call::ShowBackup => "ShowBackup",
            Call::ListBackups => "ListBackups",
            Call::Windows => "restorable-time-interval",
            Call::RelatedDn => "related-dn",
            Call::Targets => "restorable-instances",
        }
    }
}

/// Why the related-dn call was not made.
pub const NO_WINDOW_TO_ASK: &str = "no restore window, so no restore time to compare at";
/// The same, when the windows read have none but more were not read.
pub const NO_WINDOW_READ: &str =
    "no restore window among those read, so no restore time to compare at";
/// The same, when the windows did not load.
pub const WINDOWS_FAILED: &str = "the restore windows did not load";

/// Everything known about restoring one backup.
#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    pub instance_id: String,
    pub backup_id: String,
    /// ShowBackup: the name, the instance and the nodes the backup covers.
    pub detail: Part<BackupDetail>,
    /// The backup's ListBackups row (status, type, created, size); `None`
    /// when the listing has no row for it.
    pub row: Part<Option<BackupRow>>,
    pub windows: Part<RestoreWindows>,
    /// The instance's nodes at the latest restorable time.
    pub now: Part<RelatedDataNodesAt>,
    pub targets: Part<Listing<RestoreTarget>>,
}

impl Readiness {
    /// Every section loading.
    pub fn new(instance_id: &str, backup_id: &str) -> Self {
        Readiness {
            instance_id: instance_id.to_string(),
            backup_id: backup_id.to_string(),
            detail: Part::Loading,
            row: Part::Loading,
            windows: Part::Loading,
            now: Part::Loading,
            targets: Part::Loading,
        }
    }

    /// The time to compare the nodes at: the end of the newest window.
    pub fn restore_time(&self) -> Option<ApiTime> {
        self.windows.ready().and_then(RestoreWindows::latest)
    }

    /// What the related-dn section becomes once the windows are known:
    /// `None` when it should be asked for.
    pub fn why_no_nodes_call(&self) -> Option<&'static str> {
        match &self.windows {
            Part::Ready(w) if w.latest().is_some() => None,
            Part::Ready(w) if w.shortfall().is_some() => Some(NO_WINDOW_READ),
            Part::Ready(_) => Some(NO_WINDOW_TO_ASK),
            _ => Some(WINDOWS_FAILED),
        }
    }

    /// The latest restorable time: related-dn's own field, else the end of
    /// the newest window.
    pub fn latest_restorable_time(&self) -> Option<ApiTime> {
        self.now
            .ready()
            .and_then(RelatedDataNodesAt::latest)
            .or_else(|| self.restore_time())
    }

    /// The time the nodes now were asked at (related-dn's `restore_time`,
    /// the end of the newest window), once that call was made: the time
    /// the node table compares at, whatever related-dn says is latest.
    pub fn nodes_asked_at(&self) -> Option<ApiTime> {
        match self.now {
            Part::Ready(_) | Part::Failed(_) => self.restore_time(),
            Part::Loading | Part::Skipped(_) => None,
        }
    }

    /// related-dn's own latest restorable time lies in no window that was
    /// read: it is not a time a restore can be asked at, and not the time
    /// the nodes were compared at.
    pub fn latest_outside_windows(&self) -> bool {
        let Some(latest) = self.now.ready().and_then(RelatedDataNodesAt::latest) else {
            return false;
        };
        self.windows
            .ready()
            .is_some_and(|w| !w.windows.iter().any(|w| w.holds(latest)))
    }

    /// The joined node table, once both sides are loaded. A node missing
    /// from a side that was not read whole is [`Coverage::Unknown`], not
    /// gone or added: it may be among the rows left unread.
    pub fn nodes(&self) -> Option<Vec<NodeRow>> {
        let detail = self.detail.ready()?;
        let now = self.now.ready()?;
        let mut rows = join(&detail.related_data_nodes, &now.nodes);
        let now_partial = now.shortfall().is_some();
        let backup_partial = detail.nodes_cut.is_some();
        for row in &mut rows {
            let unread = match row.coverage {
                Coverage::BackupOnly => now_partial,
                Coverage::Added => backup_partial,
                Coverage::Both | Coverage::Unknown => false,
            };
            if unread {
                row.coverage = Coverage::Unknown;
            }
        }
        Some(rows)
    }

    /// The blockers the loaded sections show; a section that failed or is
    /// still loading adds none (its failure is reported on its own).
    pub fn blockers(&self) -> Vec<Blocker> {
        self.blockers_over(self.nodes().as_deref())
    }

    /// [`Self::blockers`] with the joined nodes ([`Self::nodes`]) already
    /// at hand, so a caller that keeps them joins once.
    pub fn blockers_over(&self, nodes: Option<&[NodeRow]>) -> Vec<Blocker> {
        let mut out = Vec::new();
        match &self.row {
            Part::Ready(Some(row)) => out.extend(Blocker::from_status(row.status.as_ref())),
            Part::Ready(None) => out.push(Blocker::NotListed),
            _ => {}
        }
        // `[]` and `null` read alike: either way nothing says what the
        // backup covers, so every node now would pass as "added since".
        if let Part::Ready(d) = &self.detail
            && d.related_data_nodes.is_empty()
            && d.nodes_cut.is_none()
        {
            out.push(Blocker::NoBackupNodes);
        }
        // With windows left unread, "no window" is not a fact: the
        // shortfall is the blocker.
        if let Part::Ready(w) = &self.windows
            && w.latest().is_none()
            && w.shortfall().is_none()
        {
            out.push(Blocker::NoWindow);
        }
        if let Some(nodes) = nodes {
            out.extend(Blocker::from_nodes(nodes));
        }
        if let Part::Ready(t) = &self.targets
            && !t.rows.iter().any(|t| t.available == Some(true))
        {
            out.push(Blocker::NoTarget {
                listed: t.rows.len(),
            });
        }
        out.extend(self.unread());
        out
    }

    /// A blocker for each list read only in part: the nodes, windows or
    /// targets past the cap, or past what the server sent of its own
    /// total, were never compared.
    fn unread(&self) -> Vec<Blocker> {
        let mut out = Vec::new();
        if let Some(d) = self.detail.ready()
            && let Some(listed) = d.nodes_cut
        {
            out.push(Blocker::Unread {
                what: "data nodes in the backup",
                listed: Some(listed as u64),
                read: d.related_data_nodes.len(),
            });
        }
        let short = |what, s: Option<Shortfall>| {
            s.map(|s| Blocker::Unread {
                what,
                listed: s.listed,
                read: s.read,
            })
        };
        out.extend(short(
            "restore windows",
            self.windows.ready().and_then(RestoreWindows::shortfall),
        ));
        out.extend(short(
            "data nodes at the restore time",
            self.now.ready().and_then(RelatedDataNodesAt::shortfall),
        ));
        out.extend(short(
            "restore targets",
            self.targets.ready().and_then(Listing::shortfall),
        ));
        out
    }

    /// The calls that failed, in the report's order.
    pub fn failures(&self) -> Vec<(Call, &api::Error)> {
        let parts: [(Call, Option<&api::Error>); 5] = [
            (Call::ShowBackup, failed(&self.detail)),
            (Call::ListBackups, failed(&self.row)),
            (Call::Windows, failed(&self.windows)),
            (Call::RelatedDn, failed(&self.now)),
            (Call::Targets, failed(&self.targets)),
        ];
        parts
            .into_iter()
            .filter_map(|(call, e)| e.map(|e| (call, e)))
            .collect()
    }

    /// Every call answered: only then can "no blockers" be a fact.
    pub fn complete(&self) -> bool {
        self.settled() && self.failures().is_empty()
    }

    /// The headline a report with a failed call leads with, before
    /// anything that could read as a pass: which calls failed, and that
    /// blockers may be missing. `None` while no call has failed.
    pub fn incomplete(&self) -> Option<String> {
        let failures = self.failures();
        if failures.is_empty() {
            return None;
        }
        let names: Vec<&str> = failures.iter().map(|(call, _)| call.name()).collect();
        Some(format!(
            "Check incomplete: {} failed, so blockers may be missing",
            names.join(", ")
        ))
    }

    /// True once no section is loading.
    pub fn settled(&self) -> bool {
        !(self.detail.is_loading()
            || self.row.is_loading()
            || self.windows.is_loading()
            || self.now.is_loading()
            || self.targets.is_loading())
    }
}

fn failed<T>(part: &Part<T>) -> Option<&api::Error> {
    match part {
        Part::Failed(e) => Some(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

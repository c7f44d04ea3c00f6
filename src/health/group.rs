//! A project-wide ListBackups, grouped by instance into what the rules read.

use std::collections::BTreeMap;

use crate::api::{BackupRow, BackupStatus};

use super::{Backup, Outcome};

/// One instance's backups as the rules read them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstanceBackups {
    pub instance_id: String,
    /// The name the newest row gives it.
    pub instance_name: String,
    pub backups: Vec<Backup>,
    /// Rows whose creation time could not be read.
    pub unreadable: usize,
}

/// Groups `rows` by instance ID (rows naming none are dropped: they
/// cannot be placed), in ID order. Each row is reduced to its time,
/// outcome and size as it goes, so a fleet's listing is not kept whole.
pub fn group(rows: impl IntoIterator<Item = BackupRow>) -> Vec<InstanceBackups> {
    let mut by_id: BTreeMap<String, InstanceBackups> = BTreeMap::new();
    for row in rows {
        let Some(id) = row.instance_id.filter(|id| !id.is_empty()) else {
            continue;
        };
        let entry = by_id.entry(id.clone()).or_insert_with(|| InstanceBackups {
            instance_id: id,
            ..InstanceBackups::default()
        });
        let outcome = match row.status.as_ref().map(|s| s.kind()) {
            Some(BackupStatus::Normal) => Outcome::Normal,
            Some(BackupStatus::CreateFail) => Outcome::Failed,
            Some(BackupStatus::Creating) => Outcome::InProgress,
            _ => Outcome::Other,
        };
        let created = row
            .created
            .as_ref()
            .and_then(|t| t.at())
            .and_then(|t| t.timestamp());
        let Some(created) = created else {
            entry.unreadable += 1;
            continue;
        };
        let newest = entry.backups.iter().all(|b| b.created <= created);
        if newest && let Some(name) = row.instance_name.filter(|n| !n.is_empty()) {
            entry.instance_name = name;
        }
        entry.backups.push(Backup {
            created,
            outcome,
            bytes: row.file_size.map(|s| s.bytes().0),
        });
    }
    by_id.into_values().collect()
}

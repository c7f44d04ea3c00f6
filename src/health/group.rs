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

/// An instance's backups as they are gathered, with the time of the
/// newest row seen (whose name the instance takes).
struct Gathering {
    backups: InstanceBackups,
    newest: Option<jiff::Timestamp>,
}

/// Groups backup rows by instance as pages arrive, keeping only what the
/// rules read of each row, so a fleet's listing is never held whole.
#[derive(Default)]
pub struct Grouper {
    by_id: BTreeMap<String, Gathering>,
}

impl Grouper {
    /// Takes one row; rows naming no instance are dropped (they cannot be
    /// placed).
    pub fn add(&mut self, row: BackupRow) {
        let Some(id) = row.instance_id.filter(|id| !id.is_empty()) else {
            return;
        };
        let gathering = self.by_id.entry(id.clone()).or_insert_with(|| Gathering {
            backups: InstanceBackups {
                instance_id: id,
                ..InstanceBackups::default()
            },
            newest: None,
        });
        let entry = &mut gathering.backups;
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
            return;
        };
        if gathering.newest.is_none_or(|newest| newest <= created) {
            gathering.newest = Some(created);
            if let Some(name) = row.instance_name.filter(|n| !n.is_empty()) {
                entry.instance_name = name;
            }
        }
        entry.backups.push(Backup {
            created,
            outcome,
            bytes: row.file_size.map(|s| s.bytes().0),
        });
    }

    /// The instances seen, in ID order.
    pub fn finish(self) -> Vec<InstanceBackups> {
        self.by_id.into_values().map(|g| g.backups).collect()
    }
}

/// Groups `rows` by instance ID (see [`Grouper`]), in ID order.
pub fn group(rows: impl IntoIterator<Item = BackupRow>) -> Vec<InstanceBackups> {
    let mut grouper = Grouper::default();
    for row in rows {
        grouper.add(row);
    }
    grouper.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(json: &str) -> BackupRow {
        serde_json::from_str(json).expect("a row")
    }

    #[test]
    fn rows_are_grouped_by_instance_named_by_the_newest_and_unreadable_counted() {
        let rows = vec![
            row(
                r#"{"instance_id":"b-in09","instance_name":"new","status":"NORMAL","created":"2025-06-28T02:00:00+0000","file_size":1}"#,
            ),
            row(
                r#"{"instance_id":"b-in09","instance_name":"old","status":"createfail","created":"2025-06-27T02:00:00+0800"}"#,
            ),
            row(r#"{"instance_id":"b-in09","status":"normal","created":"yesterday"}"#),
            row(
                r#"{"instance_id":"a-in09","instance_name":"a","status":"creating","created":"2025-06-28T01:00:00Z"}"#,
            ),
            row(r#"{"status":"normal","created":"2025-06-28T01:00:00Z"}"#),
        ];
        let groups = group(rows);
        let ids: Vec<&str> = groups.iter().map(|g| g.instance_id.as_str()).collect();
        assert_eq!(ids, ["a-in09", "b-in09"]);
        let b = &groups[1];
        assert_eq!(b.instance_name, "new");
        assert_eq!(b.unreadable, 1);
        let outcomes: Vec<Outcome> = b.backups.iter().map(|x| x.outcome).collect();
        assert_eq!(outcomes, [Outcome::Normal, Outcome::Failed]);
        assert_eq!(b.backups[0].bytes, Some(1024));
        assert_eq!(groups[0].backups[0].outcome, Outcome::InProgress);
    }
}

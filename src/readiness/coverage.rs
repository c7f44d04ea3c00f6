//! The comparison no console page makes: the backup's data nodes against
//! the instance's data nodes at the latest restorable time.

use serde::Serialize;

use crate::api::{CurrentDataNode, RelatedDataNode};

/// Where a data node is: in the backup and still there, only in the
/// backup (gone since), or added to the instance since; or unknown, when
/// it is missing from a side whose list was not read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    Both,
    BackupOnly,
    Added,
    /// Not among the other side's nodes that were read, but that side
    /// lists more than were read: it may be there.
    Unknown,
}

impl Coverage {
    /// How the view says it.
    pub fn label(self) -> &'static str {
        match self {
            Coverage::Both => "in backup and now",
            Coverage::BackupOnly => "only in backup",
            Coverage::Added => "added since",
            Coverage::Unknown => "unknown: not read",
        }
    }
}

/// One row of the joined table. The now-fields are those of the node at
/// the restore time, so a node only in the backup has none of them. Its
/// field names are `restore-check`'s JSON keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeRow {
    /// Empty when neither side named it.
    pub instance_id: String,
    /// The backup's name, else the current one; `None` when neither has one.
    pub instance_name: Option<String>,
    pub coverage: Coverage,
    pub status: Option<String>,
    pub engine: Option<String>,
    pub version: Option<String>,
    pub size_bytes: Option<u64>,
}

/// How two sides recognise the same node: by ID; by name only when a node
/// carries no ID (a node replaced under the same name has a new ID and is
/// rightly gone plus added).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key<'a> {
    Id(&'a str),
    Name(&'a str),
}

fn key<'a>(id: &'a str, name: Option<&'a str>) -> Option<Key<'a>> {
    let id = id.trim();
    if !id.is_empty() {
        return Some(Key::Id(id));
    }
    name.map(str::trim).filter(|n| !n.is_empty()).map(Key::Name)
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).map(str::to_string)
}

/// Joins the two lists: the backup's nodes in the backup's order, then the
/// added ones in the server's order. A node listed twice on one side counts
/// once (the first listing wins); nodes with neither ID nor name cannot be
/// matched and are kept on their own side.
pub fn join(backup: &[RelatedDataNode], now: &[CurrentDataNode]) -> Vec<NodeRow> {
    use std::collections::{HashMap, HashSet};

    let mut now_at: HashMap<Key<'_>, usize> = HashMap::with_capacity(now.len());
    for (i, node) in now.iter().enumerate() {
        if let Some(k) = key(
            node.instance_id.as_deref().unwrap_or(""),
            node.instance_name.as_deref(),
        ) {
            now_at.entry(k).or_insert(i);
        }
    }
    let mut used = vec![false; now.len()];
    let mut seen: HashSet<Key<'_>> = HashSet::with_capacity(backup.len());
    let mut rows = Vec::with_capacity(backup.len() + now.len());
    for node in backup {
        let k = key(&node.instance_id, Some(&node.instance_name));
        if let Some(k) = &k
            && !seen.insert(k.clone())
        {
            continue;
        }
        let current = k.as_ref().and_then(|k| now_at.get(k)).copied();
        let mut row = NodeRow {
            instance_id: node.instance_id.trim().to_string(),
            instance_name: non_empty(Some(&node.instance_name)),
            coverage: Coverage::BackupOnly,
            status: None,
            engine: None,
            version: None,
            size_bytes: None,
        };
        if let Some(i) = current {
            used[i] = true;
            let n = &now[i];
            row.coverage = Coverage::Both;
            if row.instance_name.is_none() {
                row.instance_name = non_empty(n.instance_name.as_deref());
            }
            if row.instance_id.is_empty() {
                row.instance_id = n.instance_id.as_deref().unwrap_or("").trim().to_string();
            }
            fill_now(&mut row, n);
        }
        rows.push(row);
    }
    for (i, n) in now.iter().enumerate() {
        let k = key(
            n.instance_id.as_deref().unwrap_or(""),
            n.instance_name.as_deref(),
        );
        // Skip matched nodes and later listings of an already-listed one.
        let first = k.as_ref().is_none_or(|k| now_at.get(k) == Some(&i));
        if used[i] || !first {
            continue;
        }
        let mut row = NodeRow {
            instance_id: n.instance_id.as_deref().unwrap_or("").trim().to_string(),
            instance_name: non_empty(n.instance_name.as_deref()),
            coverage: Coverage::Added,
            status: None,
            engine: None,
            version: None,
            size_bytes: None,
        };
        fill_now(&mut row, n);
        rows.push(row);
    }
    rows
}

fn fill_now(row: &mut NodeRow, n: &CurrentDataNode) {
    row.status = non_empty(n.instance_status.as_deref());
    row.engine = non_empty(n.engine_name.as_deref());
    row.version = non_empty(n.version.as_deref());
    row.size_bytes = n.data_volume_size;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backup(id: &str, name: &str) -> RelatedDataNode {
        RelatedDataNode {
            instance_id: id.into(),
            instance_name: name.into(),
        }
    }

    fn now(id: Option<&str>, name: Option<&str>, status: &str) -> CurrentDataNode {
        CurrentDataNode {
            instance_id: id.map(Into::into),
            instance_name: name.map(Into::into),
            instance_status: Some(status.into()),
            engine_name: Some("MySQL".into()),
            data_volume_size: Some(1 << 30),
            version: Some("8.0".into()),
        }
    }

    fn summary(rows: &[NodeRow]) -> Vec<(String, Option<String>, Coverage)> {
        rows.iter()
            .map(|r| (r.instance_id.clone(), r.instance_name.clone(), r.coverage))
            .collect()
    }

    #[test]
    fn backup_order_first_then_added_in_server_order() {
        let rows = join(
            &[backup("a", "A"), backup("b", "B"), backup("c", "C")],
            &[
                now(Some("z"), Some("Z"), "ACTIVE"),
                now(Some("c"), Some("C"), "ACTIVE"),
                now(Some("a"), Some("A"), "ACTIVE"),
                now(Some("y"), Some("Y"), "ACTIVE"),
            ],
        );
        let c = |id: &str, cov| (id.to_string(), Some(id.to_uppercase()), cov);
        assert_eq!(
            summary(&rows),
            [
                c("a", Coverage::Both),
                c("b", Coverage::BackupOnly),
                c("c", Coverage::Both),
                c("z", Coverage::Added),
                c("y", Coverage::Added),
            ]
        );
        // Only nodes present now carry the current fields.
        assert_eq!(rows[0].status.as_deref(), Some("ACTIVE"));
        assert_eq!(rows[0].size_bytes, Some(1 << 30));
        assert_eq!(rows[1].status, None);
        assert_eq!(rows[1].size_bytes, None);
    }

    #[test]
    fn duplicates_count_once_on_each_side() {
        let rows = join(
            &[backup("a", "A"), backup("a", "A again"), backup("b", "B")],
            &[
                now(Some("a"), Some("A"), "ACTIVE"),
                now(Some("a"), Some("A"), "STALE"),
                now(Some("n"), Some("N"), "ACTIVE"),
                now(Some("n"), Some("N"), "ACTIVE"),
            ],
        );
        assert_eq!(
            summary(&rows),
            [
                ("a".into(), Some("A".into()), Coverage::Both),
                ("b".into(), Some("B".into()), Coverage::BackupOnly),
                ("n".into(), Some("N".into()), Coverage::Added),
            ]
        );
        assert_eq!(rows[0].status.as_deref(), Some("ACTIVE"));
    }

    #[test]
    fn missing_names_and_ids() {
        let rows = join(
            &[backup("a", ""), backup("", "by-name"), backup("", "")],
            &[
                now(Some("a"), Some("current name"), "ACTIVE"),
                now(None, Some("by-name"), "ACTIVE"),
                now(None, None, "ACTIVE"),
                now(Some("  "), Some(""), "ACTIVE"),
            ],
        );
        assert_eq!(
            summary(&rows),
            [
                // The current name fills in a name the backup lacks.
                ("a".into(), Some("current name".into()), Coverage::Both),
                // A node without an ID is matched by its name.
                ("".into(), Some("by-name".into()), Coverage::Both),
                // Nodes naming nothing cannot be matched: each stays on its side.
                ("".into(), None, Coverage::BackupOnly),
                ("".into(), None, Coverage::Added),
                ("".into(), None, Coverage::Added),
            ]
        );
    }

    #[test]
    fn same_name_new_id_is_gone_and_added() {
        let rows = join(
            &[backup("old", "shard-01")],
            &[now(Some("new"), Some("shard-01"), "ACTIVE")],
        );
        let coverage: Vec<_> = rows.iter().map(|r| r.coverage).collect();
        assert_eq!(coverage, [Coverage::BackupOnly, Coverage::Added]);
    }

    #[test]
    fn empty_sides() {
        assert!(join(&[], &[]).is_empty());
        let only_backup = join(&[backup("a", "A")], &[]);
        assert_eq!(only_backup[0].coverage, Coverage::BackupOnly);
        let only_now = join(&[], &[now(Some("a"), None, "x")]);
        assert_eq!(only_now[0].coverage, Coverage::Added);
        assert_eq!(only_now[0].instance_name, None);
    }

    #[test]
    fn coverage_serialises_as_the_issue_names_it() {
        let names: Vec<String> = [
            Coverage::Both,
            Coverage::BackupOnly,
            Coverage::Added,
            Coverage::Unknown,
        ]
        .iter()
        .map(|c| serde_json::to_string(c).unwrap())
        .collect();
        assert_eq!(
            names,
            [
                r#""both""#,
                r#""backup_only""#,
                r#""added""#,
                r#""unknown""#
            ]
        );
    }
}

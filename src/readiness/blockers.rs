//! The facts that stand in the way of a restore. They are things to check,
//! not a verdict: the console may still allow a restore, and a failed call
//! hides the facts it would have shown.

use crate::api::{BackupStatus, Status};
use std::fmt;

use super::coverage::{Coverage, NodeRow};
use crate::terminal_text::{escape, sanitize};

/// The most gone data nodes named one by one among the blockers.
pub const MAX_NAMED_GONE: usize = 5;

/// One fact that stands in the way of a restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// The backup's list row says `creating`, `createfail` or something else.
    NotNormal { status: String },
    /// Its instance's backup list has no row for it, so its status is unknown.
    NotListed,
    /// ShowBackup names no data node (`[]`, `null` or no list at all), so
    /// nothing shows the backup covers any of the instance's nodes.
    NoBackupNodes,
    /// The instance has no point-in-time window.
    NoWindow,
    /// A data node of the backup is not among the instance's nodes now.
    NodeGone {
        instance_id: String,
        instance_name: Option<String>,
    },
    /// More than [`MAX_NAMED_GONE`] of them: one line says how many (the
    /// node table marks each), rather than thousands of lines.
    NodesGone { count: usize },
    /// No restore target says it is available (none may be listed at all).
    NoTarget { listed: usize },
    /// A list was longer than the client read (its cap, or a server that
    /// sent fewer rows than its own total), so what lies past it was never
    /// compared: "no blocker" would not be a fact.
    Unread {
        /// What the list holds, as the sentence names it.
        what: &'static str,
        /// How many the server said or sent; `None` when it did not say.
        listed: Option<u64>,
        read: usize,
    },
}

impl Blocker {
    /// The backup's status, when it is not `normal`.
    pub fn from_status(status: Option<&Status>) -> Option<Blocker> {
        match status {
            Some(s) if *s.kind() == BackupStatus::Normal => None,
            // Escaped, not cleaned: "normal\u{200b}" is not normal, and
            // "the backup is normal, not normal" would contradict itself.
            Some(other) => Some(Blocker::NotNormal {
                status: escape(other.sent()).into_owned(),
            }),
            None => Some(Blocker::NotNormal {
                status: "unknown (the list row has none)".to_string(),
            }),
        }
    }

    /// One per data node of the backup that is gone now, or one for all
    /// of them when there are more than [`MAX_NAMED_GONE`].
    pub fn from_nodes(nodes: &[NodeRow]) -> Vec<Blocker> {
        let gone = || nodes.iter().filter(|n| n.coverage == Coverage::BackupOnly);
        let count = gone().count();
        if count > MAX_NAMED_GONE {
            return vec![Blocker::NodesGone { count }];
        }
        gone()
            .map(|n| Blocker::NodeGone {
                instance_id: n.instance_id.clone(),
                instance_name: n.instance_name.clone(),
            })
            .collect()
    }
}

impl fmt::Display for Blocker {
    /// Server text is cleaned of what a terminal would obey.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocker::NotNormal { status } => write!(f, "the backup is {status}, not normal"),
            Blocker::NotListed => f.write_str(
                "the backup is not in its instance's backup list, so its status is unknown",
            ),
            Blocker::NoBackupNodes => f.write_str(
                "the backup names no data node (its node list is empty or missing), \
                 so it cannot be shown to cover any",
            ),
            Blocker::NoWindow => f.write_str("the instance has no point-in-time restore window"),
            Blocker::NodeGone {
                instance_id,
                instance_name,
            } => {
                let id = if instance_id.is_empty() {
                    "no ID"
                } else {
                    instance_id
                };
                match instance_name {
                    Some(name) => write!(
                        f,
                        "data node {} ({}) is in the backup but not in the instance now",
                        sanitize(name),
                        sanitize(id)
                    ),
                    None => write!(
                        f,
                        "data node {} is in the backup but not in the instance now",
                        sanitize(id)
                    ),
                }
            }
            Blocker::NodesGone { count } => write!(
                f,
                "{count} data nodes of the backup are not in the instance now (marked only in backup)"
            ),
            Blocker::NoTarget { listed: 0 } => {
                f.write_str("no DDM instance is listed as a restore target")
            }
            Blocker::NoTarget { listed } => write!(
                f,
                "none of the {listed} restore targets says it is available"
            ),
            Blocker::Unread {
                what,
                listed: Some(listed),
                read,
            } => write!(
                f,
                "only {read} of {listed} {what} were read, so a blocker may be missing"
            ),
            Blocker::Unread {
                what,
                listed: None,
                read,
            } => write!(
                f,
                "the server lists more than {read} {what}; only the first {read} were read, \
                 so a blocker may be missing"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gone(n: usize) -> Vec<NodeRow> {
        (0..n)
            .map(|i| NodeRow {
                instance_id: format!("n{i}"),
                instance_name: None,
                coverage: Coverage::BackupOnly,
                status: None,
                engine: None,
                version: None,
                size_bytes: None,
            })
            .collect()
    }

    #[test]
    fn many_gone_nodes_are_one_blocker() {
        assert_eq!(
            Blocker::from_nodes(&gone(MAX_NAMED_GONE)).len(),
            MAX_NAMED_GONE
        );
        assert_eq!(
            Blocker::from_nodes(&gone(MAX_NAMED_GONE + 1)),
            [Blocker::NodesGone {
                count: MAX_NAMED_GONE + 1
            }]
        );
        assert_eq!(Blocker::from_nodes(&[]), []);
    }

    #[test]
    fn words() {
        assert_eq!(Blocker::from_status(Some(&Status::parse("normal"))), None);
        assert_eq!(Blocker::from_status(Some(&Status::parse("NORMAL"))), None);
        assert_eq!(
            Blocker::from_status(Some(&Status::parse("creating")))
                .unwrap()
                .to_string(),
            "the backup is creating, not normal"
        );
        assert_eq!(
            Blocker::from_status(Some(&Status::parse("x\u{1b}[31m")))
                .unwrap()
                .to_string(),
            "the backup is x\\u{1b}[31m, not normal"
        );
        assert_eq!(
            Blocker::from_status(Some(&Status::parse("normal\u{200b}")))
                .unwrap()
                .to_string(),
            "the backup is normal\\u{200b}, not normal"
        );
        let gone = Blocker::NodeGone {
            instance_id: "d1in01".into(),
            instance_name: Some("shard-05".into()),
        };
        assert_eq!(
            gone.to_string(),
            "data node shard-05 (d1in01) is in the backup but not in the instance now"
        );
        assert_eq!(
            Blocker::NoBackupNodes.to_string(),
            "the backup names no data node (its node list is empty or missing), \
             so it cannot be shown to cover any"
        );
        assert_eq!(
            Blocker::NodesGone { count: 6 }.to_string(),
            "6 data nodes of the backup are not in the instance now (marked only in backup)"
        );
        assert_eq!(
            Blocker::NoTarget { listed: 3 }.to_string(),
            "none of the 3 restore targets says it is available"
        );
        assert_eq!(
            Blocker::Unread {
                what: "restore windows",
                listed: Some(10_010),
                read: 10_000
            }
            .to_string(),
            "only 10000 of 10010 restore windows were read, so a blocker may be missing"
        );
        assert!(
            Blocker::Unread {
                what: "restore targets",
                listed: None,
                read: 5
            }
            .to_string()
            .starts_with("the server lists more than 5 restore targets;")
        );
    }
}

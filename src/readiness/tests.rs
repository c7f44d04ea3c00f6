//! Blockers and failures from the sections that loaded.

use super::*;
use crate::api::{CurrentDataNode, RelatedDataNode, RestoreWindow};

fn detail(nodes: &[&str]) -> BackupDetail {
    BackupDetail {
        id: "b1".into(),
        name: "Backup".into(),
        instance_id: "i1".into(),
        instance_name: "ddm".into(),
        related_data_nodes: nodes
            .iter()
            .map(|id| RelatedDataNode {
                instance_id: id.to_string(),
                instance_name: format!("name-{id}"),
            })
            .collect(),
        nodes_cut: None,
    }
}

fn row(status: &str) -> BackupRow {
    BackupRow {
        id: Some("b1".into()),
        status: Some(status.into()),
        ..BackupRow::default()
    }
}

fn windows(ends: &[&str]) -> RestoreWindows {
    RestoreWindows {
        windows: ends
            .iter()
            .map(|end| RestoreWindow {
                start_time: Some("2025-06-01T00:00:00+0000".into()),
                end_time: Some(end.to_string()),
            })
            .collect(),
        total: None,
        truncated: false,
    }
}

fn now(ids: &[&str]) -> RelatedDataNodesAt {
    RelatedDataNodesAt {
        nodes: ids
            .iter()
            .map(|id| CurrentDataNode {
                instance_id: Some(id.to_string()),
                ..CurrentDataNode::default()
            })
            .collect(),
        latest_restorable_time: Some("2025-06-29T08:30:00+0000".into()),
        ..RelatedDataNodesAt::default()
    }
}

fn targets(available: &[Option<bool>]) -> Listing<RestoreTarget> {
    Listing {
        rows: available
            .iter()
            .map(|a| RestoreTarget {
                available: *a,
                ..RestoreTarget::default()
            })
            .collect(),
        total: None,
        truncated: false,
    }
}

fn all_good() -> Readiness {
    let mut r = Readiness::new("i1", "b1");
    r.detail = Part::Ready(detail(&["a", "b"]));
    r.row = Part::Ready(Some(row("normal")));
    r.windows = Part::Ready(windows(&["2025-06-29T08:30:00+0000"]));
    r.now = Part::Ready(now(&["a", "b", "c"]));
    r.targets = Part::Ready(targets(&[Some(false), Some(true)]));
    r
}

fn failure() -> api::Error {
    api::Error::InvalidId(crate::ids::check_id(crate::ids::IdField::Instance, "$").unwrap_err())
}

#[test]
fn nothing_in_the_way() {
    let r = all_good();
    assert!(r.settled());
    assert_eq!(r.blockers(), []);
    assert!(r.failures().is_empty());
    let nodes = r.nodes().unwrap();
    assert_eq!(nodes.len(), 3);
    assert_eq!(nodes[2].coverage, Coverage::Added);
    assert_eq!(
        r.latest_restorable_time(),
        api::parse_api_time("2025-06-29T08:30:00+0000")
    );
}

#[test]
fn every_blocker_at_once() {
    let mut r = all_good();
    r.row = Part::Ready(Some(row("creating")));
    r.windows = Part::Ready(windows(&[]));
    r.now = Part::Ready(now(&["a"]));
    r.targets = Part::Ready(targets(&[None, Some(false)]));
    let words: Vec<String> = r.blockers().iter().map(ToString::to_string).collect();
    assert_eq!(
        words,
        [
            "the backup is creating, not normal",
            "the instance has no point-in-time restore window",
            "data node name-b (b) is in the backup but not in the instance now",
            "none of the 2 restore targets says it is available",
        ]
    );
    r.row = Part::Ready(None);
    r.targets = Part::Ready(targets(&[]));
    let first_and_last: Vec<Blocker> = r.blockers();
    assert_eq!(first_and_last[0], Blocker::NotListed);
    assert_eq!(
        first_and_last.last(),
        Some(&Blocker::NoTarget { listed: 0 })
    );
}

#[test]
fn failed_and_loading_sections_add_no_blockers() {
    let mut r = Readiness::new("i1", "b1");
    assert!(!r.settled());
    assert_eq!(r.blockers(), []);
    r.detail = Part::Ready(detail(&["a"]));
    r.row = Part::Failed(failure());
    r.windows = Part::Failed(failure());
    r.now = Part::Skipped(WINDOWS_FAILED);
    r.targets = Part::Failed(failure());
    assert!(r.settled());
    assert_eq!(r.blockers(), []);
    assert_eq!(r.nodes(), None);
    let calls: Vec<&str> = r.failures().iter().map(|(c, _)| c.name()).collect();
    assert_eq!(
        calls,
        [
            "ListBackups",
            "restorable-time-interval",
            "restorable-instances"
        ]
    );
}

#[test]
fn the_nodes_call_needs_a_window() {
    let mut r = Readiness::new("i1", "b1");
    assert_eq!(r.why_no_nodes_call(), Some(WINDOWS_FAILED));
    r.windows = Part::Ready(windows(&[]));
    assert_eq!(r.why_no_nodes_call(), Some(NO_WINDOW_TO_ASK));
    r.windows = Part::Ready(windows(&["not a time"]));
    assert_eq!(r.why_no_nodes_call(), Some(NO_WINDOW_TO_ASK));
    r.windows = Part::Ready(windows(&["2025-06-29T08:30:00+0000"]));
    assert_eq!(r.why_no_nodes_call(), None);
    assert!(r.restore_time().is_some());
}

#[test]
fn nodes_past_what_was_read_are_unknown_not_gone() {
    // b is not among the one node read, but the server lists four more.
    let mut r = all_good();
    r.now = Part::Ready(RelatedDataNodesAt {
        total: Some(5),
        ..now(&["a"])
    });
    let coverage: Vec<Coverage> = r.nodes().unwrap().iter().map(|n| n.coverage).collect();
    assert_eq!(coverage, [Coverage::Both, Coverage::Unknown]);
    assert_eq!(
        r.blockers(),
        [Blocker::Unread {
            what: "data nodes at the restore time",
            listed: Some(5),
            read: 1
        }]
    );
    // Stopped at the cap with no total: the same, "more than".
    r.now = Part::Ready(RelatedDataNodesAt {
        truncated: true,
        ..now(&["a"])
    });
    assert_eq!(r.nodes().unwrap()[1].coverage, Coverage::Unknown);
    assert!(matches!(
        r.blockers()[..],
        [Blocker::Unread {
            listed: None,
            read: 1,
            ..
        }]
    ));
    // A total at or below what was read says nothing: b is gone.
    r.now = Part::Ready(RelatedDataNodesAt {
        total: Some(1),
        ..now(&["a"])
    });
    assert_eq!(r.nodes().unwrap()[1].coverage, Coverage::BackupOnly);
    assert!(matches!(r.blockers()[..], [Blocker::NodeGone { .. }]));
}

#[test]
fn windows_past_what_was_read_do_not_prove_there_is_none() {
    let mut r = all_good();
    r.windows = Part::Ready(RestoreWindows {
        total: Some(3),
        ..windows(&[])
    });
    assert_eq!(r.why_no_nodes_call(), Some(NO_WINDOW_READ));
    r.now = Part::Skipped(NO_WINDOW_READ);
    assert_eq!(
        r.blockers(),
        [Blocker::Unread {
            what: "restore windows",
            listed: Some(3),
            read: 0
        }]
    );
    // Read whole and empty: no window is a fact.
    r.windows = Part::Ready(windows(&[]));
    assert_eq!(r.blockers(), [Blocker::NoWindow]);
}

#[test]
fn related_dns_latest_time_outside_every_window_is_named() {
    let mut r = all_good();
    assert!(!r.latest_outside_windows());
    assert_eq!(r.nodes_asked_at(), r.restore_time());
    if let Part::Ready(now) = &mut r.now {
        now.latest_restorable_time = Some("2025-07-01T00:00:00+0000".into());
    }
    assert!(r.latest_outside_windows());
    // The nodes were still asked at the window's end.
    assert_eq!(
        r.nodes_asked_at(),
        api::parse_api_time("2025-06-29T08:30:00+0000")
    );
    // An unreadable one says nothing; nor does one without windows.
    if let Part::Ready(now) = &mut r.now {
        now.latest_restorable_time = Some("soon".into());
    }
    assert!(!r.latest_outside_windows());
    r.now = Part::Skipped(WINDOWS_FAILED);
    assert_eq!(r.nodes_asked_at(), None);
}

//! The report's JSON keys and nulls, and the text page's words and times.

use jiff::tz::TimeZone;

use super::*;
use crate::api::{
    BackupDetail, BackupRow, CurrentDataNode, Listing, RelatedDataNode, RelatedDataNodesAt,
    RestoreWindows,
};

fn failure() -> crate::api::Error {
    crate::api::Error::InvalidId(
        crate::ids::check_id(crate::ids::IdField::Instance, "$").unwrap_err(),
    )
}

fn loaded() -> Readiness {
    let mut r = Readiness::new("i1-in09", "b1-br09");
    r.detail = Part::Ready(BackupDetail {
        id: "b1-br09".into(),
        name: "nightly".into(),
        instance_id: "i1-in09".into(),
        instance_name: "ddm-orders".into(),
        related_data_nodes: ["kept", "gone"]
            .iter()
            .map(|id| RelatedDataNode {
                instance_id: format!("{id}-in01"),
                instance_name: format!("shard-{id}\u{1b}[31m"),
            })
            .collect(),
        nodes_cut: None,
    });
    r.row = Part::Ready(Some(BackupRow {
        id: Some("b1-br09".into()),
        status: Some("normal".into()),
        created: Some("2025-06-27T02:00:00+0000".into()),
        ..BackupRow::default()
    }));
    // Oldest first on purpose: the report puts the newest first.
    r.windows = Part::Ready(RestoreWindows {
        windows: [
            ("2025-06-20T00:00:00+0000", "2025-06-25T12:00:00+0000"),
            ("2025-06-27T02:00:00+0000", "2025-06-29T08:30:00.000+0000"),
        ]
        .iter()
        .map(|(s, e)| RestoreWindow {
            start_time: Some(s.to_string()),
            end_time: Some(e.to_string()),
        })
        .collect(),
        total: None,
        truncated: false,
    });
    r.now = Part::Ready(RelatedDataNodesAt {
        nodes: ["kept", "new"]
            .iter()
            .map(|id| CurrentDataNode {
                instance_id: Some(format!("{id}-in01")),
                instance_name: Some(format!("shard-{id}")),
                instance_status: Some("ACTIVE".into()),
                engine_name: Some("MySQL".into()),
                data_volume_size: Some(40 << 30),
                version: Some("8.0.28".into()),
            })
            .collect(),
        latest_restorable_time: Some("2025-06-29T08:30:00+0000".into()),
        ..RelatedDataNodesAt::default()
    });
    r.targets = Part::Ready(Listing {
        rows: vec![
            RestoreTarget {
                instance_id: Some("t1-in09".into()),
                instance_name: Some("ddm-restore".into()),
                status: Some("RUNNING".into()),
                available: Some(true),
                ..RestoreTarget::default()
            },
            RestoreTarget {
                instance_id: Some("t2-in09".into()),
                instance_name: Some("ddm-old".into()),
                status: Some("RUNNING".into()),
                available: Some(false),
                unavailable_reason: Some("engine too old".into()),
                ..RestoreTarget::default()
            },
        ],
        total: Some(2),
        truncated: false,
    });
    r
}

fn json(r: &Readiness) -> serde_json::Value {
    let mut out = Vec::new();
    write_json(&mut out, r).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn text(r: &Readiness, zone: &TimeZone, width: usize) -> String {
    let mut out = Vec::new();
    write_text(&mut out, r, zone, width).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn json_has_the_issues_keys_and_values() {
    let mut out = Vec::new();
    write_json(&mut out, &loaded()).unwrap();
    let raw = String::from_utf8(out).unwrap();
    let v = json(&loaded());
    let keys = [
        "backup",
        "windows",
        "latest_restorable_time",
        "nodes_at",
        "nodes",
        "targets",
        "complete",
        "blockers",
        "failed",
    ];
    assert_eq!(v.as_object().unwrap().len(), keys.len(), "{raw}");
    // In this order in the text, as the issue lists them.
    let at: Vec<usize> = keys
        .iter()
        .map(|k| raw.find(&format!("\n  \"{k}\": ")).unwrap())
        .collect();
    assert!(at.is_sorted(), "{raw}");
    assert_eq!(
        v["backup"],
        serde_json::json!({"id": "b1-br09", "name": "nightly", "instance_id": "i1-in09",
            "instance_name": "ddm-orders", "status": "normal", "created": "2025-06-27T02:00:00Z"})
    );
    assert_eq!(v["windows"][0]["end"], "2025-06-29T08:30:00Z");
    assert_eq!(v["windows"][1]["start"], "2025-06-20T00:00:00Z");
    assert_eq!(v["latest_restorable_time"], "2025-06-29T08:30:00Z");
    assert_eq!(v["nodes_at"], "2025-06-29T08:30:00Z");
    let coverage: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["coverage"].as_str().unwrap())
        .collect();
    assert_eq!(coverage, ["both", "backup_only", "added"]);
    assert_eq!(v["nodes"][0]["size_bytes"], 40u64 << 30);
    assert_eq!(v["nodes"][0]["engine"], "MySQL");
    assert_eq!(v["nodes"][1]["status"], serde_json::Value::Null);
    assert_eq!(v["targets"][1]["available"], false);
    assert_eq!(v["targets"][1]["reason"], "engine too old");
    assert_eq!(v["blockers"].as_array().unwrap().len(), 1);
    assert_eq!(v["complete"], true);
    assert_eq!(v["failed"], serde_json::json!([]));
    // The escape from the server stays exact in the data, inert in the text.
    assert_eq!(v["nodes"][1]["instance_name"], "shard-gone\u{1b}[31m");
}

#[test]
fn a_failed_or_skipped_section_is_null_not_empty() {
    let mut r = loaded();
    r.windows = Part::Failed(failure());
    r.now = Part::Skipped(crate::readiness::WINDOWS_FAILED);
    r.targets = Part::Failed(failure());
    let v = json(&r);
    assert!(v["windows"].is_null() && v["nodes"].is_null() && v["targets"].is_null());
    assert!(v["latest_restorable_time"].is_null() && v["nodes_at"].is_null());
    let calls: Vec<&str> = v["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["call"].as_str().unwrap())
        .collect();
    assert_eq!(calls, ["restorable-time-interval", "restorable-instances"]);
    assert_eq!(v["complete"], false, "blockers [] is no pass here");
    assert!(v["failed"][0]["error"].as_str().unwrap().contains('$'));
    // ShowBackup failing leaves the row's facts; both failing, no backup.
    r.detail = Part::Failed(failure());
    assert_eq!(json(&r)["backup"]["status"], "normal");
    assert!(json(&r)["backup"]["name"].is_null());
    r.row = Part::Failed(failure());
    assert!(json(&r)["backup"].is_null());
}

#[test]
fn text_leads_with_blockers_and_says_they_are_not_a_verdict() {
    let plus8 = TimeZone::fixed(jiff::tz::offset(8));
    let page = text(&loaded(), &plus8, 200);
    let blockers = page.find("Blockers (1): facts to check").unwrap();
    assert!(page.contains("not a verdict"), "{page}");
    assert!(blockers < page.find("Restore windows").unwrap(), "{page}");
    // Local time, newest first.
    assert!(
        page.contains("Created        2025-06-27 10:00:00\n"),
        "{page}"
    );
    let newer = page.find("2025-06-27 10:00:00  to  2025-06-29 16:30:00\n");
    let older = page.find("2025-06-20 08:00:00  to  2025-06-25 20:00:00\n");
    assert!(newer.unwrap() < older.unwrap(), "{page}");
    for words in [
        "in backup and now",
        "only in backup",
        "added since",
        "COVERAGE",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    assert!(page.contains("40.0 GB"), "sizes are bytes: {page}");
    assert!(
        page.contains("ddm-old is not available: engine too old"),
        "{page}"
    );
    assert!(!page.contains("Failed calls"), "{page}");
    assert!(
        page.chars()
            .all(|c| c == '\n' || !crate::terminal_text::is_unsafe(c)),
        "{page:?}"
    );
}

#[test]
fn text_names_failed_calls_and_why_sections_are_empty() {
    let mut r = loaded();
    r.now = Part::Failed(failure());
    r.targets = Part::Ready(Listing {
        rows: vec![],
        total: Some(0),
        truncated: false,
    });
    let page = text(&r, &TimeZone::UTC, 80);
    // Said first, before anything that could read as a pass.
    let headline = page
        .find("Check incomplete: related-dn failed, so blockers may be missing (see Failed calls below)")
        .unwrap_or_else(|| panic!("{page}"));
    let blockers = page
        .find("Blockers (1) in what loaded: facts to check")
        .unwrap();
    assert!(headline < blockers, "{page}");
    assert!(!page.contains("none found"), "{page}");
    assert!(
        page.contains("Data nodes: not compared: not loaded (related-dn failed: see below)"),
        "{page}"
    );
    assert!(page.contains("Restore targets: none listed"), "{page}");
    assert!(page.contains("Failed calls"), "{page}");
    assert!(page.contains("  related-dn: "), "{page}");
    r.windows = Part::Ready(RestoreWindows::default());
    r.now = Part::Skipped(crate::readiness::NO_WINDOW_TO_ASK);
    let page = text(&r, &TimeZone::UTC, 80);
    assert!(page.contains("Restore windows: none"), "{page}");
    assert!(page.contains("not asked: no restore window"), "{page}");
    r.detail = Part::Failed(failure());
    let page = text(&r, &TimeZone::UTC, 80);
    assert!(
        page.contains("Data nodes: not compared: not loaded (ShowBackup failed: see below)"),
        "{page}"
    );
}

#[test]
fn tables_fit_eighty_columns_keeping_coverage_and_ids() {
    let mut r = loaded();
    if let Part::Ready(now) = &mut r.now {
        now.nodes[0].instance_id = Some("3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01".into());
    }
    let mut out = Vec::new();
    let dropped = write_text(&mut out, &r, &TimeZone::UTC, 80).unwrap();
    let page = String::from_utf8(out).unwrap();
    let table: Vec<&str> = page.lines().filter(|l| l.starts_with("shard")).collect();
    assert_eq!(table.len(), 4, "{page}");
    assert!(table.iter().all(|l| crate::cells::width(l) <= 80), "{page}");
    assert!(page.contains("only in backup"), "{page}");
    assert!(!dropped.contains(&"COVERAGE") && !dropped.contains(&"ID"));
}

#[test]
fn the_nodes_are_said_at_the_time_asked_not_related_dns_latest() {
    // related-dn was asked at the newest window's end and answered with a
    // latest restorable time in no window.
    let mut r = loaded();
    if let Part::Ready(now) = &mut r.now {
        now.latest_restorable_time = Some("2025-07-01T00:00:00+0000".into());
    }
    let page = text(&r, &TimeZone::UTC, 200);
    assert!(
        page.contains("Data nodes: in the backup, and at 2025-06-29 08:30:00\n"),
        "{page}"
    );
    assert!(
        page.contains(
            "related-dn's latest restorable time 2025-07-01 00:00:00 is outside every window\n"
        ),
        "{page}"
    );
    let v = json(&r);
    assert_eq!(v["nodes_at"], "2025-06-29T08:30:00Z");
    assert_eq!(v["latest_restorable_time"], "2025-07-01T00:00:00Z");
    // Inside a window, it is the latest restorable time, said plainly.
    if let Part::Ready(now) = &mut r.now {
        now.latest_restorable_time = Some("2025-06-28T00:00:00+0000".into());
    }
    let page = text(&r, &TimeZone::UTC, 200);
    assert!(
        page.contains("newest first); latest restorable time 2025-06-28 00:00:00\n"),
        "{page}"
    );
    assert!(!page.contains("outside every window"), "{page}");
}

#[test]
fn an_incomplete_check_never_reads_as_a_pass() {
    // No blocker in what loaded, and related-dn failed.
    let mut r = loaded();
    if let Part::Ready(d) = &mut r.detail {
        d.related_data_nodes.truncate(1);
    }
    r.now = Part::Failed(failure());
    let page = text(&r, &TimeZone::UTC, 200);
    let mut lines = page.lines().skip_while(|l| !l.is_empty()).skip(1);
    assert_eq!(
        lines.next(),
        Some(
            "Check incomplete: related-dn failed, so blockers may be missing (see Failed calls below)"
        ),
        "{page}"
    );
    assert_eq!(
        lines.next(),
        Some("Blockers: none in what loaded (not a verdict)"),
        "{page}"
    );
    assert!(!page.contains("none found"), "{page}");
    let v = json(&r);
    assert_eq!(
        (&v["complete"], &v["blockers"]),
        (&false.into(), &serde_json::json!([]))
    );
    // Every call answered and nothing in the way: the plain words.
    r.now = loaded().now;
    if let Part::Ready(now) = &mut r.now {
        now.nodes.truncate(1);
    }
    let page = text(&r, &TimeZone::UTC, 200);
    assert!(
        page.contains("Blockers: none found (facts to check, not a verdict)"),
        "{page}"
    );
    assert!(!page.contains("incomplete"), "{page}");
    assert_eq!(json(&r)["complete"], true);
}

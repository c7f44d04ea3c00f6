//! The view with windows no honest server sends: more than the parser
//! keeps, and ones that end before they start; and strings full of what
//! a terminal obeys.

use crate::api::{Listing, RestoreTarget, RestoreWindow, RestoreWindows};
use crate::tui::App;
use crate::tui::test_support::*;

use super::Answer;

fn window(start: &str, end: &str) -> RestoreWindow {
    RestoreWindow {
        start_time: Some(start.into()),
        end_time: Some(end.into()),
    }
}

/// The view with `windows` answered, every other call as the demo, on a
/// screen tall enough for the windows section.
fn with_windows(windows: RestoreWindows) -> App {
    let mut a = readiness_opened();
    a.width = 140;
    a.height = 60;
    answer_readiness(&mut a, Answer::Row(Ok(Some(demo_row()))));
    answer_readiness(&mut a, Answer::Windows(Ok(windows)));
    a
}

#[test]
fn windows_past_the_cap_are_counted_once() {
    // The parser kept 10,000 of the 10,010 sent; 20 are shown.
    let kept: Vec<RestoreWindow> = (0..10_000)
        .map(|i| {
            let day = 1 + i % 28;
            window(
                &format!("2025-05-{day:02}T00:00:00+0000"),
                &format!("2025-05-{day:02}T01:00:00+0000"),
            )
        })
        .collect();
    let a = with_windows(RestoreWindows {
        windows: kept,
        total: Some(10_010),
        truncated: true,
    });
    let text = screen_text(&a);
    assert!(text.contains("and 9990 older windows"), "{text}");
}

#[test]
fn a_window_that_ends_before_it_starts_is_marked_and_not_counted() {
    let a = with_windows(RestoreWindows {
        windows: vec![window(
            "2025-06-05T00:00:00+0000",
            "2025-06-04T00:00:00+0000",
        )],
        total: None,
        truncated: false,
    });
    let text = screen_text(&a);
    assert!(
        text.contains("(ends before it starts: not counted)"),
        "{text}"
    );
    assert!(
        text.contains("the instance has no point-in-time restore window"),
        "{text}"
    );
    assert!(text.contains("not asked: no restore window"), "{text}");
}

/// Clears the screen, sets the clipboard (OSC 52), reverses the text
/// after it and breaks the line: all of it must be gone from the screen.
const EVIL: &str = "e\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\u{202e}\u{2028}\u{9b}31mvil";

fn evil_app() -> App {
    use crate::api::{
        BackupDetail, BackupRow, CurrentDataNode, Listing, RelatedDataNode, RelatedDataNodesAt,
        RestoreTarget,
    };
    let evil = || Some(EVIL.to_string());
    let mut a = loaded_with(BackupDetail {
        id: "nodes-br09".into(),
        name: EVIL.into(),
        instance_id: "demo-in09".into(),
        instance_name: EVIL.into(),
        related_data_nodes: vec![RelatedDataNode {
            instance_id: "n1-in01".into(),
            instance_name: EVIL.into(),
        }],
        nodes_cut: None,
    });
    a.width = 160;
    a.height = 60;
    press(&mut a, crossterm::event::KeyCode::Char('R'));
    let row = BackupRow {
        id: Some("nodes-br09".into()),
        instance_id: Some("demo-in09".into()),
        status: Some(EVIL.into()),
        backup_type: evil(),
        created: Some(EVIL.into()),
        ..BackupRow::default()
    };
    answer_readiness(&mut a, Answer::Row(Ok(Some(row))));
    answer_readiness(
        &mut a,
        Answer::Windows(Ok(RestoreWindows {
            windows: vec![
                window("2025-06-01T00:00:00+0000", "2025-06-02T00:00:00+0000"),
                window(EVIL, EVIL),
            ],
            total: None,
            truncated: false,
        })),
    );
    let node = |id: &str| CurrentDataNode {
        instance_id: Some(id.into()),
        instance_name: evil(),
        instance_status: evil(),
        engine_name: evil(),
        data_volume_size: Some(u64::MAX),
        version: evil(),
    };
    answer_readiness(
        &mut a,
        Answer::Now(Ok(RelatedDataNodesAt {
            nodes: vec![node("n1-in01"), node("n2-in01")],
            latest_restorable_time: evil(),
            total: None,
            truncated: false,
        })),
    );
    let target = RestoreTarget {
        instance_id: Some("t1-in09".into()),
        instance_name: evil(),
        status: evil(),
        available: Some(false),
        unavailable_reason: evil(),
        vpc_name: evil(),
    };
    answer_readiness(
        &mut a,
        Answer::Targets(Ok(Listing {
            rows: vec![target],
            total: None,
            truncated: false,
        })),
    );
    a
}

fn assert_clean(text: &str) {
    assert!(
        text.chars()
            .all(|c| c == '\n' || !crate::terminal_text::is_unsafe(c)),
        "{text:?}"
    );
}

#[test]
fn hostile_strings_are_drawn_cleaned_in_every_section_and_footer() {
    let mut a = evil_app();
    let text = screen_text(&a);
    assert_clean(&text);
    assert!(text.contains("e[2J]52;c;aGk= 31mvil"), "{text}");
    assert!(text.contains("> 999 PB"), "{text}");
    // The targets in focus: the footer says the row whole (reason, VPC).
    press(&mut a, crossterm::event::KeyCode::Tab);
    let text = screen_text(&a);
    assert_clean(&text);
    assert!(text.contains("Selected target:"), "{text}");
    assert!(text.contains("not available: e[2J"), "{text}");
}

#[test]
fn a_hostile_error_message_is_drawn_cleaned() {
    let mut a = readiness_opened();
    a.width = 160;
    a.height = 60;
    answer_readiness(
        &mut a,
        Answer::Targets(Err(api_error_with(500, EVIL, EVIL))),
    );
    let text = screen_text(&a);
    assert_clean(&text);
    assert!(
        text.contains("restorable-instances: 500 Internal Server Error e[2J]52;c;aGk= 31mvil"),
        "{text}"
    );
}

/// The view with `n` targets, every other one unavailable with a reason,
/// the targets table in focus.
fn with_targets(n: usize) -> App {
    let mut a = readiness_loaded();
    a.width = 100;
    a.height = 30;
    let rows = (0..n)
        .map(|i| RestoreTarget {
            instance_id: Some(format!("{i:032x}in09")),
            instance_name: Some(format!("target-{i:06}")),
            status: Some("RUNNING".into()),
            available: Some(i % 2 == 0),
            unavailable_reason: (i % 2 == 1).then(|| format!("reason of target {i}")),
            vpc_name: None,
        })
        .collect();
    let listing = Listing {
        rows,
        total: Some(n as u64),
        truncated: false,
    };
    // The demo's targets are answered; a reload asks again.
    press(&mut a, crossterm::event::KeyCode::Char('r'));
    answer_readiness(&mut a, Answer::Targets(Ok(listing)));
    press(&mut a, crossterm::event::KeyCode::Tab);
    a
}

#[test]
fn a_hundred_thousand_targets_scroll_to_the_right_row_and_its_note() {
    let mut a = with_targets(100_000);
    press(&mut a, crossterm::event::KeyCode::Char('G'));
    let text = screen_text(&a);
    let last = text
        .lines()
        .position(|l| l.contains("▶ target-099999"))
        .unwrap_or_else(|| panic!("the last row is selected and shown: {text}"));
    assert!(
        text.lines()
            .nth(last + 1)
            .is_some_and(|l| l.contains("not available: reason of target 99999")),
        "its note under it: {text}"
    );
    // 100,000 rows and 50,000 notes: the count in the border says so.
    assert!(text.contains("/150"), "{text}");
    press(&mut a, crossterm::event::KeyCode::Char('k'));
    let text = screen_text(&a);
    assert!(text.contains("▶ target-099998"), "{text}");
    assert!(text.contains("  target-099999"), "{text}");
    press(&mut a, crossterm::event::KeyCode::Char('g'));
    let text = screen_text(&a);
    assert!(text.contains("▶ target-000000"), "{text}");
    assert!(!text.contains("target-099999"), "{text}");
}

#[test]
fn nodes_now_past_what_was_read_are_unknown_not_gone() {
    // The server lists 12 nodes now but sent 4: shards 04 and 05 of the
    // backup are not among them, which proves nothing.
    let mut a = readiness_opened();
    a.width = 160;
    a.height = 60;
    answer_readiness(&mut a, Answer::Row(Ok(Some(demo_row()))));
    answer_readiness(&mut a, Answer::Windows(Ok(demo_windows())));
    let mut now = demo_now();
    now.nodes.truncate(4);
    now.total = Some(12);
    answer_readiness(&mut a, Answer::Now(Ok(now)));
    answer_readiness(&mut a, Answer::Targets(Ok(demo_targets())));
    let text = screen_text(&a);
    assert!(
        text.contains("the instance lists 12 nodes now; only 4 were read"),
        "{text}"
    );
    assert!(
        text.contains("only 4 of 12 data nodes at the restore time were read"),
        "{text}"
    );
    assert!(text.contains("unknown: not read"), "{text}");
    assert!(!text.contains("only in backup"), "{text}");
    assert!(!text.contains("not in the instance now"), "{text}");
}

#[test]
fn a_latest_time_outside_every_window_is_named_so() {
    let mut a = readiness_opened();
    a.width = 160;
    a.height = 60;
    answer_readiness(&mut a, Answer::Windows(Ok(demo_windows())));
    let mut now = demo_now();
    now.latest_restorable_time = Some("2025-07-01T00:00:00+0000".into());
    answer_readiness(&mut a, Answer::Now(Ok(now)));
    let text = screen_text(&a);
    assert!(
        text.contains("(related-dn's latest restorable time: outside every window)"),
        "{text}"
    );
    // The nodes are said at the time they were asked at.
    assert!(text.contains("now = 2025-06-29"), "{text}");
}

#[test]
fn a_backup_that_names_no_data_node_is_a_blocker_in_the_view() {
    use crate::api::parse_backup;
    for body in [
        &include_bytes!("../../../assets/demo/empty.json")[..],
        &include_bytes!("../../../assets/demo/null.json")[..],
    ] {
        let mut a = loaded_with(parse_backup(body).unwrap());
        a.width = 160;
        a.height = 60;
        crate::tui::test_support::press(&mut a, crossterm::event::KeyCode::Char('R'));
        answer_readiness(&mut a, Answer::Row(Ok(Some(demo_row()))));
        answer_readiness(&mut a, Answer::Windows(Ok(demo_windows())));
        answer_readiness(&mut a, Answer::Now(Ok(demo_now())));
        answer_readiness(&mut a, Answer::Targets(Ok(demo_targets())));
        let text = screen_text(&a);
        assert!(text.contains("Blockers (1)"), "{text}");
        assert!(
            text.contains("the backup names no data node (its node list is empty or missing)"),
            "{text}"
        );
        assert!(!text.contains("No blockers"), "{text}");
    }
}

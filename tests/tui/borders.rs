//! Drawing at every size: with wide-br09's CJK and emoji names, the
//! 10,000-node backup and each overlay open in turn, no wide glyph hides a
//! cell after it (a border or a cut would be lost on a real terminal), box
//! edges run unbroken, and the bottom rows stay the status bar and hints.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::api::{BackupDetail, Bytes, parse_backup};
use ddm_backups::tui::App;
use ddm_backups::tui::msg::Msg;
use ddm_backups::tui::picker::PickRow;
use ddm_backups::tui::readiness::Answer;
use ddm_backups::tui::test_support::*;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

const WIDTHS: &[u16] = &[40, 41, 57, 80, 81, 120, 200];
const HEIGHTS: &[u16] = &[12, 13, 24, 30, 60];

fn wide() -> BackupDetail {
    let body = include_bytes!("../../assets/demo/wide.json");
    parse_backup(body).expect("the demo's wide backup parses")
}

fn bulk() -> BackupDetail {
    let mut d = nodes_detail(10_000);
    d.name = "Backup-ddm-bulk-订单中心-🚀-10000-nodes".into();
    d
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    send(app, Msg::Key(KeyEvent::new(code, modifiers)));
}

/// A row of the backup picker with a wide name.
fn pick_row(i: usize) -> PickRow {
    PickRow {
        id: format!("{i:032x}br09"),
        name: format!("订单库-备份-🚀-{i}-Backup-ddm-orders-archive-cold-storage"),
        status: "COMPLETED".into(),
        kind: "auto".into(),
        created: "2025-06-26T02:00:00+0000".into(),
        size: Some(Bytes(170 * 1024)),
    }
}

/// Each base screen, then each overlay open over it in turn.
fn states() -> Vec<(String, App)> {
    let mut out = Vec::new();
    for (base, detail) in [("wide", wide()), ("bulk", bulk())] {
        let loaded = loaded_with(detail);
        out.push((base.to_string(), loaded.clone()));
        // A row in the middle of the list, where a centred popup would
        // fall.
        let mut node = loaded.clone();
        for _ in 0..if base == "bulk" { 14 } else { 3 } {
            press(&mut node, KeyCode::Char('j'));
        }
        for _ in 0..if base == "bulk" { 7 } else { 1 } {
            press(&mut node, KeyCode::Char('k'));
        }
        press(&mut node, KeyCode::Enter);
        out.push((format!("{base} node popup"), node));
        for (what, c) in [
            ("help", '?'),
            ("fields", 'd'),
            ("messages", 'M'),
            ("switcher", 'p'),
            ("save", 's'),
        ] {
            let mut a = loaded.clone();
            press(&mut a, KeyCode::Char(c));
            out.push((format!("{base} {what}"), a));
        }
        let mut history = loaded.clone();
        key(&mut history, KeyCode::Char('r'), KeyModifiers::CONTROL);
        out.push((format!("{base} history"), history));
        let mut picker = loaded.clone();
        press(&mut picker, KeyCode::Char('b'));
        let generation = picker.generation;
        send(
            &mut picker,
            Msg::ListPage {
                profile: ddm_backups::fleet::ProfileId(0),
                generation,
                rows: (0..30).map(pick_row).collect(),
                scanned: 30,
                total: Some(30),
            },
        );
        out.push((format!("{base} picker"), picker));
    }
    out.extend(readiness_states());
    out.extend(find_states());
    let mut error = submitted_with("demo-in09", "e502-br09");
    answer(&mut error, Err(every_error().remove(7).1));
    press(&mut error, KeyCode::Char('e'));
    out.push(("error popup".into(), error));
    let mut password = submitted_with("demo-in09", "wide-br09");
    send(
        &mut password,
        Msg::PasswordWanted {
            question: "IAM password for 订单中心-🚀 operator@example.com in cn-north-4".into(),
        },
    );
    out.push(("password".into(), password));
    out
}

/// Find: typing, loaded with one profile failing, and results with CJK
/// and emoji names and a long error.
fn find_states() -> Vec<(String, App)> {
    let mut short = find_app();
    find_typed(&mut short, "or");
    let mut out = vec![
        ("find short".to_string(), short),
        ("find loaded".to_string(), find_loaded()),
    ];
    let mut wide = find_app();
    find_typed(&mut wide, "orders");
    let rows = (0..40)
        .map(|n| {
            let mut f = found("demo", "cn-north-4", n * 3);
            f.backup_name = Some(format!("订单库-备份-🚀-{n}-Backup-ddm-orders-archive"));
            f.instance_name = Some("订单中心-分布式-🚀-orders".into());
            f.backup_id = Some(format!("{n:032x}br09"));
            f
        })
        .collect();
    find_started(&mut wide, "demo");
    find_page(&mut wide, "demo", 40, 3_400, rows);
    let long = api_error_with(
        401,
        "APIGW.0301",
        &"订单 the token must be updated ".repeat(8),
    );
    find_failed(&mut wide, "demo-ap", long);
    out.push(("find wide".into(), wide.clone()));
    press(&mut wide, KeyCode::Tab);
    press(&mut wide, KeyCode::Char('G'));
    out.push(("find wide last".into(), wide));
    out
}

/// The readiness view as the demo fills it, and over the wide backup with
/// CJK and emoji names everywhere, a long reason and a failed call.
fn readiness_states() -> Vec<(String, App)> {
    let mut out = vec![("readiness".to_string(), readiness_loaded())];
    let mut a = loaded_with(wide());
    press(&mut a, KeyCode::Char('R'));
    let mut row = demo_row();
    row.name = Some("订单库-备份-🚀-Backup-ddm-orders-archive-cold-storage-2025".into());
    answer_readiness(&mut a, Answer::Row(Ok(Some(row))));
    answer_readiness(&mut a, Answer::Windows(Ok(demo_windows())));
    let mut now = demo_now();
    for (i, node) in now.nodes.iter_mut().enumerate() {
        node.instance_name = Some(format!("订单中心-分片-🚀-{i}-rds-orders-shard-long-name"));
    }
    answer_readiness(&mut a, Answer::Now(Ok(now)));
    let mut targets = demo_targets();
    for t in &mut targets.rows {
        t.instance_name = Some("恢复目标-🚀-ddm-orders-restore-target-with-a-long-name".into());
        t.vpc_name = Some("虚拟私有云-vpc-orders".into());
        t.unavailable_reason = t
            .unavailable_reason
            .as_ref()
            .map(|r| format!("{r} 目标实例的引擎版本过旧。{r}"));
    }
    answer_readiness(&mut a, Answer::Targets(Ok(targets)));
    out.push(("readiness wide".into(), a.clone()));
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('G'));
    out.push(("readiness wide targets".into(), a));
    let mut failed = readiness_opened();
    answer_readiness(&mut failed, Answer::Windows(Err(every_error().remove(7).1)));
    out.push(("readiness failed".into(), failed));
    out
}

fn is_box(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| ('\u{2500}'..='\u{257f}').contains(&c))
}

fn problems(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    let at = |x: u16, y: u16| buf[(x, y)].symbol();
    let mut found = Vec::new();
    for y in 0..area.height {
        for x in 0..area.width {
            let s = at(x, y);
            // The cell a wide glyph covers must stay blank: a terminal
            // would never show what is written there.
            if s.width() > 1 {
                if x + 1 >= area.width {
                    found.push(format!("wide {s:?} at the right edge ({x},{y})"));
                } else if !matches!(at(x + 1, y), " " | "") {
                    found.push(format!("wide {s:?} at ({x},{y}) hides {:?}", at(x + 1, y)));
                }
            }
            // A box's left and right edges run down from its corners until
            // its own bottom corner or another box in front of it.
            let (corner, end) = match s {
                "┌" => ("┌", "└"),
                "┐" => ("┐", "┘"),
                _ => continue,
            };
            for below in y + 1..area.height {
                let c = at(x, below);
                if c == end || (c != "│" && is_box(c)) {
                    break;
                }
                if c != "│" {
                    found.push(format!(
                        "edge under {corner} ({x},{y}) broken at ({x},{below}) by {c:?}"
                    ));
                    break;
                }
            }
        }
    }
    // The status bar and the hint line are never covered.
    for y in area.height.saturating_sub(2)..area.height {
        for x in 0..area.width {
            if is_box(at(x, y)) {
                found.push(format!("a border on the status rows at ({x},{y})"));
                break;
            }
        }
    }
    found
}

/// The list's `▶` with its row after it, not a popup's border.
fn selected_row_shown(buf: &Buffer) -> bool {
    let area = buf.area;
    (0..area.height).any(|y| {
        (0..area.width.saturating_sub(2))
            .any(|x| buf[(x, y)].symbol() == "▶" && !is_box(buf[(x + 2, y)].symbol()))
    })
}

#[test]
fn borders_hold_at_every_size_with_every_overlay() {
    let mut failures = Vec::new();
    for (name, state) in states() {
        for &w in WIDTHS {
            for &h in HEIGHTS {
                let mut a = state.clone();
                let mut terminal = draw(&mut a, w, h);
                // The frame as the app drew it, before the diff to the
                // terminal drops the cells a wide glyph covers.
                let mut drawn = Buffer::empty(ratatui::layout::Rect::new(0, 0, w, h));
                terminal
                    .draw(|f| {
                        ddm_backups::tui::ui::render(f, &a);
                        drawn = f.buffer_mut().clone();
                    })
                    .expect("test backend");
                for p in problems(&drawn) {
                    failures.push(format!("{name} at {w}x{h} (as drawn): {p}"));
                }
                let buffer = terminal.backend().buffer();
                for p in problems(buffer) {
                    failures.push(format!("{name} at {w}x{h}: {p}"));
                }
                // The node popup leaves the row it describes in sight.
                if name.ends_with("node popup") && !selected_row_shown(buffer) {
                    failures.push(format!("{name} at {w}x{h}: the selected row is hidden"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
}

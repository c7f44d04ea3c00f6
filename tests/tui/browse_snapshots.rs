//! The browsing screens: pickers (loading, loaded, filtered, empty,
//! failed), the history, the profile switcher, the node popup, the save
//! prompt and the detail pane's list facts.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::history::{Entry, Loaded, Outcome};
use ddm_backups::tui::App;
use ddm_backups::tui::msg::Msg;
use ddm_backups::tui::picker::{PickRow, PickerLoad};
use ddm_backups::tui::profiles::ProfileInfo;
use ddm_backups::tui::test_support::*;

fn snap(name: &str, app: &mut App, width: u16, height: u16) {
    let terminal = draw(app, width, height);
    assert_screen!("tui_browse_snapshots", name, terminal.backend());
}

fn instance(id: &str, name: &str, status: &str, created: &str) -> PickRow {
    PickRow {
        id: id.into(),
        name: name.into(),
        status: status.into(),
        kind: "3.1.4".into(),
        created: created.into(),
        size: None,
    }
}

fn backup(i: usize) -> PickRow {
    PickRow {
        id: format!("{i:02}c4e1f0a9b84d2e8f1a7b3c5d9e0f12br09"),
        name: format!("Backup-ddm-orders-prod-2025060{}T020000", i % 10),
        status: if i == 3 { "createfail" } else { "normal" }.into(),
        kind: if i.is_multiple_of(3) {
            "manual"
        } else {
            "auto"
        }
        .into(),
        created: format!("2025-06-{:02}T02:00:00+0000", 28 - i).into(),
        size: Some(ddm_backups::api::Bytes((130 + 37 * i as u64) * 1024 * 1024)),
    }
}

/// Opens the instance picker (Enter on the empty field) and returns its
/// listing's generation.
fn open_instances(a: &mut App) -> u64 {
    press(a, KeyCode::Enter);
    a.picker()
        .as_ref()
        .and_then(|p| match p.load {
            PickerLoad::Loading { generation, .. } => Some(generation),
            _ => None,
        })
        .expect("loading")
}

fn instances_loaded() -> App {
    let mut a = app();
    let generation = open_instances(&mut a);
    send(
        &mut a,
        Msg::ListPage {
            profile: ddm_backups::fleet::ProfileId(0),
            generation,
            rows: vec![
                instance(
                    "34970585d4964f2a8d6d9ea8d303398bin09",
                    "ddm-diagnose3",
                    "RUNNING",
                    "2025-05-20T05:40:00+0000",
                ),
                instance(
                    "demo-in09",
                    "ddm-demo-orders",
                    "RUNNING",
                    "2025-01-08T09:12:00+0000",
                ),
                instance(
                    "pages-in09",
                    "ddm-demo-archive",
                    "BACKUP",
                    "2024-11-02T16:30:00+0000",
                ),
            ],
            scanned: 3,
            total: Some(3),
        },
    );
    send(
        &mut a,
        Msg::ListDone {
            profile: ddm_backups::fleet::ProfileId(0),
            generation,
            result: Ok(false),
        },
    );
    a
}

/// The backup picker of demo-in09, with `pages` pages of 12 arrived.
fn backups_loading(pages: usize, done: bool) -> App {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Enter);
    let generation = a.picker().and_then(|p| p.loading()).expect("loading");
    for page in 0..pages {
        send(
            &mut a,
            Msg::ListPage {
                profile: ddm_backups::fleet::ProfileId(0),
                generation,
                rows: (page * 12..page * 12 + 12).map(backup).collect(),
                scanned: page * 12 + 12,
                total: Some(24),
            },
        );
    }
    if done {
        send(
            &mut a,
            Msg::ListDone {
                profile: ddm_backups::fleet::ProfileId(0),
                generation,
                result: Ok(false),
            },
        );
    }
    a
}

#[test]
fn instance_picker() {
    snap("picker_instances_80x24", &mut instances_loaded(), 80, 24);
    snap("picker_instances_40x12", &mut instances_loaded(), 40, 12);
}

#[test]
fn backup_picker_while_pages_arrive_and_when_done() {
    let mut a = backups_loading(1, false);
    // The spinner's time comes from ticks, never from a clock read in render.
    if let Some(picker) = a.overlays.picker_mut()
        && let PickerLoad::Loading { started, now, .. } = &mut picker.load
    {
        *now = *started + Duration::from_millis(1300);
    }
    snap("picker_backups_loading_80x24", &mut a, 80, 24);
    snap(
        "picker_backups_done_120x30",
        &mut backups_loading(2, true),
        120,
        30,
    );
    // The ID says which row is which from 80 columns, shortened in the
    // middle when it must be; at 40 the name and ID outlast the rest.
    snap(
        "picker_backups_done_80x24",
        &mut backups_loading(2, true),
        80,
        24,
    );
    snap(
        "picker_backups_done_40x12",
        &mut backups_loading(2, true),
        40,
        12,
    );
}

#[test]
fn backup_picker_filtered_and_sorted() {
    let mut a = backups_loading(2, true);
    press(&mut a, KeyCode::Char('/'));
    type_str(&mut a, "20250601");
    snap("picker_backups_filter_typing_80x24", &mut a, 80, 24);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('o'));
    press(&mut a, KeyCode::Char('o'));
    press(&mut a, KeyCode::Char('o'));
    snap("picker_backups_filtered_by_size_80x24", &mut a, 80, 24);
}

#[test]
fn picker_empty_and_failed() {
    let mut a = app();
    let generation = open_instances(&mut a);
    snap("picker_instances_waiting_80x24", &mut a, 80, 24);
    send(
        &mut a,
        Msg::ListDone {
            profile: ddm_backups::fleet::ProfileId(0),
            generation,
            result: Ok(false),
        },
    );
    snap("picker_instances_none_80x24", &mut a, 80, 24);
    let mut a = app();
    let generation = open_instances(&mut a);
    send(
        &mut a,
        Msg::ListDone {
            profile: ddm_backups::fleet::ProfileId(0),
            generation,
            result: Err(api_error_with(
                403,
                "DBS.280001",
                "You do not have permission to list instances.",
            )),
        },
    );
    snap("picker_instances_failed_80x24", &mut a, 80, 24);
}

#[test]
fn picked_backup_shows_its_list_facts() {
    let mut a = backups_loading(2, true);
    press(&mut a, KeyCode::Enter);
    let mut detail = nodes_detail(3);
    detail.id = a.slot().backup.value().to_string();
    answer(&mut a, Ok(detail));
    snap("detail_with_list_facts_80x24", &mut a, 80, 24);
}

fn entry(profile: &str, backup: &str, minutes: u8, outcome: Outcome) -> Entry {
    Entry {
        profile: profile.into(),
        instance_id: "demo-in09".into(),
        instance_name: "ddm-demo-orders".into(),
        backup_id: backup.into(),
        backup_name: format!("Backup-{backup}"),
        at: format!("2026-11-27T09:{minutes:02}:00Z"),
        outcome,
    }
}

#[test]
fn history_view() {
    let mut a = app();
    a.restore_history(Loaded {
        entries: vec![
            entry(
                "demo-eu",
                "e404-br09",
                40,
                Outcome::Failed {
                    summary: "404 Not Found DBS.280001".into(),
                },
            ),
            entry("demo", "nodes-br09", 35, Outcome::Ok { nodes: 6 }),
            entry("demo", "bulk-br09", 30, Outcome::Ok { nodes: 10_000 }),
            // The demo's empty and null lookups: same name, same outcome,
            // told apart only by their IDs.
            Entry {
                backup_name: "Backup-ddm-demo-empty".into(),
                ..entry("demo", "empty-br09", 25, Outcome::Ok { nodes: 0 })
            },
            Entry {
                backup_name: "Backup-ddm-demo-empty".into(),
                ..entry("demo", "null-br09", 20, Outcome::Ok { nodes: 0 })
            },
        ],
        warning: None,
    });
    send(
        &mut a,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    snap("history_80x24", &mut a, 80, 24);
    snap("history_40x12", &mut a, 40, 12);
    snap("history_140x30", &mut a, 140, 30);
    let mut empty = app();
    send(
        &mut empty,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    snap("history_empty_80x24", &mut empty, 80, 24);
}

#[test]
fn profile_switcher() {
    let mut a = loaded_with(nodes_detail(3));
    a.set_profiles(
        vec![
            profile_info("demo", "cn-north-4", "127.0.0.1:8080", "token"),
            profile_info("demo-eu", "eu-west-101", "127.0.0.1:8080", "aksk"),
            ProfileInfo {
                problem: Some("ca_file /etc/ddm/ca.pem: not found".into()),
                ..profile_info(
                    "private",
                    "cn-north-9",
                    "ddm.hcs.example.internal",
                    "password",
                )
            },
        ],
        0,
    );
    press(&mut a, KeyCode::Char('p'));
    press(&mut a, KeyCode::Char('j'));
    snap("switcher_100x30", &mut a, 100, 30);
    snap("switcher_80x24", &mut a, 80, 24);
    snap("switcher_40x12", &mut a, 40, 12);
    // A region is never cut into what reads as another region.
    let screen = format!("{:?}", draw(&mut a, 40, 12).backend());
    assert!(screen.contains("eu-west-101"), "{screen}");
    // A lookup left running in demo: the switcher says so in words.
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('r'));
    press(&mut a, KeyCode::Char('p'));
    press(&mut a, KeyCode::Char('2'));
    // demo-eu's form has the focus, and demo-eu is idle: Esc leaves it.
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('p'));
    snap("switcher_busy_100x30", &mut a, 100, 30);
}

#[test]
fn node_popup_and_save_prompt() {
    let mut a = loaded_with(nodes_detail(3));
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Enter);
    snap("node_popup_80x24", &mut a, 80, 24);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('s'));
    snap("save_prompt_80x24", &mut a, 80, 24);
    send(
        &mut a,
        Msg::Saved(Err(ddm_backups::tui::msg::SaveProblem::Exists(
            "./nodes-br09.json".into(),
        ))),
    );
    snap("save_confirm_80x24", &mut a, 80, 24);
}

#[test]
fn the_ticks_of_a_loading_picker_redraw_and_nothing_else_does() {
    let mut a = backups_loading(1, false);
    assert!(a.ticking());
    assert!(a.update(Msg::Tick, Instant::now()).redraw);
    let mut done = backups_loading(1, true);
    assert!(!done.ticking());
    assert!(!done.update(Msg::Tick, Instant::now()).redraw);
}

/// A picker and a history with long names, 36-character IDs and long
/// outcomes: no cell may be drawn over the right border at any size.
#[test]
fn overlays_stay_inside_their_border_at_every_size() {
    let mut picker = app();
    let generation = open_instances(&mut picker);
    send(
        &mut picker,
        Msg::ListPage {
            profile: ddm_backups::fleet::ProfileId(0),
            generation,
            rows: (0..30)
                .map(|i| {
                    instance(
                        &format!("{i:02}970585d4964f2a8d6d9ea8d303398bin09"),
                        &format!("ddm-prod-order-center-{i:02}-with-a-long-name"),
                        "RUNNING",
                        "2025-05-20T05:40:00+0000",
                    )
                })
                .collect(),
            scanned: 30,
            total: Some(30),
        },
    );
    let mut backups = backups_loading(2, true);
    press(&mut backups, KeyCode::Char('G'));
    let mut history = app();
    history.restore_history(Loaded {
        entries: (0..50)
            .map(|i| Entry {
                profile: "production-cn-north-4".into(),
                instance_id: format!("{i:02}970585d4964f2a8d6d9ea8d303398bin09"),
                instance_name: "ddm-prod-order-center-01".into(),
                backup_id: format!("{i:02}902ee7866649b8908ec209bfee2747br09"),
                backup_name: "Backup-ddm-prod-order-center-01-20250520T020000".into(),
                at: "2026-11-27T09:15:02Z".into(),
                outcome: Outcome::Failed {
                    summary: "HTTP 404 Not Found DBS.280238: The backup does not exist.".into(),
                },
            })
            .collect(),
        warning: None,
    });
    send(
        &mut history,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    press(&mut history, KeyCode::Char('G'));
    for (name, state) in [
        ("instances", picker),
        ("backups", backups),
        ("history", history),
    ] {
        for w in [40, 41, 50, 60, 79, 80, 100, 120, 200] {
            for h in [12, 13, 19, 20, 24, 40] {
                let mut a = state.clone();
                let terminal = draw(&mut a, w, h);
                let buffer = terminal.backend().buffer();
                for y in 2..h - 3 {
                    let edge = buffer[(w - 1, y)].symbol();
                    assert_eq!(edge, "│", "{name} at {w}x{h}: row {y} ends in {edge:?}");
                }
                // The selection stays on screen after the resize.
                let marked = (2..h - 3).any(|y| buffer[(1, y)].symbol() == "▶");
                assert!(marked, "{name} at {w}x{h}: no selected row on screen");
            }
        }
    }
}

#[test]
fn the_compact_detail_pane_carries_the_list_facts_too() {
    let mut a = backups_loading(2, true);
    press(&mut a, KeyCode::Enter);
    let mut detail = nodes_detail(3);
    detail.id = a.slot().backup.value().to_string();
    answer(&mut a, Ok(detail));
    snap("detail_with_list_facts_100x16", &mut a, 100, 16);
}

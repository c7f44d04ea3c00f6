//! The TUI's hot paths with the bulk demo backup's 10,000 related nodes:
//! one full frame at 200x60 (budget 2 ms), parsing the response (5 ms), and
//! re-filtering the list on a keystroke (1 ms). And the backup picker at its
//! cap of 2,000 rows: a filter keystroke (1 ms) and a frame with it open.
//! And a 1 MB paste, which is cut to the field's limit before insertion.
//! And the readiness view over the 10k-node backup: a frame and a key.
//! And the Health view with 800 instances: a frame and a key.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ddm_backups::api::{self, Bytes, Fetched};
use ddm_backups::tui::input::TextField;
use ddm_backups::tui::msg::Msg;
use ddm_backups::tui::overlay::Overlay;
use ddm_backups::tui::picker::{PICKER_CAP, PickRow, Picker, PickerKind};
use ddm_backups::tui::rows::NodeList;
use ddm_backups::tui::test_support::{header, press};
use ddm_backups::tui::{App, HelpInfo, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NODES: usize = 10_000;

/// A ShowBackup body like the demo's bulk-br09: 10,000 nodes, about 1 MB.
fn bulk_body() -> Vec<u8> {
    let nodes: Vec<serde_json::Value> = (0..NODES as u64)
        .map(|i| {
            let a = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            serde_json::json!({
                "instance_id": format!("{:016x}{:016x}in01", a, a.rotate_left(17)),
                "instance_name": format!("rds-bulk-shard-{i:05}"),
            })
        })
        .collect();
    serde_json::json!({
        "id": "bulk-br09",
        "name": "Backup-ddm-bulk-10000-data-nodes",
        "instance_id": "demo-in09",
        "instance_name": "ddm-bulk",
        "related_data_nodes": nodes,
    })
    .to_string()
    .into_bytes()
}

/// An app showing the bulk backup, with the selection in the middle.
fn loaded_app(body: &[u8]) -> App {
    let header = header();
    let mut app = App::new(
        header,
        HelpInfo::default(),
        Some("demo-in09"),
        Some("bulk-br09"),
    );
    app.update(
        Msg::Resize {
            width: 200,
            height: 60,
        },
        Instant::now(),
    );
    app.start(Instant::now());
    let value = api::parse_backup(body).expect("bulk body parses");
    app.update(
        Msg::Fetched {
            profile: ddm_backups::fleet::ProfileId(0),
            generation: app.generation,
            result: Ok(Fetched {
                value,
                status: 200,
                elapsed: Duration::from_millis(143),
                request_id: Some("bench".into()),
                attempts: 1,
            }),
            clock: ddm_backups::tui::test_support::CLOCK,
        },
        Instant::now(),
    );
    for _ in 0..5 {
        press(&mut app, KeyCode::PageDown);
    }
    assert_eq!(app.slot().nodes.total(), NODES);
    app
}

fn benches(c: &mut Criterion) {
    let body = bulk_body();
    let app = loaded_app(&body);

    full_repaint(c, "render 200x60 frame, 10k nodes", &app);

    c.bench_function("render 200x60 frame, 10k nodes, nothing changed", |b| {
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
        b.iter(|| {
            terminal
                .draw(|f| ui::render(f, black_box(&app)))
                .expect("test backend");
        });
    });

    let mut no_nodes = app.clone();
    no_nodes.slot_mut().nodes = NodeList::default();
    c.bench_function("render 200x60 frame, no nodes", |b| {
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
        b.iter(|| {
            terminal
                .draw(|f| ui::render(f, black_box(&no_nodes)))
                .expect("test backend");
        });
    });

    c.bench_function("baseline: an empty 200x60 frame", |b| {
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
        b.iter(|| {
            terminal.draw(|_| {}).expect("test backend");
        });
    });

    c.bench_function("parse ShowBackup body, 10k nodes", |b| {
        b.iter(|| api::parse_backup(black_box(&body)).expect("parses"));
    });

    let nodes = api::parse_backup(&body).expect("parses").related_data_nodes;
    c.bench_function("filter keystroke, 10k nodes", |b| {
        let mut list = NodeList::new(nodes.clone());
        let typed = ["s", "sh", "sha", "shard-0", "shard-00", "shard-007", "zz"];
        let mut i = 0;
        b.iter(|| {
            list.set_filter(black_box(typed[i % typed.len()]), 56);
            i += 1;
        });
    });
}

/// A backup picker holding `n` rows, as ListBackups pages would fill it.
fn full_picker(n: usize) -> Picker {
    let rows = (0..n)
        .map(|i| PickRow {
            id: format!(
                "{:032x}br09",
                (i as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ),
            name: format!(
                "Backup-ddm-orders-prod-{:04}-{:02}",
                2020 + i / 365,
                i % 28 + 1
            ),
            status: "normal".into(),
            kind: if i.is_multiple_of(7) {
                "manual"
            } else {
                "auto"
            }
            .into(),
            created: format!("2025-{:02}-{:02}T02:00:00+0000", i % 12 + 1, i % 28 + 1).into(),
            size: Some(Bytes(1024 * 1024 * i as u64)),
        })
        .collect();
    let mut picker = Picker::new(
        PickerKind::Backups {
            instance_id: "demo-in09".into(),
        },
        1,
        Instant::now(),
    );
    picker.add_page(rows, n, Some(n as u64), 54);
    picker.finish(Ok(false), Instant::now());
    picker
}

fn picker_benches(c: &mut Criterion) {
    c.bench_function("picker filter keystroke, 2,000 backups", |b| {
        let mut picker = full_picker(PICKER_CAP);
        let typed = ["2", "20", "202", "2021", "2021-1", "2021-14", "zz", ""];
        let mut i = 0;
        b.iter(|| {
            picker.filter = TextField::new(black_box(typed[i % typed.len()]));
            picker.refilter(54);
            i += 1;
        });
    });

    c.bench_function("200x60 frame, backup picker with 2,000 rows", |b| {
        let mut app = App::new(header(), HelpInfo::default(), None, None);
        app.update(
            Msg::Resize {
                width: 200,
                height: 60,
            },
            Instant::now(),
        );
        app.overlays.push(Overlay::Picker(full_picker(PICKER_CAP)));
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
        b.iter(|| {
            terminal
                .draw(|f| ui::render(f, black_box(&app)))
                .expect("test backend");
        });
    });
}

/// A 1 MB bracketed paste, as `App::update` gets it: into the empty
/// instance field, and into the filter of the 10k-node list followed by the
/// frame that shows it (what the operator waits for).
fn paste_benches(c: &mut Criterion) {
    use criterion::BatchSize;
    let megabyte = "x".repeat(1_000_000);
    let paste = || Msg::Paste(megabyte.clone());
    c.bench_function("1 MB paste into the instance field", |b| {
        let empty = App::new(header(), HelpInfo::default(), None, None);
        b.iter_batched(
            || (empty.clone(), paste()),
            |(mut app, msg)| app.update(msg, Instant::now()),
            BatchSize::LargeInput,
        );
    });

    let body = bulk_body();
    let mut loaded = loaded_app(&body);
    press(&mut loaded, KeyCode::Char('/'));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
    c.bench_function(
        "1 MB paste into the filter of 10k nodes, then a frame",
        |b| {
            b.iter_batched(
                || (loaded.clone(), paste()),
                |(mut app, msg)| {
                    app.update(msg, Instant::now());
                    terminal
                        .draw(|f| ui::render(f, black_box(&app)))
                        .expect("test backend");
                    app
                },
                BatchSize::LargeInput,
            );
        },
    );
}

/// Key dispatch through the binding table (budget 10 µs per key): moving
/// in the 10k-node list, typing in a field with the user's keys in force,
/// and moving in a picker under the help popup's stack.
fn key_benches(c: &mut Criterion) {
    let body = bulk_body();
    c.bench_function("key dispatch: j/k in the 10k-node list", |b| {
        let mut app = loaded_app(&body);
        let mut down = true;
        b.iter(|| down_then_up(&mut app, &mut down));
    });
    c.bench_function("key dispatch: type and delete in a field, user keys", |b| {
        let mut app = App::new(header(), HelpInfo::default(), None, None);
        let overrides =
            [("quit", "ctrl-q"), ("copy_id", "c"), ("instances", "I")].map(|(action, key)| {
                ddm_backups::keymap::KeyOverride {
                    action: action.into(),
                    keys: vec![key.into()],
                }
            });
        app.keys = ddm_backups::keymap::Keymap::with_overrides(&overrides).expect("valid keys");
        let mut typed = true;
        b.iter(|| {
            press(
                &mut app,
                if typed {
                    KeyCode::Char('x')
                } else {
                    KeyCode::Backspace
                },
            );
            typed = !typed;
        });
    });
    c.bench_function("key dispatch: j/k in a 2,000-row picker", |b| {
        let mut app = App::new(header(), HelpInfo::default(), None, None);
        app.overlays.push(Overlay::Picker(full_picker(PICKER_CAP)));
        let mut down = true;
        b.iter(|| down_then_up(&mut app, &mut down));
    });
}

/// The readiness view on the 10k-node backup, every section loaded, the
/// instance now holding the first half of its nodes plus 100 added: a
/// 120x40 frame and a `j` in the nodes table (each joins both lists).
fn readiness_benches(c: &mut Criterion) {
    use ddm_backups::api::{CurrentDataNode, RelatedDataNodesAt};
    use ddm_backups::tui::readiness::Answer;
    use ddm_backups::tui::test_support::{answer_readiness, demo_row, demo_targets, demo_windows};
    let body = bulk_body();
    let mut app = loaded_app(&body);
    app.update(
        Msg::Resize {
            width: 120,
            height: 40,
        },
        Instant::now(),
    );
    let detail = api::parse_backup(&body).expect("parses");
    let now_nodes: Vec<CurrentDataNode> = detail.related_data_nodes[..NODES / 2]
        .iter()
        .map(|n| CurrentDataNode {
            instance_id: Some(n.instance_id.clone()),
            instance_name: Some(n.instance_name.clone()),
            instance_status: Some("ACTIVE".into()),
            engine_name: Some("MySQL".into()),
            data_volume_size: Some(40 << 30),
            version: Some("8.0.28".into()),
        })
        .chain((0..100).map(|i| CurrentDataNode {
            instance_id: Some(format!("added{i:04}in01")),
            ..CurrentDataNode::default()
        }))
        .collect();
    press(&mut app, KeyCode::Char('R'));
    let mut row = demo_row();
    row.id = Some("bulk-br09".into());
    answer_readiness(&mut app, Answer::Row(Ok(Some(row))));
    answer_readiness(&mut app, Answer::Windows(Ok(demo_windows())));
    answer_readiness(
        &mut app,
        Answer::Now(Ok(RelatedDataNodesAt {
            nodes: now_nodes,
            ..RelatedDataNodesAt::default()
        })),
    );
    answer_readiness(&mut app, Answer::Targets(Ok(demo_targets())));
    assert!(app.readiness().is_some_and(|v| !v.loading()));

    c.bench_function("readiness view 120x40 frame, 10k nodes", |b| {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        b.iter(|| {
            terminal
                .draw(|f| ui::render(f, black_box(&app)))
                .expect("test backend");
        });
    });
    c.bench_function("readiness view j/k, 10k nodes", |b| {
        let mut down = true;
        b.iter(|| down_then_up(&mut app, &mut down));
    });
}

/// The readiness view on the demo's backup with `n` restore targets, each
/// unavailable with a reason (the costliest row: a line and a note), the
/// targets table in focus and its selection in the middle.
fn readiness_with_targets(n: usize) -> App {
    use ddm_backups::api::{Listing, RestoreTarget};
    use ddm_backups::tui::readiness::Answer;
    use ddm_backups::tui::test_support::{
        answer_readiness, demo_now, demo_row, demo_windows, readiness_opened,
    };
    let mut app = readiness_opened();
    app.update(
        Msg::Resize {
            width: 120,
            height: 40,
        },
        Instant::now(),
    );
    answer_readiness(&mut app, Answer::Row(Ok(Some(demo_row()))));
    answer_readiness(&mut app, Answer::Windows(Ok(demo_windows())));
    answer_readiness(&mut app, Answer::Now(Ok(demo_now())));
    let rows = (0..n)
        .map(|i| RestoreTarget {
            instance_id: Some(format!("{i:032x}in09")),
            instance_name: Some(format!("ddm-restore-target-{i:06}")),
            status: Some("RUNNING".into()),
            available: Some(false),
            unavailable_reason: Some(format!(
                "The target's engine version 2.4.{} is older than the source's 3.1.4, \
                 and its VPC differs from the source's.",
                i % 10
            )),
            vpc_name: Some(format!("vpc-{}", i % 7)),
        })
        .collect();
    let total = Some(n as u64);
    let listing = Listing {
        rows,
        total,
        truncated: false,
    };
    answer_readiness(&mut app, Answer::Targets(Ok(listing)));
    press(&mut app, KeyCode::Tab);
    if let Some(view) = app.overlays.readiness_mut() {
        view.target_at = n / 2;
    }
    press(&mut app, KeyCode::Char('j'));
    app
}

/// A `j`/`k` and the frame after it, in the readiness view's targets
/// table: the same cost with 100,000 rows as with 10 (issue 17 item 8:
/// it was 130-150 ms with 100,000).
fn readiness_targets_benches(c: &mut Criterion) {
    for n in [10, 100_000] {
        let mut app = readiness_with_targets(n);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        let mut down = true;
        c.bench_function(
            &format!("readiness view j/k + frame, {n} unavailable targets"),
            |b| {
                b.iter(|| {
                    down_then_up(&mut app, &mut down);
                    terminal
                        .draw(|f| ui::render(f, black_box(&app)))
                        .expect("test backend");
                });
            },
        );
    }
}

/// The Health view with 800 instances (8 profiles of 100), the selection
/// in the middle: a 200x60 frame (budget 2 ms) and a `j` (1 ms).
fn health_benches(c: &mut Criterion) {
    use ddm_backups::tui::test_support::health_fleet;
    let app = health_fleet(8, 100, 200, 60);
    assert_eq!(app.fleet().rows.len(), 800);
    full_repaint(c, "health view 200x60 frame, 800 instances", &app);
    c.bench_function("health view j/k, 800 instances", |b| {
        let mut app = app.clone();
        let mut down = true;
        b.iter(|| down_then_up(&mut app, &mut down));
    });
}

/// `j`, then `k` the next time: the selection moves without drifting.
/// A 200x60 frame of `app` drawn whole each time: a cleared buffer makes
/// every frame a full repaint, the worst case.
fn full_repaint(c: &mut Criterion, name: &str, app: &App) {
    c.bench_function(name, |b| {
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
        b.iter(|| {
            terminal.clear().expect("test backend");
            terminal
                .draw(|f| ui::render(f, black_box(app)))
                .expect("test backend");
        });
    });
}

fn down_then_up(app: &mut App, down: &mut bool) {
    press(app, KeyCode::Char(if *down { 'j' } else { 'k' }));
    *down = !*down;
}

criterion_group!(
    tui,
    benches,
    picker_benches,
    paste_benches,
    key_benches,
    readiness_benches,
    readiness_targets_benches,
    health_benches
);
criterion_main!(tui);

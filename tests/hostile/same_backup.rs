//! One backup, read over HTTP from a server that writes +08:00, shown by
//! the picker, Find, the readiness view, `backups --output text` and
//! `restore-check --output text` for an operator five hours behind UTC:
//! every one says the same creation time (in the operator's zone) and the
//! same size (512 bytes is `512 B`); the history, given a lookup at that
//! instant, writes it the same way. Before, the picker sliced the
//! server's text (08:00 wall time), the table showed UTC to the second,
//! the readiness view local to the second, sizes read `1 KB` in the
//! tables, the history wrote `06-26 21:00` and `restore-check` added the
//! offset (`21:00:00 -05:00`).

use std::time::Duration;

use crossterm::event::KeyCode;
use ddm_backups::api::{BackupRow, DdmClient, ListLimit};
use ddm_backups::demo;
use ddm_backups::history::{Entry, Outcome};
use ddm_backups::tui::App;
use ddm_backups::tui::msg::Msg;
use ddm_backups::tui::picker::PickRow;
use ddm_backups::tui::readiness::Answer;
use ddm_backups::tui::test_support::*;
use jiff::tz::TimeZone;

use super::server::{Home, Hostile, json, response, streams};

/// 2025-06-27 10:00:00 at +08:00 is 02:00 UTC, 21:00 the day before at -05:00.
const CREATED: &str = "2025-06-27T10:00:00+0800";
const SHOWN: &str = "2025-06-26 21:00";

fn server() -> Hostile {
    Hostile::start(|head| {
        if !head.path().ends_with("/backups") {
            return response(404, &[], b"{}");
        }
        json(&format!(
            r#"{{"total":1,"backups":[{{"id":"nodes-br09","name":"orders","instance_id":"demo-in09",
                "status":"normal","backup_type":"auto_metadata","created":"{CREATED}","file_size":0.5}}]}}"#
        ))
    })
}

/// The operator's zone, as a POSIX TZ string (no zone database needed).
const TZ: &str = "<-05>5";

fn zone() -> TimeZone {
    TimeZone::posix(TZ).expect("POSIX TZ")
}

async fn listed(server: &Hostile) -> BackupRow {
    let profile = demo::profile_at(&server.url, "tok", Duration::from_secs(10));
    let client = DdmClient::new(&profile).expect("client");
    let listing = client
        .list_backups("demo-in09", ListLimit::ALL)
        .await
        .expect("listed");
    listing.rows.into_iter().next().expect("one row")
}

fn with_zone(mut a: App) -> App {
    a.zone = zone();
    a.width = 140;
    a.height = 30;
    a
}

/// The backup picker of demo-in09 with the row loaded.
fn picker(row: &BackupRow) -> String {
    let mut a = with_zone(app());
    type_str(&mut a, "demo-in09");
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Enter);
    let generation = a.picker().and_then(|p| p.loading()).expect("loading");
    let rows = vec![PickRow::from(row)];
    send(
        &mut a,
        Msg::ListPage {
            profile: ddm_backups::fleet::ProfileId(0),
            generation,
            rows,
            scanned: 1,
            total: Some(1),
        },
    );
    screen_text(&a)
}

fn find(row: &BackupRow) -> String {
    let mut a = with_zone(find_app());
    find_typed(&mut a, "orders");
    find_started(&mut a, "demo");
    let found = ddm_backups::find::found("demo", "cn-north-4", row.clone());
    find_page(&mut a, "demo", 1, 1, vec![found]);
    screen_text(&a)
}

fn readiness(row: &BackupRow) -> String {
    let mut a = with_zone(loaded_with(demo_nodes_detail()));
    press(&mut a, KeyCode::Char('R'));
    answer_readiness(&mut a, Answer::Row(Ok(Some(row.clone()))));
    screen_text(&a)
}

/// The history with one lookup, made at the instant the backup was created.
fn history() -> String {
    let mut a = with_zone(app());
    a.history = vec![Entry {
        profile: "demo".into(),
        instance_id: "demo-in09".into(),
        instance_name: String::new(),
        backup_id: "nodes-br09".into(),
        backup_name: "orders".into(),
        at: "2025-06-27T02:00:00Z".into(),
        outcome: Outcome::Ok { nodes: 1 },
    }];
    send(&mut a, ctrl('r'));
    screen_text(&a)
}

/// A command's stdout, run against `server` in the operator's zone.
fn command(server: &Hostile, args: &[&str]) -> std::process::Output {
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    home.cmd()
        .env("TZ", TZ)
        .arg("--config")
        .arg(&config)
        .args(args)
        .output()
        .expect("run")
}

fn table(server: &Hostile) -> String {
    let out = command(
        server,
        &["backups", "--instance", "demo-in09", "--output", "text"],
    );
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    stdout
}

/// The server answers only the list: the restore calls fail (exit 1) and
/// the page still shows the backup from its list row.
fn restore_check(server: &Hostile) -> String {
    let out = command(
        server,
        &[
            "restore-check",
            "--instance",
            "demo-in09",
            "--backup",
            "nodes-br09",
            "--output",
            "text",
        ],
    );
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    stdout
}

/// What follows the time on its line, when the time is written in one of
/// the shared styles: to the minute, or to the second with nothing more
/// (no offset, no fraction) after it.
fn after_the_time(line: &str) -> Option<&str> {
    let rest = &line[line.find(SHOWN)? + SHOWN.len()..];
    let rest = rest.strip_prefix(":00").unwrap_or(rest);
    let word = rest.split_whitespace().next().unwrap_or("");
    let offset =
        word.starts_with(['+', '-']) && word[1..].starts_with(|c: char| c.is_ascii_digit());
    let more = rest.starts_with([':', '.', 'Z', 'z']) || offset;
    (!more).then_some(rest)
}

#[tokio::test]
async fn every_screen_and_the_table_say_the_same_time_and_size() {
    let server = server();
    let row = listed(&server).await;
    let screens = [
        ("picker", picker(&row)),
        ("Find", find(&row)),
        ("readiness", readiness(&row)),
        ("backups --output text", table(&server)),
        ("history", history()),
        ("restore-check --output text", restore_check(&server)),
    ];
    for (name, text) in &screens {
        let line = text
            .lines()
            .find(|l| l.contains(SHOWN))
            .unwrap_or_else(|| panic!("{name} shows {SHOWN}:\n{text}"));
        // A table to the minute, a detail view to the second: the same
        // time in the same style either way.
        assert!(after_the_time(line).is_some(), "{name}: {line}");
        // Find, the history and restore-check's page show no backup
        // size; the others show 512 bytes as bytes.
        if !["Find", "history", "restore-check --output text"].contains(name) {
            assert!(text.contains("512 B"), "{name} shows 512 B:\n{text}");
            assert!(
                !text.contains("1 KB") && !text.contains("0 KB"),
                "{name}:\n{text}"
            );
        }
    }
}

//! Watching a backup being made, through the whole loop against the demo
//! endpoint over loopback, on tokio's paused clock: the checks come at the
//! schedule's times, the loop neither wakes nor draws between them, and
//! the end rings the bell once.

use std::sync::atomic::Ordering;
use std::time::Duration;

use ddm_backups::api::DdmClient;
use ddm_backups::demo::{self, DemoServer, RunningDemo};
use ddm_backups::tui::App;
use ddm_backups::tui::input::TextField;
use ddm_backups::tui::picker::PickRow;
use ddm_backups::tui::test_support::*;

/// An app launched with demo-in09 and `backup` in the form, as if `backup`
/// had been picked from a list whose row said `creating`: the lookup runs
/// at start, and once it loads the watch begins.
fn picked_creating(backup: &str) -> App {
    let mut a = app();
    a.slot_mut().instance = TextField::id("demo-in09");
    a.slot_mut().backup = TextField::id(backup);
    a.slot_mut().picked = Some(PickRow {
        id: backup.into(),
        name: backup.into(),
        status: "creating".into(),
        kind: "manual".into(),
        created: Default::default(),
        size: None,
    });
    a.look_up_at_start = true;
    a
}

async fn started(running: &RunningDemo, backup: &str) -> Harness {
    let client = DdmClient::new(&demo::profile_for(running)).expect("demo client");
    Harness::launch(Setup {
        app: picked_creating(backup),
        ..Setup::new(client)
    })
}

fn counts(h: &Harness) -> (usize, usize) {
    (
        h.wakes.load(Ordering::SeqCst),
        h.draws.load(Ordering::SeqCst),
    )
}

/// The demo lists nodes-br09 as `normal`: the row the picker showed was
/// stale, and the first check, 5 s in, ends the watch.
#[tokio::test(start_paused = true)]
async fn the_first_check_comes_after_five_quiet_seconds_and_ends_with_a_bell() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let mut h = started(&running, "nodes-br09").await;
    h.wait_for("watching nodes-br09 · next check").await;
    let before = counts(&h);
    tokio::time::sleep(Duration::from_millis(4_900)).await;
    assert_eq!(counts(&h), before, "no wake-up, no frame before the check");
    assert_eq!(h.bells.load(Ordering::SeqCst), 0);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let frame = h.wait_for("nodes-br09 is normal now").await;
    assert!(frame.contains("✓ nodes-br09 is normal now"), "{frame}");
    assert_eq!(h.bells.load(Ordering::SeqCst), 1, "the bell rang once");
    // Nothing is left to wake the loop.
    let after = counts(&h);
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(counts(&h), after, "no timer once the watch ended");
    let app = h.quit().await;
    let picked = app.slot().picked.clone().expect("picked row");
    assert_eq!(
        picked.status.sent(),
        "normal",
        "the row learned the new status"
    );
}

/// Esc stops the watch: its timer goes with it, and no bell rings.
#[tokio::test(start_paused = true)]
async fn esc_stops_the_timer_and_nothing_rings() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let mut h = started(&running, "nodes-br09").await;
    h.wait_for("watching nodes-br09").await;
    h.key(crossterm::event::KeyCode::Esc);
    h.wait_for("Stopped watching nodes-br09").await;
    let after = counts(&h);
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(counts(&h), after, "the watch's timer is gone");
    assert_eq!(h.bells.load(Ordering::SeqCst), 0);
    h.quit().await;
}

/// The app after `picked_creating`'s lookup loaded: the watch waits for
/// its first check.
fn watching_app() -> App {
    let mut a = picked_creating("creating-br09");
    a.look_up_at_start = false;
    a.slot_mut().focus = ddm_backups::tui::app::Focus::Backup;
    press(&mut a, crossterm::event::KeyCode::Enter);
    send(&mut a, fetched(1, ok("creating-br09", 3)));
    a
}

/// The status bar names the next check's clock time (no countdown to
/// redraw), the hint line offers Esc, the detail pane the row's status.
#[test]
fn snapshot_while_watching() {
    let mut a = watching_app();
    let terminal = draw(&mut a, 80, 24);
    assert_screen!("tui_watch", "watching_80x24", terminal.backend());
}

#[test]
fn snapshot_after_the_backup_turned_normal() {
    let mut a = watching_app();
    let generation = a.watched().expect("watching").generation;
    let row = ddm_backups::api::BackupRow {
        id: Some("creating-br09".into()),
        name: Some("creating-br09".into()),
        status: Some("normal".into()),
        file_size: ddm_backups::api::FileSize::from_kb(40960.0),
        ..Default::default()
    };
    send(
        &mut a,
        ddm_backups::tui::msg::Msg::Watched {
            profile: ddm_backups::fleet::ProfileId(0),
            generation,
            result: Ok(Some(row)),
            clock: CLOCK,
        },
    );
    let terminal = draw(&mut a, 80, 24);
    assert_screen!("tui_watch", "watched_normal_80x24", terminal.backend());
}

/// creating-br09 stays `creating` (the demo's clock is real time, this
/// test's paused): the checks come 5, 15, 35, 75, 135 and 195 s in, each
/// one wake-up and one frame, and nothing at all between them.
#[tokio::test(start_paused = true)]
async fn checks_come_on_the_schedule_and_nothing_wakes_between_them() {
    let running = DemoServer::builder()
        .creating_for(Duration::from_secs(3600))
        .bind()
        .await
        .expect("demo");
    let mut h = started(&running, demo::CREATING_BACKUP_ID).await;
    h.wait_for("watching creating-br09 · next check").await;
    let start = tokio::time::Instant::now();
    let margin = Duration::from_millis(100);
    for (n, at) in [5u64, 15, 35, 75, 135, 195].into_iter().enumerate() {
        let due = start + Duration::from_secs(at);
        let before = counts(&h);
        tokio::time::sleep_until(due - margin).await;
        assert_eq!(counts(&h), before, "quiet before check {} at {at} s", n + 1);
        tokio::time::sleep_until(due + margin).await;
        let (wakes, draws) = counts(&h);
        assert_eq!(
            (wakes, draws),
            (before.0 + 1, before.1 + 1),
            "check {} at {at} s: one wake-up, one frame",
            n + 1
        );
    }
    h.drain();
    assert!(
        h.last.contains("watching creating-br09 · next check") && h.last.contains("(60 s wait)"),
        "{}",
        h.last
    );
    assert_eq!(h.bells.load(Ordering::SeqCst), 0, "no bell while creating");
    h.key(crossterm::event::KeyCode::Esc);
    h.wait_for("Stopped watching creating-br09").await;
    h.quit().await;
}

/// failing-br09 ends `createfail`: the status bar says so, the bell rings.
#[tokio::test(start_paused = true)]
async fn a_failed_backup_ends_the_watch_with_a_bell() {
    let running = DemoServer::builder()
        .creating_for(Duration::ZERO)
        .bind()
        .await
        .expect("demo");
    let mut h = started(&running, demo::FAILING_BACKUP_ID).await;
    h.wait_for("watching failing-br09").await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let frame = h.wait_for("failing-br09 failed (createfail)").await;
    assert!(
        frame.contains("✗ failing-br09 failed (createfail)"),
        "{frame}"
    );
    assert_eq!(h.bells.load(Ordering::SeqCst), 1);
    let app = h.quit().await;
    let status = app
        .slot()
        .picked
        .as_ref()
        .map(|r| r.status.sent().to_string());
    assert_eq!(status.as_deref(), Some("createfail"));
}

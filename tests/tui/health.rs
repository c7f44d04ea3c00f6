//! The Health view: snapshots at 80x24, 120x40 and 40x12 of the rows with
//! their footer, of a check under way and of the chart, built from fixed
//! reports judged at a pinned instant in UTC; and a whole session that
//! opens it against the demo endpoint over TCP.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crossterm::event::KeyCode;
use ddm_backups::api::DdmClient;
use ddm_backups::demo::{self, DemoServer};
use ddm_backups::health::{self, Plan};
use ddm_backups::tui::test_support::*;

use super::find::two_profiles;
use ddm_backups::tui::App;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (40, 12)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        let mut a = app.clone();
        let terminal = draw(&mut a, w, h);
        assert_screen!("tui_health", format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn loaded_worst_first_with_the_worst_explained() {
    snap("health_loaded", &health_loaded());
}

#[test]
fn an_ok_row_explained_by_its_facts() {
    let mut a = health_loaded();
    press(&mut a, KeyCode::End);
    snap("health_ok_row", &a);
}

#[test]
fn under_way_with_a_profile_listing_and_one_waiting() {
    snap("health_loading", &health_loading());
}

/// The loaded view filtered to `name`, with that instance's chart open.
fn chart_of(name: &str) -> App {
    let mut a = health_loaded();
    press(&mut a, KeyCode::Char('/'));
    for c in name.chars() {
        press(&mut a, KeyCode::Char(c));
    }
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('v'));
    a
}

#[test]
fn the_chart_of_an_instance_with_missed_days() {
    snap("health_chart_missed", &chart_of("archive"));
}

#[test]
fn the_chart_of_a_size_that_tripled_and_of_a_failed_newest() {
    snap("health_chart_jump", &chart_of("eu-orders"));
    snap("health_chart_failed", &chart_of("ledger"));
}

/// `H` against the demo endpoint (both its profiles, each with its own
/// credentials, through the real effect runner): every instance the
/// demo fleet has is a row, judged as `check` judges it.
#[tokio::test]
async fn h_checks_the_demo_fleet_and_shows_every_instance() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let profiles = demo::profiles_for(&running);
    // What `check` finds over the same endpoint: the rows to expect.
    let sources = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| ddm_backups::fleet::Source {
            id: ddm_backups::fleet::ProfileId(i),
            profile: p.name.clone(),
            region: p.region.clone(),
            client: DdmClient::new(p).expect("client"),
        })
        .collect::<Vec<_>>();
    let plan = Plan {
        limits: sources.iter().map(|_| Default::default()).collect(),
        sources,
        only: Vec::new(),
        now: jiff::Timestamp::now(),
        zone: jiff::tz::TimeZone::UTC,
    };
    let expected = health::check(&plan).await;
    assert!(!expected.instances.is_empty(), "the demo has instances");
    let (app, clients) = two_profiles(&running);
    let mut h = Harness::start_with(app, clients, None, 160, 50);
    h.wait_for("Ready").await;
    h.key(KeyCode::Esc);
    h.type_str("H");
    // Done when the status line says when it was checked.
    let frame = h.wait_for("checked at ").await;
    assert!(frame.contains("Health · "), "{frame}");
    let app = h.quit().await;
    let mut seen: Vec<(usize, String)> = app
        .fleet()
        .rows
        .iter()
        .map(|r| (r.report.profile_id.index(), r.report.instance_id.clone()))
        .collect();
    seen.sort();
    let mut want: Vec<(usize, String)> = expected
        .instances
        .iter()
        .map(|i| (i.profile_id.index(), i.instance_id.clone()))
        .collect();
    want.sort();
    assert_eq!(seen, want, "every demo instance, in its own profile");
    // Each row's state is what `check` judged.
    for i in &expected.instances {
        let row = app
            .fleet()
            .rows
            .iter()
            .find(|r| r.report.profile_id == i.profile_id && r.report.instance_id == i.instance_id)
            .expect("its row");
        assert_eq!(row.state(), i.verdict.state, "{}", i.instance_id);
    }
}

fn counts(h: &Harness) -> (usize, usize) {
    (
        h.wakes.load(Ordering::SeqCst),
        h.draws.load(Ordering::SeqCst),
    )
}

/// Watching the fleet on tokio's paused clock: after a check, nothing
/// wakes the loop until the refresh is due, with the view closed or
/// open; then the check runs again (and, the demo's states unchanged,
/// nothing rings); with the view closed it draws nothing.
#[tokio::test(start_paused = true)]
async fn a_refresh_wakes_the_loop_once_per_interval_and_never_between() {
    const EVERY: Duration = Duration::from_secs(15 * 60);
    let running = DemoServer::builder().bind().await.expect("demo");
    let (mut app, clients) = two_profiles(&running);
    app.health_refresh = Some(EVERY);
    let mut h = Harness::start_with(app, clients, None, 120, 40);
    h.wait_for("Ready").await;
    h.key(KeyCode::Esc);
    h.type_str("H");
    h.wait_for("next check at ").await;
    // Closed: the wait goes on with nothing drawn and nothing woken.
    h.key(KeyCode::Esc);
    h.wait_for("Ready").await;
    let before = counts(&h);
    tokio::time::sleep(EVERY - Duration::from_secs(2)).await;
    assert_eq!(counts(&h), before, "no wake-up, no frame while it waits");
    // Opened again just before the refresh: it shows the last check and
    // asks nothing new.
    h.type_str("H");
    h.wait_for("next check at ").await;
    let opened = counts(&h);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(counts(&h), opened, "open and idle: no tick either");
    tokio::time::sleep(Duration::from_secs(2)).await;
    h.wait_for("checking: ").await;
    h.wait_for("next check at ").await;
    // And quiet again until the next one.
    let after = counts(&h);
    tokio::time::sleep(EVERY - Duration::from_secs(2)).await;
    assert_eq!(counts(&h), after, "no wake-up between refreshes");
    // The next refresh with the view closed: its news wakes the loop but
    // draws nothing (nothing on screen changes).
    h.key(KeyCode::Esc);
    h.wait_for("Ready").await;
    let (wakes, draws) = counts(&h);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (woke, drawn) = counts(&h);
    assert!(woke > wakes, "the refresh ran");
    assert_eq!(drawn, draws, "and drew no frame");
    assert_eq!(h.bells.load(Ordering::SeqCst), 0, "nothing turned worse");
    let app = h.quit().await;
    assert_eq!(app.fleet().checks, 3, "the first check and two refreshes");
}

//! The Health view: snapshots at 80x24, 120x40 and 40x12 of the rows with
//! their footer, of a check under way and of the chart, built from fixed
//! reports judged at a pinned instant in UTC; and a whole session that
//! opens it against the demo endpoint over TCP.

use crossterm::event::KeyCode;
use ddm_backups::api::DdmClient;
use ddm_backups::demo::{self, DemoServer};
use ddm_backups::health::{self, Plan};
use ddm_backups::tui::test_support::*;
use ddm_backups::tui::{App, LaunchProfile};

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

#[test]
fn the_chart_of_an_instance_with_missed_days() {
    let mut a = health_loaded();
    press(&mut a, KeyCode::Char('/'));
    for c in "archive".chars() {
        press(&mut a, KeyCode::Char(c));
    }
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('v'));
    snap("health_chart_missed", &a);
}

#[test]
fn the_chart_of_a_size_that_tripled_and_of_a_failed_newest() {
    let mut a = health_loaded();
    press(&mut a, KeyCode::Char('/'));
    for c in "eu-orders".chars() {
        press(&mut a, KeyCode::Char(c));
    }
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('v'));
    snap("health_chart_jump", &a);
    let mut a = health_loaded();
    press(&mut a, KeyCode::Char('/'));
    for c in "ledger".chars() {
        press(&mut a, KeyCode::Char(c));
    }
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('v'));
    snap("health_chart_failed", &a);
}

/// `H` against the demo endpoint (both its profiles, each with its own
/// credentials, through the real effect runner): every instance the
/// demo fleet has is a row, and Enter lands on its backups.
#[tokio::test]
async fn h_checks_the_demo_fleet_and_shows_every_instance() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let profiles = demo::profiles_for(&running);
    let launch: Vec<LaunchProfile> = profiles
        .iter()
        .map(|p| LaunchProfile::new(p, DdmClient::new(p).map_err(|e| e.to_string())))
        .collect();
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
    let mut app = app();
    app.set_profiles(launch.iter().map(|p| p.info.clone()).collect(), 0);
    let clients = launch.into_iter().map(|p| p.client).collect();
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

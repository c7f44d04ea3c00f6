//! The restore readiness view: snapshots of it loaded, partly failed and
//! with blockers at 80x24 and 120x40, and whole sessions that open it
//! against the demo endpoint over TCP through the real effect runner.

use crossterm::event::KeyCode;
use ddm_backups::api::{DdmClient, Listing, RestoreWindows};
use ddm_backups::demo::{self, DemoServer};
use ddm_backups::tui::App;
use ddm_backups::tui::readiness::Answer;
use ddm_backups::tui::test_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        let mut a = app.clone();
        let terminal = draw(&mut a, w, h);
        assert_screen!(
            "tui_readiness",
            format!("{name}_{w}x{h}"),
            terminal.backend()
        );
    }
}

#[test]
fn loaded_like_the_demo() {
    snap("readiness_loaded", &readiness_loaded());
}

#[test]
fn loaded_with_the_targets_in_focus() {
    let mut a = readiness_loaded();
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('j'));
    snap("readiness_targets", &a);
}

#[test]
fn partly_failed_related_dn() {
    let mut a = readiness_opened();
    answer_readiness(&mut a, Answer::Row(Ok(Some(demo_row()))));
    answer_readiness(&mut a, Answer::Windows(Ok(demo_windows())));
    answer_readiness(
        &mut a,
        Answer::Now(Err(api_error_with(
            500,
            "DBS.300005",
            "Internal server error.",
        ))),
    );
    answer_readiness(&mut a, Answer::Targets(Ok(demo_targets())));
    snap("readiness_partly_failed", &a);
}

#[test]
fn with_blockers() {
    // Creating, no window, and no target available.
    let mut a = readiness_opened();
    let mut row = demo_row();
    row.status = Some("creating".into());
    answer_readiness(&mut a, Answer::Row(Ok(Some(row))));
    answer_readiness(&mut a, Answer::Windows(Ok(RestoreWindows::default())));
    let mut targets = demo_targets();
    targets.rows.retain(|t| t.available == Some(false));
    targets.total = Some(1);
    answer_readiness(&mut a, Answer::Targets(Ok(targets)));
    snap("readiness_blockers", &a);
}

#[test]
fn loading() {
    snap("readiness_loading", &readiness_opened());
}

#[test]
fn no_targets_listed_and_the_row_not_found() {
    let mut a = readiness_opened();
    answer_readiness(&mut a, Answer::Row(Ok(None)));
    answer_readiness(&mut a, Answer::Windows(Ok(demo_windows())));
    answer_readiness(&mut a, Answer::Now(Ok(demo_now())));
    answer_readiness(
        &mut a,
        Answer::Targets(Ok(Listing {
            rows: Vec::new(),
            total: Some(0),
            truncated: false,
        })),
    );
    let text = screen_text(&a);
    assert!(text.contains("not in its instance's backup list"), "{text}");
    assert!(
        text.contains("no DDM instance is listed as a restore target"),
        "{text}"
    );
}

#[tokio::test]
async fn the_view_opens_for_nodes_br09_against_the_demo() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let client = DdmClient::new(&demo::profile_for(&running)).expect("client");
    let mut h = Harness::start(client, 120, 40);
    h.wait_for("Ready").await;
    h.look_up(demo::DEMO_INSTANCE_ID, "nodes-br09");
    h.wait_for("Related data nodes (6)").await;
    h.key(KeyCode::Char('R'));
    let frame = h.wait_for("Readiness checked").await;
    for words in [
        "in backup and now",
        "only in backup",
        "added since",
        "rds-orders-shard-06",
        "not available: The target's engine version",
        "Blockers (1)",
    ] {
        assert!(frame.contains(words), "{words}:\n{frame}");
    }
    // y copies the selected node's ID through the clipboard path.
    h.key(KeyCode::Char('y'));
    h.wait_for("Copied data node ID").await;
    h.key(KeyCode::Esc);
    h.wait_for("Related data nodes (6)").await;
    let app = h.quit().await;
    assert!(app.readiness().is_none());
}

#[tokio::test]
async fn twelve_nodes_past_one_default_page_all_compare() {
    // shards-in09 has twelve nodes and windows; the service pages ten by
    // default. Before, nodes 11 and 12 were blockers, "only in backup".
    let running = DemoServer::builder().bind().await.expect("demo");
    let client = DdmClient::new(&demo::profile_for(&running)).expect("client");
    let mut h = Harness::start(client, 120, 60);
    h.wait_for("Ready").await;
    h.look_up(demo::SHARDS_INSTANCE_ID, demo::SHARDS_BACKUP_ID);
    h.wait_for("Related data nodes (12)").await;
    h.key(KeyCode::Char('R'));
    let frame = h.wait_for("Readiness checked").await;
    assert!(frame.contains("0 blockers"), "{frame}");
    assert!(frame.contains("No blockers found"), "{frame}");
    assert_eq!(frame.matches("in backup and now").count(), 12, "{frame}");
    assert!(frame.contains("rds-shards-11"), "{frame}");
    assert!(!frame.contains("only in backup"), "{frame}");
    h.quit().await;
}

#[tokio::test]
async fn a_failing_related_dn_hides_nothing_else() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let client = DdmClient::new(&demo::profile_for(&running)).expect("client");
    let mut h = Harness::start(client, 120, 40);
    h.wait_for("Ready").await;
    h.look_up(demo::PAGES_INSTANCE_ID, "archive-000-br09");
    h.wait_for("✓ 200").await;
    h.key(KeyCode::Char('R'));
    // The status bar's verdict, once every call answered.
    let frame = h.wait_for("✗ related-dn failed · ").await;
    assert!(frame.contains("✗ related-dn: 500"), "{frame}");
    // The headline says the check is incomplete, and what failed, before
    // anything that could read as a pass.
    let headline = frame.find("✗ Check incomplete: related-dn failed");
    let none = frame.find("Blockers: none in what loaded");
    assert!(headline.unwrap() < none.unwrap(), "{frame}");
    assert!(!frame.contains("No blockers"), "{frame}");
    assert!(frame.contains("ddm-orders-restore"), "targets: {frame}");
    assert!(frame.contains("Latest"), "windows: {frame}");
    h.quit().await;
}

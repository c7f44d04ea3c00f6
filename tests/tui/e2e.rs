//! The real event loop, driven by crossterm events through a channel, drawing
//! on a TestBackend, against the demo endpoint over TCP.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::api::DdmClient;
use ddm_backups::demo::{self, DemoServer, Reply, RunningDemo};
use ddm_backups::tui::test_support::Harness;

async fn demo_with(builder: demo::DemoBuilder) -> (RunningDemo, DdmClient) {
    let running = builder.bind().await.expect("demo endpoint");
    let client = DdmClient::new(&demo::profile_for(&running)).expect("demo client");
    (running, client)
}

#[tokio::test]
async fn typing_the_ids_and_enter_shows_the_nodes() {
    let (_demo, client) = demo_with(DemoServer::builder()).await;
    let mut h = Harness::start(client, 100, 30);
    h.wait_for("Ready").await;
    h.look_up("demo-in09", "nodes-br09");
    let frame = h.wait_for("Related data nodes (6)").await;
    assert!(frame.contains("✓ 200 OK in "), "{frame}");
    assert!(frame.contains("fetched "), "{frame}");
    // Six rows, each with a name and a data node ID, and the selected
    // one whole in the footer.
    assert_eq!(frame.matches("in01").count(), 7, "{frame}");
    h.type_str("G");
    let frame = h.wait_for("▶").await;
    assert!(frame.contains("▶"), "{frame}");
    h.type_str("y");
    h.wait_for("Copied data node ID").await;
    let copied = h.copies.lock().map(|c| c.clone()).unwrap_or_default();
    assert_eq!(copied.len(), 1);
    assert!(
        copied[0].ends_with("in01") && h.last.contains(&copied[0]),
        "{copied:?}"
    );
    let app = h.quit().await;
    assert_eq!(app.slot().nodes.selected(), 5);
}

#[tokio::test]
async fn the_example_backup_and_an_error_over_real_http() {
    let (_demo, client) = demo_with(DemoServer::builder()).await;
    let mut h = Harness::start(client, 80, 24);
    h.look_up(demo::EXAMPLE_INSTANCE_ID, demo::EXAMPLE_BACKUP_ID);
    h.wait_for("mysql_rds_related_ddm_for_diagnose3_01").await;
    // Back to the backup field, replace its text, look up a missing backup.
    h.key(KeyCode::BackTab);
    h.send(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    h.type_str("e404-br09");
    h.key(KeyCode::Enter);
    let frame = h.wait_for("✗ 404 Not Found").await;
    assert!(frame.contains("No nodes: the lookup failed"), "{frame}");
    h.type_str("e");
    h.wait_for("Last error").await;
    h.quit().await;
}

#[tokio::test]
async fn a_slow_lookup_spins_and_esc_cancels_it() {
    let (running, client) = demo_with(DemoServer::builder()).await;
    let mut h = Harness::start(client, 80, 24);
    h.look_up("demo-in09", "slow-br09");
    h.wait_for("Fetching…").await;
    let before = h.draws.load(Ordering::SeqCst);
    // Wait (up to 4 s, for a loaded CI machine) for the spinner to redraw.
    let mut spun = 0;
    for _ in 0..80 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        spun = h.draws.load(Ordering::SeqCst) - before;
        if spun >= 2 {
            break;
        }
    }
    assert!(
        spun >= 2,
        "the spinner redraws while loading ({spun} frames)"
    );
    h.key(KeyCode::Esc);
    h.wait_for("Cancelled after").await;
    let after_cancel = h.draws.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        h.draws.load(Ordering::SeqCst),
        after_cancel,
        "no ticks once cancelled"
    );
    assert_eq!(running.hits("slow-br09"), 1);
    h.quit().await;
}

#[tokio::test]
async fn a_late_answer_to_a_superseded_lookup_never_replaces_the_screen() {
    let late = br#"{"id":"late-br09","name":"late","instance_id":"demo-in09","instance_name":"x",
        "related_data_nodes":[{"instance_id":"late-node-in01","instance_name":"LATE"}]}"#;
    let builder = DemoServer::builder().route("late-br09", move |_, _| {
        Reply::json(200, late.to_vec()).delay(Duration::from_millis(700))
    });
    let (_demo, client) = demo_with(builder).await;
    let mut h = Harness::start(client, 80, 24);
    h.look_up("demo-in09", "late-br09");
    h.wait_for("Fetching…").await;
    h.key(KeyCode::BackTab);
    h.send(Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    h.type_str("nodes-br09");
    h.key(KeyCode::Enter);
    h.wait_for("Related data nodes (6)").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    while let Ok(frame) = h.frames.try_recv() {
        h.last = frame;
    }
    assert!(!h.last.contains("LATE"), "{}", h.last);
    let app = h.quit().await;
    assert_eq!(
        app.slot().shown.as_ref().map(|s| s.id.as_str()),
        Some("nodes-br09")
    );
}

/// No network and a paused clock: an idle app draws once and then sleeps,
/// however much time passes, until an event arrives.
#[tokio::test(start_paused = true)]
async fn an_idle_app_draws_nothing_while_nothing_happens() {
    let profile = demo::profile_at(
        "http://127.0.0.1:9/",
        demo::DEMO_TOKEN,
        Duration::from_secs(20),
    );
    let client = DdmClient::new(&profile).expect("client");
    let h = Harness::start(client, 80, 24);
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(h.draws.load(Ordering::SeqCst), 1, "one frame at start");
    // An hour of paused-clock time: any timer in the loop would fire here.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(
        h.draws.load(Ordering::SeqCst),
        1,
        "nothing drawn while idle"
    );
    assert_eq!(
        h.wakes.load(Ordering::SeqCst),
        0,
        "the loop never woke while idle"
    );
    h.key(KeyCode::Char('x'));
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(h.draws.load(Ordering::SeqCst), 2, "a key draws one frame");
    assert_eq!(h.wakes.load(Ordering::SeqCst), 1, "and wakes the loop once");
    // A key that changes nothing draws nothing.
    h.key(KeyCode::F(12));
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(h.draws.load(Ordering::SeqCst), 2);
    h.send(Event::Resize(100, 30));
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(
        h.draws.load(Ordering::SeqCst),
        3,
        "a resize redraws at once"
    );
    let app = h.quit().await;
    assert_eq!((app.width, app.height), (100, 30));
}

#[tokio::test]
async fn the_loop_ends_when_the_event_stream_ends() {
    let profile = demo::profile_at(
        "http://127.0.0.1:9/",
        demo::DEMO_TOKEN,
        Duration::from_secs(20),
    );
    let client = DdmClient::new(&profile).expect("client");
    let h = Harness::start(client, 80, 24);
    drop(h.events);
    tokio::time::timeout(Duration::from_secs(5), h.task)
        .await
        .expect("the loop ends")
        .expect("no panic")
        .expect("no error");
}

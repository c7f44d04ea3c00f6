//! Whole sessions of browsing against the demo endpoint over TCP: pickers
//! with paged listings, profile switching across two regions, the history
//! file across restarts, saving and copying.

use std::time::Duration;

use crossterm::event::KeyCode;
use ddm_backups::api::DdmClient;
use ddm_backups::demo::{self, DemoServer, Reply, RunningDemo};
use ddm_backups::history::{HistoryStore, Outcome};
use ddm_backups::tui::test_support::{Harness, app};
use ddm_backups::tui::{self, App, LaunchProfile};

/// The demo's two profiles (token in cn-north-4, AK/SK in eu-west-101),
/// each with a real client, and an app that offers both.
fn two_profiles(running: &RunningDemo) -> (App, Vec<Option<DdmClient>>) {
    let launch: Vec<LaunchProfile> = demo::profiles_for(running)
        .iter()
        .map(|p| LaunchProfile::new(p, DdmClient::new(p).map_err(|e| e.to_string())))
        .collect();
    let mut app = app();
    app.set_profiles(launch.iter().map(|p| p.info.clone()).collect(), 0);
    let clients = launch.into_iter().map(|p| p.client).collect();
    (app, clients)
}

/// The instance picker's title for the `demo` project: four built-in
/// instances and its share of the fleet dated relative to now.
fn instances_title() -> String {
    let fleet = demo::fleet_catalogue()
        .filter(|f| f.project_id == demo::DEMO_PROJECT_ID)
        .count();
    format!("({} instances)", 4 + fleet)
}

#[tokio::test]
async fn a_new_user_reaches_a_backup_without_typing_an_id() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let client = DdmClient::new(&demo::profile_for(&running)).expect("client");
    let mut h = Harness::start(client, 100, 30);
    h.wait_for("Ready").await;
    // Enter on the empty Instance ID field lists the project's instances.
    h.key(KeyCode::Enter);
    let frame = h.wait_for(&instances_title()).await;
    assert!(frame.contains("ddm-demo-orders"), "{frame}");
    // Filter as you type; Enter picks the match.
    h.key(KeyCode::Char('/'));
    h.type_str("orders");
    h.key(KeyCode::Enter);
    // Picking the instance lists its backups at once.
    let frame = h.wait_for("(23 backups)").await;
    assert!(frame.contains("newest first"), "{frame}");
    h.key(KeyCode::Char('/'));
    h.type_str("nodes-br");
    h.key(KeyCode::Enter);
    let frame = h.wait_for("Related data nodes (6)").await;
    assert!(
        frame.contains("from the list: normal · 133 KB · 2025-06-27 02:00 · auto"),
        "{frame}"
    );
    let app = h.quit().await;
    assert_eq!(app.slot().instance.value(), "demo-in09");
    assert_eq!(app.slot().backup.value(), "nodes-br09");
}

#[tokio::test]
async fn the_backup_picker_reads_every_page_and_drops_other_instances() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let client = DdmClient::new(&demo::profile_for(&running)).expect("client");
    let mut h = Harness::start(client, 100, 30);
    h.wait_for("Ready").await;
    h.type_str(demo::PAGES_INSTANCE_ID);
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('b'));
    // 300 backups come in three pages of at most 128; the server also
    // returns other instances' backups, which are dropped.
    let frame = h.wait_for("(300 backups)").await;
    assert!(frame.contains("archive-299-br09"), "newest first:\n{frame}");
    assert!(!frame.contains("nodes-br09"), "{frame}");
    h.key(KeyCode::Char('G'));
    let frame = h.wait_for("300/300").await;
    assert!(frame.contains("archive-000-br09"), "{frame}");
    // y copies the selected backup's ID.
    h.key(KeyCode::Char('y'));
    h.wait_for("Copied backup ID archive-000-br09").await;
    let copies = h.copies.lock().map(|c| c.clone()).unwrap_or_default();
    assert_eq!(copies, ["archive-000-br09"]);
    // Esc closes the picker; the form is as it was.
    h.key(KeyCode::Esc);
    h.wait_for("Ready").await;
    let app = h.quit().await;
    assert!(app.picker().is_none());
    assert_eq!(app.slot().backup.value(), "");
}

#[tokio::test]
async fn a_failed_listing_shows_in_the_picker_and_the_status_bar() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let mut profile = demo::profile_for(&running);
    // A token the demo refuses: the listing fails with 401.
    profile.auth =
        ddm_backups::config::AuthConfig::Token(ddm_backups::config::SecretSource::Inline(
            ddm_backups::secret::Secret::new("wrong-token".into()),
        ));
    let client = DdmClient::new(&profile).expect("client");
    let mut h = Harness::start(client, 100, 30);
    h.wait_for("Ready").await;
    h.key(KeyCode::Enter);
    let frame = h.wait_for("Listing instances failed").await;
    assert!(frame.contains("401"), "{frame}");
    assert!(frame.contains("r tries again"), "{frame}");
    h.key(KeyCode::Char('e'));
    h.wait_for("Last error").await;
    h.quit().await;
}

#[tokio::test]
async fn profiles_keep_their_screens_and_the_history_survives_a_restart() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = HistoryStore::at(dir.path().join("history.json"));

    let (app, clients) = two_profiles(&running);
    let mut h = Harness::start_with(app, clients, Some(store.clone()), 100, 30);
    h.wait_for("Ready").await;
    h.look_up(demo::DEMO_INSTANCE_ID, "nodes-br09");
    h.wait_for("Related data nodes (6)").await;
    // Switch to the AK/SK profile in the other region.
    h.key(KeyCode::Char('p'));
    h.wait_for("Profiles (2)").await;
    h.key(KeyCode::Char('2'));
    let frame = h.wait_for("profile demo-eu │ eu-west-101").await;
    assert!(
        frame.contains("Related data nodes (0)"),
        "its own screen:\n{frame}"
    );
    h.look_up(demo::DEMO_INSTANCE_ID, "e404-br09");
    h.wait_for("✗ HTTP 404").await;
    // And back: the first profile's result is still there.
    h.key(KeyCode::Char('p'));
    h.key(KeyCode::Char('1'));
    let frame = h.wait_for("profile demo │ cn-north-4").await;
    assert!(frame.contains("Related data nodes (6)"), "{frame}");
    // Ctrl-R lists both lookups, newest first.
    h.ctrl('r');
    let frame = h.wait_for("History (2)").await;
    assert!(frame.contains("✗ 404 Not Found"), "{frame}");
    assert!(frame.contains("✓ 6 nodes"), "{frame}");
    h.quit().await;

    // The file has both, written off the UI thread.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let loaded = loop {
        let loaded = store.load().expect("history");
        if loaded.entries.len() == 2 || tokio::time::Instant::now() > deadline {
            break loaded;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(loaded.entries.len(), 2, "{loaded:?}");
    assert_eq!(loaded.entries[0].profile, "demo-eu");
    assert!(matches!(loaded.entries[0].outcome, Outcome::Failed { .. }));
    assert!(!loaded.entries[1].backup_name.is_empty());
    assert_eq!(loaded.entries[1].outcome, Outcome::Ok { nodes: 6 });

    // A restart: the form starts with this profile's last IDs, and Enter in
    // the history repeats a lookup in the profile it was made with.
    let (mut app, clients) = two_profiles(&running);
    app.restore_history(store.load().expect("history"));
    assert_eq!(app.slot().instance.value(), demo::DEMO_INSTANCE_ID);
    assert_eq!(app.slot().backup.value(), "nodes-br09");
    let mut h = Harness::start_with(app, clients, Some(store.clone()), 100, 30);
    h.wait_for("Ready").await;
    h.ctrl('r');
    h.wait_for("History (2)").await;
    h.key(KeyCode::Enter);
    let frame = h.wait_for("✗ HTTP 404").await;
    assert!(frame.contains("profile demo-eu"), "{frame}");
    assert!(frame.contains("e404-br09"), "{frame}");
    h.quit().await;
}

#[tokio::test]
async fn a_lookup_left_running_in_one_profile_is_waiting_there_finished() {
    // Answers after a while, and says which credentials asked for it: the
    // signed (AK/SK) client is demo-eu's, the token one is demo's.
    let builder = DemoServer::builder().route("later-br09", |request, _| {
        let by = if request.header("x-auth-token").is_some() {
            "token"
        } else {
            "signed"
        };
        let body = format!(
            r#"{{"id":"later-br09","name":"asked-with-{by}","instance_id":"demo-in09",
            "instance_name":"demo","related_data_nodes":[
            {{"instance_id":"n1in01","instance_name":"first"}},
            {{"instance_id":"n2in01","instance_name":"second"}}]}}"#
        );
        Reply::json(200, body.into_bytes()).delay(Duration::from_millis(1500))
    });
    let running = builder.bind().await.expect("demo");
    let (app, clients) = two_profiles(&running);
    let mut h = Harness::start_with(app, clients, None, 100, 30);
    h.wait_for("Ready").await;
    // demo-eu: a lookup that lands, then one left running.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('p'));
    h.key(KeyCode::Char('2'));
    h.wait_for("profile demo-eu │ eu-west-101").await;
    h.look_up(demo::DEMO_INSTANCE_ID, "nodes-br09");
    h.wait_for("Related data nodes (6)").await;
    h.key(KeyCode::BackTab);
    h.ctrl('u');
    h.type_str("later-br09");
    h.key(KeyCode::Enter);
    h.wait_for("Fetching…").await;
    // demo is shown; the switcher said demo-eu was busy.
    h.key(KeyCode::Char('p'));
    let frame = h.wait_for("Profiles (2)").await;
    assert!(frame.contains("demo-eu · looking up later-br09"), "{frame}");
    h.key(KeyCode::Char('1'));
    let frame = h.wait_for("profile demo │ cn-north-4").await;
    assert!(frame.contains("Related data nodes (0)"), "{frame}");
    // It lands in demo-eu; demo's screen only gets the notice.
    let frame = h.wait_for("demo-eu: 200 OK later-br09").await;
    assert!(frame.contains("profile demo │ cn-north-4"), "{frame}");
    assert!(frame.contains("Related data nodes (0)"), "{frame}");
    assert!(!frame.contains("asked-with"), "{frame}");
    // Back in demo-eu: finished, with the form and the pane agreeing.
    h.key(KeyCode::Char('p'));
    h.key(KeyCode::Char('2'));
    let frame = h.wait_for("profile demo-eu │ eu-west-101").await;
    assert!(frame.contains("Related data nodes (2)"), "{frame}");
    assert!(
        frame.contains("asked-with-signed"),
        "demo-eu's client: {frame}"
    );
    assert_eq!(running.hits("later-br09"), 1);
    let app = h.quit().await;
    assert_eq!(app.slot().backup.value(), "later-br09");
    assert!(matches!(
        app.slot().lookup,
        tui::app::Lookup::Loaded { status: 200, .. }
    ));
    assert_eq!(
        app.slot().shown.as_ref().map(|s| s.id.as_str()),
        Some("later-br09")
    );
}

#[tokio::test]
async fn s_saves_the_backup_as_show_prints_it_and_asks_before_replacing() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let client = DdmClient::new(&demo::profile_for(&running)).expect("client");
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("nodes.json");
    let mut h = Harness::start(client.clone(), 100, 30);
    h.wait_for("Ready").await;
    h.look_up(demo::DEMO_INSTANCE_ID, "nodes-br09");
    h.wait_for("Related data nodes (6)").await;
    for round in 0..2 {
        h.key(KeyCode::Char('s'));
        h.wait_for("Save backup JSON").await;
        h.ctrl('u');
        h.type_str(&target.display().to_string());
        h.key(KeyCode::Enter);
        if round == 1 {
            h.wait_for("Replace it? y/n").await;
            h.key(KeyCode::Char('y'));
        }
        h.wait_for("Saved backup nodes-br09 to").await;
    }
    // Y copies the same JSON.
    h.key(KeyCode::Char('Y'));
    h.wait_for("Copied backup JSON (6 nodes)").await;
    let copies = h.copies.lock().map(|c| c.clone()).unwrap_or_default();
    h.quit().await;

    let saved = std::fs::read_to_string(&target).expect("saved file");
    let fetched = client
        .show_backup(demo::DEMO_INSTANCE_ID, "nodes-br09")
        .await
        .expect("lookup");
    let mut expected = Vec::new();
    ddm_backups::output::write_json(&mut expected, &fetched.value).expect("json");
    assert_eq!(saved.as_bytes(), &expected[..]);
    assert_eq!(copies, [saved]);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temp files left: {leftovers:?}");
}

#[test]
fn launch_profiles_name_their_auth_type() {
    let profile = demo::profile_at(
        "http://127.0.0.1:9/",
        demo::DEMO_TOKEN,
        Duration::from_secs(5),
    );
    let launch = tui::LaunchProfile::new(&profile, Err("cannot read the CA file".into()));
    assert_eq!(launch.info.auth, "token");
    assert!(launch.client.is_none());
    assert_eq!(
        launch.info.problem.as_deref(),
        Some("cannot read the CA file")
    );
}

/// Presses `keys` one by one, waiting after those that load a list for
/// what it shows, and returns how many keys were pressed.
async fn press_recipe(h: &mut Harness, steps: &[(KeyCode, Option<&str>)]) -> usize {
    for (code, wait) in steps {
        h.key(*code);
        if let Some(text) = wait {
            h.wait_for(text).await;
        }
    }
    steps.len()
}

/// Issue 18 item 4: the README's launch recipes take the keys it counts
/// ("Enter, `j` Enter, Enter (four keys)" on a first launch; Enter, and
/// Esc `i` `j` Enter Enter, on a later one), over real HTTP.
#[tokio::test]
async fn the_readmes_launch_recipes_take_the_keys_it_counts() {
    use KeyCode::{Char, Enter, Esc};
    let running = DemoServer::builder().bind().await.expect("demo");
    let client = || DdmClient::new(&demo::profile_for(&running)).expect("client");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = HistoryStore::at(dir.path().join("history.json"));

    let title = instances_title();
    // First launch: an empty form.
    let mut h = Harness::start_with(app(), vec![Some(client())], Some(store.clone()), 100, 30);
    h.wait_for("Ready").await;
    let keys = press_recipe(
        &mut h,
        &[
            (Enter, Some(title.as_str())),
            (Char('j'), None),
            (Enter, Some("backups)")),
            (Enter, Some("✓ 200 OK")),
        ],
    )
    .await;
    assert_eq!(keys, 4);
    let first = h.quit().await;
    assert_eq!(first.slot().instance.value(), demo::DEMO_INSTANCE_ID);
    let newest = first.slot().backup.value().to_string();
    assert!(!newest.is_empty());

    // The history is written off the UI thread.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while store.load().expect("history").entries.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "no history written");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A later launch: the form holds the last lookup; Enter repeats it.
    let later = || {
        let mut a = app();
        a.restore_history(store.load().expect("history"));
        a
    };
    let launched = later();
    assert_eq!(launched.slot().backup.value(), newest);
    let mut h = Harness::start_with(launched, vec![Some(client())], Some(store.clone()), 100, 30);
    h.wait_for("Ready").await;
    let keys = press_recipe(&mut h, &[(Enter, Some("✓ 200 OK"))]).await;
    assert_eq!(keys, 1);
    let again = h.quit().await;
    assert_eq!(again.slot().backup.value(), newest);

    // A later launch picking another instance's newest backup.
    let mut h = Harness::start_with(later(), vec![Some(client())], Some(store.clone()), 100, 30);
    h.wait_for("Ready").await;
    let keys = press_recipe(
        &mut h,
        &[
            (Esc, None),
            (Char('i'), Some(title.as_str())),
            (Char('j'), None),
            (Enter, Some("backups)")),
            (Enter, Some("✓ 200 OK")),
        ],
    )
    .await;
    assert_eq!(keys, 5);
    let other = h.quit().await;
    assert_eq!(other.slot().instance.value(), demo::DEMO_INSTANCE_ID);
}

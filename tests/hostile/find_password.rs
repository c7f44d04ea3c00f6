//! Find in the TUI with a password profile, against the demo endpoint's
//! IAM over loopback with the real client and the real event loop: the
//! profile asks in the masked popup; the right password brings its results
//! under its own heading, Esc skips it, a wrong one shows IAM's refusal on
//! its line. `find_password_cli` does the same headless.
//!
//! The only password here is the demo's own fake one.

use std::sync::Arc;

use crossterm::event::{Event, KeyCode};
use ddm_backups::api::DdmClient;
use ddm_backups::auth::AuthOptions;
use ddm_backups::config::{AuthConfig, Profile};
use ddm_backups::demo::{self, DemoServer, RunningDemo};
use ddm_backups::find::State;
use ddm_backups::tui::App;
use ddm_backups::tui::password::PasswordBridge;
use ddm_backups::tui::test_support::{Harness, Setup, app, profile_info};

/// `orders` in the demo project (the password profile's): its built-in
/// backups of `ddm-demo-orders`.
pub const PW_ORDERS: usize = 23;
/// `orders` in the EU project (the token profile's): `eu-orders-000` …
/// `eu-orders-139`.
pub const EU_ORDERS: usize = 140;

/// `name`: password auth in the demo project (the only one the demo IAM
/// scopes tokens to), with no password source: the operator is asked.
fn password_profile(running: &RunningDemo, name: &str) -> Profile {
    Profile {
        name: name.into(),
        auth: AuthConfig::Password {
            domain: demo::DEMO_DOMAIN.into(),
            user: demo::DEMO_USER.into(),
            password: None,
        },
        ..demo::profile_for(running)
    }
}

/// `eu`: the demo token in the EU project.
fn token_profile(running: &RunningDemo) -> Profile {
    Profile {
        name: "eu".into(),
        region: "eu-west-101".into(),
        project_id: Some(demo::DEMO_EU_PROJECT_ID.into()),
        ..demo::profile_for(running)
    }
}

/// A session offering `pw` (first, shown) and `eu`, whose password
/// profile asks through the popup; tokens are cached under `cache`.
fn session(running: &RunningDemo, cache: &tempfile::TempDir) -> Harness {
    session_of(running, cache, &["pw"])
}

/// A session offering the password profiles `names` (the first shown),
/// then `eu`; they all ask through the one popup.
fn session_of(running: &RunningDemo, cache: &tempfile::TempDir, names: &[&str]) -> Harness {
    let bridge = PasswordBridge::default();
    let options = AuthOptions {
        prompt: Some(Arc::new(bridge.clone())),
        cache_dir: Some(cache.path().to_path_buf()),
    };
    let mut clients = Vec::new();
    let mut infos = Vec::new();
    for name in names {
        let profile = password_profile(running, name);
        clients.push(Some(
            DdmClient::with_options(&profile, options.clone()).expect("password client"),
        ));
        infos.push(profile_info(name, "cn-north-4", "127.0.0.1", "password"));
    }
    clients.push(Some(
        DdmClient::new(&token_profile(running)).expect("eu client"),
    ));
    infos.push(profile_info("eu", "eu-west-101", "127.0.0.1", "token"));
    let mut a = app();
    a.set_profiles(infos, 0);
    Harness::launch(Setup {
        app: a,
        clients,
        history: None,
        password: Some(bridge),
        width: 120,
        height: 40,
    })
}

/// Opens Find and searches `orders` in one paste, so no key of the text
/// can land in the password popup that the search opens.
async fn find_orders(h: &mut Harness) {
    h.wait_for("Ready").await;
    h.ctrl('f');
    h.wait_for("type at least 3 characters").await;
    h.send(Event::Paste("orders".into()));
}

/// The question the popup asks, once it is up.
async fn popup(h: &mut Harness) -> String {
    let frame = h.wait_for("IAM sign-in").await;
    assert!(
        frame.contains("Password for IAM user demo-user in account demo-account (profile pw)"),
        "{frame}"
    );
    frame
}

/// `profile`'s part of the search in the final app.
fn part<'a>(app: &'a App, profile: &str) -> &'a ddm_backups::find::ProfileProgress {
    let progress = app
        .find()
        .and_then(|v| v.progress.as_ref())
        .expect("Find is open with a search");
    progress
        .profiles
        .iter()
        .find(|p| p.profile == profile)
        .unwrap_or_else(|| panic!("no part for {profile}"))
}

/// The line after the one containing `heading`.
fn line_after<'a>(frame: &'a str, heading: &str) -> &'a str {
    let mut lines = frame.lines();
    lines
        .by_ref()
        .find(|l| l.contains(heading))
        .unwrap_or_else(|| panic!("no {heading:?} line:\n{frame}"));
    lines.next().unwrap_or("")
}

#[tokio::test]
async fn the_right_password_brings_the_profiles_results_under_its_heading() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let cache = tempfile::tempdir().expect("cache");
    let mut h = session(&running, &cache);
    find_orders(&mut h).await;
    popup(&mut h).await;
    assert_eq!(running.service().iam_calls(), 0, "asked before signing in");
    h.type_str(demo::DEMO_PASSWORD);
    h.key(KeyCode::Enter);
    // Both profiles answered and nothing loads (no spinner after the title).
    let frame = h
        .wait_for(&format!(
            "Find · {} results in 2 profiles ─",
            PW_ORDERS + EU_ORDERS
        ))
        .await;
    assert!(!frame.contains("IAM sign-in"), "the popup closed:\n{frame}");
    // pw's heading, then its newest result: a demo-project backup.
    let heading = format!("pw · cn-north-4: {PW_ORDERS} found in ");
    let first = line_after(&frame, &heading);
    assert!(
        first.contains("demo-in09") || first.contains("pages-in09"),
        "under pw's heading: {first:?}\n{frame}"
    );
    assert_eq!(running.service().iam_calls(), 1);
    let (app, frames) = h.finish().await;
    let pw = part(&app, "pw");
    assert!(matches!(pw.state, State::Done { .. }), "{:?}", pw.state);
    assert_eq!(pw.matches.len(), PW_ORDERS);
    assert!(pw.matches.iter().all(|f| f.profile == "pw"
        && f.region == "cn-north-4"
        && !f.backup_id.as_deref().unwrap_or("").starts_with("eu-")));
    assert!(
        pw.matches
            .iter()
            .any(|f| f.backup_id.as_deref() == Some("nodes-br09"))
    );
    let eu = part(&app, "eu");
    assert_eq!(eu.matches.len(), EU_ORDERS);
    assert!(eu.matches.iter().all(|f| {
        f.profile == "eu"
            && f.backup_id
                .as_deref()
                .unwrap_or("")
                .starts_with("eu-orders-")
    }));
    // pw's list was kept, as its own, for the next Find.
    assert!(
        app.found_listing(ddm_backups::fleet::ProfileId(0))
            .is_some_and(|l| l.profile == "pw")
    );
    let all = frames.concat();
    assert!(!all.contains(demo::DEMO_PASSWORD), "the password was drawn");
}

#[tokio::test]
async fn esc_in_the_popup_skips_the_profile_and_the_other_still_shows() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let cache = tempfile::tempdir().expect("cache");
    let mut h = session(&running, &cache);
    find_orders(&mut h).await;
    popup(&mut h).await;
    h.key(KeyCode::Esc);
    let frame = h
        .wait_for(&format!(
            "Find · {EU_ORDERS} results in 1 profile · 1 failed or skipped ─"
        ))
        .await;
    assert!(
        frame.contains("pw · cn-north-4: skipped (no password)"),
        "{frame}"
    );
    let first = line_after(&frame, "eu · eu-west-101: ");
    assert!(
        first.contains("eu-orders-"),
        "under eu's heading: {first:?}"
    );
    // Esc closed the popup only: Find is still open.
    let app = h.quit().await;
    assert!(app.password().is_none());
    let pw = part(&app, "pw");
    assert!(pw.matches.is_empty());
    assert!(matches!(pw.state, State::Failed { .. }), "{:?}", pw.state);
    assert_eq!(part(&app, "eu").matches.len(), EU_ORDERS);
    assert_eq!(running.service().iam_calls(), 0, "IAM was never asked");
}

#[tokio::test]
async fn a_wrong_password_shows_iams_refusal_on_the_profiles_line() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let cache = tempfile::tempdir().expect("cache");
    let mut h = session(&running, &cache);
    find_orders(&mut h).await;
    popup(&mut h).await;
    h.type_str("not-the-demo-password");
    h.key(KeyCode::Enter);
    // The search ends (no spinner): the wrong password is not asked for
    // again and again, nor left waiting.
    let frame = h
        .wait_for(&format!(
            "Find · {EU_ORDERS} results in 1 profile · 1 failed or skipped ─"
        ))
        .await;
    let heading = frame
        .lines()
        .find(|l| l.contains("pw · cn-north-4: "))
        .unwrap_or_else(|| panic!("no pw line:\n{frame}"));
    assert!(
        // IAM, not DDM, refused: the line says which.
        heading.contains("IAM 401") && heading.contains("The username or password is wrong"),
        "{heading}"
    );
    assert!(!heading.contains("skipped"), "{heading}");
    let app = h.quit().await;
    assert!(app.password().is_none(), "not asked again");
    assert!(matches!(part(&app, "pw").state, State::Failed { .. }));
    assert_eq!(part(&app, "eu").matches.len(), EU_ORDERS);
    assert_eq!(running.service().iam_calls(), 1);
}

#[tokio::test]
async fn two_password_profiles_are_asked_one_at_a_time() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let cache = tempfile::tempdir().expect("cache");
    let mut h = session_of(&running, &cache, &["pw", "pw2"]);
    find_orders(&mut h).await;
    let frame = h.wait_for("IAM sign-in").await;
    // Whichever asked first is refused; the other is asked next.
    let (first, second) = if frame.contains("(profile pw)") {
        ("pw", "pw2")
    } else {
        ("pw2", "pw")
    };
    assert!(frame.contains(&format!("(profile {first})")), "{frame}");
    h.key(KeyCode::Esc);
    h.wait_for(&format!("(profile {second})")).await;
    h.type_str(demo::DEMO_PASSWORD);
    h.key(KeyCode::Enter);
    let frame = h
        .wait_for(&format!(
            "Find · {} results in 2 profiles · 1 failed or skipped ─",
            PW_ORDERS + EU_ORDERS
        ))
        .await;
    assert!(
        frame.contains(&format!("{first} · cn-north-4: skipped (no password)")),
        "{frame}"
    );
    let app = h.quit().await;
    assert!(app.password().is_none());
    assert!(part(&app, first).matches.is_empty());
    assert_eq!(part(&app, second).matches.len(), PW_ORDERS);
    assert_eq!(part(&app, "eu").matches.len(), EU_ORDERS);
    assert_eq!(running.service().iam_calls(), 1);
}

//! Find through the whole TUI loop (keys in, frames out, the real effect
//! runner) over loopback with 8 profiles × 2,000 backups. Not a test of
//! speed (no timed asserts): it prints when the first result reached the
//! screen and when the whole search had, counted from the last keystroke.

use std::time::{Duration, Instant};

use ddm_backups::api::DdmClient;
use ddm_backups::config::{AuthConfig, Profile, SecretSource};
use ddm_backups::demo;
use ddm_backups::secret::Secret;
use ddm_backups::tui::test_support::{Harness, app, profile_info};

use super::find::{listed_project, page};
use super::server::{Hostile, response};

#[tokio::test]
async fn find_in_the_tui_over_8_profiles_of_2000_backups() {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(p) => page(head, &format!("p{}", &p[28..]), 2000),
        None => response(404, &[], b"{}"),
    });
    let profiles: Vec<Profile> = (0..8)
        .map(|i| Profile {
            name: format!("p{i}"),
            project_id: Some(format!("{i:032x}")),
            auth: AuthConfig::Token(SecretSource::Inline(Secret::new("tok".into()))),
            ..demo::profile_at(&server.url, "tok", Duration::from_secs(20))
        })
        .collect();
    let mut a = app();
    a.set_profiles(
        profiles
            .iter()
            .map(|p| profile_info(&p.name, &p.region, "127.0.0.1", "token"))
            .collect(),
        0,
    );
    let clients = profiles
        .iter()
        .map(|p| Some(DdmClient::new(p).expect("client")))
        .collect();
    let mut h = Harness::start_with(a, clients, None, 120, 40);
    h.wait_for("Ready").await;
    h.ctrl('f');
    h.type_str("orders-1");
    // The last character starts the search.
    let started = Instant::now();
    h.type_str("9");
    let mut first = None;
    let whole = loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), h.frames.recv())
            .await
            .expect("a frame within 10 s")
            .expect("the loop runs");
        if first.is_none() && frame.contains("-br09") {
            first = Some(started.elapsed());
        }
        // 19, 190..199 and 1900..1999 in each profile; no spinner: done.
        if frame.contains("Find · 888 results in 8 profiles ─") {
            break started.elapsed();
        }
    };
    eprintln!(
        "Find in the TUI over 8 × 2,000 on loopback: first result on screen after {first:?}, every profile on screen after {whole:?}"
    );
    h.quit().await;
}

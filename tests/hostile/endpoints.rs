//! A comma-separated `HUAWEICLOUD_SDK_REGION_DDM_<REGION>`, as the official
//! SDK reads it: each endpoint checked when the config loads, the next one
//! tried only when one cannot be reached (re-signed for its host), never
//! after an HTTP answer, and every endpoint named when none answers.

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use ddm_backups::demo::{self, DemoServer};

use super::server::{Home, Hostile, response, stderr};

const VARIABLE: &str = "HUAWEICLOUD_SDK_REGION_DDM_CN_NORTH_4";

/// A loopback URL nothing listens on: connecting to it is refused.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// `show` of the demo's example backup for a profile with no `endpoint`,
/// signed with the demo's AK/SK, the override variable set to `endpoints`.
fn show_via(home: &Home, endpoints: &str) -> Output {
    let config = home.config(&format!(
        "[profiles.p]\nregion = \"cn-north-4\"\nproject_id = \"{}\"\n\
         auth = {{ type = \"aksk\", ak = \"{}\", sk = \"{}\" }}\n",
        demo::DEMO_PROJECT_ID,
        demo::DEMO_AK,
        demo::DEMO_SK
    ));
    home.cmd()
        .env(VARIABLE, endpoints)
        .arg("--config")
        .arg(&config)
        .args(["show", "--output", "json", "--instance"])
        .arg(demo::EXAMPLE_INSTANCE_ID)
        .arg("--backup")
        .arg(demo::EXAMPLE_BACKUP_ID)
        .output()
        .expect("run")
}

#[tokio::test]
async fn the_next_endpoint_answers_when_the_first_cannot_be_reached() {
    // Before, the whole value was read as one URL and refused.
    let demo = DemoServer::builder().bind().await.unwrap();
    let endpoints = format!("{}, {}", dead_url(), demo.base_url());
    let out = tokio::task::spawn_blocking(move || show_via(&Home::new(), &endpoints))
        .await
        .unwrap();
    // The demo checks the AK/SK signature, so this also shows the request
    // was signed for the host it went to.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["id"], demo::EXAMPLE_BACKUP_ID);
}

#[test]
fn an_http_error_is_the_answer_and_the_next_endpoint_is_not_tried() {
    let first = Hostile::start(|_| {
        response(
            500,
            &[("Content-Type", "application/json")],
            br#"{"errCode":"DBS.300002","externalMessage":"Internal error."}"#,
        )
    });
    let hits = Arc::new(AtomicU32::new(0));
    let counted = hits.clone();
    let second = Hostile::start(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        response(404, &[], b"{}")
    });
    let out = show_via(&Home::new(), &format!("{},{}", first.url, second.url));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("DBS.300002 Internal error."),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the second endpoint was asked"
    );
}

#[test]
fn when_no_endpoint_can_be_reached_each_one_tried_is_named() {
    let (a, b) = (dead_url(), dead_url());
    let out = show_via(&Home::new(), &format!("{a},{b}"));
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    let host = |url: &str| url.trim_start_matches("http://").to_string();
    assert!(
        said.contains(&format!(
            "could not connect: none of the 2 endpoints could be reached, tried in order: {}: ",
            host(&a)
        )),
        "{said}"
    );
    assert!(said.contains(&format!("; {}: ", host(&b))), "{said}");
}

#[test]
fn each_endpoint_in_the_list_is_checked_before_anything_is_sent() {
    for (value, said) in [
        (
            "https://ddm.example.com,ftp://x",
            "endpoint 2 of 2: scheme \"ftp\" is not supported",
        ),
        (
            "https://ddm.example.com,,https://b.example.com",
            "endpoint 2 of 3: empty",
        ),
        (
            "http://ddm.example.com",
            "\"http://ddm.example.com\" uses http:// to a host that is not this machine",
        ),
    ] {
        let out = show_via(&Home::new(), value);
        assert_eq!(out.status.code(), Some(2), "{value}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("${VARIABLE}: {said}")),
            "{value}: {}",
            stderr(&out)
        );
    }
}

//! The real client against the embedded demo endpoint over loopback TCP:
//! success, every error class, retries, deadlines, caps and redirects.

use crate::support;

use std::time::{Duration, Instant};

use ddm_backups::api::{Error, ErrorClass};
use ddm_backups::demo::{self, DemoServer, Reply};
use ddm_backups::http;

const I: &str = demo::DEMO_INSTANCE_ID;

async fn failure(backup: &str) -> Error {
    let demo = support::demo().await;
    support::client(&demo)
        .show_backup(I, backup)
        .await
        .expect_err("an error")
}

#[tokio::test]
async fn the_api_example_comes_back_typed() {
    let demo = support::demo().await;
    let fetched = support::client(&demo)
        .show_backup(demo::EXAMPLE_INSTANCE_ID, demo::EXAMPLE_BACKUP_ID)
        .await
        .unwrap();
    let b = &fetched.value;
    assert_eq!(b.id, demo::EXAMPLE_BACKUP_ID);
    assert_eq!(
        b.name,
        "Backup-ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg-2025052005400"
    );
    assert_eq!(
        b.instance_name,
        "ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg"
    );
    assert_eq!(b.related_data_nodes.len(), 1);
    assert_eq!(
        b.related_data_nodes[0].instance_id,
        "fc33739e5d2741529e21d87a7b5923fain01"
    );
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.attempts, 1);
    assert!(
        fetched
            .request_id
            .as_deref()
            .is_some_and(|id| id.len() == 32),
        "{:?}",
        fetched.request_id
    );
}

#[tokio::test]
async fn several_nodes_unknown_fields_and_empty_lists() {
    let demo = support::demo().await;
    let client = support::client(&demo);
    assert_eq!(
        client
            .show_backup(I, "nodes-br09")
            .await
            .unwrap()
            .value
            .related_data_nodes
            .len(),
        6
    );
    assert!(
        client
            .show_backup(I, "empty-br09")
            .await
            .unwrap()
            .value
            .related_data_nodes
            .is_empty()
    );
    assert!(
        client
            .show_backup(I, "null-br09")
            .await
            .unwrap()
            .value
            .related_data_nodes
            .is_empty()
    );
    assert_eq!(
        client
            .show_backup(I, "bulk-br09")
            .await
            .unwrap()
            .value
            .related_data_nodes
            .len(),
        10_000
    );
    let wide = client.show_backup(I, "wide-br09").await.unwrap().value;
    assert!(
        wide.related_data_nodes
            .iter()
            .any(|n| n.instance_name.contains('订'))
    );
}

#[tokio::test]
async fn one_connection_is_reused_between_lookups() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let demo = DemoServer::builder()
        .route("keep-br09", move |req, _| {
            record
                .lock()
                .unwrap()
                .push(req.header("user-agent").unwrap_or_default().to_string());
            Reply::json(200, r#"{"id":"keep-br09"}"#)
        })
        .bind()
        .await
        .unwrap();
    let client = support::client(&demo);
    for _ in 0..3 {
        client.show_backup(I, "keep-br09").await.unwrap();
    }
    assert_eq!(demo.hits("keep-br09"), 3);
    let agents = seen.lock().unwrap();
    assert!(
        agents
            .iter()
            .all(|ua| ua == &format!("ddm-backups/{}", env!("CARGO_PKG_VERSION"))),
        "{agents:?}"
    );
}

#[tokio::test]
async fn ddm_shaped_400() {
    let e = failure("e400-br09").await;
    assert_eq!(e.class(), ErrorClass::Rejected);
    assert_eq!(e.status(), Some(400));
    assert!(matches!(&e, Error::Http(http::Error::Api { code: Some(c), .. }) if c == "DBS.280001"));
    let line = e.status_line();
    assert!(
        line.contains("400 Bad Request") && line.contains("DBS.280001 Parameter error."),
        "{line}"
    );
    assert!(line.contains("request id "), "{line}");
    assert!(e.hint().unwrap().contains("instance ID"));
}

#[tokio::test]
async fn gateway_shaped_500_is_a_server_error_and_not_retried() {
    let demo = support::demo().await;
    let e = support::client(&demo)
        .show_backup(I, "e500-br09")
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Server);
    assert!(
        e.status_line().contains("DBS.300005"),
        "{}",
        e.status_line()
    );
    assert_eq!(demo.hits("e500-br09"), 1);
}

#[tokio::test]
async fn auth_permission_and_not_found_are_told_apart() {
    let e = failure("e401-br09").await;
    assert_eq!(e.class(), ErrorClass::Auth);
    assert!(
        e.status_line().contains("authentication failed"),
        "{}",
        e.status_line()
    );
    let e = failure("e403-br09").await;
    assert_eq!(e.class(), ErrorClass::Permission);
    let e = failure("e404-br09").await;
    assert_eq!(e.class(), ErrorClass::NotFound);
    assert!(
        e.status_line().contains("404 Not Found (not found)"),
        "{}",
        e.status_line()
    );
}

#[tokio::test]
async fn a_wrong_token_is_an_auth_error() {
    let demo = support::demo().await;
    let client = ddm_backups::api::DdmClient::new(&support::profile(
        &demo.base_url(),
        "wrong",
        Duration::from_secs(5),
    ))
    .unwrap();
    let e = client
        .show_backup(demo::EXAMPLE_INSTANCE_ID, demo::EXAMPLE_BACKUP_ID)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Auth);
    assert!(
        !e.status_line().contains("wrong"),
        "the token never shows: {}",
        e.status_line()
    );
}

#[tokio::test]
async fn throttling_is_retried_after_retry_after() {
    let demo = support::demo().await;
    let started = Instant::now();
    let fetched = support::client(&demo)
        .show_backup(I, "e429-br09")
        .await
        .unwrap();
    assert_eq!(fetched.attempts, 2);
    assert_eq!(demo.hits("e429-br09"), 2);
    // The demo asks for Retry-After: 1; the client must have waited for it.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn persistent_503_gives_up_after_three_tries() {
    let demo = support::demo().await;
    let e = support::client(&demo)
        .show_backup(I, "e503-br09")
        .await
        .unwrap_err();
    assert_eq!(demo.hits("e503-br09"), 3);
    assert_eq!(e.class(), ErrorClass::Server);
    assert!(
        e.status_line().contains("(after 3 tries)"),
        "{}",
        e.status_line()
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_is_not_waited_for() {
    let demo = DemoServer::builder()
        .route("later-br09", |_, _| {
            Reply::json(
                429,
                r#"{"error_code":"APIGW.0308","error_msg":"slow down"}"#,
            )
            .header("Retry-After", "30")
        })
        .bind()
        .await
        .unwrap();
    let started = Instant::now();
    let e = support::client_with_timeout(&demo, Duration::from_secs(3))
        .show_backup(I, "later-br09")
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Throttled);
    assert_eq!(demo.hits("later-br09"), 1);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(e.hint().unwrap().contains("throttled"));
}

#[tokio::test]
async fn html_502_is_not_json_with_an_excerpt() {
    let e = failure("e502-br09").await;
    assert_eq!(e.class(), ErrorClass::NotJson);
    let Error::Http(http::Error::NotJson {
        status,
        content_type,
        excerpt,
        attempts,
        ..
    }) = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(*status, 502);
    assert!(content_type.as_deref().unwrap().starts_with("text/html"));
    assert!(
        excerpt.chars().count() <= 201 && !excerpt.contains('\n'),
        "{excerpt}"
    );
    assert_eq!(*attempts, 3, "502 is retried");
    // The headline names the page, never shows its markup; the popup's
    // rows keep the cleaned excerpt.
    assert!(
        e.short_line()
            .starts_with("502 Bad Gateway: an HTML page from a proxy · request id "),
        "{}",
        e.short_line()
    );
    assert!(!e.status_line().contains('<'), "{}", e.status_line());
    assert!(e.hint().unwrap().contains("retry later"));
    let details = e.details();
    assert!(
        details
            .iter()
            .any(|(k, v)| *k == "Page title" && v == "502 Bad Gateway")
    );
    assert!(
        details
            .iter()
            .any(|(k, v)| *k == "Body starts" && v.contains("<title>"))
    );
}

#[tokio::test]
async fn an_html_page_names_its_title_when_it_says_more_than_the_status() {
    let demo = DemoServer::builder()
        .route("portal-br09", |_, _| {
            Reply::raw(
                200,
                "text/html; charset=utf-8",
                "<html><head><title>Corporate proxy: sign in\u{1b}[2J</title></head><body><script>x</script></body></html>",
            )
        })
        .bind()
        .await
        .unwrap();
    let e = support::client(&demo)
        .show_backup(I, "portal-br09")
        .await
        .unwrap_err();
    assert_eq!(
        e.short_line().split(" · ").next().unwrap(),
        "200 OK, but the body is an HTML page, not JSON: Corporate proxy: sign in[2J"
    );
    assert!(e.hint().unwrap().contains("login portal"));
}

#[tokio::test]
async fn a_200_that_is_not_json_or_the_wrong_shape() {
    let e = failure("notjson-br09").await;
    assert_eq!(e.class(), ErrorClass::NotJson);
    assert!(
        e.status_line().starts_with(
            "HTTP 200 OK, but the body is not JSON (text/plain): upstream says hi · request id "
        ),
        "{}",
        e.status_line()
    );
    assert!(e.hint().unwrap().contains("check endpoint"));
    assert!(
        status_row(&e).contains("200 OK (success)"),
        "{:?}",
        e.details()
    );

    let e = failure("shape-br09").await;
    assert_eq!(e.class(), ErrorClass::Shape);
    assert!(e.request_id().is_some());
    assert!(
        e.status_line().starts_with(
            "HTTP 200 OK, but the JSON is not in the documented shape: name: expected a string, got a number · "
        ),
        "{}",
        e.status_line()
    );
    assert!(e.hint().unwrap().contains("check that endpoint"));
    assert!(status_row(&e).contains("200 OK (success)"));
}

/// The popup's Status row.
fn status_row(e: &Error) -> String {
    e.details()
        .into_iter()
        .find(|(k, _)| *k == "Status")
        .map(|(_, v)| v)
        .unwrap_or_default()
}

#[tokio::test]
async fn a_truncated_body_is_a_body_error() {
    let e = failure("trunc-br09").await;
    assert_eq!(e.class(), ErrorClass::BodyRead, "{e:?}");
    assert!(e.request_id().is_some());
    // The demo sends half of a 320-byte document under a Content-Length
    // for all of it.
    assert!(
        e.short_line().starts_with(
            "200 OK, but the body was cut off after 160 bytes of the 320 announced · "
        ),
        "{}",
        e.short_line()
    );
    assert!(e.hint().unwrap().contains("retry"));
    assert!(status_row(&e).contains("200 OK (success)"));
    assert!(e.details().iter().any(|(k, _)| *k == "Cause"));
}

#[tokio::test]
async fn redirects_are_not_followed_and_name_the_host() {
    let demo = support::demo().await;
    let e = support::client(&demo)
        .show_backup(I, "redirect-br09")
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Redirect);
    assert!(
        e.status_line().contains("https://login.example.invalid"),
        "{}",
        e.status_line()
    );
    assert!(
        !e.status_line().contains("authui"),
        "no path or query: {}",
        e.status_line()
    );
    assert_eq!(demo.hits("redirect-br09"), 1);
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let e = failure("huge-br09").await;
    assert_eq!(e.class(), ErrorClass::TooLarge);
    assert!(
        e.status_line()
            .starts_with("HTTP 200 OK, but the body is over the 16 MiB limit · request id "),
        "{}",
        e.status_line()
    );
    assert!(e.hint().unwrap().contains("check that endpoint"));

    // Without a Content-Length the cap applies while reading.
    let demo = DemoServer::builder()
        .route("stream-br09", |_, _| {
            Reply::chunked_huge(200, 3 * 1024 * 1024)
        })
        .bind()
        .await
        .unwrap();
    let client = support::client(&demo).with_body_cap(1024 * 1024);
    let e = client.show_backup(I, "stream-br09").await.unwrap_err();
    assert_eq!(e.class(), ErrorClass::TooLarge);
    assert!(
        e.status_line().contains("over the 1 MiB limit"),
        "{}",
        e.status_line()
    );
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let demo = support::demo().await;
    let fetched = support::client(&demo)
        .show_backup(I, "reset-br09")
        .await
        .unwrap();
    assert_eq!(fetched.attempts, 2);
}

#[tokio::test]
async fn a_slow_answer_meets_a_short_deadline() {
    let demo = support::demo().await;
    let started = Instant::now();
    let e = support::client_with_timeout(&demo, Duration::from_secs(1))
        .show_backup(I, "slow-br09")
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Timeout);
    assert!(
        e.status_line().contains("1s deadline"),
        "{}",
        e.status_line()
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn retries_stay_inside_the_deadline() {
    let demo = DemoServer::builder()
        .route("flaky-br09", |_, _| {
            Reply::json(503, r#"{"error_code":"X","error_msg":"busy"}"#)
                .delay(Duration::from_millis(700))
        })
        .bind()
        .await
        .unwrap();
    let started = Instant::now();
    let e = support::client_with_timeout(&demo, Duration::from_secs(1))
        .show_backup(I, "flaky-br09")
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(e.class(), ErrorClass::Timeout | ErrorClass::Server),
        "{e:?}"
    );
}

#[tokio::test]
async fn ids_are_checked_before_any_request() {
    let demo = support::demo().await;
    let client = support::client(&demo);
    for (instance, backup, field) in [
        ("a/b", "x", "instance ID"),
        ("i", "..", "backup ID"),
        ("i", "", "backup ID"),
        ("i", "b?x=1", "backup ID"),
    ] {
        let e = client.show_backup(instance, backup).await.unwrap_err();
        assert_eq!(e.class(), ErrorClass::InvalidInput);
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains(field), "{e}");
    }
    assert_eq!(demo.hits(".."), 0);
}

#[tokio::test]
async fn ids_go_into_the_path_as_they_are_and_others_never_leave() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let record = seen.clone();
    let demo = DemoServer::builder()
        .route("odd-ID_1", move |req, _| {
            *record.lock().unwrap() = req.path.clone();
            Reply::json(200, r#"{"id":"odd-ID_1"}"#)
        })
        .bind()
        .await
        .unwrap();
    let client = support::client(&demo);
    client.show_backup("in-St_1", "odd-ID_1").await.unwrap();
    assert!(
        seen.lock()
            .unwrap()
            .ends_with("/instances/in-St_1/backups/odd-ID_1"),
        "{}",
        seen.lock().unwrap()
    );
    // Characters the path would have to encode are refused before sending.
    for (instance, backup) in [("in:st+1", "odd-ID_1"), ("in-St_1", "odd~id_1.x")] {
        let e = client.show_backup(instance, backup).await.unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
    }
    assert_eq!(demo.hits("odd-ID_1"), 1);
}

#[tokio::test]
async fn a_dead_endpoint_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = ddm_backups::api::DdmClient::new(&support::profile(
        &format!("http://127.0.0.1:{port}"),
        "t",
        Duration::from_secs(5),
    ))
    .unwrap();
    let e = client.show_backup("i", "b").await.unwrap_err();
    assert_eq!(e.class(), ErrorClass::Network);
    assert!(
        matches!(
            e,
            Error::Http(http::Error::Network {
                kind: http::NetworkKind::Refused,
                ..
            })
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_unknown_host_is_a_dns_error() {
    // `.invalid` never resolves (RFC 6761).
    let profile = support::profile(
        "https://ddm.nonexistent.invalid",
        "t",
        Duration::from_secs(5),
    );
    let client = ddm_backups::api::DdmClient::new(&profile).unwrap();
    let e = client.show_backup("i", "b").await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Http(http::Error::Network {
                kind: http::NetworkKind::Dns,
                ..
            })
        ),
        "{e:?}"
    );
    assert!(
        e.status_line()
            .starts_with("host name lookup failed: ddm.nonexistent.invalid"),
        "{}",
        e.status_line()
    );
}

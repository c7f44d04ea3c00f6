//! The read-only restore calls against a server that records every request
//! and answers what no honest DDM would: only GET is ever sent, the query
//! strings are the SDK's plus paging (tests/api/signer_vectors.rs V10..V13),
//! every call is paged, and absent, odd or oversized fields neither fail
//! the call nor grow without bound.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ddm_backups::api::ApiTime;
use ddm_backups::api::{DdmClient, ErrorClass, ListLimit, MAX_FIELD, MAX_RESTORE_ROWS};
use ddm_backups::demo;
use jiff::Timestamp;

use crate::server::{Answer, Head, Hostile, json, response};

const INSTANCE: &str = "2f0324a93859487eb5566d75951fcd2din09";
const TARGET: &str = "7a2e4c6f8b0d4e1a9c3b5d7f9e1a3c5bin09";
const SOURCE_DN: &str = "3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01";

fn client(url: &str) -> DdmClient {
    DdmClient::new(&demo::profile_at(url, "tok", Duration::from_secs(5))).expect("client")
}

/// The vectors' restore time, 1748000000000 ms.
fn restore_time() -> ApiTime {
    Timestamp::from_second(1_748_000_000).unwrap().into()
}

/// A server that keeps every request head and answers with `answer`.
fn recording(
    answer: impl Fn(&Head) -> Answer + Send + Sync + 'static,
) -> (Hostile, Arc<Mutex<Vec<Head>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let server = Hostile::start(move |head| {
        log.lock().unwrap().push(head.clone());
        answer(head)
    });
    (server, seen)
}

/// A full page of 128 empty rows with a total of 130, then the last two:
/// the second request is the one V13 signs (offset=128).
fn two_pages(head: &Head) -> Answer {
    let key = if head.path().ends_with("restorable-instances") {
        "instances"
    } else if head.path().ends_with("restorable-data-node") {
        "target_data_nodes"
    } else if head.path().ends_with("related-dn") {
        return json(r#"{"related_data_nodes":[]}"#);
    } else {
        return json(r#"{"restorable_time_intervals":[]}"#);
    };
    let rows = if head.query("offset") == Some("0") {
        128
    } else {
        2
    };
    json(&format!(
        r#"{{"{key}":[{}],"total":130}}"#,
        vec!["{}"; rows].join(",")
    ))
}

#[tokio::test]
async fn every_restore_call_sends_only_get_with_the_sdk_query() {
    let (server, seen) = recording(two_pages);
    let c = client(&server.url);
    c.restore_windows(INSTANCE).await.unwrap();
    c.related_data_nodes_at(INSTANCE, restore_time())
        .await
        .unwrap();
    let targets = c.restore_targets(INSTANCE, ListLimit::ALL).await.unwrap();
    assert_eq!(targets.rows.len(), 130);
    let nodes = c
        .restore_target_nodes(INSTANCE, TARGET, SOURCE_DN, restore_time(), ListLimit::ALL)
        .await
        .unwrap();
    assert_eq!(nodes.rows.len(), 130);
    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|h| h.method == "GET"), "{seen:?}");
    let base = format!("/v3/{}/instances/{INSTANCE}/backups", demo::DEMO_PROJECT_ID);
    let targets: Vec<&str> = seen.iter().map(|h| h.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            // V10's call, paged: the SDK sends no query, and the service's
            // default page is 10.
            format!("{base}/restorable-time-interval?limit=128&offset=0"),
            // V11's, paged the same way.
            format!("{base}/related-dn?limit=128&offset=0&restore_time=1748000000000"),
            // V12, then its next page.
            format!("{base}/restorable-instances?limit=128&offset=0"),
            format!("{base}/restorable-instances?limit=128&offset=128"),
            format!(
                "{base}/restorable-data-node?limit=128&offset=0&restore_time=1748000000000\
                 &source_dn_instance_id={SOURCE_DN}&target_instance_id={TARGET}"
            ),
            // V13, byte for byte.
            format!(
                "{base}/restorable-data-node?limit=128&offset=128&restore_time=1748000000000\
                 &source_dn_instance_id={SOURCE_DN}&target_instance_id={TARGET}"
            ),
        ]
    );
}

#[tokio::test]
async fn absent_fields_are_unknown_not_errors() {
    let (server, _) = recording(|head| {
        let p = head.path();
        if p.ends_with("restorable-time-interval") {
            json(r#"{"restorable_time_intervals":null}"#)
        } else if p.ends_with("related-dn") {
            json(r#"{"related_data_nodes":[{},{"available":true,"data_volume_size":null}]}"#)
        } else if p.ends_with("restorable-instances") {
            json(r#"{"instances":[{},{"available":null},{"available":"maybe"}]}"#)
        } else {
            json(r#"{}"#)
        }
    });
    let c = client(&server.url);
    let w = c.restore_windows(INSTANCE).await.unwrap();
    assert!(w.windows.is_empty() && w.latest().is_none());
    let r = c
        .related_data_nodes_at(INSTANCE, restore_time())
        .await
        .unwrap();
    assert_eq!(r.nodes.len(), 2);
    assert!(r.latest_restorable_time.is_none() && r.nodes[1].data_volume_size.is_none());
    let t = c.restore_targets(INSTANCE, ListLimit::ALL).await.unwrap();
    assert!(t.rows.iter().all(|t| t.available.is_none()));
    let n = c
        .restore_target_nodes(INSTANCE, TARGET, SOURCE_DN, restore_time(), ListLimit::ALL)
        .await
        .unwrap();
    assert!(n.rows.is_empty() && n.total.is_none());
}

#[tokio::test]
async fn huge_fields_and_endless_arrays_are_capped() {
    // JSON-escaped, so serde builds an owned string that must be cut too.
    let long = "\\u001b[31m€".repeat(MAX_FIELD);
    let many = vec![r#"{"start_time":"x"}"#; MAX_RESTORE_ROWS + 10].join(",");
    let windows = format!(r#"{{"restorable_time_intervals":[{many}]}}"#);
    let nodes = format!(
        r#"{{"related_data_nodes":[{{"instance_name":"{long}","available":[{{"deep":[1,2]}}],"data_volume_size":{{"a":1}}}}],"latest_restorable_time":"{long}"}}"#
    );
    let (server, _) = recording(move |head| {
        if head.path().ends_with("related-dn") {
            json(&nodes)
        } else {
            json(&windows)
        }
    });
    let c = client(&server.url);
    let w = c.restore_windows(INSTANCE).await.unwrap();
    assert_eq!(w.windows.len(), MAX_RESTORE_ROWS);
    assert!(w.truncated && w.shortfall().is_some());
    let r = c
        .related_data_nodes_at(INSTANCE, restore_time())
        .await
        .unwrap();
    assert!(r.nodes[0].instance_name.as_ref().unwrap().len() <= MAX_FIELD);
    assert!(r.latest_restorable_time.unwrap().len() <= MAX_FIELD);
    assert_eq!(r.nodes[0].data_volume_size, None);
}

#[tokio::test]
async fn broken_answers_are_typed_errors() {
    let (server, _) = recording(|head| {
        if head.path().ends_with("related-dn") {
            response(200, &[("Content-Type", "text/html")], b"<html>login</html>")
        } else if head.path().ends_with("restorable-instances") {
            json(r#"{"instances":[{"instance_name":["x"]}]}"#)
        } else {
            response(
                500,
                &[("Content-Type", "application/json")],
                br#"{"errCode":"DBS.300005","externalMessage":"Internal server error."}"#,
            )
        }
    });
    let c = client(&server.url);
    let e = c.restore_windows(INSTANCE).await.unwrap_err();
    assert_eq!(e.class(), ErrorClass::Server);
    let e = c
        .related_data_nodes_at(INSTANCE, restore_time())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("200"), "{e}");
    let e = c
        .restore_targets(INSTANCE, ListLimit::ALL)
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("instances[0].instance_name: expected a string, got a list"),
        "{e}"
    );
}

/// Twelve windows and twelve nodes, served `page` at a time at most (the
/// service's default page is 10; `cap` pages hold at most that many,
/// whatever `limit` says), honouring `offset`, with the total.
fn twelve(head: &Head, cap: usize) -> Answer {
    let offset: usize = head
        .query("offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let limit: usize = head
        .query("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(10);
    let page = |key: &str, row: &dyn Fn(usize) -> String, extra: &str| {
        let rows: Vec<String> = (offset..12).take(limit.min(cap)).map(row).collect();
        json(&format!(
            r#"{{"{key}":[{}],"offset":{offset},"limit":{limit},"total":12{extra}}}"#,
            rows.join(",")
        ))
    };
    if head.path().ends_with("related-dn") {
        page(
            "related_data_nodes",
            &|i| format!(r#"{{"instance_id":"n{i:02}-in01"}}"#),
            r#","latest_restorable_time":"2025-06-12T22:00:00+0000""#,
        )
    } else {
        // Oldest first: the newest window is the twelfth.
        page(
            "restorable_time_intervals",
            &|i| {
                let day = i + 1;
                format!(
                    r#"{{"start_time":"2025-06-{day:02}T00:00:00+0000","end_time":"2025-06-{day:02}T22:00:00+0000"}}"#
                )
            },
            "",
        )
    }
}

#[tokio::test]
async fn windows_and_nodes_are_read_past_the_default_page() {
    // Before, no paging was sent: ten of each, the newest window missed.
    let (server, seen) = recording(|head| twelve(head, 128));
    let c = client(&server.url);
    let w = c.restore_windows(INSTANCE).await.unwrap();
    assert_eq!((w.windows.len(), w.shortfall()), (12, None));
    assert_eq!(
        w.latest(),
        ddm_backups::api::parse_api_time("2025-06-12T22:00:00+0000")
    );
    let r = c
        .related_data_nodes_at(INSTANCE, restore_time())
        .await
        .unwrap();
    assert_eq!((r.nodes.len(), r.shortfall()), (12, None));
    assert_eq!(
        r.latest_restorable_time.as_deref(),
        Some("2025-06-12T22:00:00+0000")
    );
    let seen = seen.lock().unwrap();
    assert!(
        seen.iter()
            .all(|h| h.query("offset") == Some("0") && h.query("limit") == Some("128")),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_server_that_sends_fewer_than_its_total_leaves_a_shortfall() {
    // Ten a page whatever `limit` says: the client cannot tell a short page
    // from the last one but by the total, so it reports what it missed.
    let (server, _) = recording(|head| twelve(head, 10));
    let c = client(&server.url);
    let w = c.restore_windows(INSTANCE).await.unwrap();
    let short = w.shortfall().unwrap();
    assert_eq!((short.listed, short.read), (Some(12), 10));
    let r = c
        .related_data_nodes_at(INSTANCE, restore_time())
        .await
        .unwrap();
    let short = r.shortfall().unwrap();
    assert_eq!((short.listed, short.read), (Some(12), 10));
}

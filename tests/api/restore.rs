//! The read-only restore calls against the demo endpoint with the real
//! client: typed results, the failing `related-dn` of pages-in09, ID checks
//! before any request, and AK/SK-signed requests the demo's re-signing
//! accepts.

use crate::support;

use ddm_backups::api::{DdmClient, ErrorClass, ListLimit, parse_api_time};
use ddm_backups::demo;
use std::time::Duration;

use ddm_backups::api::ApiTime;
use ddm_backups::readiness::{self, Blocker, Coverage};
use jiff::Timestamp;

/// 2025-06-28T00:00:00Z, inside the demo's newer window.
fn restore_time() -> ApiTime {
    Timestamp::from_second(1_751_068_800).unwrap().into()
}

#[tokio::test]
async fn windows_come_newest_first_with_the_latest_time() {
    let running = support::demo().await;
    let fetched = support::client(&running)
        .restore_windows(demo::DEMO_INSTANCE_ID)
        .await
        .unwrap();
    let windows = &fetched.windows;
    assert_eq!(windows.len(), 2);
    assert!(windows[0].start() > windows[1].end());
    assert_eq!(fetched.latest(), parse_api_time("2025-06-29T08:30:00+0000"));
    assert_eq!(fetched.shortfall(), None);
}

/// shards-in09 has twelve windows and twelve nodes: the service's default
/// page holds 10, so a client that sends no paging (the SDK's way) reads
/// ten of each, misses the newest windows and takes nodes 11 and 12 for gone.
#[tokio::test]
async fn windows_and_nodes_past_one_default_page_are_all_read() {
    let running = support::demo().await;
    let client = support::client(&running);
    let windows = client
        .restore_windows(demo::SHARDS_INSTANCE_ID)
        .await
        .unwrap();
    assert_eq!(windows.windows.len(), demo::SHARDS);
    assert_eq!(windows.shortfall(), None);
    let latest = parse_api_time("2025-06-28T22:00:00+0000");
    assert_eq!(windows.latest(), latest, "the newest is on the second page");
    let now = client
        .related_data_nodes_at(demo::SHARDS_INSTANCE_ID, latest.unwrap())
        .await
        .unwrap();
    assert_eq!((now.nodes.len(), now.total), (demo::SHARDS, Some(12)));
    assert_eq!(now.shortfall(), None);
    assert_eq!(now.latest(), latest);
    let report = readiness::load(&client, demo::SHARDS_INSTANCE_ID, demo::SHARDS_BACKUP_ID).await;
    assert!(report.failures().is_empty(), "{:?}", report.failures());
    assert_eq!(report.blockers(), []);
    let nodes = report.nodes().unwrap();
    assert_eq!(nodes.len(), demo::SHARDS);
    assert!(
        nodes.iter().all(|n| n.coverage == Coverage::Both),
        "{nodes:?}"
    );
}

#[tokio::test]
async fn related_nodes_show_one_gone_and_one_added() {
    let running = support::demo().await;
    let client = support::client(&running);
    let backup = client
        .show_backup(demo::DEMO_INSTANCE_ID, "nodes-br09")
        .await
        .unwrap()
        .value;
    let now = client
        .related_data_nodes_at(demo::DEMO_INSTANCE_ID, restore_time())
        .await
        .unwrap();
    let then: Vec<&str> = backup
        .related_data_nodes
        .iter()
        .map(|n| n.instance_id.as_str())
        .collect();
    let now_ids: Vec<&str> = now
        .nodes
        .iter()
        .filter_map(|n| n.instance_id.as_deref())
        .collect();
    let gone: Vec<_> = then.iter().filter(|id| !now_ids.contains(id)).collect();
    let added: Vec<_> = now_ids.iter().filter(|id| !then.contains(id)).collect();
    assert_eq!(gone, [&demo::GONE_NODE_ID]);
    assert_eq!(added, [&demo::ADDED_NODE_ID]);
    assert_eq!(
        now.nodes[5].instance_name.as_deref(),
        Some("rds-orders-shard-06")
    );
    // Sizes are bytes, sent as numbers and as strings alike.
    assert!(now.nodes.iter().all(|n| n.data_volume_size.is_some()));
    assert_eq!(now.nodes[0].data_volume_size, Some(40 * 1024 * 1024 * 1024));
    assert_eq!(now.nodes[1].data_volume_size, Some(47 * 1024 * 1024 * 1024));
    assert_eq!(now.latest(), parse_api_time("2025-06-29T08:30:00+0000"));
}

#[tokio::test]
async fn a_restore_time_outside_the_windows_is_a_parameter_error() {
    let running = support::demo().await;
    let e = support::client(&running)
        .related_data_nodes_at(demo::DEMO_INSTANCE_ID, Timestamp::UNIX_EPOCH.into())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
}

#[tokio::test]
async fn one_target_is_unavailable_and_says_why() {
    let running = support::demo().await;
    let listing = support::client(&running)
        .restore_targets(demo::DEMO_INSTANCE_ID, ListLimit::ALL)
        .await
        .unwrap();
    assert_eq!((listing.rows.len(), listing.total), (3, Some(3)));
    assert!(!listing.truncated);
    let unavailable: Vec<_> = listing
        .rows
        .iter()
        .filter(|t| t.available == Some(false))
        .collect();
    assert_eq!(unavailable.len(), 1);
    assert_eq!(
        unavailable[0].instance_id.as_deref(),
        Some(demo::UNAVAILABLE_TARGET_ID)
    );
    assert!(unavailable[0].unavailable_reason.is_some());
    // Paging still works a row at a time.
    let one = support::client(&running)
        .restore_targets(demo::DEMO_INSTANCE_ID, ListLimit { max_rows: 1 })
        .await
        .unwrap();
    assert_eq!(one.rows.len(), 1);
    assert!(one.truncated);
}

#[tokio::test]
async fn target_data_nodes_are_listed() {
    let running = support::demo().await;
    let listing = support::client(&running)
        .restore_target_nodes(
            demo::DEMO_INSTANCE_ID,
            "a4b6c8d0e2f44a5b7c9d1e3f5a7b9c1din09",
            "3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01",
            restore_time(),
            ListLimit::ALL,
        )
        .await
        .unwrap();
    assert_eq!(listing.rows.len(), 2);
    assert_eq!(listing.rows[0].available, Some(true));
    assert_eq!(listing.rows[1].available, Some(false));
    assert_eq!(listing.rows[0].private_ip.as_deref(), Some("192.168.10.21"));
}

#[tokio::test]
async fn pages_in09_fails_related_dn_only() {
    let running = support::demo().await;
    let client = support::client(&running);
    let instance = demo::PAGES_INSTANCE_ID;
    assert!(client.restore_windows(instance).await.is_ok());
    assert!(
        client
            .restore_targets(instance, ListLimit::ALL)
            .await
            .is_ok()
    );
    let e = client
        .related_data_nodes_at(instance, restore_time())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(500));
    assert_eq!(e.class(), ErrorClass::Server);
}

#[tokio::test]
async fn bad_ids_are_refused_before_any_request() {
    let running = support::demo().await;
    let client = support::client(&running);
    let at = restore_time();
    let errors = [
        client.restore_windows("../x").await.map(|_| ()),
        client.related_data_nodes_at("a b", at).await.map(|_| ()),
        client.restore_targets("", ListLimit::ALL).await.map(|_| ()),
        client
            .restore_target_nodes(demo::DEMO_INSTANCE_ID, "t?x", "s", at, ListLimit::ALL)
            .await
            .map(|_| ()),
        client
            .restore_target_nodes(demo::DEMO_INSTANCE_ID, "t", "s/..", at, ListLimit::ALL)
            .await
            .map(|_| ()),
    ];
    for e in errors {
        assert_eq!(e.unwrap_err().exit_code(), 2);
    }
    for name in [
        "restorable-time-interval",
        "related-dn",
        "restorable-instances",
        "restorable-data-node",
    ] {
        assert_eq!(running.hits(name), 0, "{name}");
    }
}

/// demo-eu signs with AK/SK; the demo re-signs what it received (sorted
/// query included) and answers 401 when the signatures differ.
#[tokio::test]
async fn signed_requests_are_accepted_on_every_route() {
    let running = support::demo().await;
    let profile = demo::profiles_for(&running)
        .into_iter()
        .find(|p| p.name == "demo-eu")
        .unwrap();
    let client = DdmClient::new(&profile).unwrap();
    let instance = demo::DEMO_INSTANCE_ID;
    client.restore_windows(instance).await.unwrap();
    client
        .related_data_nodes_at(instance, restore_time())
        .await
        .unwrap();
    client
        .restore_targets(instance, ListLimit::ALL)
        .await
        .unwrap();
    client
        .restore_target_nodes(
            instance,
            "a4b6c8d0e2f44a5b7c9d1e3f5a7b9c1din09",
            "3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01",
            restore_time(),
            ListLimit::ALL,
        )
        .await
        .unwrap();
}

/// The backups being made turn `normal` / `createfail` once their time
/// is up, in their list rows; their lookups cover the instance's nodes now.
#[tokio::test]
async fn backups_being_made_finish() {
    let demo = demo::DemoServer::builder()
        .creating_for(Duration::from_millis(300))
        .bind()
        .await
        .unwrap();
    let client = support::client(&demo);
    let first = statuses(&client).await;
    assert_eq!(first, ["creating", "creating", "normal"]);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(statuses(&client).await, ["normal", "createfail", "normal"]);

    let detail = client
        .show_backup(demo::DEMO_INSTANCE_ID, demo::CREATING_BACKUP_ID)
        .await
        .unwrap()
        .value;
    let now = client
        .related_data_nodes_at(demo::DEMO_INSTANCE_ID, restore_time())
        .await
        .unwrap();
    let joined = readiness::join(&detail.related_data_nodes, &now.nodes);
    assert_eq!(joined.len(), 6);
    assert!(joined.iter().all(|n| n.coverage == Coverage::Both));
}

/// The whole report for nodes-br09: every section loads, the gone node and
/// the unavailable target are there, and the gone node is a blocker.
#[tokio::test]
async fn the_report_for_nodes_br09_names_its_blocker() {
    let running = support::demo().await;
    let client = support::client(&running);
    let report = readiness::load(&client, demo::DEMO_INSTANCE_ID, "nodes-br09").await;
    assert!(report.settled());
    assert!(report.failures().is_empty(), "{:?}", report.failures());
    let nodes = report.nodes().unwrap();
    let coverage = |id: &str| {
        nodes
            .iter()
            .find(|n| n.instance_id == id)
            .map(|n| n.coverage)
    };
    assert_eq!(coverage(demo::GONE_NODE_ID), Some(Coverage::BackupOnly));
    assert_eq!(coverage(demo::ADDED_NODE_ID), Some(Coverage::Added));
    assert_eq!(nodes.len(), 7);
    assert_eq!(
        report.blockers(),
        [Blocker::NodeGone {
            instance_id: demo::GONE_NODE_ID.into(),
            instance_name: Some("rds-orders-shard-05".into()),
        }]
    );
    let row = report.row.ready().unwrap().as_ref().unwrap();
    assert_eq!(row.status.as_ref().map(|s| s.sent()), Some("normal"));
    assert_eq!(report.targets.ready().unwrap().rows.len(), 3);
    assert_eq!(
        report.latest_restorable_time(),
        parse_api_time("2025-06-29T08:30:00+0000")
    );
}

/// pages-in09's related-dn fails: the other sections still load, and the
/// failure is named.
#[tokio::test]
async fn one_failed_call_hides_nothing_else() {
    let running = support::demo().await;
    let client = support::client(&running);
    let report = readiness::load(&client, demo::PAGES_INSTANCE_ID, "archive-001-br09").await;
    let failed: Vec<&str> = report.failures().iter().map(|(c, _)| c.name()).collect();
    assert_eq!(failed, ["related-dn"]);
    assert!(report.detail.ready().is_some());
    assert!(report.row.ready().unwrap().is_some());
    assert!(report.windows.ready().is_some());
    assert!(report.targets.ready().is_some());
    assert_eq!(report.nodes(), None);
}

/// A backup that is not listed, and one being made.
#[tokio::test]
async fn unlisted_and_creating_backups_are_blockers() {
    let running = support::demo().await;
    let client = support::client(&running);
    let creating = readiness::load(&client, demo::DEMO_INSTANCE_ID, demo::CREATING_BACKUP_ID).await;
    assert_eq!(
        creating.blockers(),
        [Blocker::NotNormal {
            status: "creating".into()
        }]
    );
    // An ID the demo does not know: a 404 for the lookup, no row listed.
    let unknown = readiness::load(&client, demo::DEMO_INSTANCE_ID, "nosuch-br09").await;
    assert!(matches!(unknown.row, readiness::Part::Ready(None)));
    assert_eq!(unknown.blockers()[0], Blocker::NotListed);
    assert_eq!(unknown.failures()[0].0.name(), "ShowBackup");
}

/// The list statuses of creating-br09, failing-br09 and nodes-br09.
async fn statuses(client: &DdmClient) -> Vec<String> {
    let listing = client
        .list_backups(demo::DEMO_INSTANCE_ID, ListLimit::ALL)
        .await
        .unwrap();
    [
        demo::CREATING_BACKUP_ID,
        demo::FAILING_BACKUP_ID,
        "nodes-br09",
    ]
    .iter()
    .map(|id| {
        let row = listing.rows.iter().find(|r| r.id.as_deref() == Some(*id));
        row.and_then(|r| r.status.as_ref())
            .map_or_else(String::new, |s| s.sent().to_string())
    })
    .collect()
}

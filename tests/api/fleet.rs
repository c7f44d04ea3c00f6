//! Issue 20, the demo endpoint: the fleet dated relative to now, read over
//! loopback with the real client at a pinned now, as `check` and the
//! Health view will read it; and the generated fleet of `--fleet`.

use std::collections::{BTreeMap, HashSet};

use ddm_backups::api::{BackupRow, BackupStatus, DdmClient, ListLimit};
use ddm_backups::demo::{self, DemoServer, FleetSize, RunningDemo};
use ddm_backups::health::{self, Input, State, Thresholds};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// The pinned now: mid-afternoon, after the day's 02:00 backups.
const NOW: &str = "2025-07-01T12:34:56Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

async fn pinned() -> RunningDemo {
    DemoServer::builder().now(now()).bind().await.expect("demo")
}

/// The two demo profiles' clients: `demo` (cn-north-4) and `demo-eu`.
fn clients(running: &RunningDemo) -> Vec<DdmClient> {
    demo::profiles_for(running)
        .iter()
        .map(|p| DdmClient::new(p).expect("client"))
        .collect()
}

fn created(row: &BackupRow) -> Timestamp {
    row.created
        .as_ref()
        .and_then(|c| c.at())
        .and_then(|t| t.timestamp())
        .expect("a readable time")
}

fn normal(row: &BackupRow) -> bool {
    matches!(
        row.status.as_ref().map(|s| s.kind()),
        Some(BackupStatus::Normal)
    )
}

/// The project's rows by instance, newest first, checking on the way
/// that paging gave every row once.
async fn by_instance(client: &DdmClient) -> BTreeMap<String, Vec<BackupRow>> {
    let listing = client
        .list_project_backups(ListLimit::ALL)
        .await
        .expect("listing");
    assert_eq!(Some(listing.rows.len() as u64), listing.total);
    let ids: HashSet<&str> = listing
        .rows
        .iter()
        .filter_map(|r| r.id.as_deref())
        .collect();
    assert_eq!(ids.len(), listing.rows.len(), "no row twice");
    let mut groups: BTreeMap<String, Vec<BackupRow>> = BTreeMap::new();
    for row in listing.rows {
        let id = row.instance_id.clone().expect("an instance");
        groups.entry(id).or_default().push(row);
    }
    for rows in groups.values_mut() {
        rows.sort_by_key(|r| std::cmp::Reverse(created(r)));
    }
    groups
}

#[tokio::test]
async fn the_fleet_lists_each_instance_with_its_newest_backup() {
    let running = pinned().await;
    assert_eq!(running.now(), now());
    let clients = clients(&running);
    let groups = by_instance(&clients[0]).await;
    let newest = |id: &str| {
        let row = &groups[id][0];
        (created(row), normal(row))
    };

    // Healthy: today's 02:00 backup, and one a day before it.
    for id in [
        demo::PAYMENTS_INSTANCE_ID,
        demo::INVENTORY_INSTANCE_ID,
        demo::USERS_INSTANCE_ID,
        demo::SIZE_JUMP_INSTANCE_ID,
        demo::LAGGING_INSTANCE_ID,
        demo::WINDOW_ERROR_INSTANCE_ID,
    ] {
        assert_eq!(newest(id), (t("2025-07-01T02:00:00Z"), true), "{id}");
        assert_eq!(groups[id].len(), demo::FLEET_BACKUPS, "{id}");
        let oldest = created(groups[id].last().unwrap());
        assert_eq!(oldest, t("2025-06-22T02:00:00Z"), "{id}");
    }
    // Stopped: the newest is 54 h old.
    assert_eq!(
        newest(demo::STOPPED_INSTANCE_ID),
        (t("2025-06-29T06:34:56Z"), true)
    );
    // The newest failed; the one before it is yesterday's, normal.
    let failed = &groups[demo::NEWEST_FAILED_INSTANCE_ID];
    assert_eq!(
        newest(demo::NEWEST_FAILED_INSTANCE_ID),
        (t("2025-07-01T02:00:00Z"), false)
    );
    assert_eq!(
        failed[0].status.as_ref().map(|s| s.sent()),
        Some("createfail")
    );
    assert_eq!(
        (created(&failed[1]), normal(&failed[1])),
        (t("2025-06-30T02:00:00Z"), true)
    );
    // Missed days: nothing on 06-29 and 06-27.
    let days: Vec<String> = groups[demo::MISSED_INSTANCE_ID]
        .iter()
        .take(5)
        .map(|r| created(r).strftime("%m-%d").to_string())
        .collect();
    assert_eq!(days, ["07-01", "06-30", "06-28", "06-26", "06-25"]);
    // No backups: an instance row, no backup row.
    assert!(!groups.contains_key(demo::NO_BACKUPS_INSTANCE_ID));
    let instances = clients[0].list_instances(ListLimit::ALL).await.unwrap();
    let listed: Vec<&str> = instances
        .rows
        .iter()
        .filter_map(|r| r.id.as_deref())
        .collect();
    for fleet in demo::fleet_catalogue().filter(|f| f.project_id == demo::DEMO_PROJECT_ID) {
        assert!(listed.contains(&fleet.instance_id), "{}", fleet.instance_id);
    }

    // Sizes grow by the day; one instance's tripled.
    let kb = |row: &BackupRow| row.file_size.as_ref().map(|s| s.bytes().0).unwrap();
    let payments: Vec<u64> = groups[demo::PAYMENTS_INSTANCE_ID].iter().map(kb).collect();
    assert!(payments.windows(2).all(|w| w[0] > w[1]), "{payments:?}");
    let jump: Vec<u64> = groups[demo::SIZE_JUMP_INSTANCE_ID].iter().map(kb).collect();
    assert!(jump[2] > 2 * jump[3] && jump[2] < 4 * jump[3], "{jump:?}");

    // ShowBackup answers a fleet backup with the name its row gives.
    let row = &groups[demo::PAYMENTS_INSTANCE_ID][0];
    let id = row.id.as_deref().unwrap();
    assert_eq!(id, "payments-prod-20250701-br09");
    let shown = clients[0]
        .show_backup(demo::PAYMENTS_INSTANCE_ID, id)
        .await
        .unwrap();
    assert_eq!(Some(&shown.value.name), row.name.as_ref());
    assert_eq!(shown.value.related_data_nodes.len(), 2);

    // The EU project takes part with its own share.
    let eu = by_instance(&clients[1]).await;
    let eu_newest = &eu[demo::EU_NEWEST_FAILED_INSTANCE_ID][0];
    assert_eq!(created(eu_newest), t("2025-07-01T02:00:00Z"));
    assert!(!normal(eu_newest));
    assert!(eu.contains_key(demo::EU_PAYMENTS_INSTANCE_ID));
    assert!(eu.contains_key(demo::EU_ORDERS_INSTANCE_ID));
    assert!(!eu.contains_key(demo::PAYMENTS_INSTANCE_ID), "its own only");
}

#[tokio::test]
async fn restore_windows_end_minutes_ago_or_8_h_ago_or_fail_with_the_api_error() {
    let running = pinned().await;
    let client = &clients(&running)[0];
    let latest = |w: ddm_backups::api::RestoreWindows| w.latest().and_then(|t| t.timestamp());

    let lagging = client
        .restore_windows(demo::LAGGING_INSTANCE_ID)
        .await
        .unwrap();
    assert_eq!(latest(lagging), Some(t("2025-07-01T04:34:56Z")));
    assert_eq!(now() - demo::LAGGING_BY, t("2025-07-01T04:34:56Z"));
    let healthy = client
        .restore_windows(demo::PAYMENTS_INSTANCE_ID)
        .await
        .unwrap();
    assert_eq!(latest(healthy), Some(t("2025-07-01T12:30:56Z")));
    let none = client
        .restore_windows(demo::NO_BACKUPS_INSTANCE_ID)
        .await
        .unwrap();
    assert!(none.windows.is_empty() && none.total == Some(0));

    let e = client
        .restore_windows(demo::WINDOW_ERROR_INSTANCE_ID)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(500), "{e}");
    let ddm_backups::api::Error::Http(http) = &e else {
        panic!("an HTTP error: {e:?}");
    };
    assert_eq!(http.code(), Some("DBS.300005"), "{e}");
    assert!(e.request_id().is_some(), "{e:?}");
}

/// What `check` will conclude: every fleet instance in the state it is
/// there to show, in both projects, from what the client read.
#[tokio::test]
async fn the_rules_judge_every_fleet_instance_as_intended() {
    let running = pinned().await;
    let mut states = BTreeMap::new();
    for client in clients(&running) {
        let listing = client.list_project_backups(ListLimit::ALL).await.unwrap();
        let groups = health::group(listing.rows);
        let instances = client.list_instances(ListLimit::ALL).await.unwrap();
        for id in instances.rows.iter().filter_map(|r| r.id.clone()) {
            let backups = groups
                .iter()
                .find(|g| g.instance_id == id)
                .map(|g| g.backups.clone())
                .unwrap_or_default();
            let restore = match client.restore_windows(&id).await {
                Ok(w) => Ok(w.latest().and_then(|t| t.timestamp())),
                Err(e) => Err(e.to_string()),
            };
            let input = Input {
                backups: &backups,
                unreadable: 0,
                listing: Ok(()),
                restore,
            };
            let verdict = health::judge(&input, &Thresholds::default(), now(), &TimeZone::UTC);
            states.insert(id, verdict.state);
        }
    }
    let want = [
        (demo::PAYMENTS_INSTANCE_ID, State::Ok),
        (demo::INVENTORY_INSTANCE_ID, State::Ok),
        (demo::USERS_INSTANCE_ID, State::Ok),
        (demo::SIZE_JUMP_INSTANCE_ID, State::Ok),
        (demo::STOPPED_INSTANCE_ID, State::Critical),
        (demo::NEWEST_FAILED_INSTANCE_ID, State::Critical),
        (demo::MISSED_INSTANCE_ID, State::Warning),
        (demo::NO_BACKUPS_INSTANCE_ID, State::Critical),
        (demo::LAGGING_INSTANCE_ID, State::Critical),
        (demo::WINDOW_ERROR_INSTANCE_ID, State::Unknown),
        (demo::EU_PAYMENTS_INSTANCE_ID, State::Ok),
        (demo::EU_USERS_INSTANCE_ID, State::Ok),
        (demo::EU_NEWEST_FAILED_INSTANCE_ID, State::Critical),
        (demo::EU_MISSED_INSTANCE_ID, State::Warning),
        // The built-in instances keep their 2025-06 dates and windows.
        (demo::DEMO_INSTANCE_ID, State::Critical),
        (demo::EXAMPLE_INSTANCE_ID, State::Critical),
        (demo::EU_ORDERS_INSTANCE_ID, State::Critical),
    ];
    for (id, state) in want {
        assert_eq!(states.get(id), Some(&state), "{id}: {states:?}");
    }
}

/// Without a pinned now the fleet follows the system clock: a healthy
/// instance's newest backup is from the last 24 h (read before and after
/// the listing, so no timing is assumed).
#[tokio::test]
async fn an_unpinned_fleet_is_dated_by_the_system_clock() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let before = Timestamp::now();
    let groups = by_instance(&clients(&running)[0]).await;
    let after = Timestamp::now();
    let newest = created(&groups[demo::PAYMENTS_INSTANCE_ID][0]);
    assert!(newest <= after, "{newest} after {after}");
    assert!(
        newest >= before - SignedDuration::from_hours(24),
        "{newest} more than a day before {before}"
    );
}

#[tokio::test]
async fn the_scale_fleet_serves_100x30_rows_across_pages() {
    let size: FleetSize = "100x30".parse().unwrap();
    let running = DemoServer::builder()
        .now(now())
        .scale_fleet(size)
        .bind()
        .await
        .expect("demo");
    // Both projects serve the same fleet.
    for client in clients(&running) {
        let instances = client.list_instances(ListLimit::ALL).await.unwrap();
        assert_eq!(instances.rows.len(), 100);
        assert_eq!(instances.total, Some(100));
        assert_eq!(instances.rows[42].id.as_deref(), Some("fleet-00042-in09"));
        // 3000 rows come in 24 pages of at most 128.
        let groups = by_instance(&client).await;
        assert_eq!(groups.len(), 100);
        assert!(groups.values().all(|rows| rows.len() == 30));
        let total: usize = groups.values().map(Vec::len).sum();
        assert_eq!(total, 3000);
        // Instance 0 backs up at 02:00 daily, the newest today.
        let first = &groups["fleet-00000-in09"];
        assert_eq!(created(&first[0]), t("2025-07-01T02:00:00Z"));
        assert_eq!(created(&first[29]), t("2025-06-02T02:00:00Z"));
    }
    // The built-in lists are gone; their lookups still answer.
    let client = &clients(&running)[0];
    let demo_rows = client
        .list_backups(demo::DEMO_INSTANCE_ID, ListLimit::ALL)
        .await
        .unwrap();
    assert!(demo_rows.rows.is_empty());
    client
        .show_backup(demo::DEMO_INSTANCE_ID, "nodes-br09")
        .await
        .unwrap();
}

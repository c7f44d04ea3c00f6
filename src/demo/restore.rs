//! The demo's read-only restore routes (API.md 3.1), so the restore
//! readiness checks can be tried without a cloud. Each call is paged as the
//! service pages it (`offset`, `limit` 1..128, default 10, and `total`):
//! - `demo-in09` has two windows; at a restore time inside them its data
//!   nodes differ from `nodes-br09`'s (rds-orders-shard-05 is gone, a new
//!   rds-orders-shard-06 was added); one of its three targets is
//!   unavailable, with a reason.
//! - `pages-in09` answers every call but `related-dn`, which fails with a
//!   500, so a view can show one section failing while the rest load.
//! - `shards-in09` (see `shards`) has twelve nodes and twelve windows:
//!   more than one default page of each.
//! - the example instance, `eu-orders-in09` and `eu-ledger-in09` have
//!   demo-in09's two windows (as old as their backups) and the nodes
//!   their backups name.
//! - the fleet's instances (see `fleet`) have windows relative to now.
//! - `creating-br09` and `failing-br09` (see `progress`) cover exactly
//!   demo-in09's nodes now, so once `normal` nothing blocks a restore.

use serde_json::{Value, json};

use super::eu::{EU_LEDGER_INSTANCE_ID, EU_ORDERS_INSTANCE_ID};
use super::lists::{PAGES_INSTANCE_ID, paging};
use super::reply::Reply;
use super::shards::{self, SHARDS_INSTANCE_ID};
use super::{DEMO_INSTANCE_ID, EXAMPLE_INSTANCE_ID, Request};
use crate::api::parse_api_time;

/// The names that sit where ShowBackup has a backup ID.
pub(crate) const NAMES: [&str; 4] = [
    "restorable-time-interval",
    "related-dn",
    "restorable-instances",
    "restorable-data-node",
];

/// The windows of demo-in09 and pages-in09, newest first, as the API
/// writes times (the newer one with a fraction, which the API may send).
const WINDOWS: [(&str, &str); 2] = [
    ("2025-06-27T02:00:00+0000", "2025-06-29T08:30:00.000+0000"),
    ("2025-06-20T00:00:00+0000", "2025-06-25T12:00:00+0000"),
];

/// The data node added since `nodes-br09` was taken.
pub const ADDED_NODE_ID: &str = "8e7d6c5b4a3f4e2d9c1b0a9f8e7d6c5bin01";
/// The node of `nodes-br09` that is gone at any restore time.
pub const GONE_NODE_ID: &str = "d1c2b3a4f5e64d7c8b9a0f1e2d3c4b5ain01";
/// The target that cannot take a restore.
pub const UNAVAILABLE_TARGET_ID: &str = "b5c7d9e1f3a54b6c8d0e2f4a6b8c0d2ein09";

/// What one demo instance answers to the restore calls.
pub(crate) struct Instance {
    /// Start and end, in the order the server sends them.
    pub(crate) windows: Vec<(String, String)>,
    /// IDs and names of its data nodes at any restore time.
    pub(crate) nodes: Vec<(String, String)>,
}

/// The example instance's one data node, as its backup names it.
const EXAMPLE_NODE: (&str, &str) = (
    "fc33739e5d2741529e21d87a7b5923fain01",
    "mysql_rds_related_ddm_for_diagnose3_01",
);
/// The EU project's instances' data nodes, as their backups name them.
const EU_NODES: [(&str, &str); 2] = [
    ("5e4d3c2b1a0f4e9d8c7b6a5f4e3d2c1bin01", "rds-eu-shard-00"),
    ("6f5e4d3c2b1a4f0e9d8c7b6a5f4e3d2cin01", "rds-eu-shard-01"),
];

impl Instance {
    fn of(instance_id: &str) -> Option<Instance> {
        let fixed = || {
            WINDOWS
                .iter()
                .map(|(s, e)| (s.to_string(), e.to_string()))
                .collect()
        };
        let named = |nodes: &[(&str, &str)]| {
            nodes
                .iter()
                .map(|(id, n)| (id.to_string(), n.to_string()))
                .collect()
        };
        let (windows, nodes) = match instance_id {
            DEMO_INSTANCE_ID | PAGES_INSTANCE_ID => (
                fixed(),
                current_nodes().map(|(id, n)| (id.to_string(), n)).collect(),
            ),
            SHARDS_INSTANCE_ID => (shards::windows(), shards::nodes().collect()),
            // Windows as old as their backups (June 2025), so the health
            // view reads them as stale rather than failing to read them.
            EXAMPLE_INSTANCE_ID => (fixed(), named(&[EXAMPLE_NODE])),
            EU_ORDERS_INSTANCE_ID | EU_LEDGER_INSTANCE_ID => (fixed(), named(&EU_NODES)),
            _ => return None,
        };
        Some(Instance { windows, nodes })
    }

    /// The end of its newest window, as written: what `related-dn` says
    /// the latest restorable time is.
    fn latest(&self) -> Option<&str> {
        self.windows
            .iter()
            .max_by_key(|(_, end)| parse_api_time(end))
            .map(|(_, end)| end.as_str())
    }
}

/// Answers restore call `name` of `instance_id`; `None` for an instance
/// the demo has no restore answers for (the caller says 404).
pub(crate) fn respond(instance_id: &str, name: &str, req: &Request) -> Option<Reply> {
    answer(&Instance::of(instance_id)?, instance_id, name, req)
}

/// Answers restore call `name` of `instance`; `None` for a name that is
/// not a restore call.
pub(crate) fn answer(
    instance: &Instance,
    instance_id: &str,
    name: &str,
    req: &Request,
) -> Option<Reply> {
    let query = req.query.as_deref().unwrap_or("");
    Some(match name {
        "restorable-time-interval" => {
            let rows: Vec<Value> = instance
                .windows
                .iter()
                .map(|(start, end)| json!({"start_time": start, "end_time": end}))
                .collect();
            paged(query, "restorable_time_intervals", &rows, |_| {})
        }
        "related-dn" if instance_id == PAGES_INSTANCE_ID => Reply::ddm_internal_error(),
        "related-dn" => match restore_time(query, &instance.windows) {
            Ok(_) => {
                let latest = instance.latest().map(str::to_string);
                paged(query, "related_data_nodes", &node_rows(instance), |doc| {
                    doc["latest_restorable_time"] = json!(latest);
                })
            }
            Err(why) => parameter_error(&why),
        },
        "restorable-instances" => paged(query, "instances", &targets(), |_| {}),
        "restorable-data-node" => match data_node_query(query, &instance.windows) {
            Ok(()) => paged(query, "target_data_nodes", &target_nodes(), |_| {}),
            Err(why) => parameter_error(&why),
        },
        _ => return None,
    })
}

fn parameter_error(why: &str) -> Reply {
    Reply::ddm(400, "DBS.280001", &format!("Parameter error: {why}"))
}

fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `restore_time` as the API wants it: epoch milliseconds inside one of
/// `windows`.
fn restore_time(query: &str, windows: &[(String, String)]) -> Result<i128, String> {
    let text = param(query, "restore_time").ok_or("restore_time is required.")?;
    let ms: i128 = text
        .parse()
        .map_err(|_| format!("restore_time={text} is not epoch milliseconds."))?;
    let inside = windows.iter().any(|(start, end)| {
        let ms_of = |t: &str| parse_api_time(t).map(|t| t.epoch_millis());
        matches!((ms_of(start), ms_of(end)), (Some(s), Some(e)) if s <= ms && ms <= e)
    });
    if inside {
        Ok(ms)
    } else {
        Err(format!(
            "restore_time={text} is outside the restorable time intervals."
        ))
    }
}

fn data_node_query(query: &str, windows: &[(String, String)]) -> Result<(), String> {
    for name in ["target_instance_id", "source_dn_instance_id"] {
        if param(query, name).is_none_or(str::is_empty) {
            return Err(format!("{name} is required."));
        }
    }
    restore_time(query, windows).map(|_| ())
}

/// nodes-br09's first five shards, then one added since; its sixth is gone.
const ORDER_SHARDS: [(&str, &str); 6] = [
    ("3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01", "00"),
    ("7a2e4c6f8b0d4e1a9c3b5d7f9e1a3c5bin01", "01"),
    ("c4d6e8f0a2b44c6e8a0b2d4f6a8c0e2din01", "02"),
    ("0f9e8d7c6b5a49382716f5e4d3c2b1a0in01", "03"),
    ("5e6f7a8b9c0d4e1f2a3b4c5d6e7f8a9bin01", "04"),
    (ADDED_NODE_ID, "06"),
];

/// demo-in09's data nodes at any restore time: IDs and names.
pub(crate) fn current_nodes() -> impl Iterator<Item = (&'static str, String)> {
    ORDER_SHARDS
        .iter()
        .map(|(id, n)| (*id, format!("rds-orders-shard-{n}")))
}

/// An instance's nodes as `related-dn` lists them, with what the
/// comparison shows.
fn node_rows(instance: &Instance) -> Vec<Value> {
    instance
        .nodes
        .iter()
        .enumerate()
        .map(|(i, (id, name))| {
            let bytes = (40 + 7 * i as u64) * 1024 * 1024 * 1024;
            // The docs type the size as a string and show a number: both.
            let size = if i % 2 == 0 {
                json!(bytes)
            } else {
                json!(bytes.to_string())
            };
            json!({
                "instance_id": id, "instance_name": name,
                "instance_status": "ACTIVE", "engine_name": "MySQL", "data_volume_size": size,
                "version": "8.0.28",
            })
        })
        .collect()
}

fn targets() -> Vec<Value> {
    vec![
        json!({
            "instance_id": "a4b6c8d0e2f44a5b7c9d1e3f5a7b9c1din09", "instance_name": "ddm-orders-restore",
            "status": "RUNNING", "available": true, "vpc_name": "vpc-orders",
        }),
        json!({
            "instance_id": UNAVAILABLE_TARGET_ID, "instance_name": "ddm-legacy-reports",
            "status": "RUNNING", "available": false,
            "unavailable_reason": "The target's engine version 2.4.1 is older than the source's 3.1.4.",
            "vpc_name": "vpc-reports",
        }),
        json!({
            "instance_id": "c6d8e0f2a4b64c7d9e1f3a5b7c9d1e3fin09", "instance_name": "ddm-orders-staging",
            "status": "RUNNING", "available": true, "vpc_name": "vpc-orders",
        }),
    ]
}

fn target_nodes() -> Vec<Value> {
    vec![
        json!({
            "instance_id": "e1f3a5b7c9d14e2f8a0b2c4d6e8f0a1bin01", "instance_name": "rds-restore-pool-00",
            "engine_name": "MySQL", "status": "ACTIVE", "available": true,
            "vpc_name": "vpc-orders", "private_ip": "192.168.10.21",
        }),
        json!({
            "instance_id": "f2a4b6c8d0e24f3a9b1c3d5e7f9a1b2cin01", "instance_name": "rds-restore-pool-01",
            "engine_name": "MySQL", "status": "ACTIVE", "available": false,
            "unavailable_reason": "The data node's storage is smaller than the source's.",
            "vpc_name": "vpc-orders", "private_ip": "192.168.10.22",
        }),
    ]
}

/// One page of `rows` under `key`, paged like ListBackups (default limit
/// 10), with `total`; `more` adds what else the answer carries.
fn paged(query: &str, key: &str, rows: &[Value], more: impl FnOnce(&mut Value)) -> Reply {
    let (offset, limit) = match paging(query) {
        Ok(p) => p,
        Err(why) => {
            return Reply::ddm(400, "DBS.280001", &why);
        }
    };
    let page: Vec<&Value> = rows.iter().skip(offset).take(limit).collect();
    let mut doc = json!({"offset": offset, "limit": limit, "total": rows.len()});
    doc[key] = json!(page);
    more(&mut doc);
    Reply::json(200, doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_times_must_be_milliseconds_inside_a_window() {
        let demo = Instance::of(DEMO_INSTANCE_ID).unwrap().windows;
        // 2025-06-28T00:00:00Z, inside the newer window.
        assert_eq!(
            restore_time("restore_time=1751068800000", &demo),
            Ok(1_751_068_800_000)
        );
        assert!(restore_time("", &demo).is_err());
        assert!(restore_time("restore_time=soon", &demo).is_err());
        // Seconds, not milliseconds: 1970, outside every window.
        assert!(restore_time("restore_time=1751068800", &demo).is_err());
        assert!(data_node_query("restore_time=1751068800000&target_instance_id=t", &demo).is_err());
        assert!(
            data_node_query(
                "restore_time=1751068800000&source_dn_instance_id=s&target_instance_id=t",
                &demo
            )
            .is_ok()
        );
        // shards-in09's windows stop at 22:00 each day: 23:00 is in none.
        let shards = Instance::of(SHARDS_INSTANCE_ID).unwrap().windows;
        let at = |t: &str| {
            let ms = parse_api_time(t).unwrap().epoch_millis();
            restore_time(&format!("restore_time={ms}"), &shards)
        };
        assert!(at("2025-06-28T22:00:00+0000").is_ok());
        assert!(at("2025-06-28T23:00:00+0000").is_err());
    }

    #[test]
    fn the_latest_restorable_time_is_the_newest_window_end() {
        let latest = |id| Instance::of(id).unwrap().latest().map(str::to_string);
        assert_eq!(
            latest(DEMO_INSTANCE_ID).as_deref(),
            Some("2025-06-29T08:30:00.000+0000")
        );
        // Sent oldest first; the newest is on the second default page.
        assert_eq!(
            latest(SHARDS_INSTANCE_ID).as_deref(),
            Some("2025-06-28T22:00:00+0000")
        );
    }
}

//! The demo's second project, served to the `demo-eu` profile: its own
//! instances and backups, so a search across both demo profiles finds
//! some backups in both regions and some in one only.
//!
//! Its ListBackups and instance list hold only its own rows, then its share
//! of the fleet dated relative to now ([`FLEET`]). Lookups of the
//! first project's built-in backups (`demo-in09`'s scenarios, the restore
//! calls) are still answered here too, so every scenario can be tried from
//! either profile.

use serde_json::{Value, json};

use super::fleet::{FleetInstance, Kind};
use super::reply::Reply;

/// The project ID of `demo-eu`.
pub const DEMO_EU_PROJECT_ID: &str = "fedcba9876543210fedcba9876543210";
/// An instance with the same name as the first project's `demo-in09`.
pub const EU_ORDERS_INSTANCE_ID: &str = "eu-orders-in09";
/// How many backups it has (more than one page).
pub const EU_ORDERS_BACKUPS: usize = 140;
/// An instance found in this project only.
pub const EU_LEDGER_INSTANCE_ID: &str = "eu-ledger-in09";
/// How many backups it has.
pub const EU_LEDGER_BACKUPS: usize = 8;

/// Healthy, in this project's share of the fleet dated relative to now
/// (see `fleet`).
pub const EU_PAYMENTS_INSTANCE_ID: &str = "eu-payments-prod-in09";
/// Healthy; its three newest backups are three times the size of the rest.
pub const EU_USERS_INSTANCE_ID: &str = "eu-users-prod-in09";
/// Critical: its newest backup is `createfail`.
pub const EU_NEWEST_FAILED_INSTANCE_ID: &str = "eu-invoices-failed-in09";
/// Warning: two UTC days of the last seven with no backup.
pub const EU_MISSED_INSTANCE_ID: &str = "eu-reports-missed-in09";

/// This project's share of the fleet, listed after its own instances, so
/// the health view finds problems in both regions.
pub static FLEET: &[FleetInstance] = &[
    FleetInstance::new(
        DEMO_EU_PROJECT_ID,
        EU_PAYMENTS_INSTANCE_ID,
        "eu-payments-prod",
        Kind::Healthy,
        "ok: a normal backup every day at 02:00 UTC",
    ),
    FleetInstance::new(
        DEMO_EU_PROJECT_ID,
        EU_USERS_INSTANCE_ID,
        "eu-users-prod",
        Kind::SizeJump,
        "ok; its size tripled two days ago",
    ),
    FleetInstance::new(
        DEMO_EU_PROJECT_ID,
        EU_NEWEST_FAILED_INSTANCE_ID,
        "eu-invoices-failed",
        Kind::NewestFailed,
        "critical: its newest backup failed (createfail)",
    ),
    FleetInstance::new(
        DEMO_EU_PROJECT_ID,
        EU_MISSED_INSTANCE_ID,
        "eu-reports-missed",
        Kind::MissedDays,
        "warning: no backup on two of the last seven UTC days",
    ),
];

/// Named as the first project's `demo-in09`: the same deployment in two regions.
const ORDERS_NAME: &str = super::scenarios::DEMO_INSTANCE_NAME;
const LEDGER_NAME: &str = "ddm-eu-ledger";

/// One of this project's backups: its instance, name and when it was made.
struct EuBackup {
    id: String,
    name: String,
    instance_id: &'static str,
    instance_name: &'static str,
    created: String,
    n: usize,
}

fn orders(n: usize) -> EuBackup {
    // One a day, going back from 2025-06-28.
    let (month, day) = (6 - n / 28 % 6, 28 - n % 28);
    EuBackup {
        id: format!("eu-orders-{n:03}-br09"),
        name: format!("Backup-{ORDERS_NAME}-2025{month:02}{day:02}0200"),
        instance_id: EU_ORDERS_INSTANCE_ID,
        instance_name: ORDERS_NAME,
        created: format!("2025-{month:02}-{day:02}T02:00:00+0000"),
        n,
    }
}

fn ledger(n: usize) -> EuBackup {
    EuBackup {
        id: format!("ledger-{n}-br09"),
        name: format!("Backup-{LEDGER_NAME}-month-end-{}", n + 1),
        instance_id: EU_LEDGER_INSTANCE_ID,
        instance_name: LEDGER_NAME,
        created: format!("2025-{:02}-28T23:30:00+0000", 6 - n % 6),
        n,
    }
}

fn all() -> impl Iterator<Item = EuBackup> {
    (0..EU_ORDERS_BACKUPS)
        .map(orders)
        .chain((0..EU_LEDGER_BACKUPS).map(ledger))
}

/// The project's instance list.
pub(crate) fn instances() -> Vec<Value> {
    let row = |id: &str, name: &str, nodes: u32, created: &str| {
        json!({
            "id": id, "name": name, "status": "RUNNING", "created": created, "engine_version": "3.1.4",
            "node_count": nodes, "access_ip": "192.168.8.10", "access_port": "5066", "core_count": "8",
            "ram_capacity": "32", "available_zone": "eu-west-101a", "enterprise_project_id": "0",
        })
    };
    vec![
        row(
            EU_ORDERS_INSTANCE_ID,
            ORDERS_NAME,
            3,
            "2025-01-10T08:00:00+0000",
        ),
        row(
            EU_LEDGER_INSTANCE_ID,
            LEDGER_NAME,
            2,
            "2024-12-01T08:00:00+0000",
        ),
    ]
}

/// The project's ListBackups rows, in the order the server keeps them.
pub(crate) fn backups() -> Vec<Value> {
    all()
        .map(|b| {
            json!({
                "id": b.id, "name": b.name, "description": "", "status": if b.n % 40 == 9 { "createfail" } else { "normal" },
                "instance_id": b.instance_id, "instance_name": b.instance_name, "instance_status": "RUNNING",
                "file_size": 2048 + b.n * 97, "created": b.created,
                "backup_type": if b.n % 7 == 0 { "metadata" } else { "auto_metadata" },
            })
        })
        .collect()
}

/// ShowBackup for one of this project's backups, if it is one (and asked
/// for under its own instance).
pub(crate) fn show(instance_id: &str, backup_id: &str) -> Option<Reply> {
    let backup = all().find(|b| b.id == backup_id)?;
    if backup.instance_id != instance_id {
        return None;
    }
    let doc = json!({
        "id": backup.id,
        "name": backup.name,
        "instance_id": backup.instance_id,
        "instance_name": backup.instance_name,
        "related_data_nodes": [
            {"instance_id": "5e4d3c2b1a0f4e9d8c7b6a5f4e3d2c1bin01", "instance_name": "rds-eu-shard-00"},
            {"instance_id": "6f5e4d3c2b1a4f0e9d8c7b6a5f4e3d2cin01", "instance_name": "rds-eu-shard-01"}
        ]
    });
    Some(Reply::json(200, doc.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_dates_valid() {
        let ids: std::collections::HashSet<String> = all().map(|b| b.id).collect();
        assert_eq!(ids.len(), EU_ORDERS_BACKUPS + EU_LEDGER_BACKUPS);
        for b in all() {
            assert!(
                crate::api::parse_api_time(&b.created).is_some(),
                "{}",
                b.created
            );
            assert!(!b.id.starts_with("archive-1") && !b.name.contains("archive-1"));
        }
        assert!(show(EU_ORDERS_INSTANCE_ID, "eu-orders-000-br09").is_some());
        assert!(show(EU_LEDGER_INSTANCE_ID, "eu-orders-000-br09").is_none());
        assert!(show(EU_ORDERS_INSTANCE_ID, "nodes-br09").is_none());
    }
}

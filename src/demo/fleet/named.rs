//! The `demo` project's named fleet: one instance per health state, plus
//! healthy ones around them. Names and IDs say what each shows, and
//! none holds a word the older demo searches look for (`orders`,
//! `archive`, `ledger`), so those keep finding what they found.

use super::{FleetInstance, Kind};
use crate::demo::DEMO_PROJECT_ID;

/// Healthy: a normal backup every day at 02:00 UTC, a window ending minutes ago.
pub const PAYMENTS_INSTANCE_ID: &str = "payments-prod-in09";
/// Healthy, like [`PAYMENTS_INSTANCE_ID`].
pub const INVENTORY_INSTANCE_ID: &str = "inventory-prod-in09";
/// Healthy, like [`PAYMENTS_INSTANCE_ID`].
pub const USERS_INSTANCE_ID: &str = "users-prod-in09";
/// Healthy; its three newest backups are three times the size of the rest.
pub const SIZE_JUMP_INSTANCE_ID: &str = "telemetry-prod-in09";
/// Critical: its newest normal backup is [`super::STOPPED_AGO`] old.
pub const STOPPED_INSTANCE_ID: &str = "shipping-stopped-in09";
/// Critical: its newest backup is `createfail`.
pub const NEWEST_FAILED_INSTANCE_ID: &str = "invoices-failed-in09";
/// Warning: two UTC days of the last seven with no backup.
pub const MISSED_INSTANCE_ID: &str = "reports-missed-in09";
/// Critical: no backup at all, and no restore window.
pub const NO_BACKUPS_INSTANCE_ID: &str = "sandbox-empty-in09";
/// Critical: its restore window ends [`super::LAGGING_BY`] before now.
pub const LAGGING_INSTANCE_ID: &str = "search-lagging-in09";
/// Unknown: its restorable-time-interval call answers a 500.
pub const WINDOW_ERROR_INSTANCE_ID: &str = "metrics-window-error-in09";

/// The `demo` project's fleet, in the order its instance list gives it.
pub static FLEET: &[FleetInstance] = &[
    FleetInstance::new(
        DEMO_PROJECT_ID,
        PAYMENTS_INSTANCE_ID,
        "payments-prod",
        Kind::Healthy,
        "ok: a normal backup every day at 02:00 UTC, restorable to minutes ago",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        INVENTORY_INSTANCE_ID,
        "inventory-prod",
        Kind::Healthy,
        "ok, like payments-prod",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        USERS_INSTANCE_ID,
        "users-prod",
        Kind::Healthy,
        "ok, like payments-prod",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        SIZE_JUMP_INSTANCE_ID,
        "telemetry-prod",
        Kind::SizeJump,
        "ok; its size tripled two days ago (the sparkline jumps)",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        STOPPED_INSTANCE_ID,
        "shipping-stopped",
        Kind::Stopped,
        "critical: backups stopped two days ago (newest normal 54 h old)",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        NEWEST_FAILED_INSTANCE_ID,
        "invoices-failed",
        Kind::NewestFailed,
        "critical: its newest backup failed (createfail)",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        MISSED_INSTANCE_ID,
        "reports-missed",
        Kind::MissedDays,
        "warning: no backup on two of the last seven UTC days",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        NO_BACKUPS_INSTANCE_ID,
        "sandbox-empty",
        Kind::NoBackups,
        "critical: no backup at all and no restore window",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        LAGGING_INSTANCE_ID,
        "search-lagging",
        Kind::RestoreLag,
        "critical: restorable only to 8 h ago",
    ),
    FleetInstance::new(
        DEMO_PROJECT_ID,
        WINDOW_ERROR_INSTANCE_ID,
        "metrics-window-error",
        Kind::WindowError,
        "unknown: its restorable-time-interval call fails with a 500",
    ),
];

//! A fleet of instances whose backups are dated relative to now, so the
//! health rules (`crate::health`) find every state whenever `--demo` runs,
//! today or in a year: healthy instances, backups that stopped, a newest
//! backup that failed, missed days, no backups at all, a restore window
//! far behind, and a restore-window call that fails.
//!
//! Nothing is stored: an instance's backups are computed from its recipe
//! and "now" when a request asks (about ten rows each), so the scale fleet
//! of `demo-server --fleet` costs no more than the page being built.
//!
//! Daily backups sit on a fixed UTC time of day, as DDM's schedule does:
//! the newest is the last such time at or before now, so a healthy one is
//! never more than 24 h old whatever the hour. The stopped instance and
//! the restore windows are anchored to now itself, so their ages do not
//! depend on the hour either.

mod listing;
mod named;
mod scale;

use std::borrow::Cow;

use jiff::Timestamp;
use serde_json::{Value, json};

pub(crate) use listing::Fleet;
pub use named::{
    FLEET, INVENTORY_INSTANCE_ID, LAGGING_INSTANCE_ID, MISSED_INSTANCE_ID,
    NEWEST_FAILED_INSTANCE_ID, NO_BACKUPS_INSTANCE_ID, PAYMENTS_INSTANCE_ID, SIZE_JUMP_INSTANCE_ID,
    STOPPED_INSTANCE_ID, USERS_INSTANCE_ID, WINDOW_ERROR_INSTANCE_ID,
};
pub use scale::{FleetSize, MAX_FLEET_BACKUPS, MAX_FLEET_INSTANCES};

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// The named fleet's daily backup time, after midnight UTC (02:00, as
/// the DDM guide says).
const DAILY_AT: i64 = 2 * HOUR;
/// How many backups each named instance has (one a day).
pub const FLEET_BACKUPS: usize = 10;
/// How long before now the stopped instance's newest backup was made:
/// two days and some hours, past the default crit_age of 50 h.
pub const STOPPED_AGO: jiff::SignedDuration = jiff::SignedDuration::from_hours(54);
/// How far behind now the lagging instance's restore window ends (past
/// the default crit_restore_lag of 6 h).
pub const LAGGING_BY: jiff::SignedDuration = jiff::SignedDuration::from_hours(8);
/// How far behind now every other restore window ends.
pub const WINDOW_LAG: jiff::SignedDuration = jiff::SignedDuration::from_mins(4);
/// The daily slots the missed-days instance skips, counted back from its
/// newest: always two UTC days inside the rules' 7-day window.
const MISSED_SLOTS: [usize; 2] = [2, 4];
/// How many of the jumping instance's newest backups are three times the
/// size of the ones before.
const JUMPED: usize = 3;
/// Seconds of 2025-01-01T00:00:00Z: sizes grow by the day from there.
const SIZE_EPOCH: i64 = 1_735_689_600;
/// Pinned clocks are kept inside years 2000..9000, so no date arithmetic
/// here can leave what a timestamp can hold.
const EARLIEST: i64 = 946_684_800;
const LATEST: i64 = 221_845_392_000;

/// What an instance of the fleet is there to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A normal backup every day, a window ending minutes ago.
    Healthy,
    /// Healthy, but its newest [`JUMPED`] backups are three times the size.
    SizeJump,
    /// Daily backups that stopped [`STOPPED_AGO`].
    Stopped,
    /// Daily, the newest `createfail`.
    NewestFailed,
    /// Daily, but no backup on [`MISSED_SLOTS`].
    MissedDays,
    /// An instance row, no backup and no window.
    NoBackups,
    /// Healthy backups, a window ending [`LAGGING_BY`] ago.
    RestoreLag,
    /// Healthy backups; every restore call answers a 500.
    WindowError,
}

/// One named fleet instance, for help texts and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FleetInstance {
    pub project_id: &'static str,
    pub instance_id: &'static str,
    pub name: &'static str,
    /// What the health view should say about it.
    pub shows: &'static str,
    pub(crate) kind: Kind,
}

impl FleetInstance {
    /// One row of a project's fleet table (`named` and the EU project's).
    pub(crate) const fn new(
        project_id: &'static str,
        instance_id: &'static str,
        name: &'static str,
        kind: Kind,
        shows: &'static str,
    ) -> FleetInstance {
        FleetInstance {
            project_id,
            instance_id,
            name,
            shows,
            kind,
        }
    }
}

/// An instance's recipe: everything its rows are computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Spec {
    pub(crate) id: Cow<'static, str>,
    pub(crate) name: Cow<'static, str>,
    pub(crate) kind: Kind,
    /// Seconds after midnight UTC of its daily backup.
    at: i64,
    /// How many backups it has (none when [`Kind::NoBackups`]).
    backups: usize,
    /// Its first size, and how much it grows a day, in KB.
    base_kb: u64,
    growth_kb: u64,
}

/// One computed backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FleetBackup {
    pub(crate) id: String,
    pub(crate) name: String,
    /// Epoch seconds.
    pub(crate) created: i64,
    pub(crate) failed: bool,
    pub(crate) kb: u64,
}

/// `now` in whole seconds, inside the years this module can date.
pub(crate) fn seconds(now: Timestamp) -> i64 {
    now.as_second().clamp(EARLIEST, LATEST)
}

/// An epoch second as the API writes times: `2025-06-28T02:00:00+0000`.
pub(crate) fn api_time(t: i64) -> String {
    stamp(t, "%Y-%m-%dT%H:%M:%S+0000")
}

fn stamp(t: i64, format: &str) -> String {
    // Inside EARLIEST..LATEST (give or take the retention), so in range.
    Timestamp::from_second(t)
        .map(|ts| ts.strftime(format).to_string())
        .unwrap_or_default()
}

impl Spec {
    fn new(id: Cow<'static, str>, name: Cow<'static, str>, kind: Kind, seed: u64) -> Spec {
        Spec {
            id,
            name,
            kind,
            at: DAILY_AT,
            backups: FLEET_BACKUPS,
            base_kb: 900 + 173 * (seed % 11),
            growth_kb: 2 + seed % 7,
        }
    }

    /// Its IDs without the `-in09`, which its backup IDs start with.
    fn stem(&self) -> &str {
        self.id.strip_suffix("-in09").unwrap_or(&self.id)
    }

    /// How many rows ListBackups holds for it.
    fn row_count(&self) -> usize {
        if self.kind == Kind::NoBackups {
            0
        } else {
            self.backups
        }
    }

    /// When its backups were made at `now` (epoch seconds), newest first:
    /// no formatting, so a caller that needs one backup, the oldest, or a
    /// page builds rows for only those (a scale instance has up to
    /// [`MAX_FLEET_BACKUPS`]).
    pub(crate) fn times(&self, now: i64) -> impl Iterator<Item = i64> + use<> {
        let midnight = now.div_euclid(DAY) * DAY;
        // The last scheduled time at or before now.
        let newest = if midnight + self.at <= now {
            midnight + self.at
        } else {
            midnight + self.at - DAY
        };
        let first = match self.kind {
            Kind::Stopped => now - STOPPED_AGO.as_secs(),
            _ => newest,
        };
        let skips = self.kind == Kind::MissedDays;
        (0..)
            .filter(move |k| !(skips && MISSED_SLOTS.contains(k)))
            .take(self.row_count())
            .map(move |k| first - DAY * k as i64)
    }

    /// Its `i`th backup (0 the newest), made at `created`.
    fn backup_at(&self, i: usize, created: i64) -> FleetBackup {
        let failed = self.kind == Kind::NewestFailed && i == 0;
        let days = u64::try_from((created - SIZE_EPOCH).div_euclid(DAY)).unwrap_or(0);
        let mut kb = self.base_kb + self.growth_kb * days;
        if self.kind == Kind::SizeJump && i < JUMPED {
            kb *= 3;
        }
        FleetBackup {
            id: self.backup_id(created),
            name: format!("Backup-{}-{}", self.name, stamp(created, "%Y%m%dT%H%M%S")),
            created,
            failed,
            kb: if failed { 0 } else { kb },
        }
    }

    fn backup_id(&self, created: i64) -> String {
        format!("{}-{}-br09", self.stem(), stamp(created, "%Y%m%d"))
    }

    /// Its backups at `now` (epoch seconds), newest first, in full.
    #[cfg(test)]
    pub(crate) fn backups(&self, now: i64) -> Vec<FleetBackup> {
        self.times(now)
            .enumerate()
            .map(|(i, created)| self.backup_at(i, created))
            .collect()
    }

    /// Backups `skip..skip + take` at `now`, newest first.
    pub(crate) fn backup_range(&self, now: i64, skip: usize, take: usize) -> Vec<FleetBackup> {
        self.times(now)
            .enumerate()
            .skip(skip)
            .take(take)
            .map(|(i, created)| self.backup_at(i, created))
            .collect()
    }

    /// Its backup `backup_id` at `now`, if it has one. An ID names its UTC
    /// day, and no two of an instance's backups share a day, so only the
    /// backup of that day is built and compared whole.
    pub(crate) fn backup(&self, backup_id: &str, now: i64) -> Option<FleetBackup> {
        let digits = backup_id
            .strip_prefix(self.stem())?
            .strip_prefix('-')?
            .strip_suffix("-br09")?;
        let date = jiff::civil::Date::strptime("%Y%m%d", digits).ok()?;
        let day = date
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp()
            .as_second()
            .div_euclid(DAY);
        self.times(now)
            .enumerate()
            .find(|(_, created)| created.div_euclid(DAY) == day)
            .map(|(i, created)| self.backup_at(i, created))
            .filter(|b| b.id == backup_id)
    }

    /// Its restore windows at `now`; `None` when the call fails.
    pub(crate) fn windows(&self, now: i64) -> Option<Vec<(String, String)>> {
        let lag = match self.kind {
            Kind::WindowError => return None,
            Kind::NoBackups => return Some(Vec::new()),
            Kind::RestoreLag => LAGGING_BY,
            _ => WINDOW_LAG,
        };
        let start = self.times(now).last().unwrap_or(now - 7 * DAY);
        Some(vec![(api_time(start), api_time(now - lag.as_secs()))])
    }

    /// Its two data nodes, IDs and names: the same at any restore time
    /// and in every backup, so nothing stands in the way of a restore.
    pub(crate) fn nodes(&self) -> Vec<(String, String)> {
        // FNV-1a of the ID, so each instance has nodes of its own.
        let seed = self.id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        (0..2u64)
            .map(|n| {
                let id = format!(
                    "{:016x}{:016x}in01",
                    super::scenarios::mix(seed ^ n),
                    super::scenarios::mix(seed ^ n ^ 0xf1ee7)
                );
                (id, format!("rds-{}-{n:02}", self.name))
            })
            .collect()
    }

    /// Its instance list row.
    fn instance_row(&self, now: i64, zone: &str) -> Value {
        let created = now.div_euclid(DAY) * DAY - 120 * DAY + 9 * HOUR + 15 * MINUTE;
        json!({
            "id": self.id, "name": self.name, "status": "RUNNING", "created": api_time(created),
            "engine_version": "3.1.4", "node_count": 2, "access_ip": "192.168.0.30",
            "access_port": "5066", "core_count": "4", "ram_capacity": "16",
            "available_zone": zone, "enterprise_project_id": "0",
        })
    }

    /// One backup's ListBackups row.
    fn backup_row(&self, b: &FleetBackup) -> Value {
        json!({
            "id": b.id, "name": b.name, "description": "", "status": if b.failed { "createfail" } else { "normal" },
            "instance_id": self.id, "instance_name": self.name, "instance_status": "RUNNING",
            "file_size": b.kb, "created": api_time(b.created), "updated": api_time(b.created + 70),
            "backup_type": "auto_metadata",
        })
    }

    /// ShowBackup's answer for one of its backups.
    fn show(&self, b: &FleetBackup) -> Value {
        let nodes: Vec<Value> = self
            .nodes()
            .into_iter()
            .map(|(id, name)| json!({"instance_id": id, "instance_name": name}))
            .collect();
        json!({
            "id": b.id, "name": b.name, "instance_id": self.id, "instance_name": self.name,
            "related_data_nodes": nodes,
        })
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

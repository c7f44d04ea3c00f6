//! The `[health]` table and a profile's `[profiles.NAME.health]`: each key
//! checked with its position, then merged (a profile's keys over the
//! global table's, over the defaults) and checked as a whole, so warn never
//! exceeds crit in the thresholds a profile ends up with.

use std::ops::Range;
use std::time::Duration;

use jiff::SignedDuration;
use serde::Deserialize;
use toml::Spanned;

use super::duration::{self, ABOVE_ZERO};
use super::file::{Located, at};
use super::health::Thresholds;
use crate::ids::{IdField, check_id};

/// The shortest background re-check: the Health view asks every profile
/// for every instance's backups, so more often would only load the API.
pub const MIN_REFRESH: SignedDuration = SignedDuration::from_mins(1);

/// The keys either table may hold (`refresh` only the global one, which is
/// said with its position rather than as serde's unknown field).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawHealth {
    warn_age: Option<Spanned<String>>,
    crit_age: Option<Spanned<String>>,
    window_days: Option<Spanned<i64>>,
    warn_restore_lag: Option<Spanned<String>>,
    crit_restore_lag: Option<Spanned<String>>,
    retention_days: Option<Spanned<i64>>,
    ignore: Option<Vec<Spanned<String>>>,
    refresh: Option<Spanned<String>>,
}

/// A duration a table sets, with where.
#[derive(Debug, Clone)]
struct Set {
    value: SignedDuration,
    span: Range<usize>,
}

/// One table's keys, each valid on its own.
#[derive(Debug, Clone, Default)]
struct Table {
    warn_age: Option<Set>,
    crit_age: Option<Set>,
    window_days: Option<u16>,
    warn_restore_lag: Option<Set>,
    crit_restore_lag: Option<Set>,
    retention_days: Option<u16>,
    ignore: Vec<String>,
}

/// The global `[health]` table, resolved.
#[derive(Debug, Clone, Default)]
pub struct GlobalHealth {
    table: Table,
    /// What a profile without a table of its own gets.
    pub thresholds: Thresholds,
    /// The Health view's background re-check; `None` is off.
    pub refresh: Option<Duration>,
}

/// Checks the global table (absent: the defaults, refresh off).
pub fn global(raw: Option<RawHealth>) -> Result<GlobalHealth, Located> {
    let Some(mut raw) = raw else {
        return Ok(GlobalHealth::default());
    };
    let refresh = match raw.refresh.take() {
        Some(r) if r.get_ref().trim().eq_ignore_ascii_case("off") => None,
        Some(r) => Some(
            duration::setting("health.refresh", r.get_ref(), MIN_REFRESH)
                .map_err(|m| at(&r, format!("{m} (\"off\" turns the re-check off)")))?
                .unsigned_abs(),
        ),
        None => None,
    };
    let table = table(raw)?;
    let thresholds = merged(&Table::default(), &table)?;
    Ok(GlobalHealth {
        table,
        thresholds,
        refresh,
    })
}

/// The thresholds in force for a profile: its own table over the global
/// one. Its `ignore` adds to the global list: an instance ID names one
/// instance wherever it is listed, so a list kept once at the top is the
/// usual case, and a profile cannot un-ignore what the global list hides.
pub fn for_profile(global: &GlobalHealth, raw: Option<RawHealth>) -> Result<Thresholds, Located> {
    let Some(mut raw) = raw else {
        return Ok(global.thresholds.clone());
    };
    if let Some(r) = raw.refresh.take() {
        return Err(at(
            &r,
            "health.refresh is set only in the top-level [health] table (one re-check for the whole Health view)",
        ));
    }
    let own = table(raw)?;
    merged(&global.table, &own)
}

/// Each key of `raw` checked on its own, at its position.
fn table(raw: RawHealth) -> Result<Table, Located> {
    let ignore = raw
        .ignore
        .unwrap_or_default()
        .into_iter()
        .map(|id| {
            check_id(IdField::Instance, id.get_ref())
                .map_err(|e| at(&id, format!("health.ignore: {e}")))?;
            Ok(id.into_inner())
        })
        .collect::<Result<Vec<_>, Located>>()?;
    Ok(Table {
        warn_age: span_setting("warn_age", raw.warn_age)?,
        crit_age: span_setting("crit_age", raw.crit_age)?,
        window_days: days_setting("window_days", raw.window_days, 90)?,
        warn_restore_lag: span_setting("warn_restore_lag", raw.warn_restore_lag)?,
        crit_restore_lag: span_setting("crit_restore_lag", raw.crit_restore_lag)?,
        retention_days: days_setting("retention_days", raw.retention_days, 3650)?,
        ignore,
    })
}

/// A threshold duration, above zero and at most a year.
fn span_setting(key: &str, raw: Option<Spanned<String>>) -> Result<Option<Set>, Located> {
    let Some(raw) = raw else { return Ok(None) };
    let value = duration::setting(&format!("health.{key}"), raw.get_ref(), ABOVE_ZERO)
        .map_err(|m| at(&raw, m))?;
    Ok(Some(Set {
        value,
        span: raw.span(),
    }))
}

/// A whole number of days from 1 to `max`.
fn days_setting(key: &str, raw: Option<Spanned<i64>>, max: u16) -> Result<Option<u16>, Located> {
    let Some(raw) = raw else { return Ok(None) };
    match u16::try_from(*raw.get_ref()) {
        Ok(days) if (1..=max).contains(&days) => Ok(Some(days)),
        _ => Err(at(
            &raw,
            format!(
                "health.{key} must be between 1 and {max}, not {}",
                raw.get_ref()
            ),
        )),
    }
}

/// `own` over `under` over the defaults, with warn checked against crit.
/// The global table is resolved over an empty `under`, so it gets no
/// ", from [health]" origin and no inherited ignore list.
fn merged(under: &Table, own: &Table) -> Result<Thresholds, Located> {
    let defaults = Thresholds::default();
    let pick = |own: &Option<Set>, under: &Option<Set>, default: SignedDuration| match (own, under)
    {
        (Some(set), _) => InForce::from(set, ""),
        (None, Some(set)) => InForce::from(set, ", from [health]"),
        (None, None) => InForce {
            value: default,
            span: None,
            origin: ", the default",
        },
    };
    let warn_age = pick(&own.warn_age, &under.warn_age, defaults.warn_age);
    let crit_age = pick(&own.crit_age, &under.crit_age, defaults.crit_age);
    ordered(("warn_age", &warn_age), ("crit_age", &crit_age))?;
    let warn_lag = pick(
        &own.warn_restore_lag,
        &under.warn_restore_lag,
        defaults.warn_restore_lag,
    );
    let crit_lag = pick(
        &own.crit_restore_lag,
        &under.crit_restore_lag,
        defaults.crit_restore_lag,
    );
    ordered(
        ("warn_restore_lag", &warn_lag),
        ("crit_restore_lag", &crit_lag),
    )?;
    let mut ignore = under.ignore.clone();
    for id in &own.ignore {
        if !ignore.contains(id) {
            ignore.push(id.clone());
        }
    }
    Ok(Thresholds {
        warn_age: warn_age.value,
        crit_age: crit_age.value,
        window_days: own
            .window_days
            .or(under.window_days)
            .unwrap_or(defaults.window_days),
        warn_restore_lag: warn_lag.value,
        crit_restore_lag: crit_lag.value,
        retention_days: own
            .retention_days
            .or(under.retention_days)
            .unwrap_or(defaults.retention_days),
        ignore,
    })
}

/// A duration in force and where it came from.
struct InForce {
    value: SignedDuration,
    /// Where the file sets it; `None` for a default.
    span: Option<Range<usize>>,
    /// Said after the value when it is not the table's own.
    origin: &'static str,
}

impl InForce {
    fn from(set: &Set, origin: &'static str) -> InForce {
        InForce {
            value: set.value,
            span: Some(set.span.clone()),
            origin,
        }
    }
}

/// Warn must not exceed crit: a rule would turn critical before it warns.
/// The error names both keys and points at the later of the two in the
/// file (the one most likely just edited).
fn ordered(warn: (&str, &InForce), crit: (&str, &InForce)) -> Result<(), Located> {
    let ((warn_key, warn), (crit_key, crit)) = (warn, crit);
    if warn.value <= crit.value {
        return Ok(());
    }
    let span = [&warn.span, &crit.span]
        .into_iter()
        .flatten()
        .max_by_key(|s| s.start)
        .cloned();
    Err(Located {
        span,
        message: format!(
            "health.{warn_key} ({}{}) must not exceed health.{crit_key} ({}{})",
            duration::shown(warn.value),
            warn.origin,
            duration::shown(crit.value),
            crit.origin
        ),
    })
}

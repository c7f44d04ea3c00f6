//! `ddm-backups check`'s outputs for monitoring: the monitoring-plugins
//! status line and long output (`nagios`), the Prometheus text exposition
//! format (`prometheus`), and JSON. Each follows its format exactly:
//! operators plug them into systems we do not control.

use std::fmt::Write as _;

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::health::{Report, Rule, State, Thresholds};

/// The monitoring-plugins exit code of a state.
pub fn exit_code(state: State) -> i32 {
    match state {
        State::Ok => 0,
        State::Warning => 1,
        State::Critical => 2,
        State::Unknown => 3,
    }
}

/// Text for one line of plugin output: no line breaks or control
/// characters (one problem, one line), and no `|`, which starts
/// performance data on any line.
fn plugin_text(text: &str) -> String {
    crate::terminal_text::escape(text).replace('|', "¦")
}

/// The status line with performance data, then one line per problem
/// (worst first) and per profile that could not be checked.
pub fn nagios(report: &Report, limits: &Thresholds, now: Timestamp) -> String {
    let state = report.state();
    let c = report.counts();
    let mut summary = vec![
        format!("{} critical", c.critical),
        format!("{} warning", c.warning),
    ];
    if c.unknown > 0 {
        summary.push(format!("{} unknown", c.unknown));
    }
    summary.push(format!("{} ok", c.ok));
    let failed = report.profiles.iter().filter(|p| p.error.is_some()).count();
    if failed > 0 {
        summary.push(format!(
            "{failed} profile{} not checked",
            if failed == 1 { "" } else { "s" }
        ));
    }
    // The oldest of the instances' newest good backups: what freshness
    // alerts on, as a graphable number.
    let oldest_good = report
        .instances
        .iter()
        .filter_map(|i| i.verdict.last_good)
        .map(|b| now.duration_since(b.created).as_secs().max(0))
        .max();
    let mut out = format!(
        "DDM BACKUPS {} - {} | critical={} warning={} ok={} unknown={}",
        state.word(),
        summary.join(", "),
        c.critical,
        c.warning,
        c.ok,
        c.unknown
    );
    if let Some(age) = oldest_good {
        let _ = write!(
            out,
            " oldest_good_age={age}s;{};{};0",
            limits.warn_age.as_secs(),
            limits.crit_age.as_secs()
        );
    }
    out.push('\n');
    for p in &report.profiles {
        if let Some(error) = &p.error {
            let _ = writeln!(
                out,
                "UNKNOWN profile {} ({}): {}",
                plugin_text(&p.profile),
                plugin_text(&p.region),
                plugin_text(error)
            );
        }
    }
    for i in report
        .instances
        .iter()
        .filter(|i| i.verdict.state != State::Ok)
    {
        for f in &i.verdict.findings {
            let _ = writeln!(
                out,
                "{} {} ({}, {}/{}): {}",
                f.state.word(),
                plugin_text(&i.instance_name),
                plugin_text(&i.instance_id),
                plugin_text(&i.profile),
                plugin_text(&i.region),
                plugin_text(&f.text)
            );
        }
    }
    out
}

/// A label value as the text format requires: backslash, double quote
/// and line feed escaped; everything else as is.
fn label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A sample value: whole numbers without a fraction, others as Rust
/// prints them (which the format accepts).
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// The text exposition format: each metric's HELP and TYPE once, then
/// its samples; an instance with no value for a metric (no good backup
/// yet) has no sample there rather than a made-up one.
pub fn prometheus(report: &Report) -> String {
    type Sample = fn(&crate::health::InstanceReport) -> Option<f64>;
    let per_instance: [(&str, &str, Sample); 6] = [
        (
            "ddm_backup_last_success_timestamp_seconds",
            "Unix time the newest normal backup was created.",
            |i| {
                i.verdict
                    .last_good
                    .map(|b| b.created.as_millisecond() as f64 / 1000.0)
            },
        ),
        (
            "ddm_backup_newest_size_bytes",
            "Size of the newest backup, in bytes.",
            |i| i.verdict.newest.and_then(|b| b.bytes).map(|b| b as f64),
        ),
        (
            "ddm_backup_failures",
            "Failed (createfail) backups in the check's window.",
            |i| Some(i.verdict.failures as f64),
        ),
        (
            "ddm_backup_missed_days",
            "UTC days in the check's window with no backup.",
            |i| Some(i.verdict.missed_days.len() as f64),
        ),
        (
            "ddm_restore_latest_timestamp_seconds",
            "Unix time of the latest point the instance can be restored to.",
            |i| {
                i.verdict
                    .restore_latest
                    .map(|t| t.as_millisecond() as f64 / 1000.0)
            },
        ),
        (
            "ddm_backup_state",
            "The instance's state: 0 ok, 1 warning, 2 critical, 3 unknown.",
            |i| Some(f64::from(exit_code(i.verdict.state))),
        ),
    ];
    let mut out = String::new();
    for (name, help, sample) in per_instance {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for i in &report.instances {
            if let Some(value) = sample(i) {
                let _ = writeln!(
                    out,
                    "{name}{{profile=\"{}\",region=\"{}\",instance_id=\"{}\",instance_name=\"{}\"}} {}",
                    label(&i.profile),
                    label(&i.region),
                    label(&i.instance_id),
                    label(&i.instance_name),
                    number(value)
                );
            }
        }
    }
    type ProfileSample = fn(&crate::health::ProfileReport) -> f64;
    let per_profile: [(&str, &str, ProfileSample); 2] = [
        (
            "ddm_check_profile_up",
            "1 when the profile's backups were listed, 0 when they could not be.",
            |p| if p.error.is_none() { 1.0 } else { 0.0 },
        ),
        (
            "ddm_check_duration_seconds",
            "How long the profile's part of the check took.",
            |p| (p.took.as_secs_f64() * 1000.0).round() / 1000.0,
        ),
    ];
    for (name, help, sample) in per_profile {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for p in &report.profiles {
            let _ = writeln!(
                out,
                "{name}{{profile=\"{}\",region=\"{}\"}} {}",
                label(&p.profile),
                label(&p.region),
                number(sample(p))
            );
        }
    }
    out
}

/// The JSON object the README documents: ages and lags in seconds, times
/// in UTC RFC 3339, states in lower case.
pub fn json(report: &Report, limits: &Thresholds, now: Timestamp) -> Value {
    let instances: Vec<Value> = report
        .instances
        .iter()
        .map(|i| {
            let v = &i.verdict;
            // A rule's state and why: its worst finding; a failed listing
            // leaves every backup rule unknown.
            let of = |rules: &[Rule]| {
                v.findings
                    .iter()
                    .filter(|f| rules.contains(&f.rule))
                    .max_by_key(|f| f.state)
                    .map_or((State::Ok, String::new()), |f| (f.state, f.text.clone()))
            };
            let listed = !v.findings.iter().any(|f| f.rule == Rule::Calls && f.state == State::Unknown);
            let rule = |rules: &[Rule], value: Value, warn: Value, crit: Value| {
                let (state, why) = if listed {
                    of(rules)
                } else {
                    of(&[Rule::Calls])
                };
                json!({"value": value, "warn": warn, "crit": crit, "state": State::name(state), "why": why})
            };
            let age = v.last_good.map(|b| now.duration_since(b.created).as_secs());
            let (lag_state, lag_why) = of(&[Rule::RestoreLag]);
            json!({
                "profile": i.profile,
                "region": i.region,
                "instance_id": i.instance_id,
                "instance_name": i.instance_name,
                "state": State::name(v.state),
                "rules": {
                    "freshness": rule(&[Rule::Freshness], json!(age), json!(limits.warn_age.as_secs()), json!(limits.crit_age.as_secs())),
                    "failures": rule(&[Rule::Failures], json!(v.failures), json!(1), Value::Null),
                    "missed_days": rule(&[Rule::MissedDays], json!(v.missed_days.len()), json!(1), Value::Null),
                    "restore_lag": {
                        "value": v.restore_lag.map(|d| d.as_secs()),
                        "warn": limits.warn_restore_lag.as_secs(),
                        "crit": limits.crit_restore_lag.as_secs(),
                        "state": State::name(lag_state),
                        "why": lag_why,
                    },
                    "expiry": {
                        "value": v.expiry.and_then(|t| crate::shown::time::json(t.into())),
                        "warn": Value::Null,
                        "crit": Value::Null,
                        "state": "ok",
                        "why": "",
                    },
                },
            })
        })
        .collect();
    let profiles: Vec<Value> = report
        .profiles
        .iter()
        .map(|p| json!({"profile": p.profile, "region": p.region, "error": p.error}))
        .collect();
    json!({"state": State::name(report.state()), "instances": instances, "profiles": profiles})
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;

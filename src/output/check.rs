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
                "{} {} ({}, {}): {}",
                f.state.word(),
                plugin_text(super::or_dash(&i.instance_name).as_str()),
                plugin_text(&i.instance_id),
                plugin_text(&place(&i.profile, &i.region)),
                plugin_text(&f.text)
            );
        }
    }
    out
}

/// A label value as the text format requires: backslash, double quote
/// and line feed escaped. Any other character that may not reach a
/// terminal (an escape sequence in a name, see [`crate::terminal_text`])
/// becomes U+FFFD: the format has no escape for it, and the output is
/// also read on terminals (`curl` of a textfile, `cat`).
fn label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if crate::terminal_text::is_unsafe(c) => out.push('\u{fffd}'),
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
pub fn json(report: &Report, now: Timestamp) -> Value {
    let instances: Vec<Value> = report
        .instances
        .iter()
        .map(|i| {
            let v = &i.verdict;
            let limits = &i.limits;
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

/// Where an instance lives, for a line about it: `profile/region`, or a
/// dash for an instance asked for that no profile has.
fn place(profile: &str, region: &str) -> String {
    match (profile.is_empty(), region.is_empty()) {
        (true, _) => "-".into(),
        (false, true) => profile.to_string(),
        (false, false) => format!("{profile}/{region}"),
    }
}

/// For a person: every problem first (worst first, each finding on its
/// own line under its instance, never cut, so a long ID or reason reads
/// whole at any width), then profiles that could not be checked, then the
/// summary and the state with its exit code.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let problems: Vec<_> = report
        .instances
        .iter()
        .filter(|i| i.verdict.state != State::Ok)
        .collect();
    for i in &problems {
        let name = super::clean(&super::or_dash(&i.instance_name)).into_owned();
        let _ = writeln!(
            out,
            "{:<8}  {name}  {}  {}",
            i.verdict.state.word(),
            super::clean(&i.instance_id),
            super::clean(&place(&i.profile, &i.region)),
        );
        for f in &i.verdict.findings {
            let _ = writeln!(out, "{:<8}  {}", "", super::clean(&f.text));
        }
    }
    let failed: Vec<_> = report
        .profiles
        .iter()
        .filter_map(|p| p.error.as_ref().map(|e| (p, e)))
        .collect();
    if !problems.is_empty() && !failed.is_empty() {
        out.push('\n');
    }
    for (p, error) in &failed {
        let _ = writeln!(
            out,
            "{:<8}  profile {} ({}) not checked: {}",
            State::Unknown.word(),
            super::clean(&p.profile),
            super::clean(&p.region),
            super::clean(error)
        );
    }
    if !problems.is_empty() || !failed.is_empty() {
        out.push('\n');
    }
    let c = report.counts();
    let total = report.instances.len();
    let profiles = report.profiles.len();
    let _ = writeln!(
        out,
        "{total} instance{} in {profiles} profile{}: {} critical, {} warning, {} unknown, {} ok",
        if total == 1 { "" } else { "s" },
        if profiles == 1 { "" } else { "s" },
        c.critical,
        c.warning,
        c.unknown,
        c.ok
    );
    let state = report.state();
    let _ = writeln!(out, "{} (exit {})", state.word(), exit_code(state));
    out
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;

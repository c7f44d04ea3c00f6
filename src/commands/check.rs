//! `ddm-backups check`: every instance of every profile (or the named
//! ones) judged by the health rules, printed for a person, a monitoring
//! plugin runner, Prometheus or a script, with the monitoring-plugins exit
//! code. Anything that stops the check itself (usage, config, output) is
//! UNKNOWN (3), as the convention asks: a check that could not run must
//! never read as OK.

use std::sync::Arc;

use jiff::Timestamp;

use super::{Failure, target};
use crate::cli::{CheckOutput, GlobalArgs, HealthCheckArgs};
use crate::config::Profile;
use crate::fleet::{ProfileId, Source};
use crate::health::{self, Finding, InstanceReport, Rule, State, Thresholds, Verdict};
use crate::ids::{IdField, check_id};
use crate::output::check as out;

/// The monitoring-plugins UNKNOWN: what any failure to check exits with.
pub const EXIT_UNKNOWN: i32 = 3;

pub async fn run(global: &GlobalArgs, args: HealthCheckArgs) -> Result<(), Failure> {
    match check(global, args).await {
        Ok(0) => Ok(()),
        Ok(code) => Err(Failure {
            code,
            message: String::new(),
        }),
        Err(mut failure) => {
            failure.code = EXIT_UNKNOWN;
            Err(super::prefixed(failure))
        }
    }
}

/// The exit code of a check that ran, or why it could not run.
async fn check(global: &GlobalArgs, args: HealthCheckArgs) -> Result<i32, Failure> {
    for id in &args.instance {
        check_id(IdField::Instance, id).map_err(|e| Failure::usage(format!("--instance: {e}")))?;
    }
    if let Some(path) = &args.write {
        writable_folder(path)?;
    }
    // Password profiles are not asked for here: a check runs from cron or
    // a monitoring agent with no one to answer (password_env or
    // password_command work).
    let set = target::resolve_many(global, &args.profile, None).await?;
    let mut plan = health::Plan {
        sources: Vec::new(),
        limits: Vec::new(),
        only: args.instance.clone(),
        now: Timestamp::now(),
        zone: crate::shown::time::operator_zone(),
    };
    let mut unbuilt = Vec::new();
    for (at, (profile, client)) in set.profiles.into_iter().enumerate() {
        let id = ProfileId(at);
        match client {
            Ok(client) => {
                plan.limits.push(Arc::new(limits_of(&profile)));
                plan.sources.push(Source {
                    id,
                    profile: profile.name,
                    region: profile.region,
                    client,
                });
            }
            Err(why) => unbuilt.push(health::ProfileReport {
                profile_id: id,
                profile: profile.name,
                region: profile.region,
                error: Some(why),
                took: std::time::Duration::ZERO,
            }),
        }
    }
    let mut report = health::check(&plan).await;
    // set.demo (the --demo endpoint) lived until every call ended.
    drop(set.demo);
    report.profiles.extend(unbuilt);
    report.profiles.sort_by_key(|p| p.profile_id);
    add_missing(&mut report, &args.instance);
    report.sort();
    let state = report.state();
    let format = args.output.unwrap_or(if super::wants_text(None) {
        CheckOutput::Text
    } else {
        CheckOutput::Json
    });
    // The performance data carries one pair of age thresholds: the
    // strictest any checked profile uses, so the graph's lines never read
    // later than an alert.
    let mut perf_limits = Thresholds::default();
    if let Some(warn) = plan.limits.iter().map(|l| l.warn_age).min() {
        perf_limits.warn_age = warn;
    }
    if let Some(crit) = plan.limits.iter().map(|l| l.crit_age).min() {
        perf_limits.crit_age = crit;
    }
    let bytes = match format {
        CheckOutput::Text => out::text(&report).into_bytes(),
        CheckOutput::Nagios => out::nagios(&report, &perf_limits, plan.now).into_bytes(),
        CheckOutput::Prometheus => out::prometheus(&report).into_bytes(),
        CheckOutput::Json => {
            // Through the writer every other command's JSON takes, so a
            // bidi or C1 control in a name leaves as an escape.
            let mut json = Vec::new();
            crate::output::write_safe_json(&mut json, &out::json(&report, plan.now))
                .map_err(|e| Failure::usage(format!("cannot write the JSON: {e}")))?;
            json
        }
    };
    match &args.write {
        Some(path) => crate::private_fs::replace_readable(path, &bytes)
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?,
        None => super::print(|o| std::io::Write::write_all(o, &bytes))?,
    }
    Ok(out::exit_code(state))
}

/// The thresholds a profile is judged by: its own table over the file's.
fn limits_of(profile: &Profile) -> Thresholds {
    profile.thresholds.clone()
}

/// Refuses a `--write` path whose folder does not exist before any call is
/// made, so a typo is said at once rather than after a whole check.
fn writable_folder(path: &std::path::Path) -> Result<(), Failure> {
    if path.file_name().is_none() {
        return Err(Failure::usage(format!(
            "--write {}: names no file",
            path.display()
        )));
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !folder.is_dir() {
        return Err(Failure::usage(format!(
            "--write {}: no folder {}",
            path.display(),
            folder.display()
        )));
    }
    Ok(())
}

/// An instance named with `--instance` that no checked profile has is
/// unknown, never silently absent: a typo or a moved instance must not
/// read as a fleet that is fine.
fn add_missing(report: &mut health::Report, asked: &[String]) {
    for id in asked {
        if report.instances.iter().any(|i| &i.instance_id == id) {
            continue;
        }
        let text = if report.profiles.iter().any(|p| p.error.is_some()) {
            "not found in any profile that answered".to_string()
        } else {
            "not found in any profile checked".to_string()
        };
        report.instances.push(InstanceReport {
            profile_id: ProfileId(usize::MAX),
            profile: String::new(),
            region: String::new(),
            instance_id: id.clone(),
            instance_name: String::new(),
            verdict: Verdict {
                state: State::Unknown,
                findings: vec![Finding {
                    rule: Rule::Calls,
                    state: State::Unknown,
                    text,
                }],
                newest: None,
                last_good: None,
                failures: 0,
                missed_days: Vec::new(),
                restore_latest: None,
                restore_lag: None,
                expiry: None,
            },
            backups: Vec::new(),
            limits: Arc::default(),
        });
    }
}

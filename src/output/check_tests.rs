use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::*;
use crate::fleet::ProfileId;
use crate::health::{Backup, Input, InstanceReport, Outcome, ProfileReport, judge};

fn t(s: &str) -> Timestamp {
    s.parse().expect("a timestamp")
}

const NOW: &str = "2025-06-28T03:00:00Z";

fn instance(
    id: &str,
    name: &str,
    backups: &[Backup],
    restore: Result<Option<Timestamp>, String>,
) -> InstanceReport {
    let input = Input {
        backups,
        unreadable: 0,
        listing: Ok(()),
        restore,
    };
    InstanceReport {
        profile_id: ProfileId(0),
        profile: "demo".into(),
        region: "cn-north-4".into(),
        instance_id: id.into(),
        instance_name: name.into(),
        verdict: judge(&input, &Thresholds::default(), t(NOW), &TimeZone::UTC),
        backups: backups.to_vec(),
        limits: Arc::default(),
    }
}

fn good(at: &str) -> Backup {
    Backup {
        created: t(at),
        outcome: Outcome::Normal,
        bytes: Some(2048),
    }
}

/// One healthy instance, one stale (warning), one whose newest failed
/// (critical), one with a hostile name, and a second profile that failed.
fn fleet() -> Report {
    let daily: Vec<Backup> = (0..8)
        .map(|d| Backup {
            created: t("2025-06-28T02:00:00Z") - jiff::SignedDuration::from_hours(24 * d),
            outcome: Outcome::Normal,
            bytes: Some(4096),
        })
        .collect();
    let latest = Ok(Some(t("2025-06-28T02:55:00Z")));
    let mut failed = daily.clone();
    failed.push(Backup {
        created: t("2025-06-28T02:30:00Z"),
        outcome: Outcome::Failed,
        bytes: None,
    });
    let mut report = Report {
        instances: vec![
            instance("ok-in09", "orders", &daily, latest.clone()),
            instance(
                "stale-in09",
                "stale",
                &[good("2025-06-26T20:00:00Z")],
                latest.clone(),
            ),
            instance("fail-in09", "failing", &failed, latest.clone()),
            instance("evil-in09", "a\"b\\c\nd|e\u{1b}[31m", &daily, latest),
        ],
        profiles: vec![
            ProfileReport {
                profile_id: ProfileId(0),
                profile: "demo".into(),
                region: "cn-north-4".into(),
                error: None,
                took: Duration::from_millis(1234),
            },
            ProfileReport {
                profile_id: ProfileId(1),
                profile: "demo-eu".into(),
                region: "eu-west-101".into(),
                error: Some("401 Unauthorized | token expired".into()),
                took: Duration::from_millis(20),
            },
        ],
    };
    report.sort();
    report
}

#[test]
fn the_status_line_follows_the_plugin_guidelines() {
    let report = fleet();
    assert_eq!(report.state(), State::Critical);
    assert_eq!(exit_code(report.state()), 2);
    let out = nagios(&report, &Thresholds::default(), t(NOW));
    let mut lines = out.lines();
    let first = lines.next().expect("a status line");
    assert_eq!(
        first,
        "DDM BACKUPS CRITICAL - 1 critical, 1 warning, 2 ok, 1 profile not checked \
         | critical=1 warning=1 ok=2 unknown=0 oldest_good_age=111600s;93600;180000;0"
    );
    // Exactly one `|` in all the output: the one before the perfdata.
    assert_eq!(out.matches('|').count(), 1, "{out}");
    let rest: Vec<&str> = lines.collect();
    assert!(
        rest[0]
            .starts_with("UNKNOWN profile demo-eu (eu-west-101): 401 Unauthorized ¦ token expired"),
        "{out}"
    );
    assert!(
        rest.iter()
            .any(|l| l.starts_with("CRITICAL failing (fail-in09, demo/cn-north-4): newest backup")),
        "{out}"
    );
    assert!(
        rest.iter()
            .any(|l| l
                .starts_with("WARNING stale (stale-in09, demo/cn-north-4): newest normal backup")),
        "{out}"
    );
    // No control character reaches the monitoring system.
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn a_check_that_saw_nothing_or_lost_a_profile_is_never_ok() {
    assert_eq!(Report::default().state(), State::Unknown);
    let mut report = fleet();
    report.instances.retain(|i| i.verdict.state == State::Ok);
    assert_eq!(report.state(), State::Unknown);
    report.profiles.retain(|p| p.error.is_none());
    assert_eq!(report.state(), State::Ok);
    let out = nagios(&report, &Thresholds::default(), t(NOW));
    assert!(
        out.starts_with("DDM BACKUPS OK - 0 critical, 0 warning, 2 ok | "),
        "{out}"
    );
}

#[test]
fn label_values_escape_what_the_text_format_requires() {
    let out = prometheus(&fleet());
    assert!(out.contains(r#"instance_name="a\"b\\c\nd|e"#), "{out}");
    for line in out.lines() {
        assert!(
            line.starts_with("# HELP ") || line.starts_with("# TYPE ") || line.starts_with("ddm_"),
            "{line:?}"
        );
    }
    assert!(out.ends_with('\n'));
}

#[test]
fn the_json_names_every_rule_with_its_numbers() {
    let value = json(&fleet(), t(NOW));
    assert_eq!(value["state"], "critical");
    let stale = value["instances"]
        .as_array()
        .and_then(|all| all.iter().find(|i| i["instance_id"] == "stale-in09"))
        .expect("the stale instance");
    let freshness = &stale["rules"]["freshness"];
    assert_eq!(freshness["value"], 31 * 3600);
    assert_eq!(freshness["warn"], 26 * 3600);
    assert_eq!(freshness["crit"], 50 * 3600);
    assert_eq!(freshness["state"], "warning");
    assert_eq!(stale["rules"]["restore_lag"]["value"], 300);
    assert_eq!(stale["rules"]["expiry"]["value"], "2025-07-26T20:00:00Z");
    assert_eq!(
        value["profiles"][1]["error"],
        "401 Unauthorized | token expired"
    );
}

/// The Prometheus output read back by a real parser (prometheus-parse,
/// the text-format reader): every sample line is read, as a gauge, with
/// its labels and the value written, and every metric has its HELP.
#[test]
fn a_prometheus_parser_reads_every_sample_back() {
    let report = fleet();
    let out = prometheus(&report);
    let lines = out.lines().map(|l| Ok(l.to_string()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("parsed");
    let sample_lines = out.lines().filter(|l| !l.starts_with('#')).count();
    assert_eq!(
        scrape.samples.len(),
        sample_lines,
        "a line the parser skipped:\n{out}"
    );
    // Four instances × four always-present metrics + three with a last
    // success, sizes and restore times each + two per profile.
    assert!(sample_lines >= 4 * 6 + 2 * 2 - 1, "{out}");
    for sample in &scrape.samples {
        assert!(
            matches!(sample.value, prometheus_parse::Value::Gauge(_)),
            "{sample:?}"
        );
        assert!(
            scrape.docs.contains_key(&sample.metric),
            "no HELP for {}",
            sample.metric
        );
    }
    let state = |id: &str| {
        scrape
            .samples
            .iter()
            .find(|s| s.metric == "ddm_backup_state" && s.labels.get("instance_id") == Some(id))
            .map(|s| s.value.clone())
    };
    assert_eq!(
        state("fail-in09"),
        Some(prometheus_parse::Value::Gauge(2.0))
    );
    assert_eq!(
        state("stale-in09"),
        Some(prometheus_parse::Value::Gauge(1.0))
    );
    assert_eq!(state("ok-in09"), Some(prometheus_parse::Value::Gauge(0.0)));
    let up: Vec<(Option<&str>, f64)> = scrape
        .samples
        .iter()
        .filter(|s| s.metric == "ddm_check_profile_up")
        .map(|s| match s.value {
            prometheus_parse::Value::Gauge(v) => (s.labels.get("profile"), v),
            _ => (None, f64::NAN),
        })
        .collect();
    assert_eq!(up, [(Some("demo"), 1.0), (Some("demo-eu"), 0.0)]);
    let last = scrape
        .samples
        .iter()
        .find(|s| {
            s.metric == "ddm_backup_last_success_timestamp_seconds"
                && s.labels.get("instance_id") == Some("stale-in09")
        })
        .expect("the stale instance's last success");
    assert_eq!(
        last.value,
        prometheus_parse::Value::Gauge(t("2025-06-26T20:00:00Z").as_second() as f64)
    );
}

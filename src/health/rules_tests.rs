use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::*;

fn t(s: &str) -> Timestamp {
    s.parse().expect("a timestamp")
}

fn backup(at: &str, outcome: Outcome) -> Backup {
    Backup {
        created: t(at),
        outcome,
        bytes: Some(1024),
    }
}

/// A normal backup at 02:00 UTC on each of the `days` days before
/// 2025-06-28 (and that day itself).
fn daily(days: i64) -> Vec<Backup> {
    (0..=days)
        .map(|d| {
            let at = t("2025-06-28T02:00:00Z") - SignedDuration::from_hours(24 * d);
            Backup {
                created: at,
                outcome: Outcome::Normal,
                bytes: Some(1000 + d as u64),
            }
        })
        .collect()
}

fn input(backups: &[Backup]) -> Input<'_> {
    Input {
        backups,
        unreadable: 0,
        listing: Ok(()),
        restore: Ok(Some(t("2025-06-28T02:50:00Z"))),
    }
}

const NOW: &str = "2025-06-28T03:00:00Z";

fn judged(input: &Input<'_>) -> Verdict {
    judge(input, &Thresholds::default(), t(NOW), &TimeZone::UTC)
}

#[test]
fn daily_backups_and_a_recent_restore_point_are_ok() {
    let backups = daily(10);
    let v = judged(&input(&backups));
    assert_eq!(v.state, State::Ok, "{v:#?}");
    assert!(v.findings.is_empty());
    assert_eq!(v.missed_days, Vec::<jiff::civil::Date>::new());
    assert_eq!(v.restore_lag, Some(SignedDuration::from_mins(10)));
    assert_eq!(
        v.last_good.map(|b| b.created),
        Some(t("2025-06-28T02:00:00Z"))
    );
    // The oldest (2025-06-18) plus 30 days.
    assert_eq!(v.expiry, Some(t("2025-07-18T02:00:00Z")));
}

#[test]
fn a_stale_newest_backup_warns_then_turns_critical_with_its_numbers() {
    // The newest normal backup 31 h before now.
    let backups = [backup("2025-06-26T20:00:00Z", Outcome::Normal)];
    let v = judged(&input(&backups));
    assert_eq!(v.state, State::Warning);
    assert_eq!(
        v.findings[0].text,
        "newest normal backup 2025-06-26 20:00, 31 h ago: older than warn_age 26 h"
    );
    let backups = [backup("2025-06-25T20:00:00Z", Outcome::Normal)];
    let v = judged(&input(&backups));
    assert_eq!(v.state, State::Critical);
    assert!(
        v.findings[0]
            .text
            .ends_with("55 h ago: older than crit_age 50 h"),
        "{v:#?}"
    );
}

#[test]
fn no_normal_backup_at_all_is_critical() {
    let backups = [backup("2025-06-28T02:00:00Z", Outcome::InProgress)];
    let v = judged(&input(&backups));
    assert_eq!(v.state, State::Critical);
    assert_eq!(v.findings[0].text, "no normal backup at all");
    let v = judged(&input(&[]));
    assert_eq!(v.state, State::Critical);
}

#[test]
fn the_newest_failing_is_critical_an_older_failure_a_warning() {
    let mut backups = daily(10);
    backups.push(backup("2025-06-28T02:30:00Z", Outcome::Failed));
    let v = judged(&input(&backups));
    assert_eq!(v.state, State::Critical);
    assert_eq!(v.findings[0].rule, Rule::Failures);
    assert_eq!(v.failures, 1);

    let mut backups = daily(10);
    backups[3].outcome = Outcome::Failed;
    backups.push(backup("2025-06-10T02:30:00Z", Outcome::Failed));
    let v = judged(&input(&backups));
    assert_eq!(v.state, State::Warning);
    // The one outside the seven-day window is not counted.
    assert_eq!(v.failures, 1);
    assert_eq!(
        v.findings[0].text,
        "1 failed backup in the last 7 days (latest 2025-06-25 02:00)"
    );
}

#[test]
fn utc_days_without_any_backup_are_listed_today_excluded() {
    let backups: Vec<Backup> = daily(10)
        .into_iter()
        .filter(|b| {
            let day = b
                .created
                .to_zoned_datetime(TimeZone::UTC)
                .date()
                .to_string();
            day != "2025-06-24" && day != "2025-06-26"
        })
        .collect();
    let v = judged(&input(&backups));
    assert_eq!(v.state, State::Warning);
    let days: Vec<String> = v.missed_days.iter().map(|d| d.to_string()).collect();
    assert_eq!(days, ["2025-06-24", "2025-06-26"]);
    assert_eq!(
        v.findings[0].text,
        "2 days without a backup in the last 7 (UTC): 2025-06-24, 2025-06-26"
    );
    // Today has no backup yet at 01:00: not missed.
    let early = judge(
        &input(&daily(10)[1..]),
        &Thresholds::default(),
        t("2025-06-28T01:00:00Z"),
        &TimeZone::UTC,
    );
    assert!(early.missed_days.is_empty(), "{early:#?}");
}

#[test]
fn days_before_the_first_backup_are_not_missed() {
    // A new instance: its first backup two days ago.
    let backups = daily(2);
    let v = judged(&input(&backups));
    assert!(v.missed_days.is_empty(), "{v:#?}");
    assert_eq!(v.state, State::Ok);
}

#[test]
fn restore_lag_warns_turns_critical_and_no_window_is_critical() {
    let backups = daily(3);
    let mut i = input(&backups);
    i.restore = Ok(Some(t("2025-06-28T01:00:00Z")));
    let v = judged(&i);
    assert_eq!(v.state, State::Warning);
    assert_eq!(
        v.findings[0].text,
        "latest restorable time 2025-06-28 01:00, 2 h ago: more than warn_restore_lag 1 h"
    );
    i.restore = Ok(Some(t("2025-06-27T20:00:00Z")));
    assert_eq!(judged(&i).state, State::Critical);
    i.restore = Ok(None);
    let v = judged(&i);
    assert_eq!(v.state, State::Critical);
    assert!(v.findings[0].text.starts_with("no restore window"));
}

#[test]
fn failed_calls_are_unknown_never_ok_and_critical_outranks_them() {
    let backups = daily(3);
    let mut i = input(&backups);
    i.restore = Err("429 Too Many Requests".into());
    let v = judged(&i);
    assert_eq!(v.state, State::Unknown);
    assert_eq!(
        v.findings[0].text,
        "restore window not read: 429 Too Many Requests"
    );

    let i = Input {
        backups: &[],
        unreadable: 0,
        listing: Err("401 Unauthorized".into()),
        restore: Ok(Some(t("2025-06-28T02:50:00Z"))),
    };
    let v = judged(&i);
    assert_eq!(v.state, State::Unknown, "not listed is not 'no backup'");
    assert_eq!(v.findings.len(), 1);

    // A stale backup (warning) and a failed call (unknown) and no window
    // (critical): the worst wins, and the findings are worst first.
    let stale = [backup("2025-06-26T20:00:00Z", Outcome::Normal)];
    let mut i = input(&stale);
    i.restore = Ok(None);
    i.unreadable = 2;
    let v = judged(&i);
    assert_eq!(v.state, State::Critical);
    let states: Vec<State> = v.findings.iter().map(|f| f.state).collect();
    assert!(states.windows(2).all(|w| w[0] >= w[1]), "{states:?}");
    assert!(State::Critical > State::Unknown && State::Unknown > State::Warning);
}

#[test]
fn spans_read_in_whole_units() {
    assert_eq!(span(SignedDuration::from_mins(45)), "45 min");
    assert_eq!(span(SignedDuration::from_hours(31)), "31 h");
    assert_eq!(span(SignedDuration::from_hours(76)), "3 d 4 h");
    assert_eq!(span(SignedDuration::from_hours(96)), "4 d");
    assert_eq!(span(SignedDuration::from_secs(-30)), "0 min");
}

#[test]
fn times_are_written_in_the_zone_asked() {
    let backups = [backup("2025-06-26T20:00:00Z", Outcome::Normal)];
    let zone = TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::fixed(jiff::tz::offset(8)));
    let v = judge(&input(&backups), &Thresholds::default(), t(NOW), &zone);
    assert!(v.findings[0].text.contains("2025-06-27 04:00"), "{v:#?}");
}

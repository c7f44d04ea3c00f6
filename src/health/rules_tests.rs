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
    assert_eq!(span(SignedDuration::from_hours(239)), "9 d 23 h");
    assert_eq!(span(SignedDuration::from_hours(12_631)), "526 d");
    assert_eq!(span(SignedDuration::from_secs(-30)), "0 min");
}

#[test]
fn times_are_written_in_the_zone_asked() {
    let backups = [backup("2025-06-26T20:00:00Z", Outcome::Normal)];
    let zone = TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::fixed(jiff::tz::offset(8)));
    let v = judge(&input(&backups), &Thresholds::default(), t(NOW), &zone);
    assert!(v.findings[0].text.contains("2025-06-27 04:00"), "{v:#?}");
}

/// Each threshold holds at its value and fires one second past it.
#[test]
fn every_threshold_holds_at_its_edge_and_fires_a_second_past_it() {
    let limits = Thresholds::default();
    let now = t(NOW);
    let state_at = |good: Timestamp, restore: Timestamp| {
        let backups = [Backup {
            created: good,
            outcome: Outcome::Normal,
            bytes: None,
        }];
        let input = Input {
            backups: &backups,
            unreadable: 0,
            listing: Ok(()),
            restore: Ok(Some(restore)),
        };
        let v = judge(&input, &limits, now, &TimeZone::UTC);
        // Only the rule under test may speak (days before the one backup
        // are not missed, and today is excluded).
        v.findings
            .iter()
            .filter(|f| f.rule != Rule::MissedDays)
            .map(|f| (f.rule, f.state))
            .collect::<Vec<_>>()
    };
    let second = SignedDuration::from_secs(1);
    let fresh = now - SignedDuration::from_mins(1);
    for (age, expected) in [
        (limits.warn_age, vec![]),
        (
            limits.warn_age + second,
            vec![(Rule::Freshness, State::Warning)],
        ),
        (limits.crit_age, vec![(Rule::Freshness, State::Warning)]),
        (
            limits.crit_age + second,
            vec![(Rule::Freshness, State::Critical)],
        ),
    ] {
        assert_eq!(state_at(now - age, fresh), expected, "age {age:?}");
    }
    for (lag, expected) in [
        (limits.warn_restore_lag, vec![]),
        (
            limits.warn_restore_lag + second,
            vec![(Rule::RestoreLag, State::Warning)],
        ),
        (
            limits.crit_restore_lag,
            vec![(Rule::RestoreLag, State::Warning)],
        ),
        (
            limits.crit_restore_lag + second,
            vec![(Rule::RestoreLag, State::Critical)],
        ),
    ] {
        assert_eq!(state_at(fresh, now - lag), expected, "lag {lag:?}");
    }

    // The failure window starts at 00:00 UTC `window_days` days before
    // today: a failure at that instant counts, one a second earlier not.
    let start = t("2025-06-21T00:00:00Z");
    for (at, failures) in [(start, 1), (start - second, 0)] {
        let mut backups = daily(10);
        backups.push(Backup {
            created: at,
            outcome: Outcome::Failed,
            bytes: None,
        });
        let v = judged(&input(&backups));
        assert_eq!(v.failures, failures, "failure at {at}");
        let expected = if failures == 1 {
            State::Warning
        } else {
            State::Ok
        };
        assert_eq!(v.state, expected, "{v:#?}");
    }
}

/// Ages are real elapsed time and days are UTC days, so a daylight-saving
/// change in the operator's zone moves neither: only the way a time is
/// written follows the zone.
#[test]
fn a_daylight_saving_change_moves_no_age_and_no_day() {
    // Central European time, written as a POSIX rule so the test needs no
    // time zone database: CET (+1) in winter, CEST (+2) from the last
    // Sunday of March, 02:00 local, to the last Sunday of October, 03:00.
    let zone = TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").expect("a POSIX zone");
    let limits = Thresholds::default();
    let daily_at = |from: &str, days: i64| -> Vec<Backup> {
        (0..days)
            .map(|d| Backup {
                created: t(from) + SignedDuration::from_hours(24 * d),
                outcome: Outcome::Normal,
                bytes: Some(1),
            })
            .collect()
    };
    let verdict = |backups: &[Backup], now: &str| {
        let input = Input {
            backups,
            unreadable: 0,
            listing: Ok(()),
            restore: Ok(Some(t(now) - SignedDuration::from_mins(5))),
        };
        judge(&input, &limits, t(now), &zone)
    };

    // Spring forward (2025-03-30): a daily 00:30 UTC backup each day
    // around it. The local day that is 23 h long misses no backup.
    let backups = daily_at("2025-03-24T00:30:00Z", 8);
    let v = verdict(&backups, "2025-03-31T12:00:00Z");
    assert_eq!(v.state, State::Ok, "{v:#?}");
    assert!(v.missed_days.is_empty());

    // Fall back (2025-10-26): a backup at 03:00 CEST on the 25th, and now
    // 04:01 CET on the 26th. The wall clocks are 25 h 1 min apart, but
    // 26 h 1 min have passed: past warn_age, and the finding writes each
    // time with its own offset.
    let backups = [Backup {
        created: t("2025-10-25T01:00:00Z"),
        outcome: Outcome::Normal,
        bytes: Some(1),
    }];
    let v = verdict(&backups, "2025-10-26T03:01:00Z");
    assert_eq!(v.state, State::Warning, "{v:#?}");
    assert_eq!(
        v.findings[0].text,
        "newest normal backup 2025-10-25 03:00, 26 h ago: older than warn_age 26 h"
    );
    // One minute earlier in real time it was still fresh.
    let v = verdict(&backups, "2025-10-26T03:00:00Z");
    assert_eq!(v.state, State::Ok, "{v:#?}");
}

//! The rules: freshness, failures, missed days, restore lag and expiry,
//! each a finding with its numbers and thresholds in words; the worst
//! finding is the instance's state.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use super::Thresholds;

/// An instance's state, worst last: critical > unknown > warning > ok
/// (an instance whose calls failed is never ok, but a known failure
/// outranks not knowing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    Ok,
    Warning,
    Unknown,
    Critical,
}

impl State {
    /// The word JSON uses (`ok`, `warning`, ...).
    pub fn name(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Warning => "warning",
            State::Unknown => "unknown",
            State::Critical => "critical",
        }
    }

    /// The word monitoring uses (`OK`, `WARNING`, ...).
    pub fn word(self) -> &'static str {
        match self {
            State::Ok => "OK",
            State::Warning => "WARNING",
            State::Unknown => "UNKNOWN",
            State::Critical => "CRITICAL",
        }
    }
}

/// How a backup ended, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `normal`: restorable.
    Normal,
    /// `createfail`.
    Failed,
    /// `creating`.
    InProgress,
    /// A status the API does not document.
    Other,
}

/// One backup of the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backup {
    pub created: Timestamp,
    pub outcome: Outcome,
    pub bytes: Option<u64>,
}

/// What the rules read about one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input<'a> {
    /// Its backups with a readable creation time, in any order.
    pub backups: &'a [Backup],
    /// Backups whose creation time could not be read (not judged).
    pub unreadable: usize,
    /// Why its backups could not be listed, if they could not.
    pub listing: Result<(), String>,
    /// The latest restorable time; `Ok(None)` when it has no restore
    /// window; `Err` when the call failed.
    pub restore: Result<Option<Timestamp>, String>,
}

/// Which rule a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    Freshness,
    Failures,
    MissedDays,
    RestoreLag,
    /// A call failed, so a rule could not be judged.
    Calls,
}

/// One rule's verdict that is not ok, in words with its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub state: State,
    pub text: String,
}

/// The instance's state and the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The worst of the findings; ok with none.
    pub state: State,
    /// Worst first.
    pub findings: Vec<Finding>,
    /// The newest backup, whatever its outcome.
    pub newest: Option<Backup>,
    /// The newest `normal` backup.
    pub last_good: Option<Backup>,
    /// `createfail` backups created in the window.
    pub failures: usize,
    /// UTC days in the window with no backup at all, oldest first.
    pub missed_days: Vec<Date>,
    /// The latest point it can be restored to.
    pub restore_latest: Option<Timestamp>,
    /// Now minus the latest restorable time.
    pub restore_lag: Option<SignedDuration>,
    /// When the oldest backup expires (created + retention_days).
    pub expiry: Option<Timestamp>,
}

/// Judges one instance at `now`, writing times in `zone`.
pub fn judge(input: &Input<'_>, limits: &Thresholds, now: Timestamp, zone: &TimeZone) -> Verdict {
    let mut findings = Vec::new();
    let at = |t: Timestamp| crate::shown::time::instant_minute(t, zone);
    let newest = input.backups.iter().copied().max_by_key(|b| b.created);
    let last_good = input
        .backups
        .iter()
        .copied()
        .filter(|b| b.outcome == Outcome::Normal)
        .max_by_key(|b| b.created);
    let today = now.to_zoned_datetime(TimeZone::UTC).date();
    let window_start = today
        .checked_sub(i64::from(limits.window_days).days())
        .unwrap_or(today);
    let window_from = window_start
        .to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(now);
    let in_window = |b: &&Backup| b.created >= window_from;
    let failed: Vec<&Backup> = input
        .backups
        .iter()
        .filter(in_window)
        .filter(|b| b.outcome == Outcome::Failed)
        .collect();
    let mut missed_days = Vec::new();

    match &input.listing {
        Err(why) => findings.push(Finding {
            rule: Rule::Calls,
            state: State::Unknown,
            text: format!("backups not listed: {why}"),
        }),
        Ok(()) => {
            // Freshness: the newest backup one could restore.
            match last_good {
                None => findings.push(Finding {
                    rule: Rule::Freshness,
                    state: State::Critical,
                    text: "no normal backup at all".into(),
                }),
                Some(good) => {
                    let age = now.duration_since(good.created);
                    let over = if age > limits.crit_age {
                        Some((State::Critical, "crit_age", limits.crit_age))
                    } else if age > limits.warn_age {
                        Some((State::Warning, "warn_age", limits.warn_age))
                    } else {
                        None
                    };
                    if let Some((state, name, limit)) = over {
                        findings.push(Finding {
                            rule: Rule::Freshness,
                            state,
                            text: format!(
                                "newest normal backup {}, {} ago: older than {name} {}",
                                at(good.created),
                                span(age),
                                span(limit)
                            ),
                        });
                    }
                }
            }
            // Failures: the newest one failing is an outage in progress.
            if let Some(newest) = newest.filter(|b| b.outcome == Outcome::Failed) {
                findings.push(Finding {
                    rule: Rule::Failures,
                    state: State::Critical,
                    text: format!("newest backup {} failed (createfail)", at(newest.created)),
                });
            } else if let Some(latest) = failed.iter().map(|b| b.created).max() {
                findings.push(Finding {
                    rule: Rule::Failures,
                    state: State::Warning,
                    text: format!(
                        "{} failed backup{} in the last {} days (latest {})",
                        failed.len(),
                        if failed.len() == 1 { "" } else { "s" },
                        limits.window_days,
                        at(latest)
                    ),
                });
            }
            // Missed days: the schedule is daily. Days before the oldest
            // backup are not counted: the instance may not have existed.
            let oldest_day = input
                .backups
                .iter()
                .map(|b| b.created.to_zoned_datetime(TimeZone::UTC).date())
                .min();
            let from = oldest_day.map_or(window_start, |d| d.max(window_start));
            let mut day = from;
            while day < today {
                let has = input
                    .backups
                    .iter()
                    .any(|b| b.created.to_zoned_datetime(TimeZone::UTC).date() == day);
                if !has {
                    missed_days.push(day);
                }
                match day.tomorrow() {
                    Ok(next) => day = next,
                    Err(_) => break,
                }
            }
            if !missed_days.is_empty() {
                let listed: Vec<String> = missed_days.iter().map(|d| d.to_string()).collect();
                findings.push(Finding {
                    rule: Rule::MissedDays,
                    state: State::Warning,
                    text: format!(
                        "{} day{} without a backup in the last {} (UTC): {}",
                        missed_days.len(),
                        if missed_days.len() == 1 { "" } else { "s" },
                        limits.window_days,
                        listed.join(", ")
                    ),
                });
            }
            if input.unreadable > 0 {
                findings.push(Finding {
                    rule: Rule::Calls,
                    state: State::Warning,
                    text: format!(
                        "{} backup{} with an unreadable creation time not judged",
                        input.unreadable,
                        if input.unreadable == 1 { "" } else { "s" }
                    ),
                });
            }
        }
    }

    // Restore lag: how much data a restore now would lose.
    let restore_lag = match &input.restore {
        Err(why) => {
            findings.push(Finding {
                rule: Rule::RestoreLag,
                state: State::Unknown,
                text: format!("restore window not read: {why}"),
            });
            None
        }
        Ok(None) => {
            findings.push(Finding {
                rule: Rule::RestoreLag,
                state: State::Critical,
                text: "no restore window: it cannot be restored to any point".into(),
            });
            None
        }
        Ok(Some(latest)) => {
            let lag = now.duration_since(*latest);
            let over = if lag > limits.crit_restore_lag {
                Some((State::Critical, "crit_restore_lag", limits.crit_restore_lag))
            } else if lag > limits.warn_restore_lag {
                Some((State::Warning, "warn_restore_lag", limits.warn_restore_lag))
            } else {
                None
            };
            if let Some((state, name, limit)) = over {
                findings.push(Finding {
                    rule: Rule::RestoreLag,
                    state,
                    text: format!(
                        "latest restorable time {}, {} ago: more than {name} {}",
                        at(*latest),
                        span(lag),
                        span(limit)
                    ),
                });
            }
            Some(lag)
        }
    };

    let expiry = input
        .backups
        .iter()
        .map(|b| b.created)
        .min()
        .and_then(|oldest| {
            oldest
                .checked_add(SignedDuration::from_hours(
                    24 * i64::from(limits.retention_days),
                ))
                .ok()
        });
    // Worst first; a stable sort keeps the rules' order within a state.
    findings.sort_by_key(|f| std::cmp::Reverse(f.state));
    Verdict {
        state: findings.first().map_or(State::Ok, |f| f.state),
        findings,
        newest,
        last_good,
        failures: failed.len(),
        missed_days,
        restore_latest: input.restore.clone().ok().flatten(),
        restore_lag,
        expiry,
    }
}

/// `45 min`, `31 h`, `3 d 4 h`, `12 d`: whole units an operator reads at
/// a glance, the hours left out from ten days on, where they no longer
/// change a judgement and only widen a column (a negative span, a clock
/// ahead of the server's, reads as `0 min`).
pub fn span(d: SignedDuration) -> String {
    let minutes = d.as_secs().max(0) / 60;
    let hours = minutes / 60;
    match hours {
        0 => format!("{minutes} min"),
        1..72 => format!("{hours} h"),
        240.. => format!("{} d", hours / 24),
        _ => match hours % 24 {
            0 => format!("{} d", hours / 24),
            h => format!("{} d {h} h", hours / 24),
        },
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;

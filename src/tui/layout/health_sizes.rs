//! A Health row's sizes in words and marks: the window's UTC days (what
//! the sparkline and the chart draw), the sparkline itself, and the
//! latest size with its change.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::api::Bytes;
use crate::health::{InstanceReport, Outcome};
use crate::shown;

/// The marks the sparkline and the chart share.
pub const FAILED: char = '×';
pub const MISSED: char = '·';
/// A day whose only backup is still being made.
pub const MAKING: char = '◷';
/// Eighths of a cell, from one to eight.
pub const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// How many eighths of `cells` cells `size` fills against `max`, at
/// least one (a size is never drawn as nothing); exact for any `u64`.
/// The sparkline (one cell) and the chart (a column of cells) both draw
/// by it.
pub fn eighths(size: u64, max: u64, cells: u16) -> u64 {
    let eighths = (u128::from(size) * u128::from(cells) * 8).div_ceil(u128::from(max.max(1)));
    u64::try_from(eighths).unwrap_or(u64::MAX).max(1)
}

/// One UTC day of the window, as the sparkline and the chart draw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: Date,
    /// The newest normal backup's size that day (when it said one).
    pub size: Option<u64>,
    /// A normal backup was made that day.
    pub normal: bool,
    /// A backup failed that day.
    pub failed: bool,
    /// A day the rules count as missed (no backup at all).
    pub missed: bool,
    /// Some backup was made (or is being made) that day.
    pub any: bool,
}

/// The window's UTC days, oldest first, today (at `at`) the last: the
/// days the missed-days rule counts, and today.
pub fn days(r: &InstanceReport, at: Timestamp) -> Vec<Day> {
    let today = at.to_zoned_datetime(TimeZone::UTC).date();
    let first = today
        .checked_sub(i64::from(r.limits.window_days).days())
        .unwrap_or(today);
    let mut out: Vec<Day> = first
        .series(1.day())
        .take_while(|d| *d <= today)
        .map(|date| Day {
            date,
            size: None,
            normal: false,
            failed: false,
            missed: r.verdict.missed_days.contains(&date),
            any: false,
        })
        .collect();
    // Oldest first: a later normal backup of a day is its size.
    for b in &r.backups {
        let date = b.created.to_zoned_datetime(TimeZone::UTC).date();
        let Some(day) = out.iter_mut().find(|d| d.date == date) else {
            continue;
        };
        day.any = true;
        match b.outcome {
            Outcome::Normal => {
                day.normal = true;
                if b.bytes.is_some() {
                    day.size = b.bytes;
                }
            }
            Outcome::Failed => day.failed = true,
            Outcome::InProgress | Outcome::Other => {}
        }
    }
    out
}

/// The window's sizes, one cell per UTC day: a block as high as the day's
/// size against the window's largest, `×` a day whose backups failed,
/// `·` a missed day, `?` a normal backup without a size, blank a day not
/// counted (before the first backup, or today before its backup).
pub fn sparkline(r: &InstanceReport, at: Timestamp) -> String {
    let days = days(r, at);
    let max = days.iter().filter_map(|d| d.size).max().unwrap_or(0);
    days.iter()
        .map(|d| match (d.size, d.normal) {
            (Some(size), _) if max > 0 => BLOCKS[eighths(size, max, 1).min(8) as usize - 1],
            (Some(_), _) => BLOCKS[0],
            (None, true) => '?',
            (None, false) if d.failed => FAILED,
            (None, false) if d.missed => MISSED,
            (None, false) if d.any => MAKING,
            _ => ' ',
        })
        .collect()
}

/// `1.2 MB +3%`: the newest normal backup's size and its change from the
/// normal one before it (`×3.0` when it grew twofold or more).
pub fn latest(r: &InstanceReport) -> String {
    let mut sized = r
        .backups
        .iter()
        .rev()
        .filter(|b| b.outcome == Outcome::Normal)
        .filter_map(|b| b.bytes);
    let Some(newest) = sized.next() else {
        return String::new();
    };
    let size = shown::size::bytes(Bytes(newest));
    match sized.next() {
        Some(before) if before > 0 => format!("{size} {}", change(before, newest)),
        _ => size,
    }
}

/// `+3%`, `-40%`, `×3.0`.
pub fn change(before: u64, after: u64) -> String {
    // Sizes are at most a few PB: f64 holds them closely enough.
    let ratio = after as f64 / before as f64;
    if ratio >= 2.0 {
        format!("×{ratio:.1}")
    } else {
        format!("{:+.0}%", (ratio - 1.0) * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One rule for a cell and for a column, exact at any size: eight
    /// times a size near `u64::MAX` once saturated, and a full backup
    /// drew as the lowest block.
    #[test]
    fn eighths_are_exact_at_any_size_and_never_nothing() {
        assert_eq!(eighths(u64::MAX, u64::MAX, 1), 8);
        assert_eq!(eighths(u64::MAX / 2, u64::MAX, 1), 4);
        assert_eq!(eighths(1, u64::MAX, 1), 1);
        assert_eq!(eighths(3, 4, 2), 12);
        assert_eq!(eighths(0, 0, 1), 1);
    }

    #[test]
    fn a_change_reads_in_percent_then_as_a_factor() {
        assert_eq!(change(1000, 1030), "+3%");
        assert_eq!(change(1000, 600), "-40%");
        assert_eq!(change(1000, 1000), "+0%");
        assert_eq!(change(1000, 3000), "×3.0");
        assert_eq!(change(1, u64::MAX), format!("×{:.1}", u64::MAX as f64));
    }
}

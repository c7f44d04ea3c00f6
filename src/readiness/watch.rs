//! Watching a backup being made: what its status means and how long to
//! wait between checks. The TUI's timer and `wait` share this schedule.

use crate::api::{BackupStatus, Status};
use std::time::Duration;

/// The first wait after a check that found the backup still `creating`.
pub const FIRST_INTERVAL: Duration = Duration::from_secs(5);
/// The longest wait between checks.
pub const LONGEST_INTERVAL: Duration = Duration::from_secs(60);

/// Checks that may fail in a row before a watch gives up. One failed
/// call (a timeout, a 5xx, a token refresh) is common over a long watch
/// and says nothing about the backup, so the schedule goes on; three in a
/// row mean the endpoint or the credentials are gone, and an operator
/// waiting on a bell (or a script on `wait`) must hear that rather than
/// wait forever.
pub const MAX_FAILURES: u32 = 3;

/// Where a backup is, as its list row's `status` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// `creating`: check again later.
    Creating,
    /// `normal`: done.
    Normal,
    /// `createfail`: done, without a backup.
    Failed,
    /// Any other status (or none): nothing to wait for; the text is the
    /// server's (not yet cleaned), or empty when the row had none.
    Other(String),
}

impl Progress {
    /// What `status` (`None`: the row had none) means for a wait.
    pub fn of(status: Option<&Status>) -> Progress {
        match status.map(Status::kind) {
            Some(BackupStatus::Creating) => Progress::Creating,
            Some(BackupStatus::Normal) => Progress::Normal,
            Some(BackupStatus::CreateFail) => Progress::Failed,
            _ => Progress::Other(status.map_or("", Status::sent).to_string()),
        }
    }

    /// Whether a watch ends here.
    pub fn is_final(&self) -> bool {
        !matches!(self, Progress::Creating)
    }
}

/// The waits between checks: 5 s, doubling up to 60 s (5, 10, 20, 40, 60,
/// 60, ...). A backup usually takes seconds to minutes, so the first checks
/// are quick and a long one costs a request a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            next: FIRST_INTERVAL,
        }
    }
}

impl Backoff {
    /// The wait before the next check, moving the schedule on.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = self.next.saturating_mul(2).min(LONGEST_INTERVAL);
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_a_minute() {
        let mut b = Backoff::default();
        let waits: Vec<u64> = (0..7).map(|_| b.next_wait().as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60, 60]);
    }

    #[test]
    fn statuses() {
        let of = |s: &str| Progress::of(Some(&Status::parse(s)));
        assert_eq!(of("creating"), Progress::Creating);
        assert!(!of("creating").is_final());
        assert_eq!(of("normal"), Progress::Normal);
        assert_eq!(of("createfail"), Progress::Failed);
        assert_eq!(Progress::of(None), Progress::Other(String::new()));
        assert!(of("deleting").is_final());
        // Documented values in any case.
        assert_eq!(of("NORMAL"), Progress::Normal);
        assert_eq!(of("Creating"), Progress::Creating);
        assert_eq!(of("CREATEFAIL"), Progress::Failed);
    }
}

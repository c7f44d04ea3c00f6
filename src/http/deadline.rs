//! When a lookup must end, built with checked arithmetic so no budget or
//! server-requested wait can overflow an `Instant`.

use std::time::Duration;

use tokio::time::Instant;

/// The longest budget a deadline takes: longer ones are cut to it, so the
/// sum with "now" always fits. No setting allows anything close.
const MAX_BUDGET: Duration = Duration::from_secs(7 * 24 * 3600);

/// When a whole lookup (every try, and any IAM call it needs) must end.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub at: Instant,
    /// The budget it was made from, for the timeout message.
    pub budget: Duration,
}

impl Deadline {
    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Deadline {
        let budget = budget.min(MAX_BUDGET);
        let now = Instant::now();
        Deadline {
            // Cannot fail with the cut above; if the clock were that close to
            // its end, ending at once is the safe answer.
            at: now.checked_add(budget).unwrap_or(now),
            budget,
        }
    }

    /// Whichever of the two ends first (a page inside a whole listing).
    pub fn earliest(self, other: Deadline) -> Deadline {
        if other.at < self.at { other } else { self }
    }

    /// What is left of it at `now`; zero once it has passed.
    pub fn left(&self, now: Instant) -> Duration {
        self.at.saturating_duration_since(now)
    }

    /// True when waiting `wait` from `now` still ends before the deadline.
    pub fn fits(&self, now: Instant, wait: Duration) -> bool {
        now.checked_add(wait).is_some_and(|end| end < self.at)
    }

    /// True once the deadline has passed.
    pub fn passed(&self) -> bool {
        Instant::now() >= self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_budgets_and_waits_never_overflow() {
        let d = Deadline::after(Duration::MAX);
        assert_eq!(d.budget, MAX_BUDGET);
        let now = Instant::now();
        assert!(!d.fits(now, Duration::MAX));
        assert!(!d.fits(now, Duration::from_secs(u64::MAX)));
        assert!(d.fits(now, Duration::from_secs(1)));
    }

    #[test]
    fn left_and_earliest() {
        let short = Deadline::after(Duration::from_secs(5));
        let long = Deadline::after(Duration::from_secs(500));
        assert_eq!(long.earliest(short).at, short.at);
        assert_eq!(short.earliest(long).at, short.at);
        let later = short.at + Duration::from_secs(1);
        assert_eq!(short.left(later), Duration::ZERO);
        assert!(short.left(Instant::now()) <= Duration::from_secs(5));
    }
}

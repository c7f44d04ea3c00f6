//! The numbers the fleet health rules compare against, with the defaults
//! the issue and the README state. They live in the config layer, below
//! `health`, because the config's `[health]` table (and a profile's own)
//! set them; `crate::health` re-exports the type for the rules.

use jiff::SignedDuration;

/// When a rule turns warning or critical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds {
    /// The newest `normal` backup older than this is a warning...
    pub warn_age: SignedDuration,
    /// ...and older than this critical. DDM backs up daily, so 26 h
    /// allows a late run and 50 h means a whole day was missed.
    pub crit_age: SignedDuration,
    /// Failures and missed days are counted over this many UTC days
    /// before today.
    pub window_days: u16,
    /// The latest restorable time further back than this is a warning...
    pub warn_restore_lag: SignedDuration,
    /// ...and further back than this critical.
    pub crit_restore_lag: SignedDuration,
    /// How long backups are kept, for the oldest one's expiry (shown,
    /// never alerting).
    pub retention_days: u16,
    /// Instances left out of the verdicts entirely.
    pub ignore: Vec<String>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warn_age: SignedDuration::from_hours(26),
            crit_age: SignedDuration::from_hours(50),
            window_days: 7,
            warn_restore_lag: SignedDuration::from_hours(1),
            crit_restore_lag: SignedDuration::from_hours(6),
            retention_days: 30,
            ignore: Vec::new(),
        }
    }
}

impl Thresholds {
    /// The numbers as the file writes them (`warn_age 26h, crit_age 50h,
    /// ...`), for `config check`; the ignore list is left to the caller.
    pub fn summary(&self) -> String {
        let shown = super::duration::shown;
        format!(
            "warn_age {}, crit_age {}, window_days {}, warn_restore_lag {}, crit_restore_lag {}, retention_days {}",
            shown(self.warn_age),
            shown(self.crit_age),
            self.window_days,
            shown(self.warn_restore_lag),
            shown(self.crit_restore_lag),
            self.retention_days
        )
    }
}

/// `[health] refresh` in words, for `config check`.
pub fn refresh_summary(refresh: Option<std::time::Duration>) -> String {
    match refresh.and_then(|d| SignedDuration::try_from(d).ok()) {
        Some(d) => format!("every {}", super::duration::shown(d)),
        None => "off".into(),
    }
}

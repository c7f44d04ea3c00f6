//! Fleet health: is every DDM instance backed up, and restorable to a
//! recent point? The rules here judge one instance from its backups (a
//! project-wide ListBackups, grouped by instance) and its latest
//! restorable time. The Health view and `ddm-backups check` both read
//! them, so the TUI and monitoring never disagree.
//!
//! Pure: no requests, no screen, no printing. Times are passed in (`now`),
//! so a verdict is a function of its inputs.

mod group;
mod report;
mod rules;

pub use group::{InstanceBackups, group};
pub use report::{Counts, InstanceReport, ProfileReport, Report};
pub use rules::{Backup, Finding, Input, Outcome, Rule, State, Verdict, judge, span};
// The thresholds are configuration (config sits below health), so the
// type lives there; re-exported so the rules and their users name it here.
pub use crate::config::Thresholds;

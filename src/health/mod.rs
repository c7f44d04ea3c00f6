//! Fleet health: is every DDM instance backed up, and restorable to a
//! recent point? The rules here judge one instance from its backups (a
//! project-wide ListBackups, grouped by instance) and its latest
//! restorable time. The Health view and `ddm-backups check` both read
//! them, so the TUI and monitoring never disagree.
//!
//! The rules are pure: no requests, no screen, no printing; times are
//! passed in (`now`), so a verdict is a function of its inputs. Only
//! [`collect`] asks the API (through `fleet`), and it draws and prints
//! nothing either.

mod collect;
mod group;
mod report;
mod rules;

pub use collect::{
    Checked, PROFILES_AT_ONCE, Plan, Progress, RESTORE_CALLS_AT_ONCE, check, collect,
};
pub use group::{Grouper, InstanceBackups, group};
pub use report::{Counts, InstanceReport, ProfileReport, Report};
pub use rules::{Backup, Finding, Input, Outcome, Rule, State, Verdict, judge, span};
// The thresholds are configuration (config sits below health), so the
// type lives there; re-exported so the rules and their users name it here.
pub use crate::config::Thresholds;

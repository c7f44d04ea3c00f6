//! The latest lookup's state, and the shown backup's fields it leaves.

use std::time::{Duration, Instant};

use crate::api;

use super::msg::Query;

/// The latest lookup. Every path ends in a final state, so nothing stays
/// loading forever.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Idle,
    Loading {
        generation: u64,
        query: Query,
        started: Instant,
        /// The last tick, for the elapsed time beside the spinner.
        now: Instant,
    },
    Loaded {
        status: u16,
        elapsed: Duration,
        request_id: Option<String>,
        attempts: u32,
        fetched_at: jiff::civil::Time,
    },
    Failed {
        error: api::Error,
        at: jiff::civil::Time,
    },
    Cancelled {
        after: Duration,
    },
}

/// The fields of the shown backup, without its nodes (those live in the
/// list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub id: String,
    pub name: String,
    pub instance_id: String,
    pub instance_name: String,
    /// How many nodes the server sent, when more than the list keeps.
    pub nodes_cut: Option<usize>,
}

//! Finding a backup across profiles: the match rule, narrowing rows that
//! are loaded, and a search that lists every profile's backups at once.
//!
//! Above `api` (it lists through each profile's own [`DdmClient`]) and
//! below `commands` and `tui`, which both drive it: `find` headless, the
//! Find overlay in the TUI. Nothing here prints, draws or reads a terminal.
//!
//! [`DdmClient`]: crate::api::DdmClient

mod fold;
mod progress;
mod rule;
mod search;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub use progress::{ProfileProgress, Progress, State};
pub use rule::{Found, Index, MIN_CHARS, Query, QueryError, narrow};
pub use search::{Event, PARALLEL, Source, search};

use crate::api::{BackupRow, ListLimit};

/// How long a loaded listing may stand in for a new one.
pub const REUSE_FOR: Duration = Duration::from_secs(5 * 60);

/// The rows a search reads from one profile: the backup picker's cap
/// (`tui::picker::PICKER_CAP`, which a test holds equal), so one search of
/// many profiles stays as bounded as opening a picker in each.
pub const LIMIT: ListLimit = ListLimit { max_rows: 2_000 };

/// One profile's backups as a search loaded them, indexed to be narrowed
/// again (and reused for [`REUSE_FOR`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub profile: String,
    pub region: String,
    /// Newest first. Shared with every match list made from them, so a
    /// keystroke that narrows copies and drops pointers, not 4,000 rows of
    /// strings.
    rows: Vec<Arc<Found>>,
    index: Index,
    /// What the server claimed, when it said.
    pub total: Option<u64>,
    /// Rows were left unread (the cap).
    pub truncated: bool,
    /// When the last page arrived.
    pub at: Instant,
}

impl Loaded {
    /// Indexes `rows` (newest first) of `profile` in `region`.
    pub fn new(
        profile: String,
        region: String,
        rows: Vec<Found>,
        total: Option<u64>,
        truncated: bool,
        at: Instant,
    ) -> Loaded {
        Loaded {
            profile,
            region,
            index: Index::new(&rows),
            rows: rows.into_iter().map(Arc::new).collect(),
            total,
            truncated,
            at,
        }
    }

    /// The rows, newest first.
    pub fn rows(&self) -> &[Arc<Found>] {
        &self.rows
    }

    /// Their index, for narrowing by row number (see [`Index::narrow`]).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Whether it is recent enough to search instead of listing again.
    pub fn is_fresh(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.at) < REUSE_FOR
    }

    /// The rows `query` matches, newest first.
    pub fn matching(&self, query: &Query) -> Vec<Arc<Found>> {
        self.index
            .narrow(query)
            .into_iter()
            .filter_map(|i| self.rows.get(i).cloned())
            .collect()
    }
}

/// A ListBackups row as a search result of `profile` in `region`.
pub fn found(profile: &str, region: &str, row: &BackupRow) -> Found {
    Found {
        profile: profile.to_string(),
        region: region.to_string(),
        instance_id: row.instance_id.clone(),
        instance_name: row.instance_name.clone(),
        backup_id: row.id.clone(),
        backup_name: row.name.clone(),
        status: row.status.clone(),
        created: row.created.clone(),
    }
}

//! Finding a backup across profiles: the match rule, narrowing rows that
//! are loaded, and a search that lists every profile's backups at once.
//!
//! Above `api` (it lists through each profile's own [`DdmClient`]) and
//! below `commands` and `tui`, which both drive it: `find` headless, the
//! Find overlay in the TUI. Nothing here prints, draws or reads a terminal.
//!
//! [`DdmClient`]: crate::api::DdmClient

mod fold;
mod locate;
mod progress;
mod rule;
mod search;

use std::sync::Arc;
use std::time::Instant;

// The one case fold, for other filters over names and IDs (Health's `/`).
pub use fold::{fold, push_folded};
pub use progress::{ProfileProgress, Progress, State};
pub use rule::{Found, Index, MIN_CHARS, Query, QueryError, narrow};
pub use search::{Event, PARALLEL, Source, search};

use crate::api::{BackupRow, ListLimit};

/// What one search may keep in memory over all its profiles, as counted by
/// [`Found::cost`]: rows that carry 4 KiB strings in every field cost about
/// 40 KiB each, so without a budget 30 such profiles of [`LIMIT`] rows held
/// 3.9 GB. 2,000 honest rows of a profile cost about 1 MiB, so this cuts
/// no fleet of fewer than about 200 profiles.
pub const MEMORY_BUDGET: usize = 256 * 1024 * 1024;

/// The bounds of one search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Rows read from each profile.
    pub rows: ListLimit,
    /// Bytes kept over all profiles (see [`MEMORY_BUDGET`]).
    pub bytes: usize,
    pub keep: Keep,
}

/// Which rows a search keeps once the match rule has seen them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every row, indexed: the TUI narrows them on each keystroke and
    /// reuses them while fresh ([`crate::fleet::FRESH_FOR`]).
    Everything,
    /// Only the matches: `find` prints them and exits.
    Matches,
}

impl Limits {
    /// The TUI's Find: every row kept, to narrow and reuse.
    pub const TUI: Limits = Limits {
        rows: LIMIT,
        bytes: MEMORY_BUDGET,
        keep: Keep::Everything,
    };
    /// Headless `find`: only the matches.
    pub const HEADLESS: Limits = Limits {
        rows: LIMIT,
        bytes: MEMORY_BUDGET,
        keep: Keep::Matches,
    };
}

/// Why a profile's listing ended before its last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// [`LIMIT`] rows were read.
    Rows(usize),
    /// The search's memory budget (in bytes) was spent.
    Memory(usize),
}

/// The rows a search reads from one profile: the backup picker's cap
/// (`tui::picker::PICKER_CAP`, which a test holds equal), so one search of
/// many profiles stays as bounded as opening a picker in each.
pub const LIMIT: ListLimit = ListLimit { max_rows: 2_000 };

/// One profile's backups as a search loaded them, indexed to be narrowed
/// again (and reused while fresh, [`crate::fleet::FRESH_FOR`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub profile: String,
    pub region: String,
    /// Newest first. Shared with every match list made from them, so a
    /// keystroke that narrows copies and drops pointers, not 4,000 rows of
    /// strings. With [`Keep::Matches`], only the matches.
    rows: Vec<Arc<Found>>,
    /// Empty when only matches are kept: nothing is narrowed again then.
    index: Index,
    keep: Keep,
    /// Rows the match rule saw (more than `rows` when only matches are kept).
    pub searched: usize,
    /// What the server claimed, when it said.
    pub total: Option<u64>,
    /// Why rows were left unread, if they were.
    pub cut: Option<Cut>,
    /// When the last page arrived.
    pub at: Instant,
}

impl Loaded {
    /// Indexes `rows` (newest first) of `profile` in `region`: every row
    /// the search saw.
    pub fn new(
        profile: String,
        region: String,
        rows: Vec<Found>,
        total: Option<u64>,
        cut: Option<Cut>,
        at: Instant,
    ) -> Loaded {
        let searched = rows.len();
        let rows = rows.into_iter().map(Arc::new).collect();
        let keep = Keep::Everything;
        Loaded::shared(profile, region, rows, keep, searched, total, cut, at)
    }

    /// [`Loaded::new`] of rows already shared (with the events that
    /// streamed them), of which the match rule saw `searched`; indexed
    /// only when `keep` is every row.
    #[allow(clippy::too_many_arguments)]
    pub fn shared(
        profile: String,
        region: String,
        rows: Vec<Arc<Found>>,
        keep: Keep,
        searched: usize,
        total: Option<u64>,
        cut: Option<Cut>,
        at: Instant,
    ) -> Loaded {
        Loaded {
            profile,
            region,
            index: match keep {
                Keep::Everything => Index::new(&rows),
                Keep::Matches => Index::default(),
            },
            rows,
            keep,
            searched,
            total,
            cut,
            at,
        }
    }

    /// Whether every row the match rule saw is kept (and so can answer
    /// another query): only then may it be reused.
    pub fn complete(&self) -> bool {
        self.keep == Keep::Everything && self.rows.len() == self.searched
    }

    /// What it keeps, as [`Found::cost`] counts it.
    pub fn cost(&self) -> usize {
        self.rows.iter().map(|f| f.cost(self.keep)).sum()
    }

    /// The rows, newest first.
    pub fn rows(&self) -> &[Arc<Found>] {
        &self.rows
    }

    /// Their index, for narrowing by row number (see [`Index::narrow`]).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Whether it is recent (and whole) enough to search instead of
    /// listing again.
    pub fn is_fresh(&self, now: Instant) -> bool {
        self.complete() && crate::fleet::is_fresh(self.at, now)
    }

    /// The rows `query` matches, newest first.
    pub fn matching(&self, query: &Query) -> Vec<Arc<Found>> {
        if self.keep == Keep::Matches {
            // Few rows (the matches of one query), with no index.
            return self
                .rows
                .iter()
                .filter(|f| f.matches(query))
                .cloned()
                .collect();
        }
        self.index
            .narrow(query)
            .into_iter()
            .filter_map(|i| self.rows.get(i).cloned())
            .collect()
    }
}

/// A ListBackups row as a search result of `profile` in `region`: the
/// fields the match and the result need, moved out of the row (the rest,
/// description and all, is dropped with it).
pub fn found(profile: &str, region: &str, row: BackupRow) -> Found {
    Found {
        profile: profile.to_string(),
        region: region.to_string(),
        instance_id: row.instance_id,
        instance_name: row.instance_name,
        backup_id: row.id,
        backup_name: row.name,
        status: row.status,
        created: row.created,
        backup_type: row.backup_type,
        size: row.file_size,
    }
}

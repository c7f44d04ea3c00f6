//! What flows into `App::update` and what comes out of it.

use crossterm::event::{KeyEvent, MouseEvent};

use std::time::Duration;

use crate::api::{self, BackupDetail, BackupRow, Fetched};
use crate::fleet::ProfileId;

use super::picker::{PickRow, PickerKind};

/// Everything that can change the app's state. Times come in messages so
/// `update` never reads a clock.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// A bracketed paste.
    Paste(String),
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// The spinner's beat; only sent while a lookup is in flight.
    Tick,
    /// A lookup of profile `profile` ended. `clock` is the instant it
    /// ended at (shown in the app's zone).
    Fetched {
        profile: ProfileId,
        generation: u64,
        result: Result<Fetched<BackupDetail>, api::Error>,
        clock: jiff::Timestamp,
    },
    /// A page of a picker's listing for profile `profile` arrived.
    ListPage {
        profile: ProfileId,
        generation: u64,
        rows: Vec<PickRow>,
        /// Rows the server has sent so far, kept or not.
        scanned: usize,
        total: Option<u64>,
    },
    /// A picker's listing ended: `Ok(true)` when it stopped at the cap.
    ListDone {
        profile: ProfileId,
        generation: u64,
        result: Result<bool, api::Error>,
    },
    /// A watch's check of profile `profile` ended: the backup's list row
    /// (`None`: no row has its ID any more), or why it could not be read.
    /// `clock` is the instant it ended at.
    Watched {
        profile: ProfileId,
        generation: u64,
        result: Result<Option<BackupRow>, api::Error>,
        clock: jiff::Timestamp,
    },
    /// One call of the readiness view of profile `profile` ended.
    Readiness {
        profile: ProfileId,
        generation: u64,
        answer: super::readiness::Answer,
    },
    /// Something happened in the Find search of `generation`.
    Find {
        generation: u64,
        event: crate::find::Event,
    },
    /// The Find search of `generation` ended (every profile done or
    /// failed): its task can be forgotten.
    FindEnded {
        generation: u64,
    },
    /// News of the health check of `generation`; `News::Ended` is its
    /// last, after which its task can be forgotten.
    Health {
        generation: u64,
        news: super::health::News,
    },
    /// The newest normal backup of the instance the Health view's `R`
    /// asked about, in profile `profile` (`None`: it has none now).
    NewestBackup {
        profile: ProfileId,
        generation: u64,
        result: Result<Option<BackupRow>, api::Error>,
    },
    /// A lookup needs the operator's password (password auth with no
    /// source in the config).
    PasswordWanted {
        question: String,
    },
    /// The history as read from (or merged into) its file, or a sentence
    /// saying why that failed.
    History(Result<crate::history::Loaded, String>),
    /// A copy reached the terminal but not tmux's buffer: why.
    CopyProblem(String),
    /// A save ended: the path written, or why not.
    Saved(Result<std::path::PathBuf, SaveProblem>),
    /// The event stream ended (the terminal went away). Signals do not
    /// pass through the app: the loop ends on them directly.
    Shutdown,
    /// A background task panicked (a bug): the app cannot go on.
    Crashed(String),
}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveProblem {
    /// The file is there; the app asks before replacing it.
    Exists(std::path::PathBuf),
    /// Anything else, as a sentence naming the path.
    Failed(String),
}

/// The IDs of one lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub instance: String,
    pub backup: String,
}

/// Work for the loop to do on the app's behalf.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start a lookup with profile `profile`'s client; its answer comes
    /// back as `Msg::Fetched` with the same profile and generation.
    Fetch {
        profile: ProfileId,
        generation: u64,
        query: Query,
    },
    /// Start loading a picker's rows; pages come back as `Msg::ListPage`,
    /// the end as `Msg::ListDone`, both naming `profile`.
    List {
        profile: ProfileId,
        generation: u64,
        kind: PickerKind,
    },
    /// Wait `wait`, then read the list row of `query`'s backup with
    /// profile `profile`'s client; the row comes back as `Msg::Watched`
    /// with the same profile and generation. A watch's only timer: it
    /// exists while the watch does, and `Cancel` ends both.
    WatchAfter {
        profile: ProfileId,
        generation: u64,
        wait: Duration,
        query: Query,
    },
    /// A watch ended: ring the terminal's bell and, inside tmux, show
    /// `text` (an ID and an outcome, nothing the server wrote) with
    /// `tmux display-message`.
    Alert(String),
    /// Make one call of the readiness view with profile `profile`'s
    /// client; the answer comes back as `Msg::Readiness`.
    Readiness {
        profile: ProfileId,
        generation: u64,
        ask: super::readiness::Ask,
    },
    /// Search `profiles` for `query` (the engine lists at most
    /// `find::PARALLEL` at a time), answering with `Msg::Find` events and
    /// then `Msg::FindEnded`, all under `generation`. `reuse`: lists
    /// loaded by earlier searches, searched instead of listing again
    /// while fresh.
    Find {
        generation: u64,
        /// Boxed: a query (with its searcher) is large, and every
        /// effect would be that size.
        query: Box<crate::find::Query>,
        profiles: Vec<FindSource>,
        reuse: Vec<(ProfileId, std::sync::Arc<crate::find::Loaded>)>,
    },
    /// Check the health of every profile of `sources` (at most
    /// `fleet::PARALLEL` at a time), after `wait` when it is a refresh,
    /// answering with `Msg::Health` news under `generation`. The wait and
    /// the check are one task: `Cancel` ends whichever it is in, and
    /// between refreshes nothing wakes the loop.
    HealthCheck {
        generation: u64,
        wait: Option<Duration>,
        sources: Vec<HealthSource>,
        /// The zone the findings write times in.
        zone: jiff::tz::TimeZone,
    },
    /// List `instance`'s backups with profile `profile`'s client; its
    /// newest normal one comes back as `Msg::NewestBackup`.
    NewestBackup {
        profile: ProfileId,
        generation: u64,
        instance: String,
    },
    /// Abort the lookup or listing with this generation.
    Cancel {
        generation: u64,
    },
    /// Give the waiting lookup the typed password, or `None` to refuse.
    AnswerPassword(Option<crate::secret::Secret>),
    /// Add a finished lookup to the history file; the merged history comes
    /// back as `Msg::History`.
    Remember(crate::history::Entry),
    /// Read the history file again (other panes may have added to it).
    LoadHistory,
    /// Write the backup's JSON to `path`; the answer comes back as
    /// `Msg::Saved`. Without `overwrite` an existing file is left alone.
    Save {
        path: std::path::PathBuf,
        contents: String,
        overwrite: bool,
    },
    /// Put this text on the clipboard.
    Copy(String),
    Quit,
}

/// One profile for Find: who it is (for its client) and what the
/// results call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindSource {
    pub profile: ProfileId,
    pub name: String,
    pub region: String,
}

/// One profile for a health check: who it is (for its client), what the
/// rows call it, and the thresholds its instances are judged by.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthSource {
    pub profile: ProfileId,
    pub name: String,
    pub region: String,
    pub limits: std::sync::Arc<crate::health::Thresholds>,
}

/// What one `update` asks of the loop.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Update {
    pub effects: Vec<Effect>,
    /// False when the message changed nothing on screen, so no frame is drawn.
    pub redraw: bool,
}

impl Update {
    /// A change to draw, with no effects.
    pub fn redraw() -> Self {
        Update {
            effects: Vec::new(),
            redraw: true,
        }
    }

    /// Nothing changed.
    pub fn none() -> Self {
        Update::default()
    }

    /// A change to draw, with effects.
    pub fn with(effects: Vec<Effect>) -> Self {
        Update {
            effects,
            redraw: true,
        }
    }
}

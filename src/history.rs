//! The lookup history: which backups were looked up, when, and how it went,
//! kept in one small JSON file so the form can start with the last IDs used
//! and recent lookups can be offered again. Persistence only: nothing here
//! knows about the TUI.
//!
//! Several panes may run at once, so every read-merge-write happens under an
//! exclusive advisory lock on a separate lock file (the data file is replaced
//! by rename, so a lock held on it would go with the old file), and the new
//! contents are written to a temp file and renamed over the old one, so a
//! reader never sees half a file. Taking the lock can wait on another
//! process: the UI calls [`HistoryStore::load`] and [`HistoryStore::record`]
//! from a blocking thread.
//!
//! The file is outside input. A damaged one is set aside and a new history
//! started, never a crash; entries that do not parse are skipped; every
//! string kept is capped. Strings are not made terminal-safe here: display
//! code does that for all outside text (`terminal_text`).

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::private_fs;

/// How many lookups the history keeps.
pub const MAX_ENTRIES: usize = 200;

/// The longest string kept from the file, in characters: more than any ID or
/// name, and little enough that a hostile file cannot flood memory or a screen.
pub const MAX_FIELD_CHARS: usize = 256;

/// A bigger file is not one this module wrote and is treated as damaged.
/// Looser than [`MAX_WRITE_BYTES`] so files of earlier versions (which
/// could reach 2 MiB) still load.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// What this module writes stays under this: 200 entries of capped strings
/// could still pass 1.8 MiB if every character were escaped, so the oldest
/// entries give way until the file fits.
pub const MAX_WRITE_BYTES: usize = 1024 * 1024;

/// How many damaged files set aside are kept; older ones are removed, so a
/// file that keeps getting damaged cannot fill the disk.
pub const MAX_DAMAGED_COPIES: usize = 3;

/// The `version` this module writes and the only one it reads.
const FORMAT_VERSION: u32 = 1;

/// One lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub profile: String,
    pub instance_id: String,
    #[serde(default)]
    pub instance_name: String,
    pub backup_id: String,
    #[serde(default)]
    pub backup_name: String,
    /// When the lookup ended, RFC 3339 in UTC, e.g. "2026-11-27T09:15:02Z" (sorts as text).
    pub at: String,
    pub outcome: Outcome,
}

/// How a lookup ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The backup was shown; `nodes` = number of related data nodes.
    Ok { nodes: usize },
    /// The lookup failed; `summary` is a short one-line reason like "HTTP 404 DBS.280001".
    Failed { summary: String },
}

impl Entry {
    /// `at` for the given time: UTC, whole seconds, fixed width, so that text
    /// order is time order.
    pub fn timestamp(at: Timestamp) -> String {
        // Cut to the second, not rounded: a lookup is never dated after it ended.
        at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// The entry as read from the file, made safe to keep: `at` rewritten in
    /// the canonical form (so sorting by text stays right) and strings capped;
    /// `None` when `at` is not an RFC 3339 time at all.
    fn checked(mut self) -> Option<Entry> {
        let at: Timestamp = self.at.parse().ok()?;
        self.at = Entry::timestamp(at);
        self.cap_fields();
        Some(self)
    }

    /// Caps every string at MAX_FIELD_CHARS: on reading (the file is outside
    /// input) and on writing (a server-sent name is too), so what is written
    /// is always what the next read keeps.
    fn cap_fields(&mut self) {
        for field in [
            &mut self.profile,
            &mut self.instance_id,
            &mut self.instance_name,
            &mut self.backup_id,
            &mut self.backup_name,
        ] {
            cap(field);
        }
        if let Outcome::Failed { summary } = &mut self.outcome {
            cap(summary);
        }
    }

    /// What makes two entries the same lookup target.
    fn key(&self) -> (String, String, String) {
        (
            self.profile.clone(),
            self.instance_id.clone(),
            self.backup_id.clone(),
        )
    }
}

/// What reading the history found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Newest first, at most MAX_ENTRIES.
    pub entries: Vec<Entry>,
    /// Set when the file was damaged and set aside: says where it went, for the status bar / log.
    pub warning: Option<String>,
}

/// A history file that could not be read or written (a damaged one is not an error).
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// A file system call failed: what was being done, to which path.
    #[error("history: cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> HistoryError {
    let path = path.to_path_buf();
    move |source| HistoryError::Io {
        action,
        path,
        source,
    }
}

/// The history file and its lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryStore {
    path: PathBuf,
    lock: PathBuf,
}

impl HistoryStore {
    /// The store at `path` (its lock file sits beside it, e.g. history.json.lock).
    pub fn at(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let lock = with_suffix(&path, ".lock");
        HistoryStore { path, lock }
    }

    /// `<data dir>/history.json` (`~/.local/share/ddm-backups` on Linux), or None when there is no home.
    pub fn default_location() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "ddm-backups")
            .map(|dirs| dirs.data_dir().join("history.json"))
    }

    /// Where the history file lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the history; a missing file is an empty history, not an error.
    /// The lock is exclusive because a damaged file is renamed away, and two
    /// readers must not both try that.
    pub fn load(&self) -> Result<Loaded, HistoryError> {
        // Nothing to read: do not create a directory or lock file just to look.
        if matches!(std::fs::symlink_metadata(&self.path), Err(e) if e.kind() == io::ErrorKind::NotFound)
        {
            return Ok(Loaded::default());
        }
        let _lock = self.lock()?;
        self.read_locked()
    }

    /// Adds `entry` and returns the merged history, which includes what other
    /// panes recorded. Read, merge and write happen under one exclusive lock,
    /// so concurrent writers never drop each other's entries. `entry.at`
    /// comes from [`Entry::timestamp`]: other text would sort wrongly and be
    /// dropped by the next read.
    pub fn record(&self, mut entry: Entry) -> Result<Loaded, HistoryError> {
        entry.cap_fields();
        if let Some(dir) = self.dir() {
            private_fs::create_dir(dir).map_err(io_error("create the directory", dir))?;
        }
        let _lock = self.lock()?;
        let Loaded { entries, warning } = self.read_locked()?;
        let mut merged = Vec::with_capacity(entries.len() + 1);
        merged.push(entry);
        merged.extend(entries);
        let mut entries = newest_distinct(merged);
        self.write_locked(&mut entries)?;
        Ok(Loaded { entries, warning })
    }

    /// The directory holding the file; `None` for a bare relative name,
    /// whose directory (the current one) is not ours to create or chmod.
    fn dir(&self) -> Option<&Path> {
        self.path.parent().filter(|d| !d.as_os_str().is_empty())
    }

    /// Takes the exclusive advisory lock; it is released when the returned file is dropped.
    fn lock(&self) -> Result<File, HistoryError> {
        private_fs::lock(&self.lock, true).map_err(io_error("lock", &self.lock))
    }

    /// Reads the file (the caller holds the lock), setting a damaged one aside.
    fn read_locked(&self) -> Result<Loaded, HistoryError> {
        let bytes = match self.read_bytes()? {
            None => return Ok(Loaded::default()),
            Some(bytes) => bytes,
        };
        match parse(&bytes) {
            Ok(entries) => Ok(Loaded {
                entries,
                warning: None,
            }),
            Err(reason) => {
                let aside = self.set_aside()?;
                let warning = format!(
                    "the history file {} was damaged ({reason}); it was moved to {} and a new history started",
                    self.path.display(),
                    aside.display()
                );
                tracing::warn!("{warning}");
                Ok(Loaded {
                    entries: Vec::new(),
                    warning: Some(warning),
                })
            }
        }
    }

    /// The file's bytes, at most one more than the cap (so too big is visible); `None` if missing.
    fn read_bytes(&self) -> Result<Option<Vec<u8>>, HistoryError> {
        let file = match private_fs::open_read(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("open", &self.path)(e)),
        };
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io_error("read", &self.path))?;
        Ok(Some(bytes))
    }

    /// Renames the damaged file to `<file>.damaged-<UTC time>` (plus `-2`,
    /// `-3`... if that exists, so an earlier damaged copy is never replaced).
    fn set_aside(&self) -> Result<PathBuf, HistoryError> {
        let stamp = Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let base = with_suffix(&self.path, &format!(".damaged-{stamp}"));
        let mut aside = base.clone();
        let mut n = 1;
        while std::fs::symlink_metadata(&aside).is_ok() && n < 1000 {
            n += 1;
            aside = with_suffix(&base, &format!("-{n}"));
        }
        std::fs::rename(&self.path, &aside).map_err(io_error("set aside", &self.path))?;
        self.prune_damaged();
        Ok(aside)
    }

    /// Removes all but the newest MAX_DAMAGED_COPIES damaged copies. Best
    /// effort: a copy that cannot be removed costs disk space, not history.
    fn prune_damaged(&self) {
        let (Some(dir), Some(name)) = (self.path.parent(), self.path.file_name()) else {
            return;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let mut prefix = name.to_os_string();
        prefix.push(".damaged-");
        let Some(prefix) = prefix.to_str().map(str::to_owned) else {
            return;
        };
        let Ok(listing) = std::fs::read_dir(dir) else {
            return;
        };
        let mut copies: Vec<(DamagedAge, PathBuf)> = listing
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
            .filter_map(|e| {
                let file_name = e.file_name();
                let age = DamagedAge::of(file_name.to_str()?.strip_prefix(&prefix)?);
                Some((age, e.path()))
            })
            .collect();
        if copies.len() <= MAX_DAMAGED_COPIES {
            return;
        }
        copies.sort();
        let excess = copies.len() - MAX_DAMAGED_COPIES;
        for (_, path) in copies.into_iter().take(excess) {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::warn!(path = %path.display(), error = %e, "could not remove an old damaged history copy");
            }
        }
    }

    /// Replaces the file (the caller holds the lock): a private temp file in
    /// the same directory, synced, then renamed over it.
    /// Entries that do not fit in MAX_WRITE_BYTES are dropped, oldest first
    /// (`entries` is newest first), and dropped from `entries` too, so the
    /// caller sees what the file holds.
    fn write_locked(&self, entries: &mut Vec<Entry>) -> Result<(), HistoryError> {
        let json = encode_within(entries, MAX_WRITE_BYTES)
            .map_err(|e| io_error("encode", &self.path)(io::Error::other(e)))?;
        private_fs::replace(&self.path, &json).map_err(io_error("write", &self.path))
    }
}

/// The newest entry of `profile` (entries are newest first), for "the form starts with the last IDs used".
pub fn last_for<'a>(entries: &'a [Entry], profile: &str) -> Option<&'a Entry> {
    entries.iter().find(|e| e.profile == profile)
}

/// Newest first, one entry per (profile, instance, backup), at most
/// MAX_ENTRIES. The sort is stable, so of two entries with the same time the
/// earlier in `entries` wins: callers put the incoming entry first.
pub fn newest_distinct(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.sort_by(|a, b| b.at.cmp(&a.at));
    let mut seen = HashSet::new();
    entries.retain(|e| seen.insert(e.key()));
    entries.truncate(MAX_ENTRIES);
    entries
}

/// The file's bytes for `entries` (newest first), dropping the oldest until
/// they fit in `limit` bytes.
fn encode_within(entries: &mut Vec<Entry>, limit: usize) -> Result<Vec<u8>, serde_json::Error> {
    loop {
        let json = serde_json::to_vec_pretty(&FileOut {
            version: FORMAT_VERSION,
            entries,
        })?;
        if json.len() <= limit || entries.is_empty() {
            return Ok(json);
        }
        // Entries are of similar size, so keeping the same share as the
        // bytes that fit gets there in a step or two; at least one goes.
        let keep = (entries.len() as u128 * limit as u128 / json.len() as u128) as usize;
        entries.truncate(keep.min(entries.len() - 1));
    }
}

/// The order of damaged copies, oldest first: the time stamp in the name,
/// then the `-N` that tells copies of the same second apart.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct DamagedAge {
    stamp: String,
    n: u32,
}

impl DamagedAge {
    /// From what follows `.damaged-`, like `20261127T091502Z-2`.
    fn of(rest: &str) -> DamagedAge {
        match rest.split_once('-') {
            Some((stamp, n)) => DamagedAge {
                stamp: stamp.to_string(),
                n: n.parse().unwrap_or(u32::MAX),
            },
            None => DamagedAge {
                stamp: rest.to_string(),
                n: 1,
            },
        }
    }
}

/// Shortens `s` to MAX_FIELD_CHARS characters.
fn cap(s: &mut String) {
    if let Some((end, _)) = s.char_indices().nth(MAX_FIELD_CHARS) {
        s.truncate(end);
    }
}

/// `path` with `suffix` appended to its last component.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// The file as written.
#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    entries: &'a [Entry],
}

/// The file as read; unknown top-level fields are ignored.
#[derive(Deserialize)]
struct FileIn {
    version: u32,
    entries: CheckedEntries,
}

/// The entries of a file, checked one by one as they stream in, so a file
/// of junk elements never holds more than one element in memory at a time.
struct CheckedEntries {
    entries: Vec<Entry>,
    skipped: usize,
}

impl<'de> Deserialize<'de> for CheckedEntries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = CheckedEntries;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of history entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CheckedEntries, A::Error> {
        let mut checked = CheckedEntries {
            entries: Vec::new(),
            skipped: 0,
        };
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            match serde_json::from_value::<Entry>(value)
                .ok()
                .and_then(Entry::checked)
            {
                Some(entry) => checked.entries.push(entry),
                None => checked.skipped += 1,
            }
            // Trimming as we go gives the same result as trimming at the end
            // (an entry outside the newest MAX_ENTRIES so far can only fall
            // further back) and bounds memory for a file of many small entries.
            if checked.entries.len() >= 2 * MAX_ENTRIES {
                checked.entries = newest_distinct(std::mem::take(&mut checked.entries));
            }
        }
        Ok(checked)
    }
}

/// The entries of a file, or why the file counts as damaged. The reason is
/// our own words: serde's messages can quote the file, which is untrusted.
fn parse(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("bigger than {} MiB", MAX_FILE_BYTES / 1024 / 1024));
    }
    let file: FileIn = serde_json::from_slice(bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => "not a history file",
            _ => "not valid JSON",
        };
        format!("{what} at line {} column {}", e.line(), e.column())
    })?;
    if file.version != FORMAT_VERSION {
        return Err(format!("unknown version {}", file.version));
    }
    if file.entries.skipped > 0 {
        tracing::warn!(
            skipped = file.entries.skipped,
            "history entries that could not be read were skipped"
        );
    }
    Ok(newest_distinct(file.entries.entries))
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;

//! Logs go to a size-capped file, never to the screen; `show` adds stderr
//! only when asked.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;

use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::private_fs::{self, Open};

/// The file is rotated to `.1` when it passes this size; two files at most.
const MAX_LOG_BYTES: u64 = 2 * 1024 * 1024;

/// Where the log file lives: the state directory, else the cache directory.
pub fn log_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "ddm-backups")?;
    let dir = dirs.state_dir().unwrap_or(dirs.cache_dir());
    Some(dir.join("ddm-backups.log"))
}

/// How logging is set up for one run.
pub struct LogSetup<'a> {
    /// `--log-level`, when given.
    pub level: Option<&'a str>,
    /// Also write to stderr (for `show` when asked).
    pub stderr: bool,
}

/// Installs the global subscriber; returns the log file in use, if any.
/// Failing to open the file is not fatal: the tool works without logs.
pub fn init(setup: LogSetup<'_>) -> Option<PathBuf> {
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = filter(setup.level, rust_log.as_deref());
    let path = log_path();
    let file = path.as_deref().and_then(|p| RotatingFile::open(p).ok());
    // The builder's own ceiling is INFO unless told otherwise, and it sits
    // above the filter: without this, `--log-level debug` and `RUST_LOG`
    // could never let a debug line through.
    let builder = tracing_subscriber::fmt()
        .with_max_level(tracing::level_filters::LevelFilter::TRACE)
        .with_ansi(false)
        .with_target(false);
    let used = file.as_ref().map(|f| f.path.clone());
    let result = match (file, setup.stderr) {
        (Some(file), true) => builder
            .with_writer(Mutex::new(file).and(io::stderr))
            .finish()
            .with(filter)
            .try_init(),
        (Some(file), false) => builder
            .with_writer(Mutex::new(file))
            .finish()
            .with(filter)
            .try_init(),
        (None, true) => builder
            .with_writer(io::stderr)
            .finish()
            .with(filter)
            .try_init(),
        (None, false) => return None,
    };
    result.ok().and(used)
}

/// What is logged: this crate at `--log-level` when given, else `RUST_LOG`
/// in its `level,target=level` form, else this crate at info; other crates
/// at warn unless `RUST_LOG` says otherwise. A `RUST_LOG` that does not
/// parse (span and field filters included) is ignored, as before.
fn filter(level: Option<&str>, rust_log: Option<&str>) -> Targets {
    let ours = |level: Level| {
        Targets::new()
            .with_default(Level::WARN)
            .with_target("ddm_backups", level)
    };
    if let Some(level) = level {
        // clap allows only the five level names; anything else keeps info.
        return ours(Level::from_str(level).unwrap_or(Level::INFO));
    }
    rust_log
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| ours(Level::INFO))
}

/// An append-only log file that rotates itself once it grows past the cap,
/// so a pane left open for weeks cannot fill the disk.
pub struct RotatingFile {
    path: PathBuf,
    file: File,
    written: u64,
    cap: u64,
}

impl RotatingFile {
    /// Opens (creating the folder, mode 0700) and rotates first if already full.
    pub fn open(path: &Path) -> io::Result<Self> {
        Self::open_with_cap(path, MAX_LOG_BYTES)
    }

    fn open_with_cap(path: &Path, cap: u64) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            private_fs::create_dir(dir)?;
        }
        let file = private_fs::open(path, Open::Append)?;
        let written = file.metadata()?.len();
        let mut this = RotatingFile {
            path: path.to_path_buf(),
            file,
            written,
            cap,
        };
        if this.written >= cap {
            this.rotate()?;
        }
        Ok(this)
    }

    fn rotate(&mut self) -> io::Result<()> {
        let mut old = self.path.clone().into_os_string();
        old.push(".1");
        std::fs::rename(&self.path, &old)?;
        self.file = private_fs::open(&self.path, Open::Append)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written + buf.len() as u64 > self.cap && self.written > 0 {
            // A failed rotation must not stop logging; keep appending.
            let _ = self.rotate();
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The most verbose level `filter` lets through for `target`.
    fn level_for(filter: &Targets, target: &str) -> Option<Level> {
        [
            Level::TRACE,
            Level::DEBUG,
            Level::INFO,
            Level::WARN,
            Level::ERROR,
        ]
        .into_iter()
        .find(|level| filter.would_enable(target, level))
    }

    #[test]
    fn the_log_filter_takes_the_flag_then_rust_log_then_info() {
        let default = filter(None, None);
        assert_eq!(level_for(&default, "ddm_backups::http"), Some(Level::INFO));
        assert_eq!(level_for(&default, "reqwest::connect"), Some(Level::WARN));

        let flag = filter(Some("trace"), Some("ddm_backups=error"));
        assert_eq!(level_for(&flag, "ddm_backups::api"), Some(Level::TRACE));
        assert_eq!(level_for(&flag, "hyper_util"), Some(Level::WARN));

        let env = filter(None, Some("error,ddm_backups::http=debug,rustls=info"));
        assert_eq!(
            level_for(&env, "ddm_backups::http::send"),
            Some(Level::DEBUG)
        );
        assert_eq!(level_for(&env, "ddm_backups::tui"), Some(Level::ERROR));
        assert_eq!(level_for(&env, "rustls::client"), Some(Level::INFO));
        assert_eq!(
            level_for(&filter(None, Some("DEBUG")), "x"),
            Some(Level::DEBUG)
        );
        // Only this crate, as EnvFilter read it: nothing else is logged.
        let only = filter(None, Some("ddm_backups=warn"));
        assert_eq!(level_for(&only, "ddm_backups"), Some(Level::WARN));
        assert_eq!(level_for(&only, "reqwest"), None);

        for unusable in ["", "  ", "ddm_backups=loud", "[span{id=1}]=debug"] {
            let f = filter(None, Some(unusable));
            assert_eq!(
                level_for(&f, "ddm_backups"),
                Some(Level::INFO),
                "{unusable:?}"
            );
            assert_eq!(level_for(&f, "h2"), Some(Level::WARN), "{unusable:?}");
        }
    }

    #[test]
    fn the_file_rotates_past_its_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs/app.log");
        let mut file = RotatingFile::open_with_cap(&path, 100).unwrap();
        for _ in 0..25 {
            file.write_all(b"0123456789\n").unwrap();
        }
        let current = std::fs::metadata(&path).unwrap().len();
        let rotated = std::fs::metadata(dir.path().join("logs/app.log.1"))
            .unwrap()
            .len();
        assert!(current <= 100, "{current}");
        assert!(rotated <= 100 && rotated > 0, "{rotated}");
        // Reopening a full file rotates before writing.
        std::fs::write(&path, vec![b'x'; 150]).unwrap();
        let file = RotatingFile::open_with_cap(&path, 100).unwrap();
        assert_eq!(file.written, 0);
    }
}

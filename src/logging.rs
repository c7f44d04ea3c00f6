//! Logs go to a size-capped file, never to the screen; `show` adds stderr
//! only when asked.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::private_fs::{self, Open};
use tracing_subscriber::fmt::writer::MakeWriterExt;

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
    let filter = match setup.level {
        Some(level) => EnvFilter::new(format!("warn,ddm_backups={level}")),
        None => EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| EnvFilter::new("warn,ddm_backups=info")),
    };
    let path = log_path();
    let file = path.as_deref().and_then(|p| RotatingFile::open(p).ok());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(false);
    let used = file.as_ref().map(|f| f.path.clone());
    let result = match (file, setup.stderr) {
        (Some(file), true) => builder
            .with_writer(Mutex::new(file).and(io::stderr))
            .try_init(),
        (Some(file), false) => builder.with_writer(Mutex::new(file)).try_init(),
        (None, true) => builder.with_writer(io::stderr).try_init(),
        (None, false) => return None,
    };
    result.ok().and(used)
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

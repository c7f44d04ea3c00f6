//! Files only the user may read: the log, the token cache, a new config.

use std::ffi::OsString;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How a private file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Keep what is there and write at the end.
    Append,
    /// Create if missing, keep the contents (for lock files).
    Keep,
    /// Create if missing, empty it.
    Truncate,
    /// Only a new file; fails if one exists.
    New,
}

/// Creates `dir` and its parents with mode 0700, and makes `dir` itself
/// 0700 if it already existed with looser permissions.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    restrict(dir, 0o700)
}

/// Drops group and other bits from an existing path (owner bits stay).
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = std::fs::metadata(path)?.permissions().mode();
        if current & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Opens `path` for writing; a file it creates gets mode 0600.
pub fn open(path: &Path, how: Open) -> io::Result<File> {
    let mut options = OpenOptions::new();
    match how {
        Open::Append => options.create(true).append(true),
        Open::Keep => options.create(true).write(true).truncate(false),
        Open::Truncate => options.create(true).write(true).truncate(true),
        Open::New => options.create_new(true).write(true),
    };
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // A file that already existed keeps its mode through open(): fix it.
    restrict(path, 0o600)?;
    Ok(file)
}

/// Opens the lock file at `path` (created private if missing) and takes an
/// advisory lock on it, exclusive or shared; the lock lasts as long as the
/// returned file. A separate lock file, because the data file beside it is
/// replaced by rename and a lock on it would go with the old file.
pub fn lock(path: &Path, exclusive: bool) -> io::Result<File> {
    let file = open(path, Open::Keep)?;
    if exclusive {
        file.lock()?;
    } else {
        file.lock_shared()?;
    }
    Ok(file)
}

/// Replaces `path` with `bytes` so a reader never sees half a file: a
/// private temp file beside it, synced, then renamed over it (the temp file
/// is removed if that fails). Callers hold the file's lock.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut name = OsString::from(path.as_os_str());
    name.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(name);
    let written = open(&temp, Open::Truncate)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    // Makes the rename itself durable; a failure here loses nothing that is
    // not already on disk, so it is not worth an error.
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Ok(dir) = File::open(dir.unwrap_or(Path::new("."))) {
        let _ = dir.sync_all();
    }
    Ok(())
}

//! Files only the user may read: the log, the token cache, a new config.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::path::Path;

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

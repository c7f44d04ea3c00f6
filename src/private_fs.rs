//! Files only the user may read: the log, the token cache, the history, a
//! new config.
//!
//! These files live in folders other programs can reach, so every open
//! refuses a symlink in place of the file (a planted link must not send our
//! writes, or our reads, to a file of someone else's choosing), refuses
//! anything that is not a regular file, and sets modes on the open file
//! (fchmod), never by path, so a swap between open and chmod cannot redirect
//! the chmod either.

use std::ffi::OsString;
use std::fs::{DirBuilder, File, OpenOptions, TryLockError};
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
    /// Only a new file; fails if one exists (or a symlink is in the way).
    New,
}

/// Creates `dir` and its parents with mode 0700, and makes `dir` itself
/// 0700 if it already existed with looser permissions. The folder itself may
/// be a symlink (dotfile managers do that); it is the user's own choice.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    let opened = File::open(dir)?;
    if !opened.metadata()?.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    restrict(&opened, 0o700)
}

/// Drops group and other bits from an open file (owner bits stay).
fn restrict(file: &File, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = file.metadata()?.permissions().mode();
        if current & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (file, mode);
    Ok(())
}

/// Flags every open here adds: no symlink as the last component, and no
/// blocking on a FIFO planted under our name (no effect on regular files).
fn no_follow(options: &mut OpenOptions) {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(options, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    #[cfg(not(unix))]
    let _ = options;
}

/// Refuses a FIFO, device or directory that was sitting under our name.
fn regular(file: File, path: &Path) -> io::Result<File> {
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(io::Error::other(format!(
            "{} is not a regular file",
            path.display()
        )))
    }
}

/// Opens `path` for writing without following a symlink; a file it creates
/// gets mode 0600, and an existing one loses its group and other bits.
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
    no_follow(&mut options);
    let file = regular(options.open(path)?, path)?;
    // A file that already existed keeps its mode through open(): fix it.
    restrict(&file, 0o600)?;
    Ok(file)
}

/// Opens `path` for reading without following a symlink.
pub fn open_read(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    no_follow(&mut options);
    regular(options.open(path)?, path)
}

/// Opens the lock file at `path` (created private if missing) and takes an
/// advisory lock on it, exclusive or shared, waiting as long as it takes;
/// the lock lasts as long as the returned file. A separate lock file,
/// because the data file beside it is replaced by rename and a lock on it
/// would go with the old file.
pub fn lock(path: &Path, exclusive: bool) -> io::Result<File> {
    let file = open(path, Open::Keep)?;
    if exclusive {
        file.lock()?;
    } else {
        file.lock_shared()?;
    }
    Ok(file)
}

/// Like [`lock`] but never waits: `None` when another holder has it, so
/// the caller can decide how long to keep trying.
pub fn try_lock(path: &Path, exclusive: bool) -> io::Result<Option<File>> {
    let file = open(path, Open::Keep)?;
    let tried = if exclusive {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    match tried {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// How many random names [`replace`] tries before giving up; a clash is
/// already one in 62^16.
const TEMP_TRIES: usize = 8;

/// A new private file beside `path` with a random name, created
/// exclusively, so nothing planted in advance can be opened in its place.
fn create_temp(path: &Path) -> io::Result<(PathBuf, File)> {
    let mut last = io::Error::other("no temp name tried");
    for _ in 0..TEMP_TRIES {
        let suffix: String = std::iter::repeat_with(fastrand::alphanumeric)
            .take(16)
            .collect();
        let mut name = OsString::from(path.as_os_str());
        name.push(format!(".tmp-{suffix}"));
        let temp = PathBuf::from(name);
        match open(&temp, Open::New) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Replaces `path` with `bytes` so a reader never sees half a file: a
/// private temp file beside it, synced, then renamed over it (the temp file
/// is removed if that fails). A symlink at `path` is replaced, never
/// followed. Callers hold the file's lock.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_as(path, bytes, false)
}

/// [`replace`] for a file others must read (a monitoring textfile that
/// node_exporter reads as its own user): the same atomic swap, but the new
/// file is readable by all (0644), not private.
pub fn replace_readable(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_as(path, bytes, true)
}

fn replace_as(path: &Path, bytes: &[u8], readable: bool) -> io::Result<()> {
    let (temp, mut file) = create_temp(path)?;
    let shared = if readable { share(&file) } else { Ok(()) };
    let written = shared
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temp, path));
    drop(file);
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

/// Makes an open file readable by everyone (still writable only by us).
fn share(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_planted_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("link");
        symlink(&target, &link).unwrap();
        for how in [Open::Append, Open::Keep, Open::Truncate, Open::New] {
            assert!(open(&link, how).is_err(), "{how:?}");
        }
        assert!(open_read(&link).is_err());
        assert!(lock(&link, true).is_err());
        // replace() swaps the link itself for a file; the target stays.
        replace(&link, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert_eq!(mode(&target), 0o644);
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
        assert!(!std::fs::symlink_metadata(&link).unwrap().is_symlink());
    }

    #[test]
    fn modes_are_fixed_on_the_open_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "x").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        drop(open(&path, Open::Append).unwrap());
        assert_eq!(mode(&path), 0o600);
        let sub = dir.path().join("d");
        std::fs::create_dir(&sub).unwrap();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_dir(&sub).unwrap();
        assert_eq!(mode(&sub), 0o700);
    }

    #[test]
    fn temp_names_are_random_and_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.json");
        // The old predictable name, planted: must be neither used nor touched.
        let target = dir.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        let old_name = dir
            .path()
            .join(format!("data.json.tmp-{}", std::process::id()));
        symlink(&target, &old_name).unwrap();
        replace(&path, b"one").unwrap();
        replace(&path, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let expected = [
            "data.json".to_string(),
            old_name_of(&old_name),
            "target".into(),
        ];
        assert_eq!(names, expected);
    }

    fn old_name_of(path: &Path) -> String {
        path.file_name().unwrap().to_string_lossy().into_owned()
    }

    #[test]
    fn try_lock_reports_a_held_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let held = try_lock(&path, true).unwrap().unwrap();
        assert!(try_lock(&path, false).unwrap().is_none());
        drop(held);
        assert!(try_lock(&path, false).unwrap().is_some());
    }

    #[test]
    fn a_fifo_is_refused_without_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.unwrap().success());
        assert!(open_read(&path).is_err());
        assert!(open(&path, Open::Append).is_err());
    }
}

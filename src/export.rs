//! Saving a backup's JSON to a file the operator names.
//!
//! This is the operator's own export, not a secret: new files get the
//! usual permissions from the umask (unlike `private_fs`).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Longest file stem `default_path` produces: IDs come from the network and
/// a file name over the file system's limit (often 255 bytes) cannot be created.
const MAX_STEM: usize = 200;

/// How many temporary names `save` tries before giving up.
const TEMP_ATTEMPTS: usize = 16;

/// The default file name for a backup: "./<backup_id>.json", with any
/// character outside `[A-Za-z0-9._-]` and any leading dot replaced by '_'.
pub fn default_path(backup_id: &str) -> PathBuf {
    let mut stem: String = backup_id
        .chars()
        .take(MAX_STEM)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // Leading dots would make a hidden file, or ".." with nothing after it.
    let dots = stem.len() - stem.trim_start_matches('.').len();
    stem.replace_range(..dots, &"_".repeat(dots));
    if stem.is_empty() {
        stem.push_str("backup");
    }
    PathBuf::from(format!("./{stem}.json"))
}

/// Whether `save` may replace an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Fail with [`SaveError::Exists`] if the file is there.
    Refuse,
    /// Replace it atomically.
    Allow,
}

/// Why a save failed.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file is there and Overwrite::Refuse: the UI asks for confirmation.
    #[error("{path} already exists")]
    Exists { path: PathBuf },
    /// The path names a directory, not a file.
    #[error("{path} is a directory; give a file name")]
    IsDirectory { path: PathBuf },
    /// No path was given.
    #[error("no file name given")]
    EmptyPath,
    /// Any other failure, naming the path and the io error.
    #[error("could not save {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Writes `contents` to `path` and returns the path written (absolute when
/// its directory could be resolved). A leading "~/" means the home directory.
///
/// `Refuse` creates the file exclusively, so a file that appears meanwhile is
/// never clobbered. `Allow` writes a temporary file beside the target and
/// renames it over, so the target is never half-written.
pub fn save(path: &Path, contents: &[u8], overwrite: Overwrite) -> Result<PathBuf, SaveError> {
    if path.as_os_str().is_empty() {
        return Err(SaveError::EmptyPath);
    }
    let path = expand_home(path)?;
    // "dir/" has file_name "dir": without this check it would be written as a file.
    if names_a_directory(&path) || path.is_dir() {
        return Err(SaveError::IsDirectory { path });
    }
    let io_error = |source| SaveError::Io {
        path: path.clone(),
        source,
    };
    match overwrite {
        Overwrite::Refuse => write_new(&path, contents).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists if path.is_dir() => {
                SaveError::IsDirectory { path: path.clone() }
            }
            io::ErrorKind::AlreadyExists => SaveError::Exists { path: path.clone() },
            _ => io_error(e),
        })?,
        Overwrite::Allow => replace(&path, contents).map_err(io_error)?,
    }
    Ok(resolved(&path))
}

/// `~/x` -> `<home>/x`; any other path unchanged.
fn expand_home(path: &Path) -> Result<PathBuf, SaveError> {
    let Ok(rest) = path.strip_prefix("~") else {
        return Ok(path.to_path_buf());
    };
    // strip_prefix also matches a bare "~", which is not "~/".
    if path.as_os_str() == "~" {
        return Ok(path.to_path_buf());
    }
    match directories::BaseDirs::new() {
        Some(dirs) => Ok(dirs.home_dir().join(rest)),
        None => Err(SaveError::Io {
            path: path.to_path_buf(),
            source: io::Error::new(io::ErrorKind::NotFound, "no home directory to expand ~ in"),
        }),
    }
}

/// True when the path ends in a separator (or "." / ".."), i.e. it can only name a directory.
fn names_a_directory(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.chars()
        .next_back()
        .is_some_and(std::path::is_separator)
        || path.file_name().is_none()
}

/// Creates `path` (which must not exist) and writes `contents`; removes the
/// file again if the write fails, so no half-written export stays behind.
fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let file = OpenOptions::new().write(true).create_new(true).open(path)?;
    fill(file, contents).inspect_err(|_| {
        let _ = fs::remove_file(path);
    })
}

fn fill(mut file: File, contents: &[u8]) -> io::Result<()> {
    file.write_all(contents)?;
    file.sync_all()
}

/// Writes a temporary file in `path`'s directory and renames it over `path`.
fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (temp, file) = create_temp(dir, &name)?;
    let result = fill(file, contents)
        .and_then(|()| keep_mode(path, &temp))
        .and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
        return result;
    }
    // Makes the rename itself durable; the data is already synced, so a
    // failure here is not worth failing the save for.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The directory `path` lives in ("." for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A new hidden file beside the target, named so leftovers are recognisable.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..TEMP_ATTEMPTS {
        let temp = dir.join(format!(
            ".{name}.{}.{:08x}.tmp",
            std::process::id(),
            fastrand::u32(..)
        ));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// A replaced file keeps its permissions instead of taking the temp file's.
fn keep_mode(target: &Path, temp: &Path) -> io::Result<()> {
    match fs::metadata(target) {
        Ok(meta) => fs::set_permissions(temp, meta.permissions()),
        Err(_) => Ok(()),
    }
}

/// `path` with its directory canonicalized, or `path` itself if that fails.
fn resolved(path: &Path) -> PathBuf {
    match (fs::canonicalize(parent_dir(path)), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_written_and_its_absolute_path_returned() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b1.json");
        let written = save(&target, b"{\"id\":1}", Overwrite::Refuse).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"{\"id\":1}");
        assert!(written.is_absolute());
        assert_eq!(written, fs::canonicalize(&target).unwrap());
    }

    #[test]
    fn an_existing_file_is_refused_and_left_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b1.json");
        fs::write(&target, "old").unwrap();
        let err = save(&target, b"new", Overwrite::Refuse).unwrap_err();
        assert!(
            matches!(&err, SaveError::Exists { path } if *path == target),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("{} already exists", target.display())
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
    }

    #[test]
    fn allow_replaces_the_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b1.json");
        fs::write(&target, "old contents, longer than the new").unwrap();
        save(&target, b"new", Overwrite::Allow).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("b1.json")]);
    }

    #[test]
    fn allow_writes_a_new_file_too() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b2.json");
        save(&target, b"x", Overwrite::Allow).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "x");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b1.json");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        save(&target, b"new", Overwrite::Allow).unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn a_directory_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        for overwrite in [Overwrite::Refuse, Overwrite::Allow] {
            let err = save(dir.path(), b"x", overwrite).unwrap_err();
            assert!(matches!(err, SaveError::IsDirectory { .. }), "{err:?}");
            assert!(err.to_string().contains("is a directory"), "{err}");
        }
        let missing_dir = dir.path().join("not-yet/");
        let err = save(&missing_dir, b"x", Overwrite::Refuse).unwrap_err();
        assert!(matches!(err, SaveError::IsDirectory { .. }), "{err:?}");
        assert!(!dir.path().join("not-yet").exists());
    }

    #[test]
    fn an_empty_path_is_a_clear_error() {
        let err = save(Path::new(""), b"x", Overwrite::Refuse).unwrap_err();
        assert!(matches!(err, SaveError::EmptyPath));
        assert_eq!(err.to_string(), "no file name given");
    }

    #[test]
    fn a_missing_parent_directory_is_an_io_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing").join("b1.json");
        for overwrite in [Overwrite::Refuse, Overwrite::Allow] {
            let err = save(&target, b"x", overwrite).unwrap_err();
            match &err {
                SaveError::Io { path, source } => {
                    assert_eq!(*path, target);
                    assert_eq!(source.kind(), io::ErrorKind::NotFound);
                }
                other => panic!("expected Io, got {other:?}"),
            }
            assert!(
                err.to_string().contains(&*target.to_string_lossy()),
                "{err}"
            );
        }
    }

    #[test]
    fn a_leading_tilde_means_the_home_directory() {
        let Some(dirs) = directories::BaseDirs::new() else {
            return;
        };
        let expanded = expand_home(Path::new("~/exports/b1.json")).unwrap();
        assert_eq!(expanded, dirs.home_dir().join("exports/b1.json"));
        assert_eq!(expand_home(Path::new("~")).unwrap(), Path::new("~"));
        assert_eq!(
            expand_home(Path::new("~user/b1.json")).unwrap(),
            Path::new("~user/b1.json")
        );
        assert_eq!(expand_home(Path::new("a/~/b")).unwrap(), Path::new("a/~/b"));
    }

    #[test]
    fn default_path_keeps_a_plain_id() {
        assert_eq!(
            default_path("8f1e-41d2_br01.v2"),
            Path::new("./8f1e-41d2_br01.v2.json")
        );
    }

    #[test]
    fn default_path_cannot_leave_the_directory_or_hide_the_file() {
        assert_eq!(default_path("../x/y"), Path::new("./___x_y.json"));
        assert_eq!(default_path(".hidden"), Path::new("./_hidden.json"));
        assert_eq!(default_path(".."), Path::new("./__.json"));
        assert_eq!(default_path("a\\b"), Path::new("./a_b.json"));
        assert_eq!(default_path(""), Path::new("./backup.json"));
    }

    #[test]
    fn default_path_replaces_each_non_ascii_character() {
        assert_eq!(default_path("备份-01é"), Path::new("./__-01_.json"));
        assert_eq!(default_path("a\u{202e}b\nc"), Path::new("./a_b_c.json"));
    }

    #[test]
    fn default_path_is_short_enough_for_a_file_name() {
        let long = default_path(&"x".repeat(1000));
        let name = long.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name.len(), MAX_STEM + ".json".len());
    }
}

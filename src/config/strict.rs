//! Strict modes for a config file that holds a secret or names a command,
//! as ssh's StrictModes: checked on the file that was opened and read
//! (fstat), so a file swapped in after the check cannot slip through.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::ConfigError;

/// What the parsed file asks of its permissions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    /// An inline `token`, `sk` or `security_token`: nobody else may read it.
    pub private: bool,
    /// A `*_command`: nobody else may change it, or they could run code as
    /// the user.
    pub trusted: bool,
}

/// Checks `file` (opened from `path`) and the folder it lives in.
#[cfg(unix)]
pub fn check(path: &Path, file: &File, needs: Needs) -> Result<(), ConfigError> {
    use std::os::unix::fs::MetadataExt;
    if !needs.private && !needs.trusted {
        return Ok(());
    }
    let refuse = |message: String| ConfigError::File {
        path: path.to_path_buf(),
        message,
    };
    let meta = file.metadata().map_err(|source| ConfigError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let mode = meta.mode() & 0o7777;
    let shown = path.display();
    if needs.private && mode & 0o044 != 0 {
        return Err(refuse(format!(
            "holds an inline secret (token, sk or security_token) but group or others can read it (mode {mode:o}); \
             use a *_env key or run `chmod 600 {shown}`"
        )));
    }
    if !needs.trusted {
        return Ok(());
    }
    let me = current_uid();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(refuse(format!(
            "runs a *_command but belongs to uid {}, not to you (uid {me}) or root, so its owner could run code as you; \
             copy it to a file of your own, or run `sudo chown {me} {shown}`",
            meta.uid()
        )));
    }
    if mode & 0o022 != 0 {
        return Err(refuse(format!(
            "runs a *_command but group or others can write it (mode {mode:o}), so they could run code as you; \
             run `chmod 600 {shown}`"
        )));
    }
    for dir in folders(path) {
        let Ok(dir_meta) = std::fs::metadata(&dir) else {
            continue;
        };
        let dir_mode = dir_meta.mode() & 0o7777;
        let dir_shown = dir.display();
        if dir_meta.uid() != me && dir_meta.uid() != 0 {
            return Err(refuse(format!(
                "runs a *_command but its folder {dir_shown} belongs to uid {}, not to you (uid {me}) or root, \
                 so its owner could replace the file; move the file to a folder of your own",
                dir_meta.uid()
            )));
        }
        if dir_mode & 0o022 != 0 {
            return Err(refuse(format!(
                "runs a *_command but its folder {dir_shown} can be written by group or others (mode {dir_mode:o}), \
                 so they could replace the file; run `chmod go-w {dir_shown}` or move the file to a private folder"
            )));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check(_path: &Path, _file: &File, _needs: Needs) -> Result<(), ConfigError> {
    Ok(())
}

/// The folder of `path` as given, and that of the file it resolves to when
/// it is a symlink: whoever can write either can change what is read.
fn folders(path: &Path) -> Vec<PathBuf> {
    let parent = |p: &Path| {
        p.parent()
            .map(|d| {
                if d.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    d.to_path_buf()
                }
            })
            .unwrap_or_else(|| PathBuf::from("/"))
    };
    let mut dirs = vec![parent(path)];
    if let Ok(real) = std::fs::canonicalize(path) {
        let real_dir = parent(&real);
        if std::fs::canonicalize(&dirs[0]).ok().as_ref() != Some(&real_dir) {
            dirs.push(real_dir);
        }
    }
    dirs
}

/// The effective user id of this process.
#[cfg(unix)]
fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

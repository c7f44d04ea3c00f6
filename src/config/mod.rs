//! Profiles, where the config file is looked for, and its validation.

mod auth_table;
mod duration;
mod file;
mod health;
mod health_table;
mod keys;
mod kinds;
pub mod placeholder;
mod profile;
mod region;
mod strict;
mod theme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::small_file::{self, SmallFileError};

pub use file::{is_loopback_host, parse_endpoint};
pub use health::{Thresholds, refresh_summary};
pub use profile::{
    AuthConfig, DEFAULT_LIST_TIMEOUT, DEFAULT_TIMEOUT, Profile, SecretSource, UiSettings, select,
};
pub use region::{DerivedEndpoint, ddm_endpoint, iam_endpoint, sdk_override_variable};
pub use theme::{ANSI_NAMES, ColorSpec, Role, ThemeColors};

/// The environment variable that names a config file.
pub const CONFIG_ENV: &str = "DDM_BACKUPS_CONFIG";
/// The environment variable that names a profile.
pub const PROFILE_ENV: &str = "DDM_BACKUPS_PROFILE";

/// Anything wrong with the configuration; always exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}", not_found(path, origin))]
    NotFound { path: PathBuf, origin: &'static str },
    #[error("no config directory could be found (is $HOME set?); pass --config PATH or try --demo")]
    NoConfigDir,
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    /// Values `config init` left for the operator to fill, one line each.
    #[error("{}", unfilled_lines(path, found))]
    Unfilled {
        path: PathBuf,
        /// Line, column and what to put there.
        found: Vec<(usize, usize, String)>,
    },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Credentials(String),
}

/// Where the config file is, and which rule found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub origin: &'static str,
}

/// `--config`, else `$DDM_BACKUPS_CONFIG`, else the user's config directory.
pub fn locate(from_flag: Option<&Path>, from_env: Option<&Path>) -> Result<Location, ConfigError> {
    if let Some(path) = from_flag {
        return Ok(Location {
            path: path.to_path_buf(),
            origin: "from --config",
        });
    }
    if let Some(path) = from_env.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(Location {
            path: path.to_path_buf(),
            origin: "from $DDM_BACKUPS_CONFIG",
        });
    }
    let dirs =
        directories::ProjectDirs::from("", "", "ddm-backups").ok_or(ConfigError::NoConfigDir)?;
    Ok(Location {
        path: dirs.config_dir().join("config.toml"),
        origin: "the default location",
    })
}

/// A loaded and validated config file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub default_profile: Option<String>,
    pub profiles: BTreeMap<String, Profile>,
    pub ui: UiSettings,
}

impl Config {
    /// Applies the profile-choice rule to this file.
    pub fn select(
        &self,
        from_flag: Option<&str>,
        from_env: Option<&str>,
    ) -> Result<&Profile, ConfigError> {
        select(
            &self.profiles,
            self.default_profile.as_deref(),
            from_flag,
            from_env,
        )
    }
}

/// The largest config file read: far past any real one (a profile is a few
/// hundred bytes), and small enough that a wrong path costs nothing.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The largest `ca_file` read: a whole public CA store is about 220 KiB.
pub const MAX_CA_FILE_BYTES: u64 = 4 << 20;

/// Reads, parses and validates the file at `location`.
pub fn load(location: &Location) -> Result<Config, ConfigError> {
    let path = &location.path;
    // One open file for reading and for the permission check, so the file
    // checked is the file read.
    let (file, mut text) = match small_file::read_text(path, MAX_CONFIG_BYTES) {
        Ok(read) => read,
        Err(SmallFileError::NotFound(_)) => {
            return Err(ConfigError::NotFound {
                path: path.clone(),
                origin: location.origin,
            });
        }
        Err(SmallFileError::Io(source)) => {
            return Err(ConfigError::Unreadable {
                path: path.clone(),
                source,
            });
        }
        Err(e) => {
            return Err(ConfigError::File {
                path: path.clone(),
                message: e.to_string(),
            });
        }
    };
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let parsed = file::parse(&text, base_dir);
    // The text may hold an inline token; do not leave it in freed memory.
    let located_error = parsed.as_ref().err().map(|e| position(&text, e));
    let unfilled: Vec<(usize, usize, String)> = parsed.as_ref().map_or_else(
        |_| Vec::new(),
        |p| {
            p.unfilled
                .iter()
                .map(|e| {
                    let (line, column) = position(&text, e);
                    (line, column, e.message.clone())
                })
                .collect()
        },
    );
    zeroize::Zeroize::zeroize(&mut text);
    let parsed = match (parsed, located_error) {
        (Ok(parsed), _) => parsed,
        (Err(e), Some((line, column))) => {
            return Err(ConfigError::Invalid {
                path: path.clone(),
                line,
                column,
                message: e.message,
            });
        }
        (Err(e), None) => {
            return Err(ConfigError::File {
                path: path.clone(),
                message: e.message,
            });
        }
    };
    if !unfilled.is_empty() {
        return Err(ConfigError::Unfilled {
            path: path.clone(),
            found: unfilled,
        });
    }
    strict::check(
        path,
        &file,
        strict::Needs {
            private: parsed.has_inline_secret,
            trusted: parsed.has_command,
        },
    )?;
    Ok(Config {
        path: path.clone(),
        default_profile: parsed.default_profile,
        profiles: parsed.profiles,
        ui: parsed.ui,
    })
}

/// Parses config text without a file (for `config init`'s own check, so
/// its placeholders pass: they are there to be filled in).
pub fn parse_text(text: &str) -> Result<(), String> {
    file::parse(text, Path::new("."))
        .map(|_| ())
        .map_err(|e| e.message)
}

/// A missing file points at the command that writes one there first (with
/// its `--config` when that is how the path was given), then the demo.
fn not_found(path: &Path, origin: &str) -> String {
    let shown = path.display().to_string();
    let flag = if origin == "from --config" {
        format!(" --config {}", shell_word(&shown))
    } else {
        String::new()
    };
    format!(
        "no config file at {shown} ({origin}); create one first with `ddm-backups config init{flag}`, \
         or try `ddm-backups --demo`"
    )
}

/// `word` as one shell word: as it is when it holds nothing a shell reads
/// specially, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+=:,@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn unfilled_lines(path: &Path, found: &[(usize, usize, String)]) -> String {
    let lines: Vec<String> = found
        .iter()
        .map(|(line, column, message)| format!("{}:{line}:{column}: {message}", path.display()))
        .collect();
    lines.join("\n")
}

/// 1-based line and column (in characters) of an error's span.
fn position(text: &str, located: &file::Located) -> (usize, usize) {
    let offset = located.span.as_ref().map_or(0, |s| s.start).min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;

//! `ddm-backups keys`: the key reference as Markdown, with the config's
//! `[keys]` applied when there is a config file. With none it is the
//! defaults, exactly the README's key table.

use std::io::Write;
use std::path::PathBuf;

use super::Failure;
use crate::cli::GlobalArgs;
use crate::config::{self, ConfigError};
use crate::keymap::{Keymap, reference};

pub fn run(global: &GlobalArgs) -> Result<(), Failure> {
    let keymap = in_force(global)?;
    super::print(|out| out.write_all(reference::markdown(&keymap).as_bytes()))
}

/// The config's keys; the defaults when no file is at the default place. A
/// file named with `--config` or the environment must exist and be valid.
fn in_force(global: &GlobalArgs) -> Result<Keymap, Failure> {
    let from_env = std::env::var_os(config::CONFIG_ENV).map(PathBuf::from);
    let named =
        global.config.is_some() || from_env.as_ref().is_some_and(|p| !p.as_os_str().is_empty());
    let location = match config::locate(global.config.as_deref(), from_env.as_deref()) {
        Ok(location) => location,
        Err(ConfigError::NoConfigDir) => return Ok(Keymap::default()),
        Err(e) => return Err(super::prefixed(e.into())),
    };
    match config::load(&location) {
        Ok(loaded) => Ok(loaded.ui.keys),
        Err(ConfigError::NotFound { .. }) if !named => Ok(Keymap::default()),
        Err(e) => Err(super::prefixed(e.into())),
    }
}

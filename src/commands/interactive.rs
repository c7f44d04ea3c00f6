//! The interactive UI's launch: checks that must pass before the terminal is
//! touched (a terminal, a config or --demo), then the TUI itself.

use std::path::PathBuf;
use std::sync::Arc;

use super::target::{self, TargetSet};
use super::{EXIT_LOOKUP, Failure, is_interactive};
use crate::cli::GlobalArgs;
use crate::tui;
use crate::tui::event_loop::Ending;

/// The TUI's own flags.
pub struct Args {
    pub instance: Option<String>,
    pub backup: Option<String>,
    pub mouse: bool,
}

pub async fn run(
    global: &GlobalArgs,
    args: Args,
    log_file: Option<PathBuf>,
) -> Result<(), Failure> {
    // Password auth with no configured source asks in a masked popup.
    let bridge = tui::password::PasswordBridge::default();
    // The profile is chosen first: a wrong `--profile` is the more useful
    // thing to hear, and it is refused before the terminal is touched.
    let TargetSet {
        profiles,
        active,
        ui,
        demo,
    } = target::resolve_all(global, Some(Arc::new(bridge.clone())))
        .await
        .map_err(super::prefixed)?;
    if !is_interactive() {
        return Err(Failure::usage(
            "error: the interactive UI needs a terminal on stdin and stdout; \
             in scripts use `ddm-backups show --instance ID --backup ID`",
        ));
    }
    let launch = tui::Launch {
        profiles: profiles
            .into_iter()
            .map(|(profile, client)| tui::LaunchProfile::new(&profile, client))
            .collect(),
        active,
        instance: args.instance,
        backup: args.backup,
        mouse: args.mouse || ui.mouse,
        theme: ui.theme,
        keys: ui.keys,
        log_file,
        // The help overlay lists the demo backups so a newcomer knows what to try.
        demo_backups: match demo {
            Some(_) => crate::demo::catalogue()
                .iter()
                .map(|row| tui::DemoRow {
                    instance: row.instance_id.into(),
                    backup: row.backup_id.into(),
                    shows: row.shows.into(),
                })
                .collect(),
            None => Vec::new(),
        },
        history: crate::history::HistoryStore::default_location()
            .map(crate::history::HistoryStore::at),
        password: Some(bridge),
        health_refresh: ui.health_refresh,
    };
    let result = tui::run(launch).await;
    // The demo endpoint must outlive the UI that talks to it.
    drop(demo);
    match result {
        Ok(Ending::Quit) => Ok(()),
        // The terminal is already restored. The code alone tells a script
        // or supervisor which signal ended the app, as for any process a
        // signal stops; on a hung-up terminal there is nobody to read more.
        Ok(ending @ Ending::Signal(number)) => {
            tracing::info!(signal = number, "ended by a signal");
            Err(Failure {
                code: ending.exit_code(),
                message: String::new(),
            })
        }
        Err(e) => Err(Failure {
            code: EXIT_LOOKUP,
            message: format!("error: terminal failure: {e}"),
        }),
    }
}

//! The interactive UI's launch checks: a terminal, a config or --demo.

use super::{Failure, is_interactive};
use crate::cli::GlobalArgs;

/// The TUI's own flags.
pub struct Args {
    pub instance: Option<String>,
    pub backup: Option<String>,
    pub mouse: bool,
}

pub async fn run(global: &GlobalArgs, args: Args) -> Result<(), Failure> {
    if !is_interactive() {
        return Err(Failure::usage(
            "error: the interactive UI needs a terminal on stdin and stdout; in scripts use `ddm-backups show --instance ID --backup ID`",
        ));
    }
    let target = super::target::resolve(global).await?;
    let _ = (
        args.instance,
        args.backup,
        args.mouse || target.ui.mouse,
        target.demo.is_some(),
    );
    Err(Failure::usage(
        "error: the interactive UI is not built yet; use `ddm-backups show`",
    ))
}

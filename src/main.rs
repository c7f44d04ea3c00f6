//! The `ddm-backups` binary: parse the command line, set up logging, run.

use ddm_backups::cli::Command;
use ddm_backups::{commands, logging};

fn main() {
    let cli = match commands::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => std::process::exit(code),
    };
    let level = cli.global.log_level.map(|l| l.as_str());
    // `show` and `demo-server` log to stderr only when asked; the TUI never
    // does, since stderr is its screen.
    let asked = level.is_some() || std::env::var_os("RUST_LOG").is_some();
    let stderr = asked
        && matches!(
            cli.command,
            Some(Command::Show(_)) | Some(Command::DemoServer(_))
        );
    let log_file = logging::init(logging::LogSetup { level, stderr });
    // First in each run's lines, so a log read later says which build wrote it.
    tracing::info!("{} started", ddm_backups::version::line());
    std::process::exit(commands::run(cli, log_file));
}

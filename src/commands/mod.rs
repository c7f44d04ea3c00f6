//! What each command does, from parsed arguments to an exit code.

mod check;
mod config_cmd;
mod demo_server;
mod find;
mod interactive;
mod keys;
mod list;
mod prompt;
mod restore_check;
mod shell;
mod show;
mod target;
mod tty_restore;
mod wait;

use std::io::{IsTerminal, Write};

use crate::cli::{Cli, Command, ConfigCommand};

/// Exit code: the lookup failed.
pub const EXIT_LOOKUP: i32 = 1;
/// Exit code: usage or configuration error.
pub const EXIT_USAGE: i32 = 2;

/// A command that did not succeed: its exit code and what to tell the user.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    /// A usage or configuration problem (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }
}

impl From<crate::config::ConfigError> for Failure {
    fn from(e: crate::config::ConfigError) -> Self {
        Failure::usage(e.to_string())
    }
}

/// Parses the command line; `Err` is the exit code when there is nothing
/// to run. Help and version text leave like every command's output: clap's
/// own exit drops write errors, so `--help >/dev/full` said nothing and
/// exited 0; here a write error fails with exit 1 and a closed pipe ends
/// quietly, as [`print`] does.
pub fn parse_args<I, T>(args: I) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<T> = args.into_iter().collect();
    let e = match <Cli as clap::Parser>::try_parse_from(args.iter().cloned()) {
        Ok(mut cli) => match cli.settle_profile() {
            Ok(()) => return Ok(cli),
            // Said as clap says its own usage errors, with the usage line.
            Err(why) => <Cli as clap::CommandFactory>::command()
                .error(clap::error::ErrorKind::ArgumentConflict, why),
        },
        Err(e) => e,
    };
    if e.use_stderr() {
        // A usage error: its message is the point, stderr the only place.
        let _ = e.print();
        // `check` speaks the monitoring-plugins convention, where a check
        // that cannot run is UNKNOWN (3), never clap's 2 (WARNING there).
        if e.exit_code() != 0 && subcommand_of(&args) == Some("check".into()) {
            return Err(check::EXIT_UNKNOWN);
        }
        return Err(e.exit_code());
    }
    // (The lock is taken after clap's own is let go.)
    let written = e.print().and_then(|()| std::io::stdout().lock().flush());
    match written {
        Ok(()) => Err(e.exit_code()),
        Err(w) if w.kind() == std::io::ErrorKind::BrokenPipe => Err(e.exit_code()),
        Err(w) => {
            say(&format!("error: cannot write the output: {w}"));
            Err(EXIT_LOOKUP)
        }
    }
}

/// The subcommand `args` name, if any: the first word that is neither an
/// option nor the value of a top-level option that takes one (read from
/// the definition, so a new option cannot be mistaken for a subcommand).
fn subcommand_of<T: Into<std::ffi::OsString> + Clone>(args: &[T]) -> Option<String> {
    let command = <Cli as clap::CommandFactory>::command();
    let takes_value = |word: &str| {
        command.get_arguments().any(|a| {
            a.get_action().takes_values()
                && (a.get_long().is_some_and(|l| word == format!("--{l}"))
                    || a.get_short().is_some_and(|c| word == format!("-{c}")))
        })
    };
    let mut words = args
        .iter()
        .skip(1)
        .map(|a| a.clone().into().to_string_lossy().into_owned());
    while let Some(word) = words.next() {
        if word == "--" {
            return None;
        }
        if word.starts_with('-') {
            if !word.contains('=') && takes_value(&word) {
                words.next();
            }
            continue;
        }
        return Some(word);
    }
    None
}

/// Runs the chosen command and returns the process exit code.
pub fn run(cli: Cli, log_file: Option<std::path::PathBuf>) -> i32 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            say(&format!("error: cannot start the async runtime: {e}"));
            return EXIT_LOOKUP;
        }
    };
    let Cli {
        global,
        instance,
        backup,
        mouse,
        command,
    } = cli;
    let result = match command {
        Some(Command::Show(args)) => runtime.block_on(show::run(&global, args)),
        Some(Command::Instances(args)) => runtime.block_on(list::instances(&global, args)),
        Some(Command::Backups(args)) => runtime.block_on(list::backups(&global, args)),
        Some(Command::Find(args)) => runtime.block_on(find::run(&global, args)),
        Some(Command::Check(args)) => runtime.block_on(check::run(&global, args)),
        Some(Command::RestoreCheck(args)) => runtime.block_on(restore_check::run(&global, args)),
        Some(Command::Wait(args)) => runtime.block_on(wait::run(&global, args)),
        Some(Command::DemoServer(args)) => runtime.block_on(demo_server::run(args)),
        Some(Command::Config(ConfigCommand::Check(_))) => {
            runtime.block_on(config_cmd::check(&global))
        }
        Some(Command::Config(ConfigCommand::Init(args))) => config_cmd::init(&global, &args),
        Some(Command::Keys) => keys::run(&global),
        Some(Command::Completions(args)) => shell::completions(args.shell),
        Some(Command::Man) => shell::man(),
        None => {
            let launch = interactive::Args {
                instance,
                backup,
                mouse,
            };
            runtime.block_on(interactive::run(&global, launch, log_file))
        }
    };
    match result {
        Ok(()) => 0,
        Err(failure) => {
            if !failure.message.is_empty() {
                say(&failure.message);
            }
            failure.code
        }
    }
}

/// Text when `--output text` or when stdout is a terminal; JSON otherwise.
pub fn wants_text(asked: Option<crate::cli::OutputFormat>) -> bool {
    match asked {
        Some(format) => format == crate::cli::OutputFormat::Text,
        None => std::io::stdout().is_terminal(),
    }
}

/// What commands print to: stdout behind one large buffer, so a big answer
/// leaves in a few large writes instead of one write per line (stdout alone
/// is line-buffered).
pub type Out = std::io::BufWriter<std::io::StdoutLock<'static>>;

/// Room for a whole typical answer; larger ones go out in pieces this big.
const OUT_BUFFER: usize = 256 * 1024;

/// Writes to stdout through `write`, flushed once at the end. A reader that
/// went away (`| head -c 1`) ends the command quietly, at any output size;
/// any other write error is a failure.
pub fn print(write: impl FnOnce(&mut Out) -> std::io::Result<()>) -> Result<(), Failure> {
    let mut out = std::io::BufWriter::with_capacity(OUT_BUFFER, std::io::stdout().lock());
    let result = write(&mut out).and_then(|()| out.flush());
    // Whatever is still buffered has nowhere to go: drop it rather than let
    // the writer's drop try the closed pipe again.
    let _ = out.into_parts();
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            code: EXIT_LOOKUP,
            message: format!("error: cannot write the output: {e}"),
        }),
    }
}

/// A failure whose message reads as an error line.
pub fn prefixed(mut failure: Failure) -> Failure {
    if !failure.message.is_empty() && !failure.message.starts_with("error:") {
        failure.message = format!("error: {}", failure.message);
    }
    failure
}

/// One message on stderr; a closed stderr is not worth a panic. Messages
/// quote paths, names and IDs that came from outside (a `--config` path, a
/// server's text), so each line goes through the terminal-safe filter.
pub fn say(message: &str) {
    let lines: Vec<String> = message
        .split('\n')
        .map(crate::terminal_text::sanitize)
        .collect();
    let _ = writeln!(std::io::stderr(), "{}", lines.join("\n"));
}

/// True when both ends of the conversation are a terminal.
pub fn is_interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

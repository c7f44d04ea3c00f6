//! The command line: global options, the TUI's own flags, and subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Look up Huawei Cloud DDM backups: an interactive terminal UI, or `show`
/// for scripts. Try it without a cloud account: `ddm-backups --demo`.
#[derive(Debug, Parser)]
#[command(name = "ddm-backups", version = crate::version::LONG, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    /// Instance ID to look up at start (with --backup).
    #[arg(long, value_name = "ID")]
    pub instance: Option<String>,

    /// Backup ID to look up at start (with --instance).
    #[arg(long, value_name = "ID")]
    pub backup: Option<String>,

    /// Capture the mouse: the wheel scrolls, a click selects (off by default
    /// so tmux's drag-to-select keeps working).
    #[arg(long)]
    pub mouse: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options valid before or after any subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Config file (default: $DDM_BACKUPS_CONFIG, else ~/.config/ddm-backups/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Profile to use (default: $DDM_BACKUPS_PROFILE, else default_profile, else the only one).
    // Not `global`: clap lets a subcommand's value of a global silently
    // replace the one given before it (`--profile a show --profile b` would
    // use b alone). Each command that uses a profile takes its own
    // `--profile`, and [`Cli::settle_profile`] joins the two or refuses.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Use the embedded demo endpoint instead of Huawei Cloud; needs no config.
    #[arg(long, global = true)]
    pub demo: bool,

    /// Log level for the log file (and stderr for `show`); default: $RUST_LOG, else info.
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<LogLevel>,
}

/// `--profile` after a subcommand: the same option as before it.
#[derive(Debug, Default, Args)]
pub struct ProfileArg {
    /// Profile to use (default: $DDM_BACKUPS_PROFILE, else default_profile, else the only one).
    #[arg(long = "profile", id = "command_profile", value_name = "NAME")]
    pub name: Option<String>,
}

/// Levels accepted by --log-level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl LogLevel {
    /// The name tracing's filter understands.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look a backup up and print it (text on a terminal, JSON otherwise).
    Show(ShowArgs),
    /// List the project's DDM instances (text on a terminal, JSON otherwise).
    Instances(ListArgs),
    /// List an instance's backups, newest first.
    Backups(BackupsArgs),
    /// Find backups by ID or name in every profile at once (or the named ones).
    Find(FindArgs),
    /// Check every instance's backups in every profile (or the named ones)
    /// for monitoring. Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (a call
    /// failed, or a usage or config error), as monitoring plugins do.
    #[command(
        after_help = "Rules per instance: the newest normal backup's age (warn_age 26h, crit_age 50h), failed backups (newest failed: critical; any in window_days 7: warning), UTC days in the window with no backup (warning), restore lag (warn_restore_lag 1h, crit_restore_lag 6h). Thresholds come from the config's [health] table and [profiles.NAME.health]; see the README.\n\n\
Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN."
    )]
    Check(HealthCheckArgs),
    /// Check whether a backup can be restored: windows, data nodes then and
    /// now, targets, blockers. Exit 0 no blockers, 3 blockers, 1 a call failed.
    RestoreCheck(RestoreCheckArgs),
    /// Wait while a backup is `creating`. Exit 0 when it is `normal`, 1 on
    /// `createfail`, timeout or error.
    Wait(WaitArgs),
    /// Serve the embedded demo endpoint on 127.0.0.1 until stopped.
    DemoServer(DemoServerArgs),
    /// Check or create the config file.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print the TUI's keys (with the config's [keys]) as a Markdown table.
    Keys,
    /// Print a completion script for a shell (see the README for where it goes).
    Completions(CompletionsArgs),
    /// Print the man page (roff): `ddm-backups man > ~/.local/share/man/man1/ddm-backups.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the config and resolve each profile's credentials (never calls DDM).
    Check(CheckArgs),
    /// Write a commented starter config where the app reads it (never overwrites).
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Region of the first profile.
    #[arg(long, default_value = "cn-north-4")]
    pub region: String,

    /// IAM project ID of that region (32 hex characters).
    #[arg(long, value_name = "ID")]
    pub project_id: Option<String>,

    /// How the profile authenticates.
    #[arg(long, value_name = "TYPE", default_value = "token")]
    pub auth: AuthKind,

    #[command(flatten)]
    pub profile: NewProfileArg,
}

/// `config init --profile`: the name of the profile it writes, which need
/// not exist yet (so it has its own help text).
#[derive(Debug, Default, Args)]
pub struct NewProfileArg {
    /// Name of the profile written (default: the region).
    #[arg(long = "profile", id = "command_profile", value_name = "NAME")]
    pub name: Option<String>,
}

/// Auth types `config init` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthKind {
    Token,
    Password,
    Aksk,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// DDM instance ID (with --demo: defaults to the API reference's example).
    #[arg(long, value_name = "ID")]
    pub instance: Option<String>,

    /// Backup ID (with --demo: defaults to the API reference's example).
    #[arg(long, value_name = "ID")]
    pub backup: Option<String>,

    #[command(flatten)]
    pub profile: ProfileArg,

    /// Output format (default: text on a terminal, JSON otherwise).
    #[arg(long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

#[derive(Debug, Args)]
pub struct RestoreCheckArgs {
    /// DDM instance ID.
    #[arg(long, value_name = "ID")]
    pub instance: String,

    /// Backup ID.
    #[arg(long, value_name = "ID")]
    pub backup: String,

    #[command(flatten)]
    pub profile: ProfileArg,

    /// Output format (default: text on a terminal, JSON otherwise).
    #[arg(long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    /// DDM instance ID.
    #[arg(long, value_name = "ID")]
    pub instance: String,

    /// Backup ID.
    #[arg(long, value_name = "ID")]
    pub backup: String,

    #[command(flatten)]
    pub profile: ProfileArg,

    /// Give up after this long, with one last check then: seconds, or with s, m or h
    /// (`90`, `45s`, `30m`, `2h`).
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_timeout)]
    pub timeout: std::time::Duration,
}

/// The longest `--timeout`: a week, far past any backup, and far from where
/// adding it to a clock could overflow.
pub const MAX_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// `--timeout`: whole seconds, plain or with an `s`, `m` or `h` suffix;
/// zero and anything over [`MAX_TIMEOUT`] are refused.
pub fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last() {
        Some((i, 's')) => (&text[..i], 1),
        Some((i, 'm')) => (&text[..i], 60),
        Some((i, 'h')) => (&text[..i], 3600),
        _ => (text, 1),
    };
    let bad = || format!("'{text}' is not a duration like 90, 45s, 30m or 2h");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let seconds = digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(bad)?;
    let timeout = std::time::Duration::from_secs(seconds);
    if timeout.is_zero() {
        return Err("the timeout must be more than 0".to_string());
    }
    if timeout > MAX_TIMEOUT {
        return Err("the timeout can be at most a week (168h)".to_string());
    }
    Ok(timeout)
}

/// How much of a list to read and how to print it.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// At most this many rows.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,

    /// Follow every page (overrides --limit).
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub profile: ProfileArg,

    /// Output format (default: text on a terminal, JSON otherwise).
    #[arg(long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

#[derive(Debug, Args)]
pub struct BackupsArgs {
    /// DDM instance ID.
    #[arg(long, value_name = "ID")]
    pub instance: String,

    #[command(flatten)]
    pub list: ListArgs,
}

/// What `show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Json,
    Text,
}

/// What `find` searches for, where, and how it prints.
#[derive(Debug, Args)]
pub struct FindArgs {
    /// At least 3 characters: the start of a backup or instance ID, or part
    /// of a backup or instance name (case-insensitive).
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// Search only this profile; repeat for more (default: every profile;
    /// with --demo, both demo profiles).
    #[arg(long, value_name = "NAME")]
    pub profile: Vec<String>,

    /// Output format (default: text on a terminal, JSON otherwise).
    #[arg(long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

/// How `check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckOutput {
    /// Problems first, then a summary.
    Text,
    /// One object: the state, every instance's rules, every profile.
    Json,
    /// The monitoring-plugins status line with performance data, then one
    /// line per problem (Nagios, Icinga, Sensu, Checkmk).
    Nagios,
    /// The Prometheus text exposition format (node_exporter's textfile
    /// collector: use with --write).
    Prometheus,
}

/// What `check` covers and how it prints.
#[derive(Debug, Args)]
pub struct HealthCheckArgs {
    /// Check only this profile; repeat for more (default: every profile;
    /// with --demo, both demo profiles).
    #[arg(long, value_name = "NAME")]
    pub profile: Vec<String>,

    /// Check only this instance; repeat for more (default: every instance
    /// not in the config's health.ignore). An instance found in no profile
    /// is UNKNOWN.
    #[arg(long, value_name = "ID")]
    pub instance: Vec<String>,

    /// Output format (default: text on a terminal, JSON otherwise).
    #[arg(long, value_name = "FORMAT")]
    pub output: Option<CheckOutput>,

    /// Write the output to FILE instead of stdout, replacing it atomically
    /// (a temporary file in the same folder, then a rename), so a reader
    /// never sees half of it.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
}

impl Cli {
    /// Joins `--profile` given before the subcommand with the one after it:
    /// `find` searches both (the one before first); any other command uses
    /// one profile, so two different names are refused (`Err` says so)
    /// rather than one dropped. The result is in `global.profile` (and in
    /// `find`'s list).
    pub fn settle_profile(&mut self) -> Result<(), String> {
        let after = match &mut self.command {
            Some(Command::Find(FindArgs { profile, .. }))
            | Some(Command::Check(HealthCheckArgs { profile, .. })) => {
                if let Some(before) = self.global.profile.take()
                    && !profile.contains(&before)
                {
                    profile.insert(0, before);
                }
                return Ok(());
            }
            Some(Command::Show(ShowArgs { profile, .. }))
            | Some(Command::Instances(ListArgs { profile, .. }))
            | Some(Command::Backups(BackupsArgs {
                list: ListArgs { profile, .. },
                ..
            }))
            | Some(Command::RestoreCheck(RestoreCheckArgs { profile, .. }))
            | Some(Command::Wait(WaitArgs { profile, .. }))
            | Some(Command::Config(ConfigCommand::Check(CheckArgs { profile }))) => {
                profile.name.take()
            }
            Some(Command::Config(ConfigCommand::Init(InitArgs { profile, .. }))) => {
                profile.name.take()
            }
            _ => None,
        };
        match (&self.global.profile, after) {
            (Some(before), Some(after)) if *before != after => Err(format!(
                "--profile {before:?} before the subcommand and --profile {after:?} after it \
                 name two profiles, and this command uses one; give --profile once"
            )),
            (_, Some(after)) => {
                self.global.profile = Some(after);
                Ok(())
            }
            (_, None) => Ok(()),
        }
    }
}

#[derive(Debug, Args)]
pub struct DemoServerArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Serve N generated instances with M daily backups each (like 100x30),
    /// for measuring `check` and the Health view at scale.
    ///
    /// Both demo projects then list only these: N instances `fleet-00000-in09`
    /// ... and N x M backups, dated relative to now. Most are healthy; about
    /// one in 25 each has backups that stopped, a failed newest backup,
    /// missed days or a restore window 8 h behind, and one in 50 a failing
    /// restore-window call. Every instance has M backups (no instance
    /// without any). The built-in backups still answer lookups. Any number
    /// of profiles may point at one server: give them the printed token and
    /// a demo project ID and they share the fleet. N is 1..=99999, M 1..=1000.
    #[arg(long, value_name = "NxM")]
    pub fleet: Option<crate::demo::FleetSize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    /// Parses and settles `--profile`, as the binary does.
    fn settled(args: &[&str]) -> Result<Cli, String> {
        let mut cli = Cli::try_parse_from(args).map_err(|e| e.to_string())?;
        cli.settle_profile()?;
        Ok(cli)
    }

    #[test]
    fn global_options_go_before_or_after_the_subcommand() {
        let before = settled(&[
            "ddm-backups",
            "--profile",
            "p",
            "--demo",
            "show",
            "--instance",
            "i",
        ])
        .unwrap();
        let after = settled(&[
            "ddm-backups",
            "show",
            "--instance",
            "i",
            "--profile",
            "p",
            "--demo",
        ])
        .unwrap();
        for cli in [before, after] {
            assert_eq!(cli.global.profile.as_deref(), Some("p"));
            assert!(cli.global.demo);
            assert!(matches!(
                cli.command,
                Some(Command::Show(ShowArgs {
                    instance: Some(_),
                    ..
                }))
            ));
        }
        let cli = Cli::try_parse_from([
            "ddm-backups",
            "show",
            "--log-level",
            "debug",
            "--config",
            "/x.toml",
        ])
        .unwrap();
        assert_eq!(cli.global.log_level, Some(LogLevel::Debug));
        assert_eq!(
            cli.global.config.as_deref(),
            Some(std::path::Path::new("/x.toml"))
        );
    }

    #[test]
    fn find_takes_several_profiles() {
        let cli = Cli::try_parse_from([
            "ddm-backups",
            "find",
            "orders",
            "--profile",
            "a",
            "--profile",
            "b",
        ])
        .unwrap();
        match cli.command {
            Some(Command::Find(args)) => {
                assert_eq!(args.text, "orders");
                assert_eq!(args.profile, ["a", "b"]);
            }
            other => panic!("{other:?}"),
        }
        // Before the subcommand and after it: both are searched, the one
        // before first, each once.
        for (args, expected) in [
            (
                &[
                    "ddm-backups",
                    "--profile",
                    "p3",
                    "find",
                    "abc",
                    "--profile",
                    "p1",
                ][..],
                &["p3", "p1"][..],
            ),
            (&["ddm-backups", "--profile", "a", "find", "abc"], &["a"]),
            (
                &[
                    "ddm-backups",
                    "--profile",
                    "a",
                    "find",
                    "abc",
                    "--profile",
                    "a",
                ],
                &["a"],
            ),
        ] {
            let cli = settled(args).unwrap();
            match cli.command {
                Some(Command::Find(found)) => assert_eq!(found.profile, expected, "{args:?}"),
                other => panic!("{other:?}"),
            }
            assert_eq!(cli.global.profile, None, "{args:?}");
        }
    }

    #[test]
    fn two_different_profiles_for_a_one_profile_command_are_refused() {
        let commands: &[&[&str]] = &[
            &["show", "--instance", "i", "--backup", "b"],
            &["instances"],
            &["backups", "--instance", "i"],
            &["restore-check", "--instance", "i", "--backup", "b"],
            &["wait", "--instance", "i", "--backup", "b"],
            &["config", "check"],
            &["config", "init"],
        ];
        for command in commands {
            let with = |before: &str, after: &str| {
                let mut args = vec!["ddm-backups", "--profile", before];
                args.extend_from_slice(command);
                args.extend_from_slice(&["--profile", after]);
                settled(&args)
            };
            let refused = with("p3", "p1").unwrap_err();
            assert!(
                refused.contains("--profile \"p3\" before the subcommand and --profile \"p1\""),
                "{command:?}: {refused}"
            );
            // The same name twice is one profile.
            let cli = with("p1", "p1").unwrap();
            assert_eq!(cli.global.profile.as_deref(), Some("p1"), "{command:?}");
            // After the subcommand alone, it is the profile.
            let mut args = vec!["ddm-backups"];
            args.extend_from_slice(command);
            args.extend_from_slice(&["--profile", "p2"]);
            let cli = settled(&args).unwrap();
            assert_eq!(cli.global.profile.as_deref(), Some("p2"), "{command:?}");
        }
        // Twice on one side is clap's own usage error.
        assert!(settled(&["ddm-backups", "show", "--profile", "a", "--profile", "b"]).is_err());
    }

    #[test]
    fn timeouts_take_seconds_minutes_and_hours() {
        let secs = |t: &str| parse_timeout(t).map(|d| d.as_secs());
        assert_eq!(secs("90"), Ok(90));
        assert_eq!(secs("45s"), Ok(45));
        assert_eq!(secs("30m"), Ok(1800));
        assert_eq!(secs(" 2h "), Ok(7200));
        assert_eq!(secs("168h"), Ok(7 * 24 * 3600));
        for bad in [
            "0",
            "0s",
            "",
            "m",
            "-5",
            "1.5m",
            "5d",
            "30 m",
            "2h30m",
            "169h",
            "99999999999999999999",
        ] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
        let cli = Cli::try_parse_from(["ddm-backups", "wait", "--instance", "i", "--backup", "b"])
            .unwrap();
        match cli.command {
            Some(Command::Wait(args)) => assert_eq!(args.timeout.as_secs(), 1800),
            other => panic!("{other:?}"),
        }
        let err = Cli::try_parse_from([
            "ddm-backups",
            "wait",
            "--instance",
            "i",
            "--backup",
            "b",
            "--timeout",
            "0",
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        let err = Cli::try_parse_from(["ddm-backups", "show", "--output", "yaml"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err = Cli::try_parse_from(["ddm-backups", "--log-level", "loud"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }
}

//! `--demo` with `--profile` and `$DDM_BACKUPS_PROFILE`: the demo's profiles
//! are chosen by the same rule as a config file's, and a name that is not
//! one of them is a usage error (exit 2) naming the known ones, headless
//! and in the TUI alike, before anything is fetched or drawn.

use std::process::Output;

use crate::server::Home;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The log file of one run (the binary logs the profile it chose there).
fn log(home: &Home) -> String {
    let path = home.path().join("state/ddm-backups/ddm-backups.log");
    std::fs::read_to_string(path).unwrap_or_default()
}

fn run(home: &Home, args: &[&str], env_profile: Option<&str>) -> Output {
    let mut cmd = home.cmd();
    cmd.args(args);
    if let Some(name) = env_profile {
        cmd.env("DDM_BACKUPS_PROFILE", name);
    }
    cmd.output().expect("run the binary")
}

#[test]
fn show_uses_the_demo_profile_named_by_the_flag() {
    let home = Home::new();
    let out = run(
        &home,
        &[
            "show",
            "--demo",
            "--profile",
            "demo-eu",
            "--log-level",
            "info",
        ],
        None,
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("profile=demo-eu") && err.contains("region=eu-west-101"),
        "the eu profile was chosen: {err}"
    );
    assert!(text(&out.stdout).contains("\"related_data_nodes\""));
}

#[test]
fn without_a_name_the_demo_opens_its_first_profile() {
    let home = Home::new();
    let out = run(&home, &["show", "--demo", "--log-level", "info"], None);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("profile=demo region=cn-north-4"), "{err}");
}

#[test]
fn the_environment_variable_picks_the_demo_profile_for_the_lists() {
    let home = Home::new();
    let out = run(&home, &["instances", "--demo"], Some("demo-eu"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let logged = log(&home);
    assert!(logged.contains("profile=demo-eu"), "{logged}");

    let home = Home::new();
    let args = ["backups", "--demo", "--instance", "demo-in09"];
    let out = run(&home, &args, Some("demo-eu"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(log(&home).contains("profile=demo-eu"), "{}", log(&home));
}

#[test]
fn the_flag_wins_over_the_environment_variable() {
    let home = Home::new();
    let args = ["show", "--demo", "--profile", "demo", "--log-level", "info"];
    let out = run(&home, &args, Some("demo-eu"));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("profile=demo region="), "{err}");
}

/// Exit 2, one error naming the wrong name, where it came from and both
/// demo profiles; nothing on stdout.
fn assert_unknown(out: &Output, origin: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("\"nope\"") && err.contains(origin), "{err}");
    assert!(err.contains("demo, demo-eu"), "lists the known ones: {err}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

#[test]
fn an_unknown_demo_profile_is_a_usage_error_headless() {
    let commands: [&[&str]; 3] = [
        &["show", "--demo"],
        &["instances", "--demo"],
        &["backups", "--demo", "--instance", "demo-in09"],
    ];
    for args in commands {
        let home = Home::new();
        let mut with_flag = args.to_vec();
        with_flag.extend(["--profile", "nope"]);
        assert_unknown(&run(&home, &with_flag, None), "--profile");
        assert_unknown(&run(&home, args, Some("nope")), "$DDM_BACKUPS_PROFILE");
    }
}

#[test]
fn the_tui_refuses_an_unknown_demo_profile_before_taking_the_terminal() {
    // No terminal here: had the profile not been checked first, the answer
    // would be "needs a terminal"; and nothing may reach stdout (no
    // alternate screen, no raw mode left behind).
    let home = Home::new();
    assert_unknown(
        &run(&home, &["--demo", "--profile", "nope"], None),
        "--profile",
    );
    assert_unknown(
        &run(&home, &["--demo"], Some("nope")),
        "$DDM_BACKUPS_PROFILE",
    );
    // A known one still gets as far as asking for a terminal.
    let out = run(&home, &["--demo", "--profile", "demo-eu"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("needs a terminal"));
}

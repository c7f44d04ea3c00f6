//! The binary as scripts use it: exit codes, stdout/stderr, config files,
//! profiles, closed pipes and proxies.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_ddm-backups");

/// The binary with a clean environment: no user config, logs in a temp dir.
fn cmd(state: &tempfile::TempDir) -> Command {
    let mut c = Command::new(BIN);
    // The caller's cloud credentials and proxies must not change the results.
    for (name, _) in std::env::vars() {
        let proxy = name.to_ascii_lowercase().ends_with("_proxy");
        if name.starts_with("HUAWEICLOUD_SDK_") || proxy {
            c.env_remove(name);
        }
    }
    c.env_remove("DDM_BACKUPS_CONFIG")
        .env_remove("DDM_BACKUPS_PROFILE")
        .env_remove("RUST_LOG")
        .env("HOME", state.path())
        .env("XDG_CONFIG_HOME", state.path().join("config"))
        .env("XDG_STATE_HOME", state.path().join("state"))
        .env("XDG_CACHE_HOME", state.path().join("cache"))
        .stdin(Stdio::null());
    c
}

fn run(args: &[&str]) -> Output {
    let state = tempfile::tempdir().unwrap();
    cmd(&state).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn version_prints_and_exits_zero() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    // The package version, with the revision and commit date in a git
    // checkout (build.rs): the same line the help popup and the log show.
    let said = text(&out.stdout);
    assert_eq!(said.trim(), ddm_backups::version::line());
    assert!(
        said.starts_with(&format!("ddm-backups {}", env!("CARGO_PKG_VERSION"))),
        "{said}"
    );
}

#[test]
fn show_demo_prints_the_example_as_json_when_piped() {
    let out = run(&["show", "--demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["id"], "09902ee7866649b8908ec209bfee2747br09");
    assert_eq!(
        json["related_data_nodes"][0]["instance_name"],
        "mysql_rds_related_ddm_for_diagnose3_01"
    );
    assert_eq!(json.as_object().unwrap().len(), 5);
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn show_text_output_is_aligned() {
    let out = run(&[
        "--demo",
        "show",
        "--output",
        "text",
        "--instance",
        "demo-in09",
        "--backup",
        "nodes-br09",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Backup ID      nodes-br09\n"),
        "{stdout}"
    );
    assert!(stdout.contains("Related data nodes (6)"), "{stdout}");
}

#[test]
fn api_errors_exit_one_with_one_line_on_stderr() {
    for (backup, expect) in [
        ("e400-br09", "400 Bad Request"),
        ("e401-br09", "authentication failed"),
        ("e403-br09", "permission denied"),
        ("e404-br09", "404 Not Found"),
        ("e500-br09", "DBS.300005"),
        (
            "e502-br09",
            "502 Bad Gateway: an HTML page from a proxy (after 3 tries)",
        ),
        (
            "trunc-br09",
            "200 OK, but the body was cut off after 160 bytes",
        ),
        (
            "notjson-br09",
            "200 OK, but the body is not JSON (text/plain): upstream says hi",
        ),
        ("huge-br09", "200 OK, but the body is over the 16 MiB limit"),
        (
            "redirect-br09",
            "redirects to https://login.example.invalid",
        ),
        ("shape-br09", "name: expected a string, got a number"),
    ] {
        let out = run(&[
            "show",
            "--demo",
            "--instance",
            "demo-in09",
            "--backup",
            backup,
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{backup}: {stderr}");
        assert!(out.stdout.is_empty(), "{backup}");
        assert_eq!(stderr.lines().count(), 1, "{backup}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(expect),
            "{backup}: {stderr}"
        );
        assert!(stderr.contains("request id "), "{backup}: {stderr}");
        assert!(!stderr.contains("demo-token"), "{backup}: {stderr}");
        // No markup from an HTML body reaches the one line.
        assert!(!stderr.contains('<'), "{backup}: {stderr}");
    }
}

#[test]
fn invalid_ids_and_missing_flags_exit_two_before_any_request() {
    let out = run(&[
        "show",
        "--demo",
        "--instance",
        "demo-in09",
        "--backup",
        "..etc",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("the backup ID contains '.', which is not allowed"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["show", "--instance", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--backup"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["show", "--output", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_missing_config_says_where_it_looked() {
    let out = run(&["show", "--instance", "i", "--backup", "b"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("config/ddm-backups/config.toml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`ddm-backups config init`") && stderr.contains("--demo"),
        "{stderr}"
    );
}

#[test]
fn the_interactive_ui_needs_a_terminal() {
    let out = run(&["--demo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("ddm-backups show"),
        "{}",
        text(&out.stderr)
    );
}

/// Starts `demo-server` and returns it with its base URL.
fn demo_server(state: &tempfile::TempDir) -> (Child, String) {
    demo_server_with(state, &[])
}

/// Starts `demo-server` with `args` and returns it with its base URL.
fn demo_server_with(state: &tempfile::TempDir, args: &[&str]) -> (Child, String) {
    let mut child = cmd(state)
        .arg("demo-server")
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    (child, url)
}

fn write_config(dir: &tempfile::TempDir, text: &str, mode: u32) -> std::path::PathBuf {
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[test]
fn a_config_file_drives_show_and_profiles_are_chosen() {
    let state = tempfile::tempdir().unwrap();
    let (mut server, url) = demo_server(&state);
    let config = write_config(
        &state,
        &format!(
            "default_profile = \"far\"\n\
             [profiles.far]\nregion = \"cn-north-4\"\nproject_id = \"0123456789abcdef0123456789abcdef\"\n\
             endpoint = \"http://127.0.0.1:9\"\nauth = {{ type = \"token\", token_env = \"DEMO_TOKEN\" }}\n\
             [profiles.local]\nregion = \"cn-north-4\"\nproject_id = \"0123456789abcdef0123456789abcdef\"\n\
             endpoint = \"{url}\"\nauth = {{ type = \"token\", token_env = \"DEMO_TOKEN\" }}\n"
        ),
        0o644,
    );
    let config = config.to_str().unwrap();
    let show = [
        "show",
        "--config",
        config,
        "--instance",
        "demo-in09",
        "--backup",
        "nodes-br09",
    ];

    // $DDM_BACKUPS_PROFILE beats default_profile.
    let out = cmd(&state)
        .args(show)
        .env("DEMO_TOKEN", "demo-token-not-a-secret")
        .env("DDM_BACKUPS_PROFILE", "local")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // --profile beats both; the default profile's endpoint is dead.
    let out = cmd(&state)
        .args(show)
        .args(["--profile", "far"])
        .env("DEMO_TOKEN", "x")
        .env("DDM_BACKUPS_PROFILE", "local")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("could not connect"),
        "{}",
        text(&out.stderr)
    );
    // A missing token variable is a configuration error.
    let out = cmd(&state)
        .args(show)
        .args(["--profile", "local"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // It names the key, never its value (which may be a pasted secret).
    assert!(
        text(&out.stderr).contains("named by token_env is not set")
            && !text(&out.stderr).contains("DEMO_TOKEN"),
        "{}",
        text(&out.stderr)
    );
    // An unknown profile lists the real ones.
    let out = cmd(&state)
        .args(show)
        .args(["--profile", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("profiles: far, local"),
        "{}",
        text(&out.stderr)
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Issue 20, the demo endpoint: `demo-server --fleet NxM` lists a
/// generated fleet instead of the built-in lists, the same one to every
/// profile pointed at it, and refuses a size out of bounds.
#[test]
fn demo_server_fleet_serves_one_generated_fleet_to_every_profile() {
    /// Stops the server however the test ends, so a failed assertion
    /// leaves no process behind.
    struct Stopped(Child);
    impl Drop for Stopped {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let state = tempfile::tempdir().unwrap();
    let (server, url) = demo_server_with(&state, &["--fleet", "3x2"]);
    let server = Stopped(server);
    let profile = |name: &str, region: &str, project: &str| {
        format!(
            "[profiles.{name}]\nregion = \"{region}\"\nproject_id = \"{project}\"\n\
             endpoint = \"{url}\"\nauth = {{ type = \"token\", token_env = \"DEMO_TOKEN\" }}\n"
        )
    };
    let config = write_config(
        &state,
        &format!(
            "{}{}",
            profile("a", "cn-north-4", "0123456789abcdef0123456789abcdef"),
            profile("b", "eu-west-101", "fedcba9876543210fedcba9876543210")
        ),
        0o600,
    );
    let config = config.to_str().unwrap();
    let json = |args: &[&str]| {
        let out = cmd(&state)
            .args(args)
            .args(["--config", config])
            .env("DEMO_TOKEN", "demo-token-not-a-secret")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let ids: Vec<String> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        ids
    };
    for name in ["a", "b"] {
        let instances = json(&["instances", "--profile", name]);
        assert_eq!(
            instances,
            ["fleet-00000-in09", "fleet-00001-in09", "fleet-00002-in09"],
            "{name}: the generated instances only"
        );
        let backups = json(&[
            "backups",
            "--profile",
            name,
            "--instance",
            "fleet-00001-in09",
            "--all",
        ]);
        assert_eq!(backups.len(), 2, "{name}: {backups:?}");
        assert!(
            backups.iter().all(|id| id.starts_with("fleet-00001-")),
            "{backups:?}"
        );
    }
    drop(server);

    let out = run(&["demo-server", "--fleet", "0x30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("instances must be 1..=99999, not 0"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_broken_config_names_file_line_and_key() {
    let state = tempfile::tempdir().unwrap();
    let config = write_config(
        &state,
        "[profiles.a]\nregion = \"cn-north-4\"\nprojectid = \"p\"\n",
        0o600,
    );
    let out = cmd(&state)
        .args(["show", "--instance", "i", "--backup", "b"])
        .env("DDM_BACKUPS_CONFIG", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:1:", config.display())) && stderr.contains("projectid"),
        "{stderr}"
    );
}

#[test]
fn a_readable_config_with_a_token_is_refused() {
    let state = tempfile::tempdir().unwrap();
    let config = write_config(
        &state,
        "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nauth = { type = \"token\", token = \"TOPSECRET\" }\n",
        0o644,
    );
    let out = cmd(&state)
        .args(["show", "--instance", "i", "--backup", "b", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("chmod 600"), "{stderr}");
    assert!(!stderr.contains("TOPSECRET"), "{stderr}");
}

#[test]
fn a_proxy_variable_never_catches_loopback() {
    let state = tempfile::tempdir().unwrap();
    let out = cmd(&state)
        .args(["show", "--demo"])
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_proxy_variable_is_used_for_remote_endpoints() {
    let state = tempfile::tempdir().unwrap();
    let config = write_config(
        &state,
        "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\ntimeout_secs = 5\nauth = { type = \"token\", token_env = \"T\" }\n",
        0o600,
    );
    let out = cmd(&state)
        .args(["show", "--instance", "i", "--backup", "b", "--config"])
        .arg(&config)
        .env("T", "token")
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The dead proxy refuses the connection; without it this would be DNS.
    assert!(
        text(&out.stderr).contains("could not connect"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn log_level_adds_stderr_logs_without_secrets() {
    let out = run(&["show", "--demo", "--log-level", "debug"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ShowBackup"), "{stderr}");
    assert!(!stderr.contains("demo-token-not-a-secret"), "{stderr}");
}

/// `--log-level debug` lets debug lines through (the subscriber's own
/// ceiling once held everything at info, whatever was asked), and info,
/// the default, does not.
#[test]
fn log_level_debug_shows_debug_lines_and_info_does_not() {
    let retried = [
        "show",
        "--demo",
        "--instance",
        "demo-in09",
        "--backup",
        "e429-br09",
    ];
    let debug = run(&[&retried[..], &["--log-level", "debug"]].concat());
    let stderr = text(&debug.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains(" DEBUG ") && l.contains("retrying")),
        "{stderr}"
    );
    let info = run(&[&retried[..], &["--log-level", "info"]].concat());
    let stderr = text(&info.stderr);
    assert!(stderr.contains(" INFO "), "{stderr}");
    assert!(!stderr.contains(" DEBUG "), "{stderr}");
}

#[test]
fn a_bad_theme_colour_is_a_config_error_for_config_check_and_under_demo() {
    let state = tempfile::tempdir().unwrap();
    let profile = "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\n\
                   auth = { type = \"token\", token_env = \"T\" }\n";
    let config = write_config(
        &state,
        &format!("{profile}[theme]\naccent = \"blue\"\nerror = \"chartreuse\"\n"),
        0o600,
    );
    for args in [
        &["config", "check", "--config"][..],
        &["show", "--demo", "--config"][..],
    ] {
        let out = cmd(&state).args(args).arg(&config).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("{}:7:9:", config.display()))
                && stderr.contains("theme.error: \"chartreuse\" is not a colour"),
            "{args:?}: {stderr}"
        );
    }
    // Fixed, the same file lends its colours to the demo without trouble.
    let config = write_config(
        &state,
        &format!("{profile}[theme]\naccent = \"blue\"\nerror = \"#d7005f\"\n"),
        0o600,
    );
    let out = cmd(&state)
        .args(["show", "--demo", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn config_check_shows_each_profiles_health_thresholds_and_the_refresh() {
    let state = tempfile::tempdir().unwrap();
    let id = "34970585d4964f2a8d6d9ea8d303398bin09";
    let config = write_config(
        &state,
        &format!(
            "[health]\nwarn_age = \"20h\"\nrefresh = \"15m\"\n\n\
             [profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"0605767cd1a94c16a0d1f3a5b4f8c2e1\"\n\
             auth = {{ type = \"token\", token_env = \"T\" }}\n\
             [profiles.a.health]\ncrit_age = \"3d\"\nignore = [\"{id}\"]\n\n\
             [profiles.b]\nregion = \"cn-north-4\"\nproject_id = \"0605767cd1a94c16a0d1f3a5b4f8c2e1\"\n\
             auth = {{ type = \"token\", token_env = \"T\" }}\n"
        ),
        0o600,
    );
    let out = cmd(&state)
        .args(["config", "check", "--config"])
        .arg(&config)
        .env("T", "a-token")
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("\nhealth refresh: every 15m\n"), "{stdout}");
    let a = stdout.split("profile a\n").nth(1).unwrap_or_default();
    let b = stdout.split("profile b\n").nth(1).unwrap_or_default();
    assert!(
        a.contains(
            "  health          warn_age 20h, crit_age 3d, window_days 7, warn_restore_lag 1h, crit_restore_lag 6h, retention_days 30\n"
        ) && a.contains(&format!("  health ignores  {id}\n")),
        "{stdout}"
    );
    assert!(
        b.contains("  health          warn_age 20h, crit_age 50h,") && !b.contains("ignores"),
        "{stdout}"
    );
}

#[test]
fn keys_prints_the_reference_with_the_configs_keys() {
    let out = run(&["keys"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let defaults = text(&out.stdout);
    assert!(
        defaults.starts_with("| where | keys | action | what it does |"),
        "{defaults}"
    );
    assert!(defaults.contains("| `y` | `copy_id` |"), "{defaults}");

    let state = tempfile::tempdir().unwrap();
    let config = write_config(
        &state,
        "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"0605767cd1a94c16a0d1f3a5b4f8c2e1\"\n\n[keys]\ncopy_id = \"c\"\n",
        0o600,
    );
    let out = cmd(&state)
        .args(["keys", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("| `c` | `copy_id` |"));

    // `config check` refuses a bad key with the file, line and key.
    let bad = write_config(
        &state,
        "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"0605767cd1a94c16a0d1f3a5b4f8c2e1\"\n\n[keys]\ncopy = \"c\"\n",
        0o600,
    );
    for args in [
        &["keys", "--config"][..],
        &["config", "check", "--config"][..],
    ] {
        let out = cmd(&state).args(args).arg(&bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "{}:6:1: keys.copy: is not an action",
                bad.display()
            )),
            "{stderr}"
        );
    }
}

/// The subcommands a completion script or the man page must know.
const SUBCOMMANDS: &[&str] = &[
    "show",
    "instances",
    "backups",
    "restore-check",
    "wait",
    "demo-server",
    "config",
    "keys",
    "completions",
    "man",
];

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        assert!(out.stderr.is_empty(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains("ddm-backups"), "{shell}");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} lacks {sub}");
        }
        // Flags of subcommands complete too.
        assert!(script.contains("--instance"), "{shell}");
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
    assert!(text(&out.stderr).contains("bash"), "{}", text(&out.stderr));
}

#[test]
fn the_man_page_is_roff_with_every_subcommand() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.contains(".TH ddm-backups 1"), "{page}");
    for sub in SUBCOMMANDS.iter().filter(|s| **s != "config") {
        let heading = format!(".SH \"ddm\\-backups {}\"", sub.replace('-', "\\-"));
        assert!(page.contains(&heading), "no {heading}");
    }
    assert!(page.contains(".SH \"ddm\\-backups config check\""));
    assert!(page.contains(".SH \"ddm\\-backups config init\""));
    // One page: no pointers to per-command pages that nothing installs.
    assert!(!page.contains("ddm\\-backups\\-show(1)"), "{page}");
    // Global options once, at the top.
    assert_eq!(page.matches("\\fB\\-\\-log\\-level\\fR \\fI").count(), 1);
}

//! What a config file can put on a terminal: a profile name holding an
//! escape sequence (which would retitle the terminal) is shown escaped by
//! `config check` and the password prompt; a `[keys]` entry that is not a
//! visible character (a bidi override, a zero-width space, a lone
//! combining accent) is a config error at its place, for `keys` and every
//! other command.

use super::server::{Home, streams};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// Written as TOML escapes, so the file itself is plain ASCII.
const EVIL: &str = r#"evil\u001b]0;PWNED\u0007\u202e"#;

/// What reaches the terminal must not carry these.
fn assert_inert(text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{202e}', '\u{200b}', '\u{301}'] {
        assert!(!text.contains(c), "{c:?} reached the terminal: {text:?}");
    }
}

#[test]
fn config_check_shows_a_hostile_profile_name_escaped() {
    let home = Home::new();
    let config = home.config(&format!(
        "[profiles.\"{EVIL}\"]\nregion = \"cn-north-4\"\nproject_id = \"{PROJECT}\"\n\
         endpoint = \"http://127.0.0.1:9\"\n[profiles.\"{EVIL}\".auth]\ntype = \"token\"\ntoken = \"tok\"\n"
    ));
    let out = home
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .output()
        .expect("run");
    let (stdout, stderr) = streams(&out);
    assert_inert(&stdout);
    assert_inert(&stderr);
    assert!(
        stdout.contains("profile evil\\u{1b}]0;PWNED\\u{7}\\u{202e}\n"),
        "{stdout}"
    );
}

#[test]
fn a_key_that_is_not_a_visible_character_is_a_config_error_at_its_place() {
    for (entry, shown) in [
        (r#"quit = "\u202e""#, r#""\u{202e}""#),
        (r#"quit = "\u200b""#, r#""\u{200b}""#),
        (r#"copy_id = ["y", "\u0301"]"#, r#""\u{301}""#),
        (r#"quit = "ctrl-\u200b""#, r#""ctrl-\u{200b}""#),
    ] {
        let home = Home::new();
        let config = home.config(&format!("[keys]\n{entry}\n"));
        for command in [&["keys"][..], &["config", "check"]] {
            let out = home
                .cmd()
                .arg("--config")
                .arg(&config)
                .args(command)
                .output()
                .expect("run");
            let (stdout, stderr) = streams(&out);
            assert_eq!(out.status.code(), Some(2), "{entry} {command:?}: {stderr}");
            assert!(stdout.is_empty(), "{entry}: {stdout}");
            assert_inert(&stderr);
            let action = entry.split(' ').next().unwrap();
            let at = format!("{}:2:", config.display());
            assert!(
                stderr.starts_with(&format!("error: {at}")),
                "{entry}: {stderr}"
            );
            assert!(
                stderr.contains(&format!(
                    "keys.{action}: {shown} is not a visible character"
                )),
                "{entry}: {stderr}"
            );
        }
    }
}

#[test]
fn config_init_names_the_profile_after_profile() {
    for (before, after, name, key) in [
        (None, Some("mine"), "mine", "[profiles.mine]"),
        (Some("mine"), None, "mine", "[profiles.mine]"),
        (
            None,
            Some("prod \"eu\""),
            "prod \"eu\"",
            r#"[profiles."prod \"eu\""]"#,
        ),
    ] {
        let home = Home::new();
        let path = home.path().join("new/config.toml");
        let mut cmd = home.cmd();
        if let Some(name) = before {
            cmd.args(["--profile", name]);
        }
        cmd.args(["config", "init", "--project-id", PROJECT, "--config"])
            .arg(&path);
        if let Some(name) = after {
            cmd.args(["--profile", name]);
        }
        let out = cmd.output().expect("run");
        let (_, stderr) = streams(&out);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        let written = std::fs::read_to_string(&path).expect("written");
        assert!(written.contains(&format!("{key}\n")), "{written}");
        assert!(!written.contains("[profiles.cn-north-4]"), "{written}");
        // The file names it as its default, and the app reads it back so.
        let out = home
            .cmd()
            .args(["config", "check", "--config"])
            .arg(&path)
            .env("HW_AUTH_TOKEN", "tok")
            .output()
            .expect("run");
        let (stdout, stderr) = streams(&out);
        assert!(
            stdout.contains(&format!("\nprofile {name}\n")),
            "{stdout}{stderr}"
        );
    }
    // Without it, the profile is named after the region, as before.
    let home = Home::new();
    let path = home.path().join("config.toml");
    let out = home
        .cmd()
        .args(["config", "init", "--region", "eu-west-101", "--config"])
        .arg(&path)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", streams(&out).1);
    let written = std::fs::read_to_string(&path).expect("written");
    assert!(written.contains("[profiles.eu-west-101]\n"), "{written}");
}

#[test]
fn config_init_refuses_a_profile_name_with_control_characters() {
    for name in ["", "  ", "evil\u{1b}]0;x\u{7}"] {
        let home = Home::new();
        let path = home.path().join("config.toml");
        let out = home
            .cmd()
            .args(["config", "init", "--config"])
            .arg(&path)
            .args(["--profile", name])
            .output()
            .expect("run");
        let (stdout, stderr) = streams(&out);
        assert_eq!(out.status.code(), Some(2), "{name:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert_inert(&stderr);
        assert!(stderr.contains("is not a profile name"), "{stderr}");
        assert!(!path.exists(), "{name:?}");
    }
}

#[test]
fn a_value_of_the_wrong_type_is_named_in_words_by_every_command() {
    let home = Home::new();
    let config = home.config(&format!(
        "[profiles.prod]\nregion = \"cn-north-4\"\nproject_id = \"{PROJECT}\"\ntimeout_secs = \"20\"\n"
    ));
    for command in [
        &["config", "check"][..],
        &["show", "--instance", "a-in09", "--backup", "b-br09"],
        &["keys"],
    ] {
        let out = home
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(command)
            .output()
            .expect("run");
        let (_, stderr) = streams(&out);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{}:4:16: profiles.prod.timeout_secs must be a whole number of seconds, like 20\n",
                config.display()
            )),
            "{command:?}: {stderr}"
        );
        assert!(
            !stderr.contains("invalid type") && !stderr.contains("i64"),
            "{stderr}"
        );
    }
}

#[test]
fn with_no_config_every_command_suggests_config_init_first() {
    let home = Home::new();
    let named = home.path().join("my configs/ddm.toml");
    let commands: [&[&str]; 4] = [
        &["show", "--instance", "a-in09", "--backup", "b-br09"],
        &[],
        &["config", "check"],
        &["instances"],
    ];
    for command in commands {
        let out = home.cmd().args(command).output().expect("run");
        let (stdout, stderr) = streams(&out);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.contains(
                "create one first with `ddm-backups config init`, or try `ddm-backups --demo`"
            ),
            "{command:?}: {stderr}"
        );
        // A path given with --config is the one init is told to write.
        let out = home
            .cmd()
            .arg("--config")
            .arg(&named)
            .args(command)
            .output()
            .expect("run");
        let (_, stderr) = streams(&out);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "create one first with `ddm-backups config init --config '{}'`",
                named.display()
            )),
            "{command:?}: {stderr}"
        );
    }
    // The suggestion works as given.
    let out = home
        .cmd()
        .args(["config", "init", "--config"])
        .arg(&named)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", streams(&out).1);
    assert!(named.exists());
}

#[test]
fn every_config_check_failure_line_starts_with_error() {
    let home = Home::new();
    let head = format!("[profiles.prod]\nregion = \"cn-north-4\"\nproject_id = \"{PROJECT}\"\n");
    let unfilled = "[profiles.prod]\nregion = \"cn-north-4\"\nproject_id = \"your-project-id\"\n\
                    [profiles.prod.auth]\ntype = \"password\"\ndomain = \"your-account-name\"\nuser = \"your-iam-user\"\n";
    let cases: [(String, &[&str], i32, usize); 6] = [
        (format!("{head}timeout_secs = \"20\"\n"), &[], 2, 1),
        (format!("{head}colour = 1\n"), &[], 2, 1),
        (unfilled.to_string(), &[], 2, 3),
        (head.clone(), &["--profile", "nope"], 2, 1),
        (format!("[keys]\nquit = \"\\u200b\"\n{head}"), &[], 2, 1),
        // A profile whose token is nowhere: the report goes to stdout, the
        // failure to stderr.
        (
            format!(
                "{head}[profiles.prod.auth]\ntype = \"token\"\ntoken_env = \"NO_SUCH_TOKEN_VAR\"\n"
            ),
            &[],
            1,
            1,
        ),
    ];
    for (text, extra, code, lines) in cases {
        let config = home.config(&text);
        let out = home
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(["config", "check"])
            .args(extra)
            .output()
            .expect("run");
        let (_, stderr) = streams(&out);
        assert_eq!(out.status.code(), Some(code), "{text}: {stderr}");
        let said: Vec<&str> = stderr.lines().collect();
        assert_eq!(said.len(), lines, "{text}: {stderr}");
        for line in said {
            assert!(line.starts_with("error: "), "{text}: {line}");
        }
    }
    // No file at all.
    let out = home
        .cmd()
        .arg("--config")
        .arg(home.path().join("none.toml"))
        .args(["config", "check"])
        .output()
        .expect("run");
    let (_, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: no config file at "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

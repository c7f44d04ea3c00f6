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
                stderr.starts_with(&format!("error: {at}")) || stderr.starts_with(&at),
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

use std::io::Write;
use std::os::unix::fs::PermissionsExt;

use super::*;

const GOOD: &str = r#"
default_profile = "cn-north-4"

[profiles.cn-north-4]
region = "cn-north-4"
project_id = "0605767cd1a94c16a0d1f3a5b4f8c2e1"

[profiles.cn-north-4.auth]
type = "token"
token_env = "HW_AUTH_TOKEN"

[profiles.europe]
region = "eu-west-101"
project_id = "1605767cd1a94c16a0d1f3a5b4f8c2e1"
timeout_secs = 7
list_timeout_secs = 300
ca_file = "ca.pem"
auth = { type = "token", token_env = "EU_TOKEN" }

[profiles.local]
region = "xx-test-1"
project_id = "p1"
endpoint = "http://127.0.0.1:8080"
auth = { type = "token", token_env = "T" }

[ui]
mouse = true
"#;

fn write(text: &str, mode: u32) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    f
}

/// A folder holding `text` as config.toml and a real CA bundle as ca.pem,
/// which the good file's `ca_file` names.
fn beside_a_ca(text: &str, mode: u32) -> (tempfile::TempDir, Location) {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["ca.test".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    std::fs::write(dir.path().join("ca.pem"), cert.pem()).unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    (
        dir,
        Location {
            path,
            origin: "test",
        },
    )
}

fn load_text(text: &str) -> Result<Config, ConfigError> {
    let (_dir, location) = in_private_dir(text, 0o600);
    load(&location)
}

fn error_of(text: &str) -> String {
    load_text(text).unwrap_err().to_string()
}

#[test]
fn a_good_file_loads_every_profile() {
    let (_dir, location) = beside_a_ca(GOOD, 0o600);
    let config = load(&location).unwrap();
    assert_eq!(config.default_profile.as_deref(), Some("cn-north-4"));
    assert!(config.ui.mouse);
    let cn = &config.profiles["cn-north-4"];
    assert_eq!(
        cn.endpoint.as_str(),
        "https://ddm.cn-north-4.myhuaweicloud.com/"
    );
    assert_eq!(cn.timeout, DEFAULT_TIMEOUT);
    assert_eq!(cn.list_timeout, DEFAULT_LIST_TIMEOUT);
    assert!(cn.endpoint_warning.is_none());
    assert!(matches!(&cn.auth, AuthConfig::Token(SecretSource::Env(v)) if v == "HW_AUTH_TOKEN"));
    let eu = &config.profiles["europe"];
    assert_eq!(eu.endpoint_host(), "ddm.eu-west-101.myhuaweicloud.eu");
    assert_eq!(eu.timeout.as_secs(), 7);
    assert_eq!(eu.list_timeout.as_secs(), 300);
    assert_eq!(
        eu.ca_file.as_deref(),
        Some(config.path.parent().unwrap().join("ca.pem").as_path())
    );
    let local = &config.profiles["local"];
    assert_eq!(local.endpoint_host(), "127.0.0.1:8080");
    assert!(
        local.endpoint_warning.is_none(),
        "an explicit endpoint needs no region warning"
    );
    assert_eq!(config.select(None, None).unwrap().name, "cn-north-4");
}

#[test]
fn the_example_file_in_the_repository_is_valid() {
    let text = include_str!("../../config.example.toml");
    let config = load_text(text).unwrap();
    assert!(config.profiles.len() >= 2);
}

#[test]
fn unknown_keys_name_the_line_column_and_key() {
    let err =
        error_of("[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nregoin = \"x\"\n");
    assert!(err.contains(":4:1: "), "{err}");
    assert!(err.contains("regoin"), "{err}");

    let err = error_of(
        "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\n[profiles.a.auth]\ntype = \"token\"\ntokn_env = \"X\"\n",
    );
    assert!(err.contains(":6:1: "), "{err}");
    assert!(err.contains("tokn_env"), "{err}");

    let err = error_of("colour = true\n");
    assert!(err.contains(":1:1: ") && err.contains("colour"), "{err}");
}

#[test]
fn bad_values_point_at_their_key() {
    let base = "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\n";
    let auth = "auth = { type = \"token\", token_env = \"T\" }\n";
    let cases = [
        (format!("{base}timeout_secs = 0\n{auth}"), ":4:16: ", "timeout_secs must be between 1 and 600"),
        (format!("{base}endpoint = \"http://ddm.example.com\"\n{auth}"), ":4:12: ", "use https://"),
        (format!("{base}endpoint = \"not a url\"\n{auth}"), ":4:12: ", "is not a URL"),
        (format!("{base}endpoint = \"https://u:pw@h.example.com\"\n{auth}"), ":4:12: ", "user name or password"),
        (format!("{base}auth = {{ type = \"aksk\" }}\n"), ":4:8: ", "needs ak_env"),
        (format!("{base}auth = {{ type = \"token\", domain = \"x\", token_env = \"T\" }}\n"), ":4:35: ", "auth key domain does not belong to type \"token\""),
        (format!("{base}auth = {{ type = \"password\", user = \"u\" }}\n"), ":4:8: ", "needs domain"),
        (format!("{base}auth = {{ type = \"token\", token_command = \" \" }}\n"), ":4:42: ", "token_command is empty"),
        (format!("{base}auth = {{ type = \"token\", token_env = \"A B\" }}\n"), ":4:38: ", "not an environment variable name"),
        (format!("{base}auth = {{ type = \"magic\" }}\n"), ":4:17: ", "is unknown"),
        (format!("{base}auth = {{ type = \"token\" }}\n"), ":4:8: ", "needs token_env"),
        (format!("{base}auth = {{ type = \"token\", token = \"a\", token_env = \"T\" }}\n"), ":4:51: ", "set only one of token, token_env and token_command"),
        ("[profiles.a]\nregion = \"CN North\"\nproject_id = \"p\"\n".to_string(), ":2:10: ", "not a region name"),
        ("[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"a/b\"\n".to_string(), ":3:14: ", "project_id: the project ID contains '/'"),
        ("[profiles.a]\nregion = \"cn-north-4\"\nauth = { type = \"token\", token_env = \"T\" }\n".to_string(), ":1:1: ", "project_id is missing"),
        (format!("{base}timeout_secs = \"ten\"\n{auth}"), ":4:16: ", "profiles.a.timeout_secs must be a whole number of seconds, like 20"),
        (format!("{base}list_timeout_secs = 0\n{auth}"), ":4:21: ", "list_timeout_secs must be between 1 and 3600, not 0"),
        (format!("{base}list_timeout_secs = 86400\n{auth}"), ":4:21: ", "list_timeout_secs must be between 1 and 3600, not 86400"),
        ("default_profile = \"b\"\n[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nauth = { type = \"token\", token_env = \"T\" }\n".to_string(), ":1:19: ", "names no profile"),
        ("[profiles.a\n".to_string(), ":1:", "unclosed table"),
    ];
    for (text, position, message) in cases {
        let err = error_of(&text);
        assert!(err.contains(position), "{position} in {err}\n{text}");
        assert!(err.contains(message), "{message} in {err}\n{text}");
        assert!(err.contains(".tmp"), "the file is named: {err}");
    }
}

#[test]
fn a_missing_file_says_where_it_looked_and_what_to_do() {
    let err = load(&Location {
        path: "/nonexistent/ddm/config.toml".into(),
        origin: "from --config",
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("/nonexistent/ddm/config.toml (from --config)"),
        "{err}"
    );
    assert!(
        err.contains("--demo")
            && err.contains("`ddm-backups config init --config /nonexistent/ddm/config.toml`"),
        "{err}"
    );
}

#[test]
fn an_inline_token_needs_a_private_file() {
    let text = "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nauth = { type = \"token\", token = \"SECRET-abc\" }\n";
    let f = write(text, 0o644);
    let err = load(&Location {
        path: f.path().to_path_buf(),
        origin: "test",
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("chmod 600"), "{err}");
    assert!(!err.contains("SECRET-abc"), "{err}");
    let f = write(text, 0o600);
    let config = load(&Location {
        path: f.path().to_path_buf(),
        origin: "test",
    })
    .unwrap();
    assert!(!format!("{config:?}").contains("SECRET-abc"));
}

#[test]
fn a_readable_file_without_secrets_is_fine() {
    let (_dir, location) = beside_a_ca(GOOD, 0o644);
    assert!(load(&location).is_ok());
}

#[test]
fn a_bad_ca_file_points_at_its_key() {
    let base = "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nauth = { type = \"token\", token_env = \"T\" }\n";
    let err = error_of(&format!("{base}ca_file = \"/nonexistent/ca.pem\"\n"));
    assert!(
        err.contains(":5:11: ") && err.contains("ca_file /nonexistent/ca.pem"),
        "{err}"
    );
    let text = format!("{base}ca_file = \"junk.pem\"\n");
    let (_d, location) = beside_a_ca(&text, 0o600);
    std::fs::write(
        location.path.parent().unwrap().join("junk.pem"),
        "not a certificate",
    )
    .unwrap();
    let err = load(&location).unwrap_err().to_string();
    assert!(
        err.contains("holds no PEM certificate") || err.contains("is not a PEM bundle"),
        "{err}"
    );
}

#[test]
fn unknown_regions_warn_but_work() {
    let config = load_text(
        "[profiles.a]\nregion = \"xx-mars-1\"\nproject_id = \"p\"\nauth = { type = \"token\", token_env = \"T\" }\n",
    )
    .unwrap();
    let warning = config.profiles["a"].endpoint_warning.clone().unwrap();
    assert!(
        warning.contains("xx-mars-1")
            && warning.contains("https://ddm.xx-mars-1.myhuaweicloud.com")
    );
}

#[test]
fn the_config_file_is_looked_for_in_order() {
    let flag = Path::new("/a.toml");
    let env = Path::new("/b.toml");
    assert_eq!(locate(Some(flag), Some(env)).unwrap().path, flag);
    assert_eq!(locate(None, Some(env)).unwrap().path, env);
    let default = locate(None, None).unwrap();
    assert!(
        default.path.ends_with("ddm-backups/config.toml"),
        "{:?}",
        default.path
    );
}

#[test]
fn loopback_hosts() {
    for h in ["127.0.0.1", "127.1.2.3", "[::1]", "localhost", "LOCALHOST"] {
        assert!(is_loopback_host(h), "{h}");
    }
    for h in ["10.0.0.1", "example.com", "localhost.example.com", "[::2]"] {
        assert!(!is_loopback_host(h), "{h}");
    }
}

#[test]
fn without_an_auth_table_the_sdk_fallback_may_supply_the_project() {
    let config = load_text("[profiles.a]\nregion = \"cn-north-4\"\n").unwrap();
    let a = &config.profiles["a"];
    assert!(matches!(a.auth, AuthConfig::Sdk));
    assert_eq!(a.project_id, None);
    assert_eq!(
        a.iam_endpoint.as_str(),
        "https://iam.cn-north-4.myhuaweicloud.com/"
    );
}

#[test]
fn every_auth_type_parses() {
    let config = load_text(
        "[profiles.t]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nauth = { type = \"token\", token_command = \"pass show t\" }\n\
         [profiles.p]\nregion = \"cn-north-4\"\nproject_id = \"p\"\niam_endpoint = \"https://iam.example.com\"\n\
         auth = { type = \"password\", domain = \"acct\", user = \"ops\" }\n\
         [profiles.k]\nregion = \"cn-north-4\"\nproject_id = \"p\"\n\
         auth = { type = \"aksk\", ak_env = \"A\", sk_env = \"S\", security_token_env = \"T\" }\n",
    )
    .unwrap();
    assert!(
        matches!(&config.profiles["t"].auth, AuthConfig::Token(SecretSource::Command(c)) if c == "pass show t")
    );
    assert!(matches!(
        &config.profiles["p"].auth,
        AuthConfig::Password { password: None, .. }
    ));
    assert_eq!(
        config.profiles["p"].iam_endpoint.host_str(),
        Some("iam.example.com")
    );
    assert!(matches!(
        &config.profiles["k"].auth,
        AuthConfig::AkSk {
            security_token: Some(_),
            ..
        }
    ));
}

/// `text` as config.toml with `mode`, in a fresh private folder.
fn in_private_dir(text: &str, mode: u32) -> (tempfile::TempDir, Location) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    (
        dir,
        Location {
            path,
            origin: "test",
        },
    )
}

const WITH_COMMAND: &str = "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nauth = { type = \"token\", token_command = \"echo t\" }\n";

#[test]
fn a_command_needs_a_file_others_cannot_write() {
    let (_dir, location) = in_private_dir(WITH_COMMAND, 0o664);
    let err = load(&location).unwrap_err().to_string();
    assert!(
        err.contains("*_command") && err.contains("chmod 600") && err.contains("mode 664"),
        "{err}"
    );
    assert!(err.contains(&location.path.display().to_string()), "{err}");
    let (_dir, location) = in_private_dir(WITH_COMMAND, 0o644);
    assert!(load(&location).is_ok(), "readable is fine for commands");
}

#[test]
fn a_command_needs_a_folder_others_cannot_write() {
    for mode in [0o777, 0o1777, 0o770] {
        let (dir, location) = in_private_dir(WITH_COMMAND, 0o600);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        let err = load(&location).unwrap_err();
        assert!(matches!(err, ConfigError::File { .. }), "{err}");
        let err = err.to_string();
        assert!(
            err.contains("its folder") && err.contains("chmod go-w"),
            "{mode:o}: {err}"
        );
    }
}

#[test]
fn a_command_in_a_file_of_another_user_is_refused() {
    use std::os::unix::fs::MetadataExt;
    let (_dir, location) = in_private_dir(WITH_COMMAND, 0o600);
    let me = std::fs::metadata(&location.path).unwrap().uid();
    // Only root can give a file away; elsewhere this case cannot be made.
    if me != 0 || std::os::unix::fs::chown(&location.path, Some(54321), None).is_err() {
        return;
    }
    let err = load(&location).unwrap_err().to_string();
    assert!(
        err.contains("belongs to uid 54321") && err.contains("chown"),
        "{err}"
    );
}

#[test]
fn a_symlinked_config_is_checked_where_it_really_lives() {
    let (shared, target) = in_private_dir(WITH_COMMAND, 0o600);
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let own = tempfile::tempdir().unwrap();
    let link = own.path().join("config.toml");
    std::os::unix::fs::symlink(&target.path, &link).unwrap();
    let err = load(&Location {
        path: link,
        origin: "test",
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("its folder"), "{err}");
}

#[test]
fn inline_sk_and_security_token_need_a_private_file() {
    for auth in [
        "{ type = \"aksk\", ak = \"A\", sk = \"S\" }",
        "{ type = \"aksk\", ak_env = \"A\", sk_env = \"S\", security_token = \"T\" }",
    ] {
        let text =
            format!("[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nauth = {auth}\n");
        let f = write(&text, 0o640);
        let err = load(&Location {
            path: f.path().to_path_buf(),
            origin: "test",
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }
}

const ONE_PROFILE: &str = "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"0605767cd1a94c16a0d1f3a5b4f8c2e1\"\nauth = { type = \"token\", token_env = \"T\" }\n";

#[test]
fn user_keys_overlay_the_defaults() {
    use crate::keymap::{Action, Context, parse};
    let text = format!(
        "{ONE_PROFILE}\n[keys]\nquit = [\"q\", \"ctrl-q\"]\ncopy_id = \"c\"\ninstances = \"I\"\n"
    );
    let config = load_text(&text).expect("valid");
    let keys = &config.ui.keys;
    let key = |s: &str| parse(s).expect("spec");
    assert_eq!(
        keys.action(Context::List, false, key("c")),
        Some(Action::CopyId)
    );
    assert_eq!(
        keys.action(Context::List, false, key("I")),
        Some(Action::Instances)
    );
    assert_eq!(
        keys.action(Context::Field, true, key("ctrl-q")),
        Some(Action::Quit)
    );
    assert_eq!(
        load_text(ONE_PROFILE).expect("valid").ui.keys,
        crate::keymap::Keymap::default()
    );
}

#[test]
fn bad_user_keys_name_the_file_line_and_key() {
    for (keys, line, needle) in [
        (
            "copy_id = \"c\"\nlaunch = \"l\"\n",
            8,
            "keys.launch: is not an action",
        ),
        (
            "copy_id = \"c\"\nquit = [\"q\", \"ctrl-\"]\n",
            8,
            "keys.quit: \"ctrl-\" is not a key",
        ),
        (
            "help = \"ctrl-c\"\n",
            7,
            "keys.help: Ctrl-C always quits and cannot be rebound",
        ),
        (
            "sort = \"j\"\n",
            7,
            "keys.sort: key j would do two things in a picker",
        ),
        (
            "copy_id = 3\n",
            7,
            "keys.copy_id must be a key or a list of keys, like \"q\" or [\"q\", \"ctrl-q\"]",
        ),
        (
            "copy_id = [\"c\", 3]\n",
            7,
            "keys.copy_id must be a key or a list of keys",
        ),
    ] {
        let text = format!("{ONE_PROFILE}\n[keys]\n{keys}");
        let err = error_of(&text);
        assert!(
            err.contains(&format!(":{line}:")) && err.contains(needle),
            "{keys}: {err}"
        );
    }
}

#[test]
fn init_placeholders_parse_but_no_command_loads_them() {
    let text = format!(
        "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"{}\"\n\n[profiles.a.auth]\n\
         type = \"password\"\ndomain = \"{}\"\nuser = \"{}\"\n",
        placeholder::PROJECT_ID,
        placeholder::DOMAIN,
        placeholder::USER
    );
    // `config init` checks its own output with this.
    assert_eq!(parse_text(&text), Ok(()));
    let err = load_text(&text).unwrap_err();
    assert!(matches!(err, ConfigError::Unfilled { .. }), "{err:?}");
    let message = err.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 3, "one line per key: {message}");
    for (line, (at, key)) in lines.iter().zip([
        (":3:14: ", "project_id"),
        (":7:10: ", "auth.domain"),
        (":8:8: ", "auth.user"),
    ]) {
        assert!(line.contains(at) && line.contains(key), "{line}");
        assert!(line.contains("profile \"a\""), "{line}");
        assert!(line.contains("set it to"), "says how to fill it: {line}");
    }
    // A filled-in file loads; a placeholder in a token profile's project_id
    // alone is still refused.
    let filled = text
        .replace(placeholder::PROJECT_ID, "0605767cd1a94c16a0d1f3a5b4f8c2e1")
        .replace(placeholder::DOMAIN, "acme")
        .replace(placeholder::USER, "ops");
    assert!(load_text(&filled).is_ok());
    let token = format!(
        "[profiles.a]\nregion = \"cn-north-4\"\nproject_id = \"{}\"\n\
         auth = {{ type = \"token\", token_env = \"T\" }}\n",
        placeholder::PROJECT_ID
    );
    let message = error_of(&token);
    assert!(
        message.contains(":3:14: profile \"a\": project_id is still"),
        "{message}"
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_key_and_kind_in_words() {
    let head = "[profiles.prod]\nregion = \"cn-north-4\"\nproject_id = \"0605767cd1a94c16a0d1f3a5b4f8c2e1\"\n";
    let auth = "[profiles.prod.auth]\ntype = \"token\"\ntoken_env = \"T\"\n";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("{head}timeout_secs = \"20\"\n{auth}"),
            ":4:16: ",
            "profiles.prod.timeout_secs must be a whole number of seconds, like 20",
        ),
        (
            format!("{head}list_timeout_secs = 1.5\n{auth}"),
            ":4:21: ",
            "profiles.prod.list_timeout_secs must be a whole number of seconds, like 120",
        ),
        (
            format!("{head}timeout_secs = 1979-05-27\n{auth}"),
            ":4:16: ",
            "profiles.prod.timeout_secs must be a whole number of seconds",
        ),
        (
            "[profiles.prod]\nregion = 4\n".into(),
            ":2:10: ",
            "profiles.prod.region must be a region name in quotes, like \"cn-north-4\"",
        ),
        (
            "[profiles.prod]\nregion = \"cn-north-4\"\nproject_id = 12\n".into(),
            ":3:14: ",
            "profiles.prod.project_id must be a project ID in quotes",
        ),
        (
            format!("{head}endpoint = [\"https://x\"]\n{auth}"),
            ":4:12: ",
            "profiles.prod.endpoint must be a URL in quotes, like \"https://",
        ),
        (
            format!("{head}iam_endpoint = true\n{auth}"),
            ":4:16: ",
            "profiles.prod.iam_endpoint must be a URL in quotes",
        ),
        (
            format!("{head}ca_file = 7\n{auth}"),
            ":4:11: ",
            "profiles.prod.ca_file must be a file path in quotes",
        ),
        (
            format!("{head}auth = \"token\"\n"),
            ":4:8: ",
            "profiles.prod.auth must be a table, like { type = \"token\"",
        ),
        (
            format!("{head}[profiles.prod.auth]\ntype = 1\ntoken_env = \"T\"\n"),
            ":5:8: ",
            "profiles.prod.auth.type must be \"token\", \"password\" or \"aksk\", like \"token\"",
        ),
        (
            format!("{head}[profiles.prod.auth]\ntype = \"token\"\ntoken_env = 5\n"),
            ":6:13: ",
            "profiles.prod.auth.token_env must be the name of an environment variable, in quotes, like \"HW_AUTH_TOKEN\"",
        ),
        (
            format!("{head}[profiles.prod.auth]\ntype = \"password\"\ndomain = 1\nuser = \"u\"\n"),
            ":6:10: ",
            "profiles.prod.auth.domain must be the account name in quotes",
        ),
        (
            format!("{head}[profiles.prod.auth]\ntype = \"aksk\"\nak = 1\nsk = \"s\"\n"),
            ":6:6: ",
            "profiles.prod.auth.ak must be the access key ID in quotes",
        ),
        (
            format!("{head}[profiles.prod.auth]\ntype = \"token\"\ntoken_command = false\n"),
            ":6:17: ",
            "profiles.prod.auth.token_command must be a shell command in quotes",
        ),
        (
            "[profiles.\"prod eu\"]\nregion = \"cn-north-4\"\ntimeout_secs = \"20\"\n".into(),
            ":3:16: ",
            "profiles.\"prod eu\".timeout_secs must be a whole number of seconds",
        ),
        (
            "profiles = 3\n".into(),
            ":1:12: ",
            "profiles must be a table of profiles, like [profiles.prod]",
        ),
        (
            "[profiles]\nprod = \"x\"\n".into(),
            ":2:8: ",
            "profiles.prod must be a table, like [profiles.prod]",
        ),
        (
            format!("default_profile = 1\n{head}{auth}"),
            ":1:19: ",
            "default_profile must be the name of a profile, in quotes, like \"prod\"",
        ),
        (
            format!("{head}{auth}[ui]\nmouse = \"yes\"\n"),
            ":8:9: ",
            "ui.mouse must be true or false, like true",
        ),
        (
            format!("ui = 1\n{head}{auth}"),
            ":1:6: ",
            "ui must be a table, like [ui]",
        ),
        (
            format!("theme = \"dark\"\n{head}{auth}"),
            ":1:9: ",
            "theme must be a table of colours, like [theme]",
        ),
        (
            format!("{head}{auth}[theme]\naccent = [1]\n"),
            ":8:10: ",
            "theme.accent must be a colour: a name, an index from 0 to 255 or \"#rrggbb\", like \"magenta\"",
        ),
        (
            format!("keys = [\"q\"]\n{head}{auth}"),
            ":1:8: ",
            "keys must be a table of keys, like [keys]",
        ),
        (
            format!("{head}{auth}[keys]\nquit = {{ key = \"q\" }}\n"),
            ":8:8: ",
            "keys.quit must be a key or a list of keys, like \"q\" or [\"q\", \"ctrl-q\"]",
        ),
    ];
    for (text, position, message) in cases {
        let err = error_of(&text);
        assert!(
            err.contains(&format!("{position}{message}")),
            "{position}{message}\nin {err}\n{text}"
        );
        for rust in [
            "invalid type",
            "expected",
            "i64",
            "u64",
            "a string",
            "a boolean",
            "sequence",
            "struct",
            "map",
            "Raw",
            "integer `",
            "float",
            "datetime",
        ] {
            assert!(!err.contains(rust), "{rust:?} in {err}");
        }
    }
}

#[path = "health_tests.rs"]
mod health;

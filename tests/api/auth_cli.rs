//! Authentication through the binary: the SDKs' environment variables and
//! credentials file, the endpoint override, the token cache shared by two
//! processes, `config check` / `config init`, and a grep of everything the
//! app wrote for every secret it was given.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ddm_backups::demo::{self, DemoServer, RunningDemo};

const BIN: &str = env!("CARGO_BIN_EXE_ddm-backups");

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The binary with this home: config, cache and logs all inside it.
    fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        for (name, _) in std::env::vars() {
            if name.starts_with("HUAWEICLOUD_SDK_")
                || name.starts_with("DDM_BACKUPS_")
                || name == "RUST_LOG"
            {
                c.env_remove(name);
            }
        }
        c.env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("XDG_CACHE_HOME", self.path().join("cache"))
            .stdin(Stdio::null());
        c
    }

    fn config(&self, text: &str) -> PathBuf {
        let path = self.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        path
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.path().join("state/ddm-backups/ddm-backups.log"))
            .unwrap_or_default()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn show(home: &Home, config: &Path, envs: &[(&str, &str)]) -> Output {
    home.cmd()
        .args(["show", "--config"])
        .arg(config)
        .args([
            "--instance",
            demo::DEMO_INSTANCE_ID,
            "--backup",
            "nodes-br09",
        ])
        .envs(envs.iter().copied())
        .output()
        .unwrap()
}

fn profile_head(demo: &RunningDemo, project: bool) -> String {
    let project = if project {
        format!("project_id = \"{}\"\n", demo::DEMO_PROJECT_ID)
    } else {
        String::new()
    };
    format!(
        "[profiles.d]\nregion = \"cn-north-4\"\n{project}endpoint = \"{url}\"\niam_endpoint = \"{url}\"\n",
        url = demo.base_url()
    )
}

#[tokio::test]
async fn sdk_environment_variables_are_the_fallback() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let home = Home::new();
    let config = home.config(&profile_head(&demo, false));
    let envs = [
        ("HUAWEICLOUD_SDK_AK", demo::DEMO_AK),
        ("HUAWEICLOUD_SDK_SK", demo::DEMO_SK),
        ("HUAWEICLOUD_SDK_PROJECT_ID", demo::DEMO_PROJECT_ID),
    ];
    let out = tokio::task::spawn_blocking(move || show(&home, &config, &envs))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[tokio::test]
async fn the_sdk_credentials_file_is_next_and_sources_are_not_mixed() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let home = Home::new();
    let config = home.config(&profile_head(&demo, false));
    let creds = home.path().join(".huaweicloud/credentials");
    std::fs::create_dir_all(creds.parent().unwrap()).unwrap();
    std::fs::write(
        &creds,
        format!(
            "[basic]\nAK = {}\nsk = {}\nproject_id = {}\n",
            demo::DEMO_AK,
            demo::DEMO_SK,
            demo::DEMO_PROJECT_ID
        ),
    )
    .unwrap();
    let out = tokio::task::spawn_blocking(move || {
        // Only the AK in the environment: the file wins as a whole.
        let first = show(&home, &config, &[("HUAWEICLOUD_SDK_AK", "ENV-AK-ONLY")]);
        let elsewhere = home.path().join("other-credentials");
        std::fs::rename(home.path().join(".huaweicloud/credentials"), &elsewhere).unwrap();
        let named = show(
            &home,
            &config,
            &[(
                "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
                elsewhere.to_str().unwrap(),
            )],
        );
        let none = show(&home, &config, &[]);
        (first, named, none)
    })
    .await
    .unwrap();
    assert_eq!(out.0.status.code(), Some(0), "{}", text(&out.0.stderr));
    assert_eq!(out.1.status.code(), Some(0), "{}", text(&out.1.stderr));
    assert_eq!(out.2.status.code(), Some(2));
    assert!(
        text(&out.2.stderr).contains("no SDK credentials were found"),
        "{}",
        text(&out.2.stderr)
    );
}

#[tokio::test]
async fn the_sdk_endpoint_override_applies_without_an_endpoint_key() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let home = Home::new();
    let config = home.config(&format!(
        "[profiles.d]\nregion = \"cn-north-4\"\nproject_id = \"{}\"\nauth = {{ type = \"token\", token_env = \"T\" }}\n",
        demo::DEMO_PROJECT_ID
    ));
    let url = demo.base_url();
    let out = tokio::task::spawn_blocking(move || {
        show(
            &home,
            &config,
            &[
                ("T", demo::DEMO_TOKEN),
                ("HUAWEICLOUD_SDK_REGION_DDM_CN_NORTH_4", &url),
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[tokio::test]
async fn two_processes_share_one_iam_token() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let home = Home::new();
    let config = home.config(&format!(
        "{}[profiles.d.auth]\ntype = \"password\"\ndomain = \"{}\"\nuser = \"{}\"\npassword_env = \"PW\"\n",
        profile_head(&demo, true),
        demo::DEMO_DOMAIN,
        demo::DEMO_USER
    ));
    let outs = tokio::task::spawn_blocking(move || {
        let a = show(&home, &config, &[("PW", demo::DEMO_PASSWORD)]);
        let b = show(&home, &config, &[("PW", demo::DEMO_PASSWORD)]);
        (a, b, home)
    })
    .await
    .unwrap();
    assert_eq!(outs.0.status.code(), Some(0), "{}", text(&outs.0.stderr));
    assert_eq!(outs.1.status.code(), Some(0), "{}", text(&outs.1.stderr));
    assert_eq!(
        demo.service().iam_calls(),
        1,
        "the second process reused the cached token"
    );
    let tokens = outs.2.path().join("cache/ddm-backups/tokens");
    assert_eq!(
        std::fs::metadata(&tokens).unwrap().permissions().mode() & 0o777,
        0o700
    );
}

#[tokio::test]
async fn config_check_reports_sources_never_values() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let home = Home::new();
    let config = home.config(&format!(
        "{head}[profiles.d.auth]\ntype = \"password\"\ndomain = \"{dom}\"\nuser = \"{user}\"\npassword_env = \"PW\"\n\
         [profiles.k]\nregion = \"cn-north-4\"\nproject_id = \"{proj}\"\nendpoint = \"{url}\"\n\
         auth = {{ type = \"aksk\", ak_env = \"AK\", sk_env = \"SK\" }}\n\
         [profiles.broken]\nregion = \"cn-north-4\"\nproject_id = \"{proj}\"\nauth = {{ type = \"token\", token_env = \"UNSET_TOKEN_VAR\" }}\n",
        head = profile_head(&demo, true),
        dom = demo::DEMO_DOMAIN,
        user = demo::DEMO_USER,
        proj = demo::DEMO_PROJECT_ID,
        url = demo.base_url(),
    ));
    let out = tokio::task::spawn_blocking(move || {
        let envs = [
            ("PW", demo::DEMO_PASSWORD),
            ("AK", demo::DEMO_AK),
            ("SK", demo::DEMO_SK),
        ];
        let all = home
            .cmd()
            .args(["config", "check", "--config"])
            .arg(&config)
            .envs(envs)
            .output()
            .unwrap();
        let one = home
            .cmd()
            .args(["config", "check", "--profile", "d", "--config"])
            .arg(&config)
            .envs(envs)
            .output()
            .unwrap();
        (all, one)
    })
    .await
    .unwrap();
    let all = text(&out.0.stdout);
    assert_eq!(
        out.0.status.code(),
        Some(1),
        "the broken profile is not usable: {all}"
    );
    assert!(
        all.contains("password from   the environment variable named by password_env"),
        "{all}"
    );
    assert!(
        all.contains("project         0123456789abcdef0123456789abcdef (from the config file)"),
        "{all}"
    );
    assert!(
        all.contains("usable: new token from IAM, valid until"),
        "{all}"
    );
    // To the second: `2025-06-02T02:00:00Z`, no fraction.
    let until = all
        .split("valid until ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default();
    assert!(
        until.len() == 20 && until.ends_with('Z') && !until.contains('.'),
        "{until:?}"
    );
    assert!(
        all.contains("SK from         the environment variable named by sk_env"),
        "{all}"
    );
    assert!(
        all.contains(
            "NOT usable: profile \"broken\": the environment variable named by token_env is not set"
        ),
        "{all}"
    );
    assert!(
        !all.contains("UNSET_TOKEN_VAR"),
        "a *_env value is not repeated"
    );
    for secret in [demo::DEMO_PASSWORD, demo::DEMO_SK] {
        assert!(
            !all.contains(secret) && !text(&out.0.stderr).contains(secret),
            "{secret} leaked"
        );
    }
    let one = text(&out.1.stdout);
    assert_eq!(out.1.status.code(), Some(0), "{one}");
    assert!(one.contains("usable: cached token, valid until"), "{one}");
    assert!(!one.contains("profile k"), "{one}");
}

#[test]
fn config_init_writes_a_private_valid_file_and_never_overwrites() {
    let home = Home::new();
    for (auth, expect) in [
        ("token", "token_env"),
        ("password", "password_env"),
        ("aksk", "sk_env"),
    ] {
        let path = home.path().join(format!("{auth}/config.toml"));
        let out = home
            .cmd()
            .args([
                "config",
                "init",
                "--auth",
                auth,
                "--region",
                "eu-west-101",
                "--project-id",
                "0605767cd1a94c16a0d1f3a5b4f8c2e1",
                "--config",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout).trim(), path.display().to_string());
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(
            written.contains(expect) && written.contains("eu-west-101"),
            "{written}"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
        let again = home
            .cmd()
            .args(["config", "init", "--config"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(again.status.code(), Some(2));
        assert!(
            text(&again.stderr).contains("already exists"),
            "{}",
            text(&again.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            written,
            "left as it was"
        );
    }
    // The default place is the one the app reads.
    let out = home.cmd().args(["config", "init"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(home.path().join("config/ddm-backups/config.toml").exists());
}

#[tokio::test]
async fn no_secret_reaches_any_output_or_the_log() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let home = Home::new();
    let url = demo.base_url();
    let head = |name: &str| {
        format!(
            "[profiles.{name}]\nregion = \"cn-north-4\"\nproject_id = \"{}\"\nendpoint = \"{url}\"\niam_endpoint = \"{url}\"\n",
            demo::DEMO_PROJECT_ID
        )
    };
    let config = home.config(&format!(
        "{}auth = {{ type = \"password\", domain = \"{}\", user = \"{}\", password_env = \"PW\" }}\n\
         {}auth = {{ type = \"aksk\", ak = \"{}\", sk = \"{}\", security_token = \"{}\" }}\n\
         {}auth = {{ type = \"token\", token = \"{}\" }}\n",
        head("pw"),
        demo::DEMO_DOMAIN,
        demo::DEMO_USER,
        head("ks"),
        demo::DEMO_AK,
        demo::DEMO_SK,
        demo::DEMO_SECURITY_TOKEN,
        head("tk"),
        demo::DEMO_TOKEN,
    ));
    let written = tokio::task::spawn_blocking(move || {
        let mut all = String::new();
        for profile in ["pw", "ks", "tk"] {
            for backup in ["nodes-br09", "e401-br09", "e404-br09"] {
                for format in ["json", "text"] {
                    let out = home
                        .cmd()
                        .args([
                            "show",
                            "--log-level",
                            "trace",
                            "--output",
                            format,
                            "--profile",
                            profile,
                            "--config",
                        ])
                        .arg(&config)
                        .args(["--instance", demo::DEMO_INSTANCE_ID, "--backup", backup])
                        .env("PW", demo::DEMO_PASSWORD)
                        .output()
                        .unwrap();
                    all.push_str(&text(&out.stdout));
                    all.push_str(&text(&out.stderr));
                }
            }
            let out = home
                .cmd()
                .args(["config", "check", "--profile", profile, "--config"])
                .arg(&config)
                .env("PW", demo::DEMO_PASSWORD)
                .output()
                .unwrap();
            all.push_str(&text(&out.stdout));
            all.push_str(&text(&out.stderr));
        }
        all.push_str(&home.log());
        all
    })
    .await
    .unwrap();
    assert!(
        written.contains("Related data nodes (6)"),
        "the runs worked"
    );
    assert!(written.contains("ShowBackup"), "trace logs were written");
    let iam_token_prefix = "demo-iam-token-";
    for secret in [
        demo::DEMO_PASSWORD,
        demo::DEMO_SK,
        demo::DEMO_SECURITY_TOKEN,
        demo::DEMO_TOKEN,
        iam_token_prefix,
        "Signature=",
    ] {
        assert!(
            !written.contains(secret),
            "{secret} appeared in the output or the log"
        );
    }
}

#[test]
fn config_check_and_every_command_refuse_what_init_left_to_fill() {
    let home = Home::new();
    let path = home.path().join("fresh/config.toml");
    let out = home
        .cmd()
        .args(["config", "init", "--auth", "password", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("fill in project_id, auth.domain, auth.user"),
        "{}",
        text(&out.stderr)
    );
    let file = path.display().to_string();
    for args in [
        &["config", "check"][..],
        &["show", "--instance", "a-in09", "--backup", "b-br09"],
        &["instances"],
    ] {
        let out = home
            .cmd()
            .args(args)
            .arg("--config")
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        for (line, key) in [(9, "project_id"), (18, "auth.domain"), (19, "auth.user")] {
            assert!(
                stderr.contains(&format!("{file}:{line}:")) && stderr.contains(key),
                "{args:?}: {stderr}"
            );
        }
        assert!(stderr.contains("set it to"), "{stderr}");
    }
}

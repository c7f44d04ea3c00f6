//! `ddm-backups find` with a password profile, against the demo
//! endpoint's IAM: with no terminal to ask on (as under cron) it is
//! skipped with a note and the exit code follows the others; with
//! `password_env` it signs in, and a wrong password is named as an error.
//!
//! The only password here is the demo's own fake one.

use std::os::unix::process::CommandExt;
use std::process::Output;

use ddm_backups::demo::{self, DemoServer, RunningDemo};

use super::find_password::{EU_ORDERS, PW_ORDERS};
use super::server::Home;

/// A config of `eu` (token) and `pw` (password, with `pw_auth` added to
/// its auth table) on the running demo.
fn write_config(home: &Home, running: &RunningDemo, pw_auth: &str) -> std::path::PathBuf {
    let url = running.base_url();
    home.config(&format!(
        "[profiles.eu]\nregion = \"eu-west-101\"\nproject_id = \"{eu}\"\nendpoint = \"{url}\"\n\
         [profiles.eu.auth]\ntype = \"token\"\ntoken = \"{token}\"\n\
         [profiles.pw]\nregion = \"cn-north-4\"\nproject_id = \"{project}\"\nendpoint = \"{url}\"\n\
         iam_endpoint = \"{url}\"\n[profiles.pw.auth]\ntype = \"password\"\n\
         domain = \"{domain}\"\nuser = \"{user}\"\n{pw_auth}",
        eu = demo::DEMO_EU_PROJECT_ID,
        token = demo::DEMO_TOKEN,
        project = demo::DEMO_PROJECT_ID,
        domain = demo::DEMO_DOMAIN,
        user = demo::DEMO_USER,
    ))
}

/// `ddm-backups find ARGS --output json` with no controlling terminal (as
/// under cron), `FIND_PW` set to `password` when given; run off the
/// runtime so the demo endpoint keeps serving meanwhile.
async fn find(
    home: &Home,
    config: &std::path::Path,
    args: &[&str],
    password: Option<&str>,
) -> Output {
    let mut cmd = home.cmd();
    cmd.arg("--config")
        .arg(config)
        .arg("find")
        .args(args)
        .args(["--output", "json"]);
    if let Some(password) = password {
        cmd.env("FIND_PW", password);
    }
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("the runner")
        .expect("run the binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// How many rows of each profile the JSON holds: (pw, eu).
fn counts(out: &Output) -> (usize, usize) {
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", text(&out.stdout)));
    let rows = rows.as_array().expect("an array");
    let of = |name: &str| rows.iter().filter(|r| r["profile"] == name).count();
    assert_eq!(of("pw") + of("eu"), rows.len(), "{rows:?}");
    (of("pw"), of("eu"))
}

#[tokio::test]
async fn headless_a_password_profile_with_no_terminal_is_skipped_with_a_note() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let home = Home::new();
    let config = write_config(&home, &running, "");
    let out = find(&home, &config, &["orders"], None).await;
    let err = text(&out.stderr);
    // README: the skip alone does not make the exit code 1.
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(counts(&out), (0, EU_ORDERS));
    assert!(
        err.contains("note: skipped pw (cn-north-4): its password auth needs a terminal"),
        "{err}"
    );
    assert!(!err.contains("error"), "{err}");
    assert_eq!(running.service().iam_calls(), 0, "IAM was never asked");
}

#[tokio::test]
async fn headless_skipped_with_nothing_found_elsewhere_is_exit_1() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let home = Home::new();
    let config = write_config(&home, &running, "");
    // archive-1… is only in the demo project, which pw could not search.
    let out = find(&home, &config, &["archive-1"], None).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(text(&out.stdout).trim(), "[]");
    assert!(err.contains("note: skipped pw (cn-north-4)"), "{err}");
    assert!(
        err.contains("no backup matches \"archive-1\" in 1 profile (1 skipped)"),
        "{err}"
    );
}

#[tokio::test]
async fn headless_password_env_signs_in_and_a_wrong_one_is_named() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let home = Home::new();
    let config = write_config(&home, &running, "password_env = \"FIND_PW\"\n");
    let out = find(&home, &config, &["orders"], Some(demo::DEMO_PASSWORD)).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(counts(&out), (PW_ORDERS, EU_ORDERS));
    assert!(!err.contains("note: skipped"), "{err}");
    assert_eq!(running.service().iam_calls(), 1);

    // Another home: no cached token, so the wrong password reaches IAM.
    let home = Home::new();
    let config = write_config(&home, &running, "password_env = \"FIND_PW\"\n");
    let out = find(&home, &config, &["orders"], Some("not-the-demo-password")).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(counts(&out), (0, EU_ORDERS), "eu's results still print");
    assert!(
        err.contains("error: pw (cn-north-4): ")
            && err.contains("401")
            && err.contains("The username or password is wrong"),
        "{err}"
    );
    assert!(!err.contains("not-the-demo-password"), "{err}");
    assert!(!err.contains("note: skipped"), "{err}");
    assert_eq!(running.service().iam_calls(), 2);
}

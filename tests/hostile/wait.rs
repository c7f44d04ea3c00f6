//! `wait` against a list endpoint the test scripts: the backup turning
//! `normal`, `createfail`, staying `creating` past `--timeout`, missing,
//! and usage errors before any request. stdout carries the last status
//! read; stderr one final line (progress only on a terminal, which these
//! pipes are not).

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use super::server::{Home, Hostile, json, streams};

/// A list whose one row (b1-br09 of i1-in09) has `status(n)` at the n-th
/// list request; other requests get a 404.
fn list_server(status: impl Fn(u32) -> &'static str + Send + Sync + 'static) -> Hostile {
    let reads = Arc::new(AtomicU32::new(0));
    Hostile::start(move |head| {
        if !head.path().ends_with("/backups") {
            return super::server::response(404, &[], b"{}");
        }
        let n = reads.fetch_add(1, Ordering::SeqCst);
        let body = serde_json::json!({"total": 1, "backups": [
            {"id": "b1-br09", "instance_id": "i1-in09", "status": status(n)}
        ]});
        json(&body.to_string())
    })
}

pub(super) fn wait(server: &Hostile, backup: &str, extra: &[&str]) -> Output {
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    home.cmd()
        .arg("--config")
        .arg(&config)
        .args(["wait", "--instance", "i1-in09", "--backup", backup])
        .args(extra)
        .output()
        .expect("run")
}

#[test]
fn creating_then_normal_exits_zero() {
    let server = list_server(|n| if n == 0 { "creating" } else { "normal" });
    let out = wait(&server, "b1-br09", &[]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "normal\n");
    assert_eq!(stderr.lines().count(), 1, "one final line: {stderr}");
    assert!(stderr.starts_with("b1-br09 is normal (waited "), "{stderr}");
    assert_eq!(server.hits(), 2, "checked again after the first wait");
}

/// API.md documents the statuses in lower case; a server that writes
/// them otherwise still means them (before, `NORMAL` was "neither
/// creating nor normal" and the wait failed).
#[test]
fn documented_statuses_in_capitals_mean_the_same() {
    let server = list_server(|n| if n == 0 { "Creating" } else { "NORMAL" });
    let out = wait(&server, "b1-br09", &[]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "normal\n");
    assert!(stderr.starts_with("b1-br09 is normal (waited "), "{stderr}");
    assert_eq!(server.hits(), 2, "Creating was waited on: {stderr}");
    let server = list_server(|_| "CreateFail");
    let out = wait(&server, "b1-br09", &[]);
    let (_, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: b1-br09 is createfail"), "{stderr}");
}

#[test]
fn createfail_exits_one() {
    let server = list_server(|_| "createfail");
    let out = wait(&server, "b1-br09", &[]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "createfail\n");
    assert!(stderr.contains("error: b1-br09 is createfail"), "{stderr}");
    assert_eq!(server.hits(), 1);
}

#[test]
fn still_creating_at_the_timeout_exits_one() {
    let server = list_server(|_| "creating");
    let out = wait(&server, "b1-br09", &["--timeout", "2s"]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "creating\n");
    assert_eq!(
        stderr.trim_end(),
        "error: timed out after 2 s: b1-br09 is still creating"
    );
    // The first wait (5 s) is cut to the 2 s left, and ends in one last
    // check at the deadline; nothing after it.
    assert_eq!(server.hits(), 2);
}

#[test]
fn an_unknown_backup_or_another_status_exits_one() {
    let server = list_server(|_| "normal");
    let out = wait(&server, "other-br09", &[]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("other-br09 is not in the backup list of i1-in09"),
        "{stderr}"
    );
    let server = list_server(|_| "deleting\u{1b}[31m");
    let out = wait(&server, "b1-br09", &[]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stdout, "deleting\\u{1b}[31m\n",
        "made terminal-safe, escaped"
    );
    assert!(stderr.contains("nothing to wait for"), "{stderr}");
}

#[test]
fn usage_errors_exit_two_before_any_request() {
    let server = list_server(|_| "normal");
    for args in [
        &[
            "--instance",
            "i1-in09",
            "--backup",
            "b1-br09",
            "--timeout",
            "0",
        ][..],
        &[
            "--instance",
            "i1-in09",
            "--backup",
            "b1-br09",
            "--timeout",
            "soon",
        ],
        &[
            "--instance",
            "i1-in09",
            "--backup",
            "b1-br09",
            "--timeout",
            "-5",
        ],
        &["--instance", "../x", "--backup", "b1-br09"],
        &["--instance", "i1-in09", "--backup", "b 1"],
        &["--instance", "i1-in09"],
    ] {
        let home = Home::new();
        let config = home.token_config(&server.url, "");
        let out = home
            .cmd()
            .arg("--config")
            .arg(&config)
            .arg("wait")
            .args(args)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", streams(&out).1);
    }
    assert_eq!(server.hits(), 0, "no request was sent");
}

/// The demo endpoint in this process, with its backups being made for
/// `lasts`, and a home whose config points the binary at it.
pub(super) async fn demo_making(
    lasts: std::time::Duration,
) -> (ddm_backups::demo::RunningDemo, Home, std::path::PathBuf) {
    let running = ddm_backups::demo::DemoServer::builder()
        .creating_for(lasts)
        .bind()
        .await
        .expect("demo");
    let home = Home::new();
    let config = home.config(&format!(
        "[profiles.p]\nregion = \"cn-north-4\"\nproject_id = \"{}\"\nendpoint = \"{}\"\n\
         [profiles.p.auth]\ntype = \"token\"\ntoken = \"{}\"\n",
        running.project_id(),
        running.base_url(),
        running.token()
    ));
    (running, home, config)
}

/// `wait` for a demo-in09 backup, run off the runtime that serves the demo.
async fn wait_demo(home: &Home, config: &std::path::Path, backup: &str, extra: &[&str]) -> Output {
    let mut cmd = home.cmd();
    cmd.arg("--config")
        .arg(config)
        .args([
            "wait",
            "--instance",
            ddm_backups::demo::DEMO_INSTANCE_ID,
            "--backup",
            backup,
        ])
        .args(extra);
    tokio::task::spawn_blocking(move || cmd.output().expect("run"))
        .await
        .expect("join")
}

#[tokio::test]
async fn demo_creating_br09_turns_normal() {
    // Creating at the first check, normal at the next (5 s later).
    let (running, home, config) = demo_making(std::time::Duration::from_secs(1)).await;
    let out = wait_demo(&home, &config, ddm_backups::demo::CREATING_BACKUP_ID, &[]).await;
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "normal\n");
    assert!(
        stderr.starts_with("creating-br09 is normal (waited "),
        "{stderr}"
    );
    drop(running);
}

#[tokio::test]
async fn demo_failing_br09_turns_createfail() {
    let (running, home, config) = demo_making(std::time::Duration::from_secs(1)).await;
    let out = wait_demo(&home, &config, ddm_backups::demo::FAILING_BACKUP_ID, &[]).await;
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "createfail\n");
    assert!(
        stderr.contains("error: failing-br09 is createfail"),
        "{stderr}"
    );
    drop(running);
}

#[tokio::test]
async fn demo_timeout_and_unknown_backup() {
    let (running, home, config) = demo_making(std::time::Duration::from_secs(3600)).await;
    let id = ddm_backups::demo::CREATING_BACKUP_ID;
    let out = wait_demo(&home, &config, id, &["--timeout", "2s"]).await;
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "creating\n");
    assert!(
        stderr.contains("timed out after 2 s: creating-br09 is still creating"),
        "{stderr}"
    );
    let out = wait_demo(&home, &config, "nosuch-br09", &[]).await;
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("nosuch-br09 is not in the backup list"),
        "{stderr}"
    );
    drop(running);
}

#[tokio::test]
async fn a_backup_done_in_the_last_shortened_pause_is_seen_at_the_deadline() {
    // Normal 1 s after the first check; the next check of the schedule
    // (5 s) lies past the 3 s timeout, so the pause is cut to the deadline
    // and the check made there sees the backup done.
    let (running, home, config) = demo_making(std::time::Duration::from_secs(1)).await;
    let id = ddm_backups::demo::CREATING_BACKUP_ID;
    let out = wait_demo(&home, &config, id, &["--timeout", "3s"]).await;
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "normal\n");
    assert!(
        stderr.contains("creating-br09 is normal (waited 3 s)"),
        "{stderr}"
    );
    drop(running);
}

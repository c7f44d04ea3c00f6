//! `wait` through failed checks: one 500, or a 429 asking for longer than
//! the profile's `timeout_secs`, is not the end of a 30-minute wait; three
//! failures in a row are. However it ends, stdout has the last status read.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::server::{Head, Hostile, json, response, streams};
use super::wait::wait;

/// A list whose n-th request gets `answer(n)`, recording when each came.
fn scripted(
    answer: impl Fn(u32) -> Reply + Send + Sync + 'static,
) -> (Hostile, Arc<Mutex<Vec<Instant>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let times = seen.clone();
    let server = Hostile::start(move |head: &Head| {
        if !head.path().ends_with("/backups") {
            return response(404, &[], b"{}");
        }
        let n = {
            let mut times = times.lock().unwrap();
            times.push(Instant::now());
            times.len() as u32 - 1
        };
        match answer(n) {
            Reply::Status(status) => {
                let body = serde_json::json!({"total": 1, "backups": [
                    {"id": "b1-br09", "instance_id": "i1-in09", "status": status}
                ]});
                json(&body.to_string())
            }
            Reply::ServerError => response(
                500,
                &[],
                br#"{"error_code":"DBS.300002","error_msg":"busy"}"#,
            ),
            Reply::Throttled(after) => response(429, &[("Retry-After", after)], b"{}"),
        }
    });
    (server, seen)
}

enum Reply {
    Status(&'static str),
    ServerError,
    Throttled(&'static str),
}

#[test]
fn one_server_error_does_not_end_the_wait() {
    // creating at 0 s, a 500 at 5 s, normal at the last check (8 s).
    let (server, _) = scripted(|n| match n {
        0 => Reply::Status("creating"),
        1 => Reply::ServerError,
        _ => Reply::Status("normal"),
    });
    let out = wait(&server, "b1-br09", &["--timeout", "8s"]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "normal\n");
    assert_eq!(server.hits(), 3);
}

#[test]
fn a_wait_that_times_out_after_a_failed_check_prints_the_last_status_read() {
    let (server, _) = scripted(|n| match n {
        0 => Reply::Status("creating"),
        _ => Reply::ServerError,
    });
    let out = wait(&server, "b1-br09", &["--timeout", "8s"]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "creating\n", "the status read before the failures");
    assert!(
        stderr.starts_with(
            "error: timed out after 8 s: b1-br09 was creating at the last answer; \
             the last check failed: HTTP 500"
        ),
        "{stderr}"
    );
    // Two failures in a row (at 5 s and at the deadline) are not three.
    assert_eq!(server.hits(), 3);
}

#[test]
fn a_retry_after_past_the_lookup_deadline_is_waited_out_within_the_timeout() {
    // The profile gives a lookup 1 s; the server asks for 6 s, more than
    // the schedule's first 5 s step.
    let (server, times) = scripted(|n| match n {
        0 => Reply::Throttled("6"),
        _ => Reply::Status("normal"),
    });
    let home = super::server::Home::new();
    let config = home.token_config(&server.url, "timeout_secs = 1");
    let out = home
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["wait", "--instance", "i1-in09", "--backup", "b1-br09"])
        .output()
        .expect("run");
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "normal\n");
    let times = times.lock().unwrap();
    assert_eq!(times.len(), 2);
    // A lower bound only: the next request came no sooner than asked.
    let gap = times[1] - times[0];
    assert!(gap >= Duration::from_secs(6), "asked again after {gap:?}");
}

#[test]
fn three_failed_checks_in_a_row_end_the_wait() {
    let (server, _) = scripted(|_| Reply::ServerError);
    let out = wait(&server, "b1-br09", &[]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.is_empty(), "no status was read: {stdout}");
    assert!(stderr.starts_with("error: HTTP 500"), "{stderr}");
    assert!(stderr.contains("(3 checks failed in a row)"), "{stderr}");
    assert_eq!(server.hits(), 3);
}

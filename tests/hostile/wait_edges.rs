//! `wait` against list rows that are valid JSON but hostile: a number no
//! f64 holds, and statuses that are nothing but what a terminal obeys.
//! stdout carries the status, so it must be one clean line or nothing.

use std::process::Output;

use super::server::{Hostile, json, streams};

/// `wait` for b1-br09 against a list whose every page is `body`.
/// `wait` for b1-br09 against a server that answers `body` to every call.
fn wait_on(body: &'static str) -> Output {
    super::wait::wait(&Hostile::start(move |_| json(body)), "b1-br09", &[])
}

#[test]
fn a_number_too_large_is_named_not_called_not_json() {
    // 1e400 is valid JSON; before, the whole page was "not JSON" with a
    // hint to check the endpoint and proxy.
    let out = wait_on(
        r#"{"total":1,"backups":[{"id":"b1-br09","instance_id":"i1-in09","status":"normal","file_size":1e400}]}"#,
    );
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("a number too large to read at line 1, column 97"),
        "{stderr}"
    );
    assert!(!stderr.contains("not JSON"), "{stderr}");
}

#[test]
fn a_status_of_only_invisible_characters_is_named_not_called_missing() {
    // A bidi override and a zero-width space: nothing left once cleaned.
    let out = wait_on(
        r#"{"total":1,"backups":[{"id":"b1-br09","instance_id":"i1-in09","status":"\u202e\u200b"}]}"#,
    );
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.is_empty(), "nothing printable to print: {stdout:?}");
    assert_eq!(
        stderr,
        "error: b1-br09's status is only control or invisible characters \
         (\"\\u{202e}\\u{200b}\"); nothing to wait for\n"
    );
    // An escape sequence is shown escaped, on one line.
    let out = wait_on(
        r#"{"total":1,"backups":[{"id":"b1-br09","instance_id":"i1-in09","status":"\u001b[2J\u001b[H\nnormal"}]}"#,
    );
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "\\u{1b}[2J\\u{1b}[H\\nnormal\n");
}

#[test]
fn a_status_that_only_looks_normal_is_quoted_escaped() {
    // Before: stdout `normal`, exit 1, and "b1-br09 is normal, neither
    // creating nor normal".
    let out = wait_on(
        r#"{"total":1,"backups":[{"id":"b1-br09","instance_id":"i1-in09","status":"normal\u200b"}]}"#,
    );
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "normal\\u{200b}\n");
    assert_eq!(
        stderr,
        "error: b1-br09 is normal\\u{200b}, neither creating nor normal; nothing to wait for\n"
    );
}

#[test]
fn a_list_cut_at_its_cap_is_not_called_a_missing_backup() {
    // A server that ignores the instance filter: full pages of another
    // instance's backups for ever. Before, wait said the backup "is not in
    // the backup list" and restore-check made that a blocker (exit 3).
    let endless = || {
        Hostile::start(|head| {
            if !head.path().ends_with("/backups") {
                return super::readiness_edges::answer_default(head);
            }
            let row = r#"{"id":"o1-br09","instance_id":"other-in09","status":"normal"}"#;
            json(&format!(
                r#"{{"total":1000000000,"backups":[{}]}}"#,
                vec![row; 128].join(",")
            ))
        })
    };
    let server = endless();
    let out = super::wait::wait(&server, "b1-br09", &[]);
    let (stdout, stderr) = streams(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.starts_with(
            "error: stopped: the backup was not found before the listing's cap, after 100096 rows"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("not in the backup list"), "{stderr}");
    let out = super::readiness_edges::check_on(&server, "json");
    let (stdout, stderr) = streams(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed call, not a blocker: {stderr}"
    );
    assert!(
        stderr.contains("error: ListBackups failed: stopped: the backup was not found"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["blockers"], serde_json::json!([]), "{v}");
}

//! Bodies of millions of tiny elements: each `{}` is 3 bytes of body but
//! would be a struct a hundred times larger, so only as many as are used
//! may be built.

use std::time::Duration;

use super::measure::{Measured, run_logged};
use super::server::{Answer, Home, Hostile, response};

const INSTANCE: &str = "demo-in09";
/// The peak RSS the binary must stay under. Without the bounded parse a
/// listing of such a page reached 1.5 GB.
const LIMIT: u64 = 200 * 1024 * 1024;
/// Just under the 16 MiB body cap at 3 bytes an element.
const TINY: usize = 5_500_000;

/// `{"<key>":[{},{},...],<tail>}` with `n` empty objects, written once.
fn tiny_body(key: &str, n: usize, tail: &str) -> Vec<u8> {
    let mut body = Vec::with_capacity(n * 3 + 64);
    body.extend_from_slice(format!(r#"{{"{key}":["#).as_bytes());
    for i in 0..n {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(b"{}");
    }
    body.extend_from_slice(format!("]{tail}}}").as_bytes());
    body
}

fn answer(status: u16, body: &std::sync::Arc<Vec<u8>>) -> Answer {
    response(status, &[("Content-Type", "application/json")], body)
}

/// Runs the binary against a server that always sends `body`; returns its
/// exit code, stdout, stderr and peak RSS.
fn run_against(body: Vec<u8>, args: &[&str]) -> Measured {
    run_against_status(200, body, args, LIMIT * 2)
}

/// [`run_against`] with another status, killing the binary past `kill_at`.
fn run_against_status(status: u16, body: Vec<u8>, args: &[&str], kill_at: u64) -> Measured {
    assert!(body.len() < 16 * 1024 * 1024, "{} bytes", body.len());
    let body = std::sync::Arc::new(body);
    let server = Hostile::start(move |_| answer(status, &body));
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    let mut command = home.cmd();
    command.arg("--config").arg(&config).args(args);
    run_logged(
        command,
        kill_at,
        Duration::from_secs(60),
        &format!("{args:?}"),
    )
}

#[test]
fn a_page_of_millions_of_empty_instances_is_read_in_bounded_memory() {
    let body = tiny_body("instances", TINY, r#","total_record":5500000"#);
    let (code, stdout, stderr, peak) = run_against(body, &["instances", "--output", "json"]);
    assert!(peak < LIMIT, "peak RSS {peak} bytes; {stderr}");
    assert_eq!(code, Some(0), "{stderr}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout).expect("JSON rows");
    assert_eq!(rows.len(), 100, "the default limit");
    assert!(stderr.contains("showed 100 of 5500000"), "{stderr}");
}

#[test]
fn a_page_of_millions_of_empty_backups_is_read_in_bounded_memory() {
    // Empty rows name no instance, so none is kept: all are built (one at a
    // time) and refused, and the listing stops at its scan cap.
    let body = tiny_body("backups", TINY, r#","total":5500000"#);
    let (code, stdout, stderr, peak) = run_against(
        body,
        &[
            "backups",
            "--instance",
            INSTANCE,
            "--all",
            "--output",
            "json",
        ],
    );
    assert!(peak < LIMIT, "peak RSS {peak} bytes; {stderr}");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.trim(), "[]");
    // Rows that are this instance's, past the cap: kept up to it.
    let row = format!(r#"{{"instance_id":"{INSTANCE}"}}"#);
    let mut body = br#"{"backups":["#.to_vec();
    let n = 15 * 1024 * 1024 / (row.len() + 1);
    for i in 0..n {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(row.as_bytes());
    }
    body.extend_from_slice(b"]}");
    let (code, stdout, stderr, peak) = run_against(
        body,
        &[
            "backups",
            "--instance",
            INSTANCE,
            "--limit",
            "100",
            "--output",
            "json",
        ],
    );
    assert!(peak < LIMIT, "peak RSS {peak} bytes; {stderr}");
    assert_eq!(code, Some(0), "{stderr}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout).expect("JSON rows");
    assert_eq!(rows.len(), 100);
    assert!(stderr.contains("showed 100"), "{stderr}");
}

#[test]
fn a_backup_with_millions_of_empty_nodes_is_cut_and_says_so() {
    let body = tiny_body("related_data_nodes", TINY, r#","id":"ok-br09""#);
    let (code, stdout, stderr, peak) = run_against(
        body,
        &[
            "show",
            "--instance",
            INSTANCE,
            "--backup",
            "ok-br09",
            "--output",
            "json",
        ],
    );
    assert!(peak < LIMIT, "peak RSS {peak} bytes; {stderr}");
    assert_eq!(code, Some(0), "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let kept = value["related_data_nodes"].as_array().expect("nodes").len();
    assert_eq!(kept, ddm_backups::api::MAX_NODES);
    assert!(
        stderr.contains("the server sent 5500000 related data nodes; showed the first 100000"),
        "{stderr}"
    );
}

/// `[0,0,...]` just under the 16 MiB body cap, wrapped as `{head}[...]{tail}`.
fn zeros(head: &str, tail: &str) -> Vec<u8> {
    let n = 8_000_000;
    let mut body = Vec::with_capacity(n * 2 + head.len() + tail.len() + 2);
    body.extend_from_slice(head.as_bytes());
    body.push(b'[');
    for i in 0..n {
        if i > 0 {
            body.push(b',');
        }
        body.push(b'0');
    }
    body.push(b']');
    body.extend_from_slice(tail.as_bytes());
    body
}

/// Peak RSS of JSON bodies that are refused, not used: they are checked
/// and classified without being built. Before, each was built into a value
/// tree about 16 times its size (a 500 with 16 MiB of `[0,...]`: 278 MiB
/// for `show`; four of them in one `restore-check`).
const REFUSED_LIMIT: u64 = 120 * 1024 * 1024;

#[test]
fn a_500_whose_body_is_a_16_mib_json_array_is_classified_in_bounded_memory() {
    for args in [
        &["show", "--instance", INSTANCE, "--backup", "ok-br09"][..],
        &[
            "restore-check",
            "--instance",
            INSTANCE,
            "--backup",
            "ok-br09",
        ],
    ] {
        let (code, _, stderr, peak) =
            run_against_status(500, zeros("", ""), args, REFUSED_LIMIT * 4);
        assert!(
            peak < REFUSED_LIMIT,
            "{args:?}: peak RSS {peak} bytes; {stderr}"
        );
        assert_eq!(code, Some(1), "{stderr}");
        // JSON, so not "not JSON": in no known error shape.
        assert!(
            stderr.contains("HTTP 500 Internal Server Error (server error): JSON, but not in a known error shape: [0,0,0"),
            "{stderr}"
        );
        assert!(!stderr.contains("not JSON"), "{stderr}");
    }
}

#[test]
fn a_wrong_shaped_200_is_named_in_bounded_memory() {
    let body = zeros(r#"{"pad":"#, r#","id":5}"#);
    let (code, _, stderr, peak) = run_against_status(
        200,
        body,
        &["show", "--instance", INSTANCE, "--backup", "ok-br09"],
        REFUSED_LIMIT * 4,
    );
    assert!(peak < REFUSED_LIMIT, "peak RSS {peak} bytes; {stderr}");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("not in the documented shape: id: expected a string, got a number"),
        "{stderr}"
    );
}

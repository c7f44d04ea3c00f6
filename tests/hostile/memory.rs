//! Bodies of millions of tiny elements: each `{}` is 3 bytes of body but
//! would be a struct a hundred times larger, so only as many as are used
//! may be built.

use std::time::Duration;

use super::measure::run_measured;
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

fn answer(body: &std::sync::Arc<Vec<u8>>) -> Answer {
    response(200, &[("Content-Type", "application/json")], body)
}

/// Runs the binary against a server that always sends `body`; returns its
/// exit code, stdout, stderr and peak RSS.
fn run_against(body: Vec<u8>, args: &[&str]) -> (Option<i32>, String, String, u64) {
    assert!(body.len() < 16 * 1024 * 1024, "{} bytes", body.len());
    let body = std::sync::Arc::new(body);
    let server = Hostile::start(move |_| answer(&body));
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    let mut command = home.cmd();
    command.arg("--config").arg(&config).args(args);
    let (out, peak, elapsed) = run_measured(command, LIMIT * 2, Duration::from_secs(60));
    eprintln!(
        "{args:?}: peak RSS {} MiB, {:.1} s",
        peak / (1024 * 1024),
        elapsed.as_secs_f32()
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        peak,
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

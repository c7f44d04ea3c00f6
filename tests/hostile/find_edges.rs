//! `find` against rows whose every string is hostile and whose dates lie
//! past year 9999 in UTC: the table and the JSON stay terminal-safe, and
//! no date ends the program.

use std::process::Output;

use super::server::{Home, Hostile, json};

/// An OSC 52 clipboard write, a bell, a bidi override and a line separator.
const EVIL: &str = "x\\u001b]52;c;aGk=\\u0007\\u202e\\u2028y-orders";

fn find(body: String, format: &str) -> Output {
    find_for(body, "orders", format)
}

fn find_for(body: String, query: &str, format: &str) -> Output {
    let server = Hostile::start(move |_| json(&body));
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    home.cmd()
        .env("COLUMNS", "200")
        .arg("--config")
        .arg(&config)
        .args(["find", query, "--output", format])
        .output()
        .expect("run")
}

fn rows() -> String {
    format!(
        r#"{{"total":2,"backups":[
        {{"id":"b1-br09","name":"{EVIL}","instance_id":"{EVIL}","instance_name":"{EVIL}",
          "status":"{EVIL}","created":"{EVIL}"}},
        {{"id":"b2-br09","name":"orders","created":"9999-12-31T23:59:59-1400"}}]}}"#
    )
}

#[test]
fn hostile_rows_print_safely_and_a_date_past_9999_does_not_panic() {
    for format in ["text", "json"] {
        let out = find(rows(), format);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Before, the text table panicked converting the date to UTC (101).
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let stdout = String::from_utf8(out.stdout).expect("UTF-8");
        for text in [stdout.as_str(), &stderr] {
            assert!(
                text.chars()
                    .all(|c| c == '\n' || !ddm_backups::terminal_text::is_unsafe(c)),
                "{format}: {text:?}"
            );
        }
        if format == "text" {
            assert!(stdout.contains("x]52;c;aGk= y-orders"), "{stdout}");
            // The date is shown as sent rather than as a UTC time.
            assert!(stdout.contains("9999-12-31T23:59:59-1400"), "{stdout}");
        } else {
            let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            // Newest first: the unreadable date goes last.
            assert_eq!(v[0]["created"], "9999-12-31T23:59:59-1400");
            assert_eq!(
                v[1]["status"],
                "x\u{1b}]52;c;aGk=\u{7}\u{202e}\u{2028}y-orders"
            );
        }
    }
}

#[test]
fn results_are_newest_first_by_time_whatever_offset_the_server_writes() {
    // As text the order would be b1, b2, b3; as times (UTC 07:00, 10:00,
    // 14:00) it is b3, b2, b1, and the undated b4 last.
    let body = r#"{"total":4,"backups":[
        {"id":"b1-br09","name":"orders-1","created":"2025-06-01T15:00:00+0800"},
        {"id":"b4-br09","name":"orders-4"},
        {"id":"b2-br09","name":"orders-2","created":"2025-06-01T10:00:00+0000"},
        {"id":"b3-br09","name":"orders-3","created":"2025-06-01T09:00:00-0500"}]}"#;
    let out = find(body.to_string(), "json");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["backup_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["b3-br09", "b2-br09", "b1-br09", "b4-br09"]);
}

#[test]
fn a_greek_name_is_found_by_itself_and_by_its_end() {
    // Before, `find ΟΔΥΣΣΕΥΣ` and `find ΕΥΣ` found nothing (the query's
    // final Σ became ς, the rows' σ) while `find οδυσσευσ` found it.
    let body =
        r#"{"total":1,"backups":[{"id":"b1-br09","name":"ΟΔΥΣΣΕΥΣ","instance_id":"i1-in09"}]}"#;
    for query in ["ΟΔΥΣΣΕΥΣ", "ΕΥΣ", "οδυσσευσ", "οδυσσευς"] {
        let out = find_for(body.to_string(), query, "json");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{query}: {stderr}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v[0]["backup_id"], "b1-br09", "{query}: {v}");
    }
}

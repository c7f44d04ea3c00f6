//! `restore-check` against answers that are valid JSON but not what they
//! seem: a body that is an array, times with an offset, a window that ends
//! before it starts, lists longer than the caps. Each must fail the call
//! or show up as a blocker, never pass as an established fact.

use std::process::Output;

use serde_json::Value;

use super::server::{Answer, Head, Home, Hostile, json, stderr};

/// What each of the five calls answers (ShowBackup has one node, n1).
pub struct Answers {
    pub row: String,
    pub windows: String,
    pub related: String,
    pub targets: String,
}

impl Default for Answers {
    fn default() -> Self {
        Answers {
            row:
                r#"{"total":1,"backups":[{"id":"b1-br09","instance_id":"i1-in09","status":"normal",
                "created":"2025-06-01T00:00:00+0000"}]}"#
                    .into(),
            windows: r#"{"restorable_time_intervals":[{"start_time":"2025-06-01T00:00:00+0000",
                "end_time":"2025-06-02T00:00:00+0000"}]}"#
                .into(),
            related: r#"{"related_data_nodes":[{"instance_id":"n1-in01"}]}"#.into(),
            targets: r#"{"instances":[{"instance_id":"t1-in09","available":true}]}"#.into(),
        }
    }
}

fn answer(a: &Answers, head: &Head) -> Answer {
    let p = head.path();
    if p.ends_with("/backups") {
        json(&a.row)
    } else if p.ends_with("restorable-time-interval") {
        json(&a.windows)
    } else if p.ends_with("related-dn") {
        json(&a.related)
    } else if p.ends_with("restorable-instances") {
        json(&a.targets)
    } else {
        json(
            r#"{"id":"b1-br09","name":"n","instance_id":"i1-in09","instance_name":"i",
            "related_data_nodes":[{"instance_id":"n1-in01","instance_name":"a"}]}"#,
        )
    }
}

/// The default answer to `head`, for servers that change only one call.
pub fn answer_default(head: &Head) -> Answer {
    answer(&Answers::default(), head)
}

/// Runs `restore-check --output FORMAT` against a server giving `answers`.
pub fn check(answers: Answers, format: &str) -> Output {
    check_on(&Hostile::start(move |head| answer(&answers, head)), format)
}

/// Runs `restore-check --output FORMAT` for i1-in09/b1-br09 against `server`.
pub fn check_on(server: &Hostile, format: &str) -> Output {
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    home.cmd()
        .env("COLUMNS", "120")
        .env("TZ", "UTC")
        .arg("--config")
        .arg(&config)
        .args([
            "restore-check",
            "--instance",
            "i1-in09",
            "--backup",
            "b1-br09",
        ])
        .args(["--output", format])
        .output()
        .expect("run")
}

pub fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn the_answers_alone_pass() {
    // The baseline the other tests change one answer of.
    let out = check(Answers::default(), "json");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(report(&out)["blockers"], serde_json::json!([]));
}

#[test]
fn an_array_body_is_a_failed_call_not_an_empty_answer() {
    // serde reads a struct from an array; `[]` used to pass as "no windows"
    // (a blocker nobody established) and `[[node]]` as the nodes now.
    let out = check(
        Answers {
            windows: "[]".into(),
            ..Answers::default()
        },
        "json",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = report(&out);
    assert!(v["windows"].is_null(), "{v}");
    assert_eq!(v["failed"][0]["call"], "restorable-time-interval");
    let error = v["failed"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("the body: expected an object, got a list"),
        "{error}"
    );
    assert_eq!(v["blockers"], serde_json::json!([]), "no made-up blocker");
    let out = check(
        Answers {
            related: r#"[[{"instance_id":"n9-in01"}]]"#.into(),
            ..Answers::default()
        },
        "json",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: related-dn failed: HTTP 200"),
        "{}",
        stderr(&out)
    );
    assert!(report(&out)["nodes"].is_null());
}

#[test]
fn json_times_are_utc_whatever_offset_the_server_writes() {
    let out = check(
        Answers {
            row: r#"{"backups":[{"id":"b1-br09","instance_id":"i1-in09","status":"normal",
                "created":"2025-06-01T08:00:00+0800"}]}"#
                .into(),
            windows: r#"{"restorable_time_intervals":[
                {"start_time":"2025-06-01T08:00:00.250+0800","end_time":"2025-06-02T00:00:00-0130"},
                {"start_time":"0000-01-01T00:00:00+1400","end_time":"9999-12-31T23:59:59-1400"}]}"#
                .into(),
            ..Answers::default()
        },
        "json",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(v["backup"]["created"], "2025-06-01T00:00:00Z");
    // Year 9999 at -14:00 is year 10000 in UTC: not a time RFC 3339 has.
    assert_eq!(v["windows"][0]["end"], Value::Null, "{v}");
    assert_eq!(v["windows"][1]["start"], "2025-06-01T00:00:00.25Z");
    assert_eq!(v["windows"][1]["end"], "2025-06-02T01:30:00Z");
    assert_eq!(v["latest_restorable_time"], Value::Null);
}

#[test]
fn a_window_that_ends_before_it_starts_is_no_window() {
    // Before, its end was the latest restorable time and the check passed.
    let inverted = || Answers {
        windows: r#"{"restorable_time_intervals":[{"start_time":"2025-06-03T00:00:00+0000",
            "end_time":"2025-06-02T00:00:00+0000"}]}"#
            .into(),
        ..Answers::default()
    };
    let out = check(inverted(), "json");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(
        v["blockers"],
        serde_json::json!(["the instance has no point-in-time restore window"])
    );
    assert_eq!(
        v["windows"][0]["end"], "2025-06-02T00:00:00Z",
        "shown as sent"
    );
    assert!(
        v["latest_restorable_time"].is_null() && v["nodes"].is_null(),
        "{v}"
    );
    let out = check(inverted(), "text");
    assert_eq!(out.status.code(), Some(3));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.contains(
            "2025-06-03 00:00:00  to  2025-06-02 00:00:00  (ends before it starts: not counted)"
        ),
        "{page}"
    );
}

#[test]
fn lists_longer_than_the_caps_are_blockers_not_a_pass() {
    use ddm_backups::api::MAX_RESTORE_ROWS;
    // n1 (the backup's one node) comes first, so it is compared and found;
    // before, nothing said the rest were never read, and the check passed.
    let window =
        r#"{"start_time":"2025-06-01T00:00:00+0000","end_time":"2025-06-02T00:00:00+0000"}"#;
    let windows = vec![window; MAX_RESTORE_ROWS + 3].join(",");
    let mut nodes = vec![r#"{"instance_id":"n1-in01"}"#.to_string()];
    nodes.extend((0..MAX_RESTORE_ROWS + 4).map(|i| format!(r#"{{"instance_id":"x{i}-in01"}}"#)));
    let out = check(
        Answers {
            windows: format!(r#"{{"restorable_time_intervals":[{windows}]}}"#),
            related: format!(r#"{{"related_data_nodes":[{}]}}"#, nodes.join(",")),
            ..Answers::default()
        },
        "json",
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let v = report(&out);
    let read = MAX_RESTORE_ROWS;
    // One page of more than the cap, with no total: how many more is
    // not known (the rest were never read).
    assert_eq!(
        v["blockers"],
        serde_json::json!([
            format!(
                "the server lists more than {read} restore windows; only the first {read} were read, so a blocker may be missing"
            ),
            format!(
                "the server lists more than {read} data nodes at the restore time; only the first {read} were read, so a blocker may be missing"
            ),
        ])
    );
    assert_eq!(v["nodes"][0]["coverage"], "both");
}

#[test]
fn an_endless_target_list_is_a_blocker_even_with_one_available() {
    // Full pages for ever, claiming a billion; the first target is available.
    let server = Hostile::start(|head| {
        if !head.path().ends_with("restorable-instances") {
            return answer(&Answers::default(), head);
        }
        let first = head.query("offset") == Some("0");
        let mut rows = vec![r#"{"available":false}"#; 128];
        if first {
            rows[0] = r#"{"instance_id":"t1-in09","available":true}"#;
        }
        json(&format!(
            r#"{{"instances":[{}],"total":1000000000}}"#,
            rows.join(",")
        ))
    });
    let out = check_on(&server, "json");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let v = report(&out);
    let read = ddm_backups::api::ListLimit::ALL.max_rows;
    assert_eq!(v["targets"].as_array().unwrap().len(), read);
    assert_eq!(
        v["blockers"],
        serde_json::json!([format!(
            "only {read} of 1000000000 restore targets were read, so a blocker may be missing"
        )])
    );
}

#[test]
fn a_related_dn_answer_that_never_ends_stops_at_the_body_cap() {
    // No Content-Length and no end: `{},` for ever, from a server that
    // answers everything else honestly.
    let server = Hostile::start(|head| {
        if !head.path().ends_with("related-dn") {
            return answer(&Answers::default(), head);
        }
        let head =
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
        let mut bytes = head.to_vec();
        bytes.extend_from_slice(br#"{"related_data_nodes":["#);
        let piece = b"{},".repeat(64 * 1024);
        Answer::Stream(bytes, Box::new(move || Some(piece.clone())))
    });
    let out = check_on(&server, "json");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "error: related-dn failed: HTTP 200 OK, but the body is over the 16 MiB limit"
        ),
        "{err}"
    );
    let v = report(&out);
    assert!(v["nodes"].is_null(), "{v}");
    assert_eq!(
        v["windows"].as_array().unwrap().len(),
        1,
        "the rest still prints"
    );
}

#[test]
fn a_count_that_is_no_whole_number_is_named_in_the_failed_call() {
    let out = check(
        Answers {
            targets: r#"{"instances":[],"total":-1}"#.into(),
            ..Answers::default()
        },
        "json",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "error: restorable-instances failed: HTTP 200 OK, but the JSON is not in the \
             documented shape: total: expected a whole number, got -1"
        ),
        "{}",
        stderr(&out)
    );
}

/// ShowBackup names twelve nodes, n00..n11; related-dn and the windows
/// send ten a page whatever `limit` says, with a total of 12.
fn ten_of_twelve(head: &Head) -> Answer {
    twelve_paged(head, 10)
}

/// The same twelve, paged as the service pages them: `limit` honoured
/// up to `cap`, 10 when it is not sent.
fn twelve_paged(head: &Head, cap: usize) -> Answer {
    let p = head.path();
    let offset: usize = head
        .query("offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let limit: usize = head
        .query("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(10)
        .min(cap);
    let end = offset.saturating_add(limit).min(12);
    let nodes = |range: std::ops::Range<usize>| {
        range
            .map(|i| format!(r#"{{"instance_id":"n{i:02}-in01","instance_name":"shard-{i:02}"}}"#))
            .collect::<Vec<_>>()
            .join(",")
    };
    if p.ends_with("related-dn") {
        json(&format!(
            r#"{{"related_data_nodes":[{}],"total":12,"latest_restorable_time":"2025-05-12T22:00:00+0000"}}"#,
            nodes(offset.min(end)..end)
        ))
    } else if p.ends_with("restorable-time-interval") {
        let windows: Vec<String> = (offset.min(end)..end)
            .map(|i| {
                let day = i + 1;
                format!(
                    r#"{{"start_time":"2025-05-{day:02}T00:00:00+0000","end_time":"2025-05-{day:02}T22:00:00+0000"}}"#
                )
            })
            .collect();
        json(&format!(
            r#"{{"restorable_time_intervals":[{}],"total":12}}"#,
            windows.join(",")
        ))
    } else if p.ends_with("/backups") || p.ends_with("restorable-instances") {
        answer_default(head)
    } else {
        json(&format!(
            r#"{{"id":"b1-br09","name":"n","instance_id":"i1-in09","instance_name":"i","related_data_nodes":[{}]}}"#,
            nodes(0..12)
        ))
    }
}

#[test]
fn rows_the_server_did_not_send_are_unread_not_gone() {
    // Before, the client sent no paging and never compared `total`: nodes
    // 11 and 12 were "in the backup but not in the instance now".
    let server = Hostile::start(ten_of_twelve);
    let out = check_on(&server, "json");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(
        v["blockers"],
        serde_json::json!([
            "only 10 of 12 restore windows were read, so a blocker may be missing",
            "only 10 of 12 data nodes at the restore time were read, so a blocker may be missing",
        ])
    );
    let coverage = |c: &str| -> Vec<String> {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["coverage"] == c)
            .map(|n| n["instance_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(coverage("both").len(), 10, "{v}");
    assert_eq!(coverage("unknown"), ["n10-in01", "n11-in01"], "{v}");
    assert!(coverage("backup_only").is_empty(), "{v}");
    let out = check_on(&server, "text");
    assert_eq!(out.status.code(), Some(3));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("unknown: not read"), "{page}");
    assert!(!page.contains("only in backup"), "{page}");
    assert!(!page.contains("not in the instance now"), "{page}");
}

#[test]
fn twelve_nodes_over_two_default_pages_pass() {
    // The service pages related-dn and the windows ten at a time unless
    // told otherwise. Before, the client sent no paging: nodes 11 and 12
    // were gone, exit 3.
    let server = Hostile::start(|head| twelve_paged(head, 128));
    let out = check_on(&server, "json");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(v["blockers"], serde_json::json!([]));
    assert_eq!(v["nodes"].as_array().unwrap().len(), 12);
    assert_eq!(v["windows"].as_array().unwrap().len(), 12);
    assert_eq!(v["windows"][0]["end"], "2025-05-12T22:00:00Z");
}

#[test]
fn the_nodes_are_compared_at_the_time_asked_whatever_related_dn_says() {
    // related-dn is asked at the window's end (2025-06-02) and says the
    // latest restorable time is 2025-06-05, in no window. Before, the text
    // said the nodes were "at 2025-06-05" and printed it as the latest
    // restorable time.
    let out = check(
        Answers {
            related: r#"{"related_data_nodes":[{"instance_id":"n1-in01"}],
                "latest_restorable_time":"2025-06-05T00:00:00+0000"}"#
                .into(),
            ..Answers::default()
        },
        "text",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.contains("Data nodes: in the backup, and at 2025-06-02 00:00:00\n"),
        "{page}"
    );
    assert!(
        page.contains(
            "related-dn's latest restorable time 2025-06-05 00:00:00 is outside every window"
        ),
        "{page}"
    );
    assert!(!page.contains("; latest restorable time"), "{page}");
}

#[test]
fn a_status_that_only_looks_normal_is_quoted_escaped() {
    // Before: "Status normal" and the blocker "the backup is normal, not
    // normal".
    let out = check(
        Answers {
            row: r#"{"total":1,"backups":[{"id":"b1-br09","instance_id":"i1-in09",
                "status":"normal\u200b","created":"2025-06-01T00:00:00+0000"}]}"#
                .into(),
            ..Answers::default()
        },
        "text",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        text.contains("  - the backup is normal\\u{200b}, not normal\n"),
        "{text}"
    );
    assert!(text.contains("Status         normal\\u{200b}\n"), "{text}");
    assert!(!text.contains("normal, not normal"), "{text}");
}

#[test]
fn a_failed_call_with_blockers_exits_one_and_says_incomplete_first() {
    // related-dn fails and no target is available: the blocker is shown,
    // but the check is incomplete, so the exit is 1, never 3 or 0.
    let server = Hostile::start(|head| {
        if head.path().ends_with("related-dn") {
            super::server::response(
                404,
                &[("Content-Type", "application/json")],
                br#"{"errCode":"DBS.280404","externalMessage":"Not found."}"#,
            )
        } else if head.path().ends_with("restorable-instances") {
            json(r#"{"instances":[{"instance_id":"t1-in09","available":false}],"total":1}"#)
        } else {
            answer_default(head)
        }
    });
    let out = check_on(&server, "json");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(v["complete"], false);
    assert_eq!(
        v["blockers"],
        serde_json::json!(["none of the 1 restore targets says it is available"])
    );
    let out = check_on(&server, "text");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    let headline = page
        .find("Check incomplete: related-dn failed, so blockers may be missing")
        .unwrap_or_else(|| panic!("{page}"));
    let blockers = page.find("Blockers (1) in what loaded:").unwrap();
    assert!(headline < blockers, "{page}");
}

//! `restore-check` as a script runs it: each exit code, the JSON keys and
//! values, the text page's coverage words and blockers, a failing call
//! named on stderr, usage errors before any request, and a server whose
//! every string is hostile.

use std::process::Output;

use ddm_backups::demo;
use serde_json::Value;

use super::readiness_edges::check_on;
use super::server::{Head, Home, Hostile, json, stderr};

fn run(home: &Home, args: &[&str]) -> Output {
    home.cmd()
        .env("COLUMNS", "200")
        .args(args)
        .output()
        .expect("run")
}

fn check_demo(backup_instance: (&str, &str), extra: &[&str]) -> Output {
    let (instance, backup) = backup_instance;
    let home = Home::new();
    let mut args = vec![
        "restore-check",
        "--demo",
        "--instance",
        instance,
        "--backup",
        backup,
    ];
    args.extend_from_slice(extra);
    run(&home, &args)
}

fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn ids_with(v: &Value, list: &str, key: &str, value: &Value) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("{list} is not a list: {v}"))
        .iter()
        .filter(|row| &row[key] == value)
        .map(|row| row["instance_id"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn blockers_exit_three_and_the_json_has_every_key() {
    let out = check_demo((demo::DEMO_INSTANCE_ID, "nodes-br09"), &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let v = report(&out);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "backup",
            "blockers",
            "failed",
            "latest_restorable_time",
            "nodes",
            "nodes_at",
            "targets",
            "windows"
        ]
    );
    let backup = &v["backup"];
    assert_eq!(backup["id"], "nodes-br09");
    assert_eq!(backup["instance_id"], demo::DEMO_INSTANCE_ID);
    assert_eq!(backup["status"], "normal");
    assert!(backup["name"].is_string() && backup["instance_name"].is_string());
    assert!(
        backup["created"].as_str().unwrap().ends_with('Z'),
        "{backup}"
    );
    assert_eq!(v["windows"].as_array().unwrap().len(), 2);
    assert_eq!(v["windows"][0]["end"], "2025-06-29T08:30:00Z");
    assert_eq!(v["latest_restorable_time"], "2025-06-29T08:30:00Z");
    let gone = ids_with(&v, "nodes", "coverage", &"backup_only".into());
    let added = ids_with(&v, "nodes", "coverage", &"added".into());
    let both = ids_with(&v, "nodes", "coverage", &"both".into());
    assert_eq!(gone, [demo::GONE_NODE_ID]);
    assert_eq!(added, [demo::ADDED_NODE_ID]);
    assert_eq!(both.len(), 5);
    let kept = &v["nodes"][0];
    assert_eq!(kept["size_bytes"], 40u64 * 1024 * 1024 * 1024);
    assert_eq!(
        (&kept["engine"], &kept["version"]),
        (&"MySQL".into(), &"8.0.28".into())
    );
    assert_eq!(kept["status"], "ACTIVE");
    let unavailable = ids_with(&v, "targets", "available", &false.into());
    assert_eq!(unavailable, [demo::UNAVAILABLE_TARGET_ID]);
    assert!(
        v["targets"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("2.4.1")
    );
    let blockers = v["blockers"].as_array().unwrap();
    assert_eq!(blockers.len(), 1, "{v}");
    assert!(blockers[0].as_str().unwrap().contains(demo::GONE_NODE_ID));
    assert_eq!(v["failed"], serde_json::json!([]));
}

#[test]
fn no_blockers_exit_zero() {
    // empty-br09 names no data nodes, so none can be gone; it is normal,
    // the instance has windows, and two of its targets are available.
    let out = check_demo((demo::DEMO_INSTANCE_ID, "empty-br09"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(v["blockers"], serde_json::json!([]));
    assert_eq!(v["failed"], serde_json::json!([]));
    assert_eq!(ids_with(&v, "nodes", "coverage", &"added".into()).len(), 6);
}

#[test]
fn nodes_and_windows_past_one_default_page_pass() {
    // shards-in09 has twelve of each; the service pages ten by default.
    // Before, nodes 11 and 12 were "in the backup but not in the instance
    // now": two false blockers, exit 3.
    let out = check_demo((demo::SHARDS_INSTANCE_ID, demo::SHARDS_BACKUP_ID), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(v["blockers"], serde_json::json!([]));
    assert_eq!(v["windows"].as_array().unwrap().len(), demo::SHARDS);
    assert_eq!(v["windows"][0]["end"], "2025-06-28T22:00:00Z");
    let both = ids_with(&v, "nodes", "coverage", &"both".into());
    assert_eq!(both.len(), demo::SHARDS, "{v}");
    assert_eq!(v["nodes"].as_array().unwrap().len(), demo::SHARDS);
}

#[test]
fn a_failed_call_exits_one_names_it_and_the_rest_still_prints() {
    let out = check_demo((demo::PAGES_INSTANCE_ID, "archive-001-br09"), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("error: related-dn failed: HTTP 500"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let v = report(&out);
    assert!(v["nodes"].is_null(), "a failed section is null: {v}");
    assert_eq!(v["failed"][0]["call"], "related-dn");
    assert!(
        v["failed"][0]["error"]
            .as_str()
            .unwrap()
            .contains("DBS.300005")
    );
    assert_eq!(v["failed"].as_array().unwrap().len(), 1);
    // What loaded is still there.
    assert_eq!(v["backup"]["status"], "normal");
    assert_eq!(v["targets"].as_array().unwrap().len(), 3);
    assert_eq!(v["windows"].as_array().unwrap().len(), 2);
    // Text too, with the call and why the nodes are missing.
    let out = check_demo(
        (demo::PAGES_INSTANCE_ID, "archive-001-br09"),
        &["--output", "text"],
    );
    assert_eq!(out.status.code(), Some(1));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("(related-dn failed: see below)"), "{page}");
    assert!(page.contains("Failed calls"), "{page}");
    assert!(page.contains("  related-dn: HTTP 500"), "{page}");
}

#[test]
fn text_shows_coverage_words_and_blockers_first() {
    let out = check_demo(
        (demo::DEMO_INSTANCE_ID, "nodes-br09"),
        &["--output", "text"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let page = String::from_utf8(out.stdout).unwrap();
    let blockers = page.find("Blockers (1): facts to check before a restore, not a verdict");
    let windows = page.find("Restore windows (local time, newest first)");
    assert!(blockers.unwrap() < windows.unwrap(), "{page}");
    for words in [
        "COVERAGE",
        "in backup and now",
        "only in backup",
        "added since",
        "rds-orders-shard-05",
        demo::GONE_NODE_ID,
        "40.0 GB",
        "ddm-legacy-reports is not available: The target's engine version 2.4.1",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    // At 80 columns the table keeps names, coverage and IDs, and says what
    // it left out.
    let home = Home::new();
    let out = home
        .cmd()
        .env("COLUMNS", "80")
        .args(["restore-check", "--demo", "--instance", "demo-in09"])
        .args(["--backup", "nodes-br09", "--output", "text"])
        .output()
        .expect("run");
    let page = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(page.contains("only in backup") && page.contains(demo::ADDED_NODE_ID));
    let note = stderr(&out);
    assert!(note.contains("left out to fit 80 columns"), "{note}");
    // Both tables may leave out STATUS; the note names it once.
    let named = note.split(" left out").next().unwrap_or_default();
    let headers: Vec<&str> = named.trim_start_matches("note: ").split(", ").collect();
    for h in &headers {
        assert_eq!(headers.iter().filter(|x| *x == h).count(), 1, "{note}");
    }
    // Piped with no COLUMNS: every column and name whole, nothing on stderr.
    let out = home
        .cmd()
        .env_remove("COLUMNS")
        .args(["restore-check", "--demo", "--instance", "demo-in09"])
        .args(["--backup", "nodes-br09", "--output", "text"])
        .output()
        .expect("run");
    let page = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(stderr(&out), "", "{page}");
    assert!(!page.contains('…') && page.contains("STATUS"), "{page}");
}

#[test]
fn usage_errors_exit_two_before_any_request() {
    let server = Hostile::start(|_| json("{}"));
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    for (instance, backup) in [(".", "b1-br09"), ("i1-in09", "a b"), ("", "b1")] {
        let out = home
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(["restore-check", "--instance", instance, "--backup", backup])
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{instance} {backup}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
    for args in [
        &["restore-check", "--instance", "i1-in09"][..],
        &[
            "restore-check",
            "--instance",
            "i1-in09",
            "--backup",
            "b1",
            "--output",
            "yaml",
        ],
    ] {
        let out = home
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    assert_eq!(server.hits(), 0, "no request was sent");
}

/// All five calls answered, every string full of what a terminal obeys.
fn hostile_everywhere(head: &Head) -> super::server::Answer {
    let evil = "x\u{1b}[2J\u{9b}31m\u{202e}\u{2028}y";
    let path = head.path();
    let body = if path.ends_with("/backups") {
        serde_json::json!({"total": 1, "backups": [{"id": "b1-br09", "instance_id": "i1-in09",
            "status": evil, "name": evil, "created": "2025-06-01T00:00:00+0000"}]})
    } else if path.ends_with("restorable-time-interval") {
        serde_json::json!({"restorable_time_intervals":
            [{"start_time": "2025-06-01T00:00:00+0000", "end_time": "2025-06-02T00:00:00+0000"}]})
    } else if path.ends_with("related-dn") {
        serde_json::json!({"related_data_nodes": [{"instance_id": "n2-in01", "instance_name": evil,
            "instance_status": evil, "engine_name": evil, "version": evil, "data_volume_size": "1e300"}]})
    } else if path.ends_with("restorable-instances") {
        serde_json::json!({"instances": [{"instance_id": "t1-in09", "instance_name": evil,
            "status": evil, "available": false, "unavailable_reason": evil}]})
    } else {
        serde_json::json!({"id": "b1-br09", "name": evil, "instance_id": "i1-in09",
            "instance_name": evil, "related_data_nodes": [{"instance_id": "n1-in01", "instance_name": evil}]})
    };
    json(&body.to_string())
}

#[test]
fn hostile_strings_reach_neither_text_nor_json_raw() {
    let server = Hostile::start(hostile_everywhere);
    for format in ["text", "json"] {
        let out = check_on(&server, format);
        // Not normal, a node gone, no target available: blockers, no failure.
        assert_eq!(out.status.code(), Some(3), "{format}: {}", stderr(&out));
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8(stream.clone()).expect("UTF-8");
            assert!(
                text.chars()
                    .all(|c| c == '\n' || !ddm_backups::terminal_text::is_unsafe(c)),
                "{format}: {text:?}"
            );
        }
        let text = String::from_utf8(out.stdout.clone()).unwrap();
        if format == "json" {
            let v = report(&out);
            assert!(v["backup"]["status"].as_str().unwrap().contains('\u{202e}'));
            assert_eq!(v["nodes"][1]["size_bytes"], u64::MAX);
        } else {
            assert!(text.contains("x[2J"), "{text}");
            assert!(text.contains("> 999 PB"), "{text}");
        }
    }
}

#[test]
fn a_closed_pipe_keeps_the_verdict_and_says_nothing() {
    let home = Home::new();
    let (code, err) = super::pipes::read_one_byte_and_close(
        &home,
        &[
            "restore-check",
            "--demo",
            "--instance",
            "demo-in09",
            "--backup",
            "nodes-br09",
        ],
    );
    // The reader leaving is not an error, and does not turn the blockers
    // into a pass either.
    assert_eq!(code, Some(3), "{err}");
    assert!(err.is_empty(), "{err}");
}

/// restore-check of a demo-in09 backup against an in-process demo.
async fn check_making(lasts: std::time::Duration, backup: &str) -> (Output, Value) {
    let (running, home, config) = super::wait::demo_making(lasts).await;
    let mut cmd = home.cmd();
    cmd.arg("--config").arg(&config).args([
        "restore-check",
        "--instance",
        demo::DEMO_INSTANCE_ID,
        "--backup",
        backup,
    ]);
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("run"))
        .await
        .expect("join");
    drop(running);
    let v = report(&out);
    (out, v)
}

#[tokio::test]
async fn a_backup_still_being_made_is_a_blocker_until_it_is_normal() {
    let (out, v) = check_making(
        std::time::Duration::from_secs(3600),
        demo::CREATING_BACKUP_ID,
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(v["backup"]["status"], "creating");
    assert_eq!(
        v["blockers"],
        serde_json::json!(["the backup is creating, not normal"])
    );
    // Once normal, its nodes are all there now: nothing blocks.
    let (out, v) = check_making(std::time::Duration::ZERO, demo::CREATING_BACKUP_ID).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let nodes = v["nodes"].as_array().unwrap();
    assert!(
        !nodes.is_empty() && nodes.iter().all(|n| n["coverage"] == "both"),
        "{v}"
    );
}

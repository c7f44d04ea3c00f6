//! `ddm-backups find`: matches from two profiles, none, a failing profile
//! (named on stderr while the other's results still print), a password
//! profile with nobody to ask, and usage errors that send nothing.

use std::os::unix::process::CommandExt;
use std::process::Output;

use super::server::{Answer, Head, Home, Hostile, json, response};

pub const PROJECT_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const PROJECT_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
pub const PROJECT_C: &str = "cccccccccccccccccccccccccccccccc";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The project of a ListBackups path, if it is one.
pub fn listed_project(head: &Head) -> Option<&str> {
    let path = head.path().strip_prefix("/v3/")?;
    let (project, rest) = path.split_once('/')?;
    (rest == "backups").then_some(project)
}

/// One page of `rows` backups named after `tag`, honouring offset and limit.
pub fn page(head: &Head, tag: &str, rows: usize) -> Answer {
    let number = |name| head.query(name).and_then(|v| v.parse::<usize>().ok());
    let offset = number("offset").unwrap_or(0);
    let limit = number("limit").unwrap_or(10);
    let backups: Vec<String> = (offset..rows.min(offset.saturating_add(limit)))
        .map(|n| {
            format!(
                r#"{{"id":"{tag}-{n:05}-br09","name":"Backup-{tag}-orders-{n}","status":"normal",
                "instance_id":"{tag}-in09","instance_name":"ddm-{tag}","created":"2025-06-01T02:00:{:02}+0000"}}"#,
                n % 60
            )
        })
        .collect();
    json(&format!(
        r#"{{"total":{rows},"backups":[{}]}}"#,
        backups.join(",")
    ))
}

/// Two token profiles on `url`: `a` (cn-north-4) and `b` (eu-west-101).
fn two_profiles(home: &Home, url: &str, more: &str) -> std::path::PathBuf {
    let profile = |name: &str, region: &str, project: &str| {
        format!(
            "[profiles.{name}]\nregion = \"{region}\"\nproject_id = \"{project}\"\nendpoint = \"{url}\"\n\
             [profiles.{name}.auth]\ntype = \"token\"\ntoken = \"tok\"\n"
        )
    };
    home.config(&format!(
        "{}{}{more}",
        profile("a", "cn-north-4", PROJECT_A),
        profile("b", "eu-west-101", PROJECT_B)
    ))
}

fn find(home: &Home, config: &std::path::Path, args: &[&str]) -> Output {
    let mut cmd = home.cmd();
    cmd.arg("--config").arg(config).arg("find").args(args);
    // No controlling terminal, as under cron: a password cannot be asked.
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd.output().expect("run the binary")
}

fn profiles_of(out: &Output) -> Vec<(String, String)> {
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    rows.as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            (
                r["profile"].as_str().unwrap_or("").to_string(),
                r["backup_id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn matches_come_from_both_profiles_with_every_field() {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(PROJECT_A) => page(head, "alpha", 300),
        Some(PROJECT_B) => page(head, "beta", 5),
        _ => response(404, &[], b"{}"),
    });
    let home = Home::new();
    let config = two_profiles(&home, &server.url, "");
    let out = find(&home, &config, &["ORDERS-1", "--output", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let found = profiles_of(&out);
    // alpha: 1, 10..19, 100..199; beta: 1.
    assert_eq!(found.iter().filter(|(p, _)| p == "a").count(), 111);
    assert_eq!(found.iter().filter(|(p, _)| p == "b").count(), 1);
    assert_eq!(found[0].0, "a", "grouped in profile order");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let last = &rows[rows.as_array().unwrap().len() - 1];
    assert_eq!(last["region"], "eu-west-101");
    assert_eq!(last["instance_id"], "beta-in09");
    assert_eq!(last["instance_name"], "ddm-beta");
    assert_eq!(last["backup_name"], "Backup-beta-orders-1");
    assert_eq!(last["status"], "normal");
    assert_eq!(last["created"], "2025-06-01T02:00:01+0000");
    assert_eq!(last.as_object().unwrap().len(), 8);
    // An ID prefix, in one profile only; and the named profile alone.
    let out = find(&home, &config, &["beta-0000", "--output", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(profiles_of(&out).len(), 5);
    let out = find(
        &home,
        &config,
        &["orders", "--profile", "b", "--output", "json"],
    );
    assert_eq!(profiles_of(&out).len(), 5, "{}", text(&out.stderr));
    // The text table fits $COLUMNS and names both profiles.
    let mut cmd = home.cmd();
    cmd.env("COLUMNS", "100")
        .arg("--config")
        .arg(&config)
        .args(["find", "orders-1", "--output", "text"]);
    let out = cmd.output().expect("run");
    let table = text(&out.stdout);
    assert!(table.starts_with("PROFILE  REGION"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
    assert!(table.contains("eu-west-101") && table.contains("beta-00001-br09"));
}

#[test]
fn nothing_found_is_exit_1_with_an_empty_array() {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(_) => page(head, "alpha", 20),
        None => response(404, &[], b"{}"),
    });
    let home = Home::new();
    let config = two_profiles(&home, &server.url, "");
    let out = find(&home, &config, &["zebra", "--output", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout).trim(), "[]");
    let err = text(&out.stderr);
    assert!(
        err.contains("no backup matches \"zebra\" in 2 profiles"),
        "{err}"
    );
    let out = find(&home, &config, &["zebra", "--output", "text"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no header over nothing");
}

#[test]
fn a_failing_profile_is_named_and_the_others_results_still_print() {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(PROJECT_A) => response(
            401,
            &[
                ("Content-Type", "application/json"),
                ("X-Request-Id", "req-7"),
            ],
            br#"{"error_code":"APIGW.0307","error_msg":"The token must be updated.\u001b[31m"}"#,
        ),
        Some(PROJECT_B) => page(head, "beta", 3),
        _ => response(404, &[], b"{}"),
    });
    let home = Home::new();
    let config = two_profiles(&home, &server.url, "");
    let out = find(&home, &config, &["orders", "--output", "json"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        profiles_of(&out).len(),
        3,
        "b's results: {}",
        text(&out.stdout)
    );
    assert!(
        err.contains("error: a (cn-north-4): HTTP 401")
            && err.contains("The token must be updated"),
        "{err}"
    );
    assert!(err.contains("request id req-7"), "{err}");
    assert!(!err.contains('\u{1b}'), "server text is cleaned: {err:?}");
    assert!(!err.contains("b (eu-west-101)"), "{err}");
}

#[test]
fn a_password_profile_with_nobody_to_ask_is_skipped_with_a_note() {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(PROJECT_A | PROJECT_B) => page(head, "alpha", 2),
        // Neither IAM nor its project may be asked: there is no password.
        _ => response(500, &[], b"{}"),
    });
    let home = Home::new();
    let more = format!(
        "[profiles.c]\nregion = \"cn-east-3\"\nproject_id = \"{PROJECT_C}\"\nendpoint = \"{0}\"\n\
         iam_endpoint = \"{0}\"\n[profiles.c.auth]\ntype = \"password\"\ndomain = \"d\"\nuser = \"u\"\n",
        server.url
    );
    let config = two_profiles(&home, &server.url, &more);
    let out = find(&home, &config, &["orders", "--output", "json"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(profiles_of(&out).len(), 4);
    assert!(err.contains("note: skipped c (cn-east-3)"), "{err}");
    assert!(!err.contains("error"), "{err}");
    assert_eq!(server.hits(), 2, "one page each for a and b, nothing for c");
}

#[test]
fn usage_errors_are_exit_2_and_send_nothing() {
    let server = Hostile::start(|head| page(head, "alpha", 2));
    let home = Home::new();
    let config = two_profiles(&home, &server.url, "");
    for args in [
        &["ab"][..],
        &["  ab  "],
        &["\u{7}ab"],
        &["orders", "--profile", "nope"],
        &["orders", "--profile", "a", "--profile", "nope"],
        &["orders", "--output", "yaml"],
    ] {
        let out = find(&home, &config, args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(err.contains("error"), "{args:?}: {err}");
    }
    let out = find(&home, &config, &["ab"]);
    assert!(text(&out.stderr).contains("at least 3 characters"));
    let out = find(&home, &config, &["orders", "--profile", "nope"]);
    assert!(text(&out.stderr).contains("no profile named \"nope\""));
    assert_eq!(server.hits(), 0);
}

#[test]
fn the_demo_finds_orders_in_both_regions_and_archive_1_in_one() {
    let home = Home::new();
    let run = |args: &[&str]| {
        let mut cmd = home.cmd();
        cmd.arg("find")
            .args(args)
            .args(["--demo", "--output", "json"]);
        cmd.output().expect("run")
    };
    let out = run(&["orders"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let found = profiles_of(&out);
    assert!(found.iter().any(|(p, _)| p == "demo"));
    assert!(found.iter().any(|(p, _)| p == "demo-eu"));
    let out = run(&["archive-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let found = profiles_of(&out);
    assert_eq!(found.len(), 100, "archive-100 to archive-199");
    assert!(found.iter().all(|(p, _)| p == "demo"));
    let out = run(&["ledger", "--profile", "demo"]);
    assert_eq!(out.status.code(), Some(1), "ledger is only in demo-eu");
}

#[test]
fn a_profile_with_more_than_the_cap_is_named() {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(PROJECT_A) => page(head, "alpha", 2500),
        Some(_) => page(head, "beta", 3),
        None => response(404, &[], b"{}"),
    });
    let home = Home::new();
    let config = two_profiles(&home, &server.url, "");
    let out = find(&home, &config, &["orders-2", "--output", "json"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // 2, 20..29, 200..299 of the first 2,000 (not 2000..2499), and beta's 2.
    assert_eq!(profiles_of(&out).len(), 111 + 1);
    assert!(
        err.contains("searched only the first 2000 backups of a "),
        "{err}"
    );
}

#[test]
fn profile_before_and_after_find_are_both_searched() {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(PROJECT_A) => page(head, "alpha", 3),
        Some(PROJECT_B) => page(head, "beta", 5),
        _ => response(404, &[], b"{}"),
    });
    let home = Home::new();
    let config = two_profiles(&home, &server.url, "");
    let out = home
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["--profile", "a", "find", "orders", "--profile", "b"])
        .args(["--output", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let found = profiles_of(&out);
    assert_eq!(found.iter().filter(|(p, _)| p == "a").count(), 3);
    assert_eq!(found.iter().filter(|(p, _)| p == "b").count(), 5);
    assert_eq!(found[0].0, "a", "the profile before the subcommand first");
}

#[test]
fn two_profiles_for_a_one_profile_command_are_refused_before_any_request() {
    let server = Hostile::start(|_| response(404, &[], b"{}"));
    let home = Home::new();
    let config = two_profiles(&home, &server.url, "");
    let commands: &[&[&str]] = &[
        &["show", "--instance", "i-in09", "--backup", "b-br09"],
        &["instances"],
        &["backups", "--instance", "i-in09"],
        &[
            "restore-check",
            "--instance",
            "i-in09",
            "--backup",
            "b-br09",
        ],
        &["wait", "--instance", "i-in09", "--backup", "b-br09"],
        &["config", "check"],
    ];
    for command in commands {
        let out = home
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(["--profile", "a"])
            .args(*command)
            .args(["--profile", "b"])
            .output()
            .expect("run");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(
            stderr.contains(
                "--profile \"a\" before the subcommand and --profile \"b\" after it name two profiles"
            ),
            "{command:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{command:?}");
    }
    assert_eq!(server.hits(), 0, "nothing was sent");
}

/// STATUS is short and says whether a backup is done: `find`'s table keeps
/// it when other optional columns give way (at 120 columns it used to be
/// the second column left out, so `creating` backups read as done ones).
#[test]
fn the_text_table_keeps_status_at_120_and_80_columns() {
    let home = Home::new();
    for columns in ["120", "80"] {
        let out = home
            .cmd()
            .env("COLUMNS", columns)
            .args(["find", "orders", "--demo", "--output", "text"])
            .output()
            .expect("run");
        let table = text(&out.stdout);
        let err = text(&out.stderr);
        let head = table.lines().next().unwrap_or("");
        assert!(head.contains("STATUS"), "{columns}: {table}\n{err}");
        assert!(table.contains("normal"), "{columns}: {table}");
        assert!(!err.contains("STATUS"), "{columns}: {err}");
        let width: usize = columns.parse().unwrap();
        assert!(
            table.lines().all(|l| l.chars().count() <= width),
            "{columns}: {table}"
        );
    }
}

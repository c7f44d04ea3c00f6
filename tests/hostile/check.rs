//! `ddm-backups check` end to end: the binary against a fleet served over
//! loopback whose times are relative to the moment the test runs, so each
//! instance is always in the state it is built for. Every exit code, every
//! output format read back by a real parser, `--write`, and the edges a
//! monitoring agent meets (a profile that hangs, hostile names, a full
//! disk, a reader that goes away).

use std::path::Path;
use std::process::Output;

use jiff::{SignedDuration, Timestamp, ToSpan, tz::TimeZone};
use serde_json::{Value, json};

use super::server::{Answer, Head, Home, Hostile, json as ok_json, response};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// How an instance's restore window call answers.
#[derive(Clone, Copy)]
enum Restore {
    /// Its one window ends this long before now.
    EndsAgo(SignedDuration),
    /// A 500 with a DDM error body.
    Fails,
}

/// One instance of the fleet: its backups as (when, status, KB).
struct Fake {
    id: &'static str,
    name: &'static str,
    backups: Vec<(Timestamp, &'static str, u64)>,
    restore: Restore,
}

/// 00:30 UTC of each of the `days` UTC days before today, plus one an hour
/// ago: fresh and with no missed day whatever the hour the test runs at.
fn daily(now: Timestamp, days: i64, skip: &[i64]) -> Vec<(Timestamp, &'static str, u64)> {
    let today = now.to_zoned_datetime(TimeZone::UTC).date();
    let mut out = vec![(now - SignedDuration::from_hours(1), "normal", 4096)];
    for back in 1..=days {
        if skip.contains(&back) {
            continue;
        }
        let day = today.checked_sub(back.days()).expect("a day");
        let at = day
            .at(0, 30, 0, 0)
            .to_zoned_datetime(TimeZone::UTC)
            .expect("a time")
            .timestamp();
        out.push((at, "normal", 4096 - back as u64 * 10));
    }
    out
}

fn fleet(now: Timestamp) -> Vec<Fake> {
    let fresh = Restore::EndsAgo(SignedDuration::from_mins(5));
    let mut failed_newest = daily(now, 9, &[]);
    failed_newest.push((now - SignedDuration::from_mins(10), "createfail", 0));
    vec![
        Fake {
            id: "healthy-in09",
            name: "orders-prod",
            backups: daily(now, 9, &[]),
            restore: fresh,
        },
        Fake {
            id: "missed-in09",
            name: "billing-gaps",
            backups: daily(now, 9, &[3]),
            restore: fresh,
        },
        Fake {
            id: "failed-in09",
            name: "ledger-failing",
            backups: failed_newest,
            restore: fresh,
        },
        Fake {
            id: "unread-in09",
            name: "audit-unreadable",
            backups: daily(now, 9, &[]),
            restore: Restore::Fails,
        },
    ]
}

/// Serves `fleet` as ListInstances, a project-wide ListBackups and each
/// instance's restorable-time-interval, paged as the API pages.
fn serve(fleet: Vec<Fake>, now: Timestamp) -> Hostile {
    let stamp = |t: Timestamp| {
        t.to_zoned_datetime(TimeZone::UTC)
            .strftime("%Y-%m-%dT%H:%M:%S+0000")
            .to_string()
    };
    let instances: Vec<Value> = fleet
        .iter()
        .map(|f| json!({"id": f.id, "name": f.name, "status": "RUNNING"}))
        .collect();
    let backups: Vec<Value> = fleet
        .iter()
        .flat_map(|f| {
            f.backups
                .iter()
                .enumerate()
                .map(move |(n, (at, status, kb))| {
                    json!({
                        "id": format!("{}-{n}-br09", f.id.trim_end_matches("-in09")),
                        "name": format!("backup-{n}"), "status": status,
                        "instance_id": f.id, "instance_name": f.name,
                        "file_size": kb, "created": stamp(*at), "updated": stamp(*at),
                        "backup_type": "auto_metadata",
                    })
                })
        })
        .collect();
    let restores: Vec<(String, Restore)> = fleet
        .iter()
        .map(|f| (f.id.to_string(), f.restore))
        .collect();
    Hostile::start(move |head: &Head| {
        let offset: usize = head
            .query("offset")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let limit: usize = head
            .query("limit")
            .and_then(|v| v.parse().ok())
            .unwrap_or(10);
        let page = |rows: &[Value]| -> Vec<Value> {
            rows.iter().skip(offset).take(limit).cloned().collect()
        };
        let path = head.path().to_string();
        if path == format!("/v1/{PROJECT}/instances") {
            return ok_json(
                &json!({"instances": page(&instances), "total_record": instances.len()})
                    .to_string(),
            );
        }
        if path == format!("/v3/{PROJECT}/backups") {
            return ok_json(
                &json!({"backups": page(&backups), "total": backups.len(), "offset": offset, "limit": limit})
                    .to_string(),
            );
        }
        for (id, restore) in &restores {
            if path == format!("/v3/{PROJECT}/instances/{id}/backups/restorable-time-interval") {
                return match restore {
                    Restore::Fails => response(
                        500,
                        &[("Content-Type", "application/json")],
                        br#"{"errCode":"DBS.300005","externalMessage":"Internal server error."}"#,
                    ),
                    Restore::EndsAgo(ago) => {
                        let end = now - *ago;
                        let start = end - SignedDuration::from_hours(24 * 7);
                        ok_json(
                            &json!({"restorable_time_intervals": [{"start_time": stamp(start), "end_time": stamp(end)}],
                                "total": 1, "offset": 0, "limit": limit})
                            .to_string(),
                        )
                    }
                };
            }
        }
        response(
            404,
            &[("Content-Type", "application/json")],
            br#"{"errCode":"DBS.280404","externalMessage":"The instance does not exist."}"#,
        )
    })
}

/// Runs `check` with `args` against a config of `profiles` (name, url,
/// extra keys).
fn check(home: &Home, profiles: &[(&str, &str, &str)], args: &[&str]) -> Output {
    let mut text = String::new();
    for (name, url, extra) in profiles {
        text.push_str(&format!(
            "[profiles.{name}]\nregion = \"cn-north-4\"\nproject_id = \"{PROJECT}\"\n\
             endpoint = \"{url}\"\n{extra}\n[profiles.{name}.auth]\ntype = \"token\"\ntoken = \"tok\"\n\n"
        ));
    }
    let config = home.config(&text);
    home.cmd()
        .arg("--config")
        .arg(&config)
        .arg("check")
        .args(args)
        .output()
        .expect("run check")
}

fn text(out: &Output) -> (String, String) {
    super::server::streams(out)
}

#[test]
fn each_state_exits_with_its_monitoring_plugins_code() {
    let now = Timestamp::now();
    let server = serve(fleet(now), now);
    let home = Home::new();
    let profiles = [("prod", server.url.as_str(), "")];
    for (instance, code, word) in [
        ("healthy-in09", 0, "OK"),
        ("missed-in09", 1, "WARNING"),
        ("failed-in09", 2, "CRITICAL"),
        ("unread-in09", 3, "UNKNOWN"),
    ] {
        let out = check(
            &home,
            &profiles,
            &["--instance", instance, "--output", "nagios"],
        );
        let (stdout, stderr) = text(&out);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{instance}: {stdout}{stderr}"
        );
        assert!(
            stdout.starts_with(&format!("DDM BACKUPS {word} - ")),
            "{instance}: {stdout}"
        );
        assert!(stderr.is_empty(), "{instance}: {stderr}");
    }
    // The whole fleet: the worst instance decides.
    let out = check(&home, &profiles, &["--output", "nagios"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    let status = stdout.lines().next().unwrap_or_default();
    assert!(
        status.starts_with("DDM BACKUPS CRITICAL - 1 critical, 1 warning, 1 unknown, 1 ok | "),
        "{status}"
    );
    for perf in [
        "critical=1",
        "warning=1",
        "ok=1",
        "unknown=1",
        "oldest_good_age=",
    ] {
        assert!(status.contains(perf), "{perf} missing: {status}");
    }
    // One line per problem after the status line, none for the ok one.
    let problems: Vec<&str> = stdout.lines().skip(1).collect();
    assert!(
        problems.iter().any(|l| l
            .starts_with("CRITICAL ledger-failing (failed-in09, prod/cn-north-4): newest backup")),
        "{stdout}"
    );
    assert!(
        problems
            .iter()
            .any(|l| l.starts_with("WARNING billing-gaps (missed-in09")),
        "{stdout}"
    );
    assert!(
        problems
            .iter()
            .any(|l| l.starts_with("UNKNOWN audit-unreadable (unread-in09")
                && l.contains("DBS.300005")),
        "{stdout}"
    );
    assert!(!stdout.contains("orders-prod"), "{stdout}");
}

#[test]
fn usage_and_config_errors_are_unknown() {
    let home = Home::new();
    let cases: &[&[&str]] = &[
        &["check", "--output", "xml"],
        &["check", "--bogus"],
        &["check", "--instance", "../etc"],
        &["--config", "/nonexistent/config.toml", "check"],
        &["check", "--demo", "--write", "/nonexistent-folder/out.prom"],
        &["check", "--demo", "--profile", "nobody"],
    ];
    for args in cases {
        let out = home.cmd().args(*args).output().expect("run");
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stdout}{stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(!stderr.trim().is_empty(), "{args:?} said nothing");
    }
    // Other commands keep their own usage code.
    let out = home.cmd().args(["show", "--bogus"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_has_the_documented_shape_with_seconds_and_utc_times() {
    let now = Timestamp::now();
    let server = serve(fleet(now), now);
    let home = Home::new();
    let out = check(&home, &[("prod", &server.url, "")], &["--output", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["state"], "critical");
    assert_eq!(
        doc["profiles"],
        json!([{"profile": "prod", "region": "cn-north-4", "error": null}])
    );
    let instances = doc["instances"].as_array().expect("instances");
    assert_eq!(instances.len(), 4);
    let states: Vec<&str> = instances
        .iter()
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["critical", "unknown", "warning", "ok"],
        "worst first"
    );
    let healthy = &instances[3];
    assert_eq!(healthy["instance_id"], "healthy-in09");
    assert_eq!(healthy["instance_name"], "orders-prod");
    let rules = &healthy["rules"];
    for rule in [
        "freshness",
        "failures",
        "missed_days",
        "restore_lag",
        "expiry",
    ] {
        for key in ["value", "warn", "crit", "state", "why"] {
            assert!(
                rules[rule].get(key).is_some(),
                "{rule}.{key} missing: {rules}"
            );
        }
    }
    // The newest normal backup is an hour old: 3600 s, give or take the run.
    let age = rules["freshness"]["value"].as_i64().expect("seconds");
    assert!((3600..3600 + 120).contains(&age), "{age}");
    assert_eq!(rules["freshness"]["warn"], 26 * 3600);
    assert_eq!(rules["freshness"]["crit"], 50 * 3600);
    let lag = rules["restore_lag"]["value"].as_i64().expect("seconds");
    assert!((300..300 + 120).contains(&lag), "{lag}");
    let expiry = rules["expiry"]["value"].as_str().expect("a time");
    assert!(expiry.ends_with('Z'), "UTC RFC 3339: {expiry}");
    expiry.parse::<Timestamp>().expect("RFC 3339");
    let gaps = &instances[2]["rules"]["missed_days"];
    assert_eq!(gaps["value"], 1);
    assert_eq!(gaps["state"], "warning");
    assert!(
        gaps["why"]
            .as_str()
            .unwrap()
            .contains("1 day without a backup"),
        "{gaps}"
    );
}

/// Parses the exposition text with a real parser and returns the samples
/// of `metric` as (labels, value).
fn samples(text: &str, metric: &str) -> Vec<(std::collections::HashMap<String, String>, f64)> {
    let lines = text.lines().map(|l| Ok(l.to_string()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("valid exposition text");
    scrape
        .samples
        .into_iter()
        .filter(|s| s.metric == metric)
        .map(|s| {
            let value = match s.value {
                prometheus_parse::Value::Gauge(v) => v,
                other => panic!("{metric} is not a gauge: {other:?}"),
            };
            let labels = s
                .labels
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (labels, value)
        })
        .collect()
}

#[test]
fn write_replaces_the_textfile_atomically_and_a_parser_reads_it() {
    let now = Timestamp::now();
    let server = serve(fleet(now), now);
    let home = Home::new();
    let dir = home.path().join("textfile");
    std::fs::create_dir(&dir).expect("dir");
    let file = dir.join("ddm.prom");
    std::fs::write(&file, "stale\n").expect("old file");
    let run = || {
        check(
            &home,
            &[("prod", &server.url, "")],
            &["--output", "prometheus", "--write", file.to_str().unwrap()],
        )
    };
    let out = run();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty(), "--write prints nothing: {stdout}");
    let written = std::fs::read_to_string(&file).expect("written");
    assert!(!written.contains("stale"));
    let states = samples(&written, "ddm_backup_state");
    assert_eq!(states.len(), 4, "{written}");
    let of = |id: &str| {
        states
            .iter()
            .find(|(l, _)| l["instance_id"] == id)
            .map(|(_, v)| *v)
    };
    assert_eq!(of("healthy-in09"), Some(0.0));
    assert_eq!(of("missed-in09"), Some(1.0));
    assert_eq!(of("failed-in09"), Some(2.0));
    assert_eq!(of("unread-in09"), Some(3.0));
    let up = samples(&written, "ddm_check_profile_up");
    assert_eq!(up.len(), 1);
    assert_eq!(up[0].0["profile"], "prod");
    assert_eq!(up[0].1, 1.0);
    let last = samples(&written, "ddm_backup_last_success_timestamp_seconds");
    let healthy = last
        .iter()
        .find(|(l, _)| l["instance_id"] == "healthy-in09")
        .expect("sample");
    let expected = (now - SignedDuration::from_hours(1)).as_second() as f64;
    assert!(
        (healthy.1 - expected).abs() < 2.0,
        "{} vs {expected}",
        healthy.1
    );
    // Readable by node_exporter's own user, and nothing left beside it.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("ddm.prom")]);
    // A reader holding the old file keeps reading the old file whole: the
    // new one arrives by rename, never by writing into it.
    let held = std::fs::File::open(&file).expect("open");
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let before = inode(&file);
    let out = run();
    assert_eq!(out.status.code(), Some(2));
    assert_ne!(inode(&file), before, "replaced by rename, not rewritten");
    drop(held);
}

#[test]
fn hostile_names_stay_one_line_and_escaped_labels_parse_back() {
    let now = Timestamp::now();
    let mut fleet = fleet(now);
    fleet[1].name = "evil\"name\\with\nnewline|pipe\u{1b}[31m";
    fleet[2].name = "ledger\u{202e}failing";
    let server = serve(fleet, now);
    let home = Home::new();
    let profiles = [("prod", server.url.as_str(), "")];
    let out = check(&home, &profiles, &["--output", "prometheus"]);
    let written = String::from_utf8(out.stdout.clone()).expect("UTF-8");
    let states = samples(&written, "ddm_backup_state");
    let evil = states
        .iter()
        .find(|(l, _)| l["instance_id"] == "missed-in09")
        .expect("the instance");
    // Escaped as the format says (this parser hands labels back still
    // escaped); the terminal escape, which the format has no escape for,
    // is replaced.
    assert_eq!(
        evil.0["instance_name"],
        r#"evil\"name\\with\nnewline|pipe"#.to_string() + "\u{fffd}[31m"
    );
    let out = check(&home, &profiles, &["--output", "nagios"]);
    let (stdout, _) = text(&out);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    let warning: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("missed-in09"))
        .collect();
    assert_eq!(warning.len(), 1, "one problem, one line: {stdout}");
    // `|` would start performance data on any line.
    assert_eq!(stdout.matches('|').count(), 1, "{stdout}");
    let out = check(&home, &profiles, &["--output", "text"]);
    let (stdout, _) = text(&out);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    // JSON keeps a name exact and inert: a bidi override leaves as an
    // escape, as in every other command's JSON.
    let out = check(&home, &profiles, &["--output", "json"]);
    let raw = String::from_utf8(out.stdout.clone()).expect("UTF-8");
    assert!(!raw.contains('\u{202e}'), "{raw}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let failing = doc["instances"]
        .as_array()
        .and_then(|all| all.iter().find(|i| i["instance_id"] == "failed-in09"))
        .expect("the instance");
    assert_eq!(failing["instance_name"], "ledger\u{202e}failing");
}

#[test]
fn a_hanging_profile_is_unknown_and_the_others_still_report() {
    let now = Timestamp::now();
    let server = serve(fleet(now), now);
    // Answers headers, then never the body.
    let hanging = Hostile::start(|_| {
        Answer::Stream(
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{".to_vec(),
            Box::new(|| {
                std::thread::sleep(std::time::Duration::from_secs(60));
                None
            }),
        )
    });
    let home = Home::new();
    let out = check(
        &home,
        &[
            ("prod", &server.url, ""),
            ("stuck", &hanging.url, "timeout_secs = 2"),
        ],
        &["--output", "nagios"],
    );
    let (stdout, stderr) = text(&out);
    // Critical outranks the unknown profile.
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.contains("1 profile not checked"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("UNKNOWN profile stuck (cn-north-4): ")),
        "{stdout}"
    );
    let out = check(
        &home,
        &[
            ("prod", &server.url, ""),
            ("stuck", &hanging.url, "timeout_secs = 2"),
        ],
        &["--output", "prometheus", "--instance", "healthy-in09"],
    );
    let written = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "ok but one profile unknown: {written}"
    );
    let up = samples(&written, "ddm_check_profile_up");
    let stuck = up
        .iter()
        .find(|(l, _)| l["profile"] == "stuck")
        .expect("stuck");
    assert_eq!(stuck.1, 0.0);
}

#[test]
fn a_full_disk_is_unknown_and_a_closed_pipe_keeps_the_state() {
    let home = Home::new();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = home
        .cmd()
        .args(["check", "--demo", "--output", "json"])
        .stdout(full)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(super::server::stderr(&out).contains("cannot write the output"));
    let (code, stderr) = super::pipes::read_one_byte_and_close(
        &home,
        &["check", "--demo", "--output", "prometheus"],
    );
    assert!(stderr.is_empty(), "{stderr}");
    assert!(matches!(code, Some(0..=3)), "{code:?}");
}

/// Starts the demo endpoint serving the scale fleet on its own thread and
/// returns its URL and token; it serves until the test binary ends.
fn scale_demo(size: &str) -> (String, String) {
    let size: ddm_backups::demo::FleetSize = size.parse().expect("a fleet size");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let running = ddm_backups::demo::DemoServer::builder()
                .scale_fleet(size)
                .bind()
                .await
                .expect("demo");
            tx.send((running.base_url(), running.token().to_string()))
                .expect("send");
            std::future::pending::<()>().await;
        });
    });
    rx.recv().expect("the demo's address")
}

/// The issue's fleet: 8 profiles × 100 instances × 30 backups, read whole
/// and judged, within 100 MiB (the binary's peak resident memory).
#[test]
fn a_fleet_of_eight_hundred_instances_is_checked_within_its_memory() {
    const LIMIT: u64 = 100 * 1024 * 1024;
    let (url, token) = scale_demo("100x30");
    let home = Home::new();
    let profiles: String = (0..8)
        .map(|i| {
            format!(
                "[profiles.p{i}]\nregion = \"cn-north-4\"\nproject_id = \"{PROJECT}\"\n\
                 endpoint = \"{url}\"\n[profiles.p{i}.auth]\ntype = \"token\"\ntoken = \"{token}\"\n\n"
            )
        })
        .collect();
    let config = home.config(&profiles);
    let mut command = home.cmd();
    command
        .arg("--config")
        .arg(&config)
        .args(["check", "--output", "prometheus"]);
    let (code, stdout, stderr, peak) = super::measure::run_logged(
        command,
        LIMIT * 2,
        std::time::Duration::from_secs(120),
        "check over 8 profiles x 100 instances x 30 backups",
    );
    assert_eq!(code, Some(2), "{stderr}");
    let states = samples(&stdout, "ddm_backup_state");
    assert_eq!(states.len(), 800);
    let up = samples(&stdout, "ddm_check_profile_up");
    assert!(up.iter().all(|(_, v)| *v == 1.0), "{up:?}");
    assert!(peak < LIMIT, "peak {} MiB", peak / (1024 * 1024));
}

//! Waits, deadlines and budgets against a server that abuses them: a
//! Retry-After that would overflow an Instant, listings that never end or
//! send huge rows, and an answer about another backup.

use std::process::Output;
use std::time::{Duration, Instant};

use ddm_backups::api::{
    DdmClient, Error, ErrorClass, ListLimit, ListStop, MAX_FIELD, PageRead, SentTime,
};
use ddm_backups::demo;

use super::measure::run_measured;
use super::server::{Answer, Head, Home, Hostile, json, response};

const INSTANCE: &str = "demo-in09";
const BACKUP: &str = "ok-br09";
const HUGE_WAIT: &str = "18446744073709551615";

fn client(url: &str, timeout: Duration) -> DdmClient {
    DdmClient::new(&demo::profile_at(url, "tok", timeout)).expect("client")
}

fn busy(retry_after: &'static str) -> impl Fn(&Head) -> Answer + Send + Sync + 'static {
    move |_| {
        response(
            503,
            &[
                ("Content-Type", "application/json"),
                ("Retry-After", retry_after),
                ("X-Request-Id", "req-busy"),
            ],
            br#"{"error_code":"APIGW.0202","error_msg":"Backend unavailable."}"#,
        )
    }
}

/// Runs the binary to its end, stdout and stderr captured.
fn run(home: &Home, config: &std::path::Path, args: &[&str]) -> Output {
    home.cmd()
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("run the binary")
}

#[tokio::test]
async fn a_huge_retry_after_ends_the_lookup_at_once_and_says_the_wait() {
    let server = Hostile::start(busy(HUGE_WAIT));
    let started = Instant::now();
    let e = client(&server.url, Duration::from_secs(5))
        .show_backup(INSTANCE, BACKUP)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(4), "it waited");
    assert_eq!(server.hits(), 1);
    assert_eq!(e.class(), ErrorClass::Server);
    assert_eq!(e.status(), Some(503));
    assert_eq!(e.request_id(), Some("req-busy"));
    let line = e.status_line();
    assert!(
        line.contains("the server asked to wait at least 86400 s"),
        "{line}"
    );
    assert!(line.contains("APIGW.0202"), "{line}");
    let hint = e.hint().unwrap_or_default();
    assert!(hint.contains("asked to wait"), "{hint}");
}

#[tokio::test]
async fn a_retry_after_date_far_in_the_future_is_clamped_not_overflowed() {
    let server = Hostile::start(|_| {
        response(
            429,
            &[("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")],
            br#"{"error_code":"APIGW.0308","error_msg":"slow down"}"#,
        )
    });
    let e = client(&server.url, Duration::from_secs(5))
        .show_backup(INSTANCE, BACKUP)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Throttled);
    assert_eq!(server.hits(), 1);
    let line = e.status_line();
    assert!(line.contains("asked to wait at least 86400 s"), "{line}");
    assert!(e.hint().unwrap_or_default().contains("throttled"));
}

#[tokio::test]
async fn a_retry_after_date_past_the_deadline_names_its_seconds() {
    let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(600));
    let soon: &'static str = Box::leak(soon.into_boxed_str());
    let server = Hostile::start(busy(soon));
    let e = client(&server.url, Duration::from_secs(5))
        .show_backup(INSTANCE, BACKUP)
        .await
        .unwrap_err();
    let line = e.status_line();
    // The date has a one-second resolution, and a loaded machine may take a
    // few seconds between making the date and the client reading it.
    let asked: u64 = line
        .split("asked to wait ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no wait in {line}"));
    assert!((570..=600).contains(&asked), "{line}");
}

#[test]
fn show_with_a_huge_retry_after_exits_1_with_the_wait_on_stderr() {
    let server = Hostile::start(busy(HUGE_WAIT));
    let home = Home::new();
    let config = home.token_config(&server.url, "timeout_secs = 5");
    let out = run(
        &home,
        &config,
        &["show", "--instance", INSTANCE, "--backup", BACKUP],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("asked to wait at least 86400 s"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// A ListBackups page of `rows` rows whose names are `name_len` bytes, that
/// always claims 100,000 rows, streamed without holding the page.
fn endless_page(head: &Head, rows: usize, name_len: usize) -> Answer {
    let name = std::sync::Arc::new("n".repeat(name_len));
    let row = move |i: usize| {
        format!(
            r#"{{"id":"b{:03}-{i:03}br09","instance_id":"{INSTANCE}","status":"normal","created":"2025-01-01T00:00:00+0000","name":"{name}"}}"#,
            head.seq % 1000,
        )
        .into_bytes()
    };
    let open = br#"{"total":100000,"backups":["#.to_vec();
    let close = b"]}".to_vec();
    let length = open.len()
        + (0..rows).map(|i| row(i).len()).sum::<usize>()
        + rows.saturating_sub(1)
        + close.len();
    let mut bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    bytes.extend_from_slice(&open);
    let rows_out: Vec<Vec<u8>> = (0..rows)
        .map(|i| {
            let mut r = row(i);
            if i + 1 < rows {
                r.push(b',');
            }
            r
        })
        .collect();
    let mut pieces = rows_out.into_iter().chain(std::iter::once(close));
    Answer::Stream(bytes, Box::new(move || pieces.next()))
}

#[test]
fn an_endless_listing_of_huge_rows_stops_at_the_byte_budget_in_bounded_memory() {
    const LIMIT: u64 = 400 * 1024 * 1024;
    let server = Hostile::start(|head| endless_page(head, 128, 120 * 1024));
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    let mut command = home.cmd();
    command.arg("--config").arg(&config).args([
        "backups",
        "--instance",
        INSTANCE,
        "--all",
        "--output",
        "json",
    ]);
    let (out, peak, elapsed) = run_measured(command, LIMIT, Duration::from_secs(120));
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!(
        "endless listing: peak RSS {} MiB, {:.1} s, {} pages",
        peak / (1024 * 1024),
        elapsed.as_secs_f32(),
        server.hits()
    );
    assert!(peak < LIMIT, "peak RSS {peak} bytes; {stderr}");
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stopped:"), "{stderr}");
    assert!(stderr.contains("64 MiB budget"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // 64 MiB of 15 MiB pages: four read, the fifth refused.
    assert!(server.hits() <= 6, "{} pages", server.hits());
}

#[test]
fn all_pages_share_one_listing_deadline() {
    let server = Hostile::start(|head| {
        // Each page is well inside timeout_secs; together they are not.
        std::thread::sleep(Duration::from_millis(400));
        endless_page(head, 128, 10)
    });
    let home = Home::new();
    let config = home.token_config(&server.url, "timeout_secs = 5\nlist_timeout_secs = 2");
    let started = Instant::now();
    let out = run(
        &home,
        &config,
        &[
            "backups",
            "--instance",
            INSTANCE,
            "--all",
            "--output",
            "json",
        ],
    );
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stopped: the listing did not end within its 2 s deadline"),
        "{stderr}"
    );
    assert!(stderr.contains("list_timeout_secs"), "{stderr}");
    assert!(server.hits() >= 2, "only {} pages", server.hits());
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

#[tokio::test]
async fn a_listing_deadline_keeps_the_pages_already_shown() {
    let server = Hostile::start(|head| {
        std::thread::sleep(Duration::from_millis(300));
        endless_page(head, 128, 10)
    });
    let mut profile = demo::profile_at(&server.url, "tok", Duration::from_secs(5));
    profile.list_timeout = Duration::from_secs(1);
    let client = DdmClient::new(&profile).expect("client");
    let mut shown = 0;
    let mut on_page = |page: PageRead<'_, _>| shown += page.rows.len();
    let e = client
        .list_backups_each(INSTANCE, ListLimit::ALL, &mut on_page)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Timeout);
    let Error::ListStopped { reason, rows, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*reason, ListStop::Deadline(Duration::from_secs(1)));
    assert!(*rows >= 128 && *rows == shown, "{rows} rows, {shown} shown");
    assert!(e.hint().unwrap_or_default().contains("list_timeout_secs"));
}

#[tokio::test]
async fn every_string_field_of_a_row_is_cut_to_4_kib() {
    let long = "é".repeat(50_000);
    let body = format!(
        r#"{{"total":1,"backups":[{{"id":"{long}","name":"{long}","description":"{long}","status":"{long}","instance_id":"{INSTANCE}","instance_name":"{long}","instance_status":"{long}","created":"{long}","updated":"{long}","backup_type":"{long}"}}]}}"#
    );
    let server = Hostile::start(move |_| json(&body));
    let listing = client(&server.url, Duration::from_secs(5))
        .list_backups(INSTANCE, ListLimit { max_rows: 10 })
        .await
        .unwrap();
    let row = &listing.rows[0];
    let sent = |t: &Option<SentTime>| t.as_ref().map(|t| t.sent().to_string());
    let fields = [
        row.id.clone(),
        row.name.clone(),
        row.description.clone(),
        row.status.as_ref().map(|s| s.sent().to_string()),
        row.instance_name.clone(),
        row.instance_status.clone(),
        sent(&row.created),
        sent(&row.updated),
        row.backup_type.clone(),
    ];
    for field in fields {
        let value = field.as_deref().unwrap_or_default();
        assert_eq!(value.len(), MAX_FIELD, "cut on a character boundary");
        assert!(long.starts_with(value));
    }

    let instances = format!(
        r#"{{"total_record":1,"instances":[{{"id":"{long}","access_port":"{long}","name":"ok"}}]}}"#
    );
    let server = Hostile::start(move |_| json(&instances));
    let listing = client(&server.url, Duration::from_secs(5))
        .list_instances(ListLimit { max_rows: 10 })
        .await
        .unwrap();
    let row = &listing.rows[0];
    assert_eq!(row.id.as_deref().map(str::len), Some(MAX_FIELD));
    assert_eq!(row.access_port.as_deref().map(str::len), Some(MAX_FIELD));
    assert_eq!(row.name.as_deref(), Some("ok"));
}

fn other_backup(_: &Head) -> Answer {
    json(
        r#"{"id":"other\u001b]52;c;ZXZpbA==\u0007-br09","name":"someone else's","instance_id":"demo-in09","related_data_nodes":[]}"#,
    )
}

#[tokio::test]
async fn an_answer_about_another_backup_is_an_error() {
    let server = Hostile::start(other_backup);
    let e = client(&server.url, Duration::from_secs(5))
        .show_backup(INSTANCE, BACKUP)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::WrongBackup);
    assert_eq!(e.exit_code(), 1);
    let Error::WrongBackup {
        asked, answered, ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(asked, BACKUP);
    assert_eq!(answered, "other\\u{1b}]52;c;ZXZpbA==\\u{7}-br09");
    let line = e.status_line();
    assert!(
        line.contains(BACKUP) && line.contains("other\\u{1b}]52"),
        "{line}"
    );
    assert!(!line.chars().any(char::is_control), "{line:?}");
}

#[test]
fn show_of_an_answer_about_another_backup_exits_1() {
    let server = Hostile::start(other_backup);
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    let out = run(
        &home,
        &config,
        &[
            "show",
            "--instance",
            INSTANCE,
            "--backup",
            BACKUP,
            "--output",
            "json",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "the other backup was printed");
    assert!(stderr.contains("instead of the asked"), "{stderr}");
    assert!(stderr.contains(BACKUP), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

#[test]
fn an_answer_about_a_backup_that_only_looks_the_same_is_quoted_escaped() {
    // Before, the zero-width space was cleaned away and show said it
    // "answered with backup "ok-br09" instead of the asked "ok-br09"".
    let server = Hostile::start(|_| {
        json(
            r#"{"id":"ok-br09\u200b","name":"n","instance_id":"demo-in09","related_data_nodes":[]}"#,
        )
    });
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    let out = run(
        &home,
        &config,
        &["show", "--instance", INSTANCE, "--backup", BACKUP],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("answered with backup \"ok-br09\\u{200b}\" instead of the asked \"ok-br09\""),
        "{stderr}"
    );
    assert!(
        ddm_backups::terminal_text::is_safe(stderr.trim_end()),
        "{stderr:?}"
    );
}

/// The asked backup ID, but under another instance: `in1/b1` answered
/// with instance `OTHER`.
fn other_instance(_: &Head) -> Answer {
    json(&format!(
        r#"{{"id":"{BACKUP}","name":"theirs","instance_id":"OTHER\u001b[2J-in09","instance_name":"someone else's","related_data_nodes":[{{"instance_id":"x-in01","instance_name":"their shard"}}]}}"#
    ))
}

#[tokio::test]
async fn an_answer_about_another_instance_is_an_error() {
    // Before, it was accepted: `show` printed OTHER with exit 0, and
    // restore-check compared the other instance's nodes with this one's.
    let server = Hostile::start(other_instance);
    let e = client(&server.url, Duration::from_secs(5))
        .show_backup(INSTANCE, BACKUP)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::WrongBackup);
    assert_eq!(e.exit_code(), 1);
    let Error::WrongBackup {
        what,
        asked,
        answered,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!((*what, asked.as_str()), ("instance", INSTANCE));
    // Escaped, not cleaned: what the server sent, made safe to print.
    assert_eq!(answered, "OTHER\\u{1b}[2J-in09");
    let line = e.status_line();
    assert!(
        line.starts_with(
            "the server answered with instance \"OTHER\\u{1b}[2J-in09\" instead of the asked \"demo-in09\""
        ),
        "{line}"
    );
    assert!(!line.chars().any(char::is_control), "{line:?}");
}

#[tokio::test]
async fn an_answer_that_names_no_instance_is_kept() {
    // It claims no other instance; the fields are documented, not required.
    let server = Hostile::start(|_| {
        json(&format!(
            r#"{{"id":"{BACKUP}","name":"n","instance_name":"i","related_data_nodes":[]}}"#
        ))
    });
    let b = client(&server.url, Duration::from_secs(5))
        .show_backup(INSTANCE, BACKUP)
        .await
        .unwrap()
        .value;
    assert_eq!((b.id.as_str(), b.instance_id.as_str()), (BACKUP, ""));
}

#[test]
fn show_and_restore_check_of_an_answer_about_another_instance_exit_1() {
    let server = Hostile::start(|head| {
        if head.path().ends_with(&format!("/backups/{BACKUP}")) {
            other_instance(head)
        } else {
            super::readiness_edges::answer_default(head)
        }
    });
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    let show = ["show", "--instance", INSTANCE, "--backup", BACKUP];
    let out = run(&home, &config, &[&show[..], &["--output", "json"]].concat());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "the other instance's backup was printed"
    );
    assert!(
        stderr.contains("answered with instance \"OTHER\\u{1b}[2J-in09\""),
        "{stderr}"
    );
    let mut check = show;
    check[0] = "restore-check";
    let out = run(&home, &config, &check);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: ShowBackup failed: the server answered with instance"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["nodes"].is_null(), "their nodes were compared: {v}");
    assert_eq!(v["failed"][0]["call"], "ShowBackup");
}

/// `backups --output json` for demo-in09 against a server whose one row
/// has `file_size` as `size` (raw JSON).
fn backups_with_size(size: &'static str) -> Output {
    let server = Hostile::start(move |_| {
        json(&format!(
            r#"{{"total":1,"backups":[{{"id":"s-br09","instance_id":"demo-in09","file_size":{size}}}]}}"#
        ))
    });
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    run(
        &home,
        &config,
        &["backups", "--instance", INSTANCE, "--output", "json"],
    )
}

#[test]
fn a_size_written_as_a_string_is_read_and_one_that_is_no_size_is_named() {
    // The official SDK converts "12.5"; before, it failed the whole page
    // ("expected a number, got a string").
    let out = backups_with_size(r#""12.5""#);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(rows[0]["file_size"], 12.5, "{rows}");
    for (size, got) in [
        (r#""twelve""#, r#"got "twelve""#),
        (r#""-1""#, r#"got "-1", which is negative"#),
        (r#""NaN""#, r#"got "NaN""#),
        (r#""1e999""#, r#"got "1e999", too large for a size"#),
    ] {
        let out = backups_with_size(size);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{size}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "backups[0].file_size: expected a size in KB (a number, or a number in a string), {got}"
            )),
            "{size}: {stderr}"
        );
    }
}

#[test]
fn an_error_pair_nested_under_another_key_is_read() {
    // Before, these fell back to a raw excerpt of the body ("not JSON").
    for body in [
        r#"{"error":{"error_code":"DBS.280001","error_msg":"Parameter error."}}"#,
        r#"{"error":{"code":"DBS.280001","message":"Parameter error."}}"#,
    ] {
        let server = Hostile::start(move |_| {
            response(
                400,
                &[("Content-Type", "application/json")],
                body.as_bytes(),
            )
        });
        let home = Home::new();
        let config = home.token_config(&server.url, "");
        let out = run(
            &home,
            &config,
            &["show", "--instance", INSTANCE, "--backup", BACKUP],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.starts_with(
                "error: HTTP 400 Bad Request (request rejected): DBS.280001 Parameter error."
            ),
            "{body}: {stderr}"
        );
        assert!(
            stderr.contains("check the instance ID, backup ID and project"),
            "{stderr}"
        );
    }
}

/// A 403 from an identity-policy check, as IAM5 sends it (the reference
/// page's example message).
const DENIED: &str = r#"{"error_code":"IAM5.0403","error_msg":"access denied","request_id":"r-403","encoded_authorization_message":"HY0L8G1lOe3rcfgxfKVP+AK+S33eYp/rHQ4I0kJed9rwaYmLp+pt/ICBwk"}"#;

fn denied(_: &Head) -> Answer {
    response(
        403,
        &[("Content-Type", "application/json")],
        DENIED.as_bytes(),
    )
}

#[test]
fn a_denial_s_encoded_reasons_are_printed_with_how_to_decode_them() {
    // Before, the message was dropped: only "403 ... access denied".
    let server = Hostile::start(denied);
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    let out = run(
        &home,
        &config,
        &["show", "--instance", INSTANCE, "--backup", BACKUP],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "\n  denial reasons, encoded (encoded_authorization_message): \
             HY0L8G1lOe3rcfgxfKVP+AK+S33eYp/rHQ4I0kJed9rwaYmLp+pt/ICBwk\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("POST /v5/decode-authorization-message"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_denial_s_encoded_reasons_are_in_the_error_popup() {
    use ddm_backups::tui::test_support::{ch, fetched, screen_text, send, submitted};
    let server = Hostile::start(denied);
    let e = client(&server.url, Duration::from_secs(5))
        .show_backup(INSTANCE, BACKUP)
        .await
        .unwrap_err();
    assert_eq!(
        e.encoded_authorization(),
        Some("HY0L8G1lOe3rcfgxfKVP+AK+S33eYp/rHQ4I0kJed9rwaYmLp+pt/ICBwk")
    );
    let (mut app, _) = submitted();
    app.width = 120;
    app.height = 40;
    send(&mut app, fetched(1, Err(e)));
    send(&mut app, ch('e'));
    let screen = screen_text(&app);
    assert!(screen.contains("Denial, encoded"), "{screen}");
    assert!(
        screen.contains("HY0L8G1lOe3rcfgxfKVP+AK+S33eYp/rHQ4I0kJed9rwaYmLp+pt/ICBwk"),
        "{screen}"
    );
    assert!(screen.contains("decode-authorization-message"), "{screen}");
}

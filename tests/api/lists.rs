//! The instance and backup lists against the demo endpoint: paging, the
//! client-side instance filter, limits, signed queries, and the headless
//! `instances` / `backups` commands.

use crate::support;

use std::process::{Command, Stdio};

use ddm_backups::api::{DdmClient, ErrorClass, ListLimit};
use ddm_backups::config::{AuthConfig, SecretSource};
use ddm_backups::demo;
use ddm_backups::secret::Secret;

#[tokio::test]
async fn instances_are_listed() {
    let running = support::demo().await;
    let listing = support::client(&running)
        .list_instances(ListLimit::ALL)
        .await
        .unwrap();
    let ids: Vec<_> = listing
        .rows
        .iter()
        .filter_map(|r| r.id.as_deref())
        .collect();
    // The built-in instances, then the fleet dated relative to now.
    let mut want = vec![
        demo::EXAMPLE_INSTANCE_ID,
        demo::DEMO_INSTANCE_ID,
        demo::PAGES_INSTANCE_ID,
        demo::SHARDS_INSTANCE_ID,
    ];
    want.extend(
        demo::fleet_catalogue()
            .filter(|f| f.project_id == demo::DEMO_PROJECT_ID)
            .map(|f| f.instance_id),
    );
    assert_eq!(ids, want);
    assert_eq!(listing.total, Some(want.len() as u64));
    assert!(!listing.truncated);
    assert_eq!(listing.rows[1].access_port.as_deref(), Some("5066"));
}

#[tokio::test]
async fn backups_span_pages_and_other_instances_are_dropped() {
    let running = support::demo().await;
    let client = support::client(&running);
    let listing = client
        .list_backups(demo::PAGES_INSTANCE_ID, ListLimit::ALL)
        .await
        .unwrap();
    assert_eq!(listing.rows.len(), demo::PAGES_BACKUPS);
    assert!(
        listing
            .rows
            .iter()
            .all(|r| r.instance_id.as_deref() == Some(demo::PAGES_INSTANCE_ID))
    );
    let created: Vec<_> = listing
        .rows
        .iter()
        .map(|r| r.created.as_ref().and_then(|c| c.at()))
        .collect();
    let mut sorted = created.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted, "newest first");
    // The demo ignores the filter, so the total it claims is not ours.
    assert_eq!(listing.total, None);

    let five = client
        .list_backups(demo::DEMO_INSTANCE_ID, ListLimit { max_rows: 5 })
        .await
        .unwrap();
    assert_eq!(
        five.rows.len(),
        5,
        "the limit counts our rows, not the server's"
    );
    assert!(five.truncated);
    let all = client
        .list_backups(demo::DEMO_INSTANCE_ID, ListLimit::ALL)
        .await
        .unwrap();
    let ours = demo::catalogue()
        .iter()
        .filter(|b| b.instance_id == demo::DEMO_INSTANCE_ID)
        .count();
    assert_eq!(all.rows.len(), ours, "every demo-in09 backup");
    assert!(!all.truncated);
}

#[tokio::test]
async fn signed_queries_are_accepted() {
    let running = support::demo().await;
    let mut profile = demo::profile_for(&running);
    let inline = |v: &str| SecretSource::Inline(Secret::new(v.into()));
    profile.auth = AuthConfig::AkSk {
        ak: inline(demo::DEMO_AK),
        sk: inline(demo::DEMO_SK),
        security_token: None,
    };
    let client = DdmClient::new(&profile).unwrap();
    let listing = client
        .list_backups(demo::PAGES_INSTANCE_ID, ListLimit { max_rows: 200 })
        .await
        .unwrap();
    assert_eq!(listing.rows.len(), 200);
    profile.auth = AuthConfig::AkSk {
        ak: inline(demo::DEMO_AK),
        sk: inline("wrong-sk"),
        security_token: None,
    };
    let e = DdmClient::new(&profile)
        .unwrap()
        .list_instances(ListLimit::ALL)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Auth);
}

#[tokio::test]
async fn a_bad_instance_id_is_refused_before_any_request() {
    let running = support::demo().await;
    let e = support::client(&running)
        .list_backups("../x", ListLimit::ALL)
        .await
        .unwrap_err();
    assert_eq!(e.exit_code(), 2);
}

fn run(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_ddm-backups"))
        .args(args)
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn the_headless_commands_print_json_arrays_and_tables() {
    let out = run(&["instances", "--demo"]);
    assert_eq!(out.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fleet = demo::fleet_catalogue()
        .filter(|f| f.project_id == demo::DEMO_PROJECT_ID)
        .count();
    assert_eq!(rows.as_array().unwrap().len(), 4 + fleet);

    let out = run(&[
        "backups",
        "--demo",
        "--instance",
        "pages-in09",
        "--limit",
        "7",
        "--output",
        "text",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 8, "a header and seven rows:\n{text}");
    assert!(
        text.starts_with("NAME") && text.contains("archive-"),
        "{text}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("note: showed 7"),
        "the cut is said on stderr"
    );

    let out = run(&["backups", "--demo", "--instance", "pages-in09", "--all"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), demo::PAGES_BACKUPS);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The demo pages pages-in09 oldest first; `--limit` still gives the
    // newest, the same rows `--all` starts with.
    let all: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let out = run(&[
        "backups",
        "--demo",
        "--instance",
        "pages-in09",
        "--limit",
        "3",
    ]);
    let newest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let newest: Vec<&str> = newest
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(newest, all[..3], "newest first, whatever the page order");
    assert_eq!(newest[0], "archive-299-br09");

    let out = run(&["backups", "--demo"]);
    assert_eq!(out.status.code(), Some(2), "--instance is required");
    let out = run(&["instances", "--demo", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A server that answers every request with the same page, ignoring
/// `offset` and `limit`, and claims no total: the worst a broken or
/// hostile endpoint can do to a listing.
async fn same_page_server(body: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    // One request at a time on a kept-alive connection.
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                    buf.drain(..end);
                    // One write: a split answer would wait on delayed ACKs.
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn page_of(instance: &str, n: usize) -> String {
    let rows: Vec<_> = (0..n)
        .map(|i| serde_json::json!({"id": format!("b{i}br09"), "instance_id": instance}))
        .collect();
    serde_json::json!({ "backups": rows }).to_string()
}

#[tokio::test]
async fn a_server_ignoring_limit_cannot_push_a_listing_past_its_cap() {
    let url = same_page_server(page_of(demo::DEMO_INSTANCE_ID, 200)).await;
    let client = DdmClient::new(&support::profile(
        &url,
        "t",
        std::time::Duration::from_secs(5),
    ))
    .unwrap();
    let mut streamed = 0;
    let listing = client
        .list_backups_each(
            demo::DEMO_INSTANCE_ID,
            ListLimit { max_rows: 150 },
            &mut |page| streamed += page.rows.len(),
        )
        .await
        .unwrap();
    assert_eq!((listing.rows.len(), streamed), (150, 150));
    assert!(listing.truncated);
}

#[tokio::test]
async fn a_server_ignoring_offset_and_the_filter_is_not_read_for_ever() {
    // Full pages of another instance's backups, for ever.
    let url = same_page_server(page_of("other-in09", ListLimit::PAGE)).await;
    let client = DdmClient::new(&support::profile(
        &url,
        "t",
        std::time::Duration::from_secs(5),
    ))
    .unwrap();
    let listing = client
        .list_backups(demo::DEMO_INSTANCE_ID, ListLimit::ALL)
        .await
        .unwrap();
    assert!(listing.rows.is_empty());
    assert!(
        listing.truncated,
        "it stopped at the scan cap, not at the end"
    );
}

/// The picker shows a backup's list row; Enter looks the same backup up.
/// Both must name it and its instance alike, for every demo backup.
#[tokio::test]
async fn every_demo_backups_list_row_and_lookup_agree() {
    let running = support::demo().await;
    // Long enough for slow-br09 (5 s) and the retried e429/reset ones;
    // hang-br09 (60 s) gives up and is the one success not compared.
    let client = support::client_with_timeout(&running, std::time::Duration::from_secs(7));
    let mut rows = Vec::new();
    for instance in [
        demo::EXAMPLE_INSTANCE_ID,
        demo::DEMO_INSTANCE_ID,
        demo::SHARDS_INSTANCE_ID,
    ] {
        rows.extend(
            client
                .list_backups(instance, ListLimit::ALL)
                .await
                .unwrap()
                .rows,
        );
    }
    // A sample of the paging instance: its 300 backups share one recipe.
    let archive = client
        .list_backups(demo::PAGES_INSTANCE_ID, ListLimit { max_rows: 3 })
        .await
        .unwrap();
    rows.extend(archive.rows);
    assert_eq!(rows.len(), demo::catalogue().len() + 3);

    let lookups = rows.iter().map(|row| {
        let (instance, backup) = (row.instance_id.clone(), row.id.clone());
        let client = &client;
        async move {
            let (instance, backup) = (instance.unwrap(), backup.unwrap());
            client.show_backup(&instance, &backup).await
        }
    });
    let answers = futures_util::future::join_all(lookups).await;
    let mut compared = Vec::new();
    for (row, answer) in rows.iter().zip(answers) {
        let Ok(fetched) = answer else { continue };
        let b = fetched.value;
        assert_eq!(row.id.as_deref(), Some(b.id.as_str()));
        assert_eq!(row.name.as_deref(), Some(b.name.as_str()), "{}", b.id);
        assert_eq!(row.instance_id.as_deref(), Some(b.instance_id.as_str()));
        assert_eq!(
            row.instance_name.as_deref(),
            Some(b.instance_name.as_str()),
            "{}",
            b.id
        );
        compared.push(b.id);
    }
    // Every backup whose lookup succeeds was compared, so the test cannot
    // pass by comparing nothing.
    for id in [
        demo::EXAMPLE_BACKUP_ID,
        "nodes-br09",
        "wide-br09",
        "empty-br09",
        "null-br09",
        "bulk-br09",
        "e429-br09",
        "slow-br09",
        "reset-br09",
        "archive-000-br09",
    ] {
        assert!(compared.iter().any(|c| c == id), "{id} was not compared");
    }

    // And the instance list names each instance as its backups do.
    let instances = client.list_instances(ListLimit::ALL).await.unwrap().rows;
    for row in rows.iter().filter(|r| r.id.as_deref() != Some("wide-br09")) {
        let owner = instances.iter().find(|i| i.id == row.instance_id).unwrap();
        assert_eq!(owner.name, row.instance_name, "{:?}", row.id);
    }
}

/// A table command with an explicit width (`None`: no COLUMNS, and stdout
/// is a pipe, so nothing is cut).
fn table(columns: Option<&str>, args: &[&str]) -> (String, String, Option<i32>) {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ddm-backups"));
    cmd.args(args)
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("TZ", "UTC")
        .env_remove("COLUMNS")
        .stdin(Stdio::null());
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn tables_fit_the_width_cut_names_and_keep_ids_whole() {
    use unicode_width::UnicodeWidthStr;
    let demo_backups = [
        "--demo",
        "backups",
        "--instance",
        "demo-in09",
        "--output",
        "text",
    ];
    let (out, err, code) = table(Some("80"), &demo_backups);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.lines().all(|l| l.width() <= 80), "{out}");
    for b in demo::catalogue()
        .iter()
        .filter(|b| b.instance_id == "demo-in09")
    {
        assert!(
            out.lines()
                .any(|l| l.ends_with(&format!("  {}", b.backup_id))),
            "{} whole: {out}",
            b.backup_id
        );
    }
    // wide-br09's name is cut in cells, marked, and its CJK instance name
    // is not a column.
    assert!(out.contains('…'), "{out}");
    // Types as the TUI reads them; times to the minute, in the zone (TZ).
    assert!(out.contains(" auto ") && out.contains(" manual "), "{out}");
    assert!(!out.contains("auto_metadata"), "{out}");
    assert!(
        out.contains("CREATED ") && out.contains("2025-06-27 02:00  "),
        "{out}"
    );
    assert!(
        err.is_empty(),
        "the demo's short IDs leave room for every column: {err}"
    );

    // The API's 36-character IDs at 80 columns: the ID stays whole, the
    // least needed columns go, and stderr says which.
    let example = [
        "--demo",
        "backups",
        "--instance",
        demo::EXAMPLE_INSTANCE_ID,
        "--output",
        "text",
    ];
    let (out, err, _) = table(Some("80"), &example);
    assert!(out.contains(demo::EXAMPLE_BACKUP_ID), "{out}");
    assert!(out.lines().all(|l| l.width() <= 80), "{out}");
    assert!(err.contains("left out to fit 80 columns"), "{err}");
    // Piped with no COLUMNS, as `ls` and `ps` do: every column, every name
    // whole, and nothing on stderr.
    let (out, err, _) = table(None, &example);
    assert!(err.is_empty(), "{err}");
    assert!(out.starts_with("NAME") && out.contains("SIZE"), "{out}");
    assert!(!out.contains('…'), "{out}");
    let (out, err, _) = table(None, &demo_backups);
    assert!(err.is_empty() && !out.contains('…'), "{err}{out}");
    // Wider, nothing is left out.
    let (out, err, _) = table(Some("160"), &example);
    assert!(err.is_empty(), "{err}");
    assert!(out.starts_with("NAME") && out.contains("SIZE"), "{out}");

    // JSON is the rows as the API gave them, whatever the width.
    let (json, _, _) = table(Some("20"), &demo_backups[..4]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let nodes = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "nodes-br09")
        .unwrap();
    assert_eq!(nodes["backup_type"], "auto_metadata");
    assert_eq!(nodes["created"], "2025-06-27T02:00:00+0000");
    assert_eq!(nodes["instance_name"], "ddm-demo-orders");
}

#[test]
fn an_empty_list_says_so_on_stderr_and_leaves_stdout_to_scripts() {
    let args = ["--demo", "backups", "--instance", "nosuch-in09"];
    let (out, err, code) = table(None, &[&args[..], &["--output", "text"]].concat());
    assert_eq!(code, Some(0));
    assert_eq!(out, "", "no header over nothing");
    assert_eq!(
        err.trim(),
        "note: no backups of nosuch-in09 in this project"
    );
    let (out, err, code) = table(None, &args);
    assert_eq!(code, Some(0));
    assert_eq!(out.trim(), "[]");
    assert!(err.contains("no backups of nosuch-in09"), "{err}");
}

//! `find` over many profiles whose rows carry 4 KiB in every string field:
//! the search keeps only what its matches need, and all profiles together
//! stay within one memory budget (a profile past it is cut with a note).

use std::time::Duration;

use super::find::listed_project;
use super::measure::{Measured, run_logged};
use super::server::{Answer, Head, Home, Hostile, json, response};

/// Profiles in the fleet: before the budget, 30 such profiles peaked at
/// 3.9 GB.
const PROFILES: usize = 30;
/// Rows per profile: the search's per-profile cap.
const ROWS: usize = 2_000;
/// What the binary must stay under: the 256 MiB budget plus pages in
/// flight and the allocator's slack.
const LIMIT: u64 = 400 * 1024 * 1024;

/// `text` padded with `x` to 4 KiB, the most a field keeps.
fn heavy(text: &str) -> String {
    format!("{text:x<4096}")
}

/// One page of heavy rows, honouring offset and limit; every row's name
/// holds "orders". The fields a search keeps are heavy, and the
/// description, which it never needs (and once kept).
fn heavy_page(head: &Head) -> Answer {
    let number = |name| head.query(name).and_then(|v| v.parse::<usize>().ok());
    let offset = number("offset").unwrap_or(0);
    let limit = number("limit").unwrap_or(10).min(128);
    let rows: Vec<String> = (offset..ROWS.min(offset.saturating_add(limit)))
        .map(|n| {
            format!(
                r#"{{"id":"{}","name":"{}","description":"{}","status":"normal","instance_id":"{}","instance_name":"{}","created":"2025-06-01T02:00:00+0000"}}"#,
                heavy(&format!("{n:05}")),
                heavy(&format!("Backup-orders-{n}-")),
                heavy("description"),
                heavy("in09"),
                heavy("ddm-orders"),
            )
        })
        .collect();
    json(&format!(
        r#"{{"total":{ROWS},"backups":[{}]}}"#,
        rows.join(",")
    ))
}

fn fleet(home: &Home, url: &str) -> std::path::PathBuf {
    let profiles: String = (0..PROFILES)
        .map(|i| {
            format!(
                "[profiles.p{i:02}]\nregion = \"cn-north-4\"\nproject_id = \"{i:032}\"\n\
                 endpoint = \"{url}\"\n[profiles.p{i:02}.auth]\ntype = \"token\"\ntoken = \"tok\"\n"
            )
        })
        .collect();
    home.config(&profiles)
}

fn run(query: &str) -> Measured {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(_) => heavy_page(head),
        None => response(404, &[], b"{}"),
    });
    let home = Home::new();
    let config = fleet(&home, &server.url);
    let mut command = home.cmd();
    // A cut table keeps stdout small; what is measured is what is kept.
    command
        .env("COLUMNS", "80")
        .arg("--config")
        .arg(&config)
        .args(["find", query, "--output", "text"]);
    let label = format!("find {query:?} over {PROFILES} heavy profiles");
    run_logged(command, LIMIT * 2, Duration::from_secs(300), &label)
}

#[test]
fn thirty_heavy_profiles_that_all_match_stay_within_the_budget_and_say_so() {
    let (code, stdout, stderr, peak) = run("orders");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(peak < LIMIT, "peak RSS {peak} bytes; {stderr}");
    // Some profiles were read whole before the budget ran out, and the
    // ones cut are named once, with what to do.
    assert!(
        stdout.lines().count() > ROWS,
        "{} lines",
        stdout.lines().count()
    );
    let note = stderr
        .lines()
        .find(|l| l.starts_with("note: stopped reading "))
        .unwrap_or_else(|| panic!("no budget note: {stderr}"));
    assert!(
        note.contains("256 MiB") && note.contains("--profile"),
        "{note}"
    );
    assert!(
        note.contains("p29"),
        "the last profile is among the cut: {note}"
    );
    assert!(!note.contains("p00,"), "the first is read whole: {note}");
}

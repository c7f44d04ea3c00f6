use super::*;
use jiff::{SignedDuration, Timestamp};

/// A fixed instant, from RFC 3339 text.
fn utc(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A lookup `second`s after a fixed start, so tests control the order.
fn entry(profile: &str, instance: &str, backup: &str, second: i64) -> Entry {
    Entry {
        profile: profile.into(),
        instance_id: instance.into(),
        instance_name: format!("name of {instance}"),
        backup_id: backup.into(),
        backup_name: String::new(),
        at: Entry::timestamp(utc("2026-11-27T09:00:00Z") + SignedDuration::from_secs(second)),
        outcome: Outcome::Ok { nodes: 2 },
    }
}

fn store_in(dir: &tempfile::TempDir) -> HistoryStore {
    HistoryStore::at(dir.path().join("data").join("history.json"))
}

fn ids(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.backup_id.as_str()).collect()
}

#[test]
fn timestamp_is_utc_whole_seconds() {
    let at = utc("2026-11-27T10:15:02.75+01:00");
    assert_eq!(Entry::timestamp(at), "2026-11-27T09:15:02Z");
}

#[test]
fn record_then_load_round_trips_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let failed = Entry {
        outcome: Outcome::Failed {
            summary: "HTTP 404 DBS.280001".into(),
        },
        ..entry("prod", "i1", "b2", 20)
    };
    store.record(entry("prod", "i1", "b1", 10)).unwrap();
    let returned = store.record(failed.clone()).unwrap();
    store.record(entry("test", "i2", "b0", 5)).unwrap();

    let loaded = store.load().unwrap();
    assert_eq!(loaded.warning, None);
    assert_eq!(ids(&loaded.entries), ["b2", "b1", "b0"]);
    assert_eq!(loaded.entries[0], failed);
    assert_eq!(returned.entries, loaded.entries[..2]);

    let text = std::fs::read_to_string(store.path()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["entries"][0]["outcome"]["kind"], "failed");
    assert_eq!(value["entries"][1]["outcome"]["nodes"], 2);
}

#[test]
fn the_same_backup_keeps_only_its_newest_lookup() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    store.record(entry("prod", "i1", "b1", 10)).unwrap();
    store.record(entry("prod", "i1", "b2", 20)).unwrap();
    let again = store.record(entry("prod", "i1", "b1", 30)).unwrap();
    assert_eq!(ids(&again.entries), ["b1", "b2"]);
    assert_eq!(again.entries[0].at, "2026-11-27T09:00:30Z");

    // An older lookup (another pane's clock, say) does not replace a newer one.
    let older = store.record(entry("prod", "i1", "b1", 1)).unwrap();
    assert_eq!(older.entries, again.entries);

    // Another profile or instance is another target.
    let other = store.record(entry("test", "i1", "b1", 5)).unwrap();
    assert_eq!(other.entries.len(), 3);
}

#[test]
fn a_tie_puts_the_incoming_entry_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    store.record(entry("prod", "i1", "old", 10)).unwrap();
    let loaded = store.record(entry("prod", "i1", "new", 10)).unwrap();
    assert_eq!(ids(&loaded.entries), ["new", "old"]);

    let same_key = Entry {
        outcome: Outcome::Ok { nodes: 7 },
        ..entry("prod", "i1", "old", 10)
    };
    let replaced = store.record(same_key.clone()).unwrap();
    assert_eq!(replaced.entries[0], same_key);
    assert_eq!(replaced.entries.len(), 2);
}

#[test]
fn keeps_only_the_newest_max_entries() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let total = MAX_ENTRIES + 5;
    for i in 0..total {
        store
            .record(entry("prod", "i1", &format!("b{i}"), i as i64))
            .unwrap();
    }
    let loaded = store.load().unwrap();
    assert_eq!(loaded.entries.len(), MAX_ENTRIES);
    assert_eq!(loaded.entries[0].backup_id, format!("b{}", total - 1));
    assert_eq!(loaded.entries[MAX_ENTRIES - 1].backup_id, "b5");
}

#[test]
fn concurrent_writers_lose_nothing() {
    const THREADS: usize = 8;
    const EACH: usize = 25;
    const { assert!(THREADS * EACH <= MAX_ENTRIES) };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("history.json");
    let start = std::sync::Arc::new(std::sync::Barrier::new(THREADS));
    let writers: Vec<_> = (0..THREADS)
        .map(|t| {
            // Each writer has its own store value, so its own lock file descriptions.
            let store = HistoryStore::at(&path);
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                for i in 0..EACH {
                    let e = entry(
                        &format!("p{t}"),
                        "i",
                        &format!("b{i}"),
                        (i * THREADS + t) as i64,
                    );
                    store.record(e).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let loaded = HistoryStore::at(&path).load().unwrap();
    assert_eq!(loaded.warning, None);
    assert_eq!(loaded.entries.len(), THREADS * EACH);
    let distinct: HashSet<_> = loaded.entries.iter().map(Entry::key).collect();
    assert_eq!(distinct.len(), THREADS * EACH);
    assert!(loaded.entries.windows(2).all(|w| w[0].at >= w[1].at));
}

#[test]
fn a_damaged_file_is_set_aside_and_a_new_history_started() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    store.record(entry("prod", "i1", "b1", 10)).unwrap();
    let garbage = b"\xff\xfe{\"version\": 1, \x00garbage".to_vec();
    std::fs::write(store.path(), &garbage).unwrap();

    let loaded = store.load().unwrap();
    assert!(loaded.entries.is_empty());
    let warning = loaded.warning.unwrap();
    assert!(!store.path().exists());
    let aside = damaged_copies(&store);
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage);
    assert!(warning.contains(&store.path().display().to_string()));
    assert!(warning.contains(&aside[0].display().to_string()));

    // Damage again (same second, quite likely): the first copy is kept.
    std::fs::write(store.path(), "not json").unwrap();
    let recorded = store.record(entry("prod", "i1", "b2", 20)).unwrap();
    assert!(recorded.warning.is_some());
    assert_eq!(ids(&recorded.entries), ["b2"]);
    assert_eq!(damaged_copies(&store).len(), 2);
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage);
    assert_eq!(store.load().unwrap(), recorded_without_warning(recorded));
}

fn damaged_copies(store: &HistoryStore) -> Vec<PathBuf> {
    let dir = store.path().parent().unwrap();
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("history.json.damaged-"))
        .collect();
    found.sort();
    found
}

fn recorded_without_warning(loaded: Loaded) -> Loaded {
    Loaded {
        warning: None,
        ..loaded
    }
}

#[test]
fn wrong_shape_unknown_version_and_oversize_count_as_damaged() {
    let big = format!(
        r#"{{"version":1,"entries":[],"pad":"{}"}}"#,
        "x".repeat(MAX_FILE_BYTES as usize)
    );
    for text in [
        r#"[1, 2, 3]"#,
        r#"{"entries": []}"#,
        r#"{"version": 1, "entries": {}}"#,
        r#"{"version": 2, "entries": []}"#,
        r#"{"version": "\u001b[31m", "entries": []}"#,
        big.as_str(),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let store = store_in(&dir);
        std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        std::fs::write(store.path(), text).unwrap();
        let loaded = store.load().unwrap();
        assert!(loaded.entries.is_empty(), "{text:.40}");
        let warning = loaded.warning.expect("a warning");
        assert!(!warning.contains('\u{1b}'), "the file is not quoted");
        assert_eq!(damaged_copies(&store).len(), 1, "{text:.40}");
    }
}

#[test]
fn unreadable_entries_are_skipped_and_strings_capped() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    let long = "x".repeat(10_000);
    let file = serde_json::json!({
        "version": 1,
        "future_field": true,
        "entries": [
            42,
            {"profile": "p"},
            {"profile": "p", "instance_id": "i", "backup_id": "bad-time", "at": "yesterday",
             "outcome": {"kind": "ok", "nodes": 1}},
            {"profile": "p", "instance_id": "i", "backup_id": "b", "at": "2026-11-27T10:00:00+01:00",
             "outcome": {"kind": "failed", "summary": long}, "extra": 1},
            {"profile": long, "instance_id": "i", "backup_id": "b", "at": "2026-11-27T08:00:00Z",
             "outcome": {"kind": "ok", "nodes": 0}},
        ]
    });
    std::fs::write(store.path(), file.to_string()).unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.warning, None);
    assert_eq!(loaded.entries.len(), 2);
    let first = &loaded.entries[0];
    assert_eq!(first.at, "2026-11-27T09:00:00Z", "rewritten in UTC");
    assert_eq!(first.instance_name, "", "optional names default to empty");
    match &first.outcome {
        Outcome::Failed { summary } => assert_eq!(summary.chars().count(), MAX_FIELD_CHARS),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(loaded.entries[1].profile.chars().count(), MAX_FIELD_CHARS);
}

/// A file as the versions that kept times with the `time` crate wrote it
/// (a verbatim copy of one, IDs shortened) loads whole, times unchanged,
/// and so do the other RFC 3339 forms that crate read.
#[test]
fn a_file_written_by_earlier_versions_loads() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    let written = r#"{
  "version": 1,
  "entries": [
    {"profile": "demo", "instance_id": "demo-in09", "instance_name": "ddm-demo",
     "backup_id": "demo-br09", "backup_name": "nightly", "at": "2026-11-27T14:02:31Z",
     "outcome": {"kind": "ok", "nodes": 3}},
    {"profile": "demo", "instance_id": "demo-in09", "instance_name": "",
     "backup_id": "gone-br09", "backup_name": "", "at": "2026-11-27T09:15:02Z",
     "outcome": {"kind": "failed", "summary": "HTTP 404 DBS.280001"}},
    {"profile": "eu", "instance_id": "i", "backup_id": "b1", "at": "2026-11-26T10:15:02.75+01:00",
     "outcome": {"kind": "ok", "nodes": 0}},
    {"profile": "eu", "instance_id": "i", "backup_id": "b2", "at": "2026-11-25t23:59:59-00:30",
     "outcome": {"kind": "ok", "nodes": 0}}
  ]
}"#;
    std::fs::write(store.path(), written).unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.warning, None);
    let at: Vec<&str> = loaded.entries.iter().map(|e| e.at.as_str()).collect();
    assert_eq!(
        at,
        [
            "2026-11-27T14:02:31Z",
            "2026-11-27T09:15:02Z",
            "2026-11-26T09:15:02Z",
            "2026-11-26T00:29:59Z",
        ]
    );
    assert_eq!(loaded.entries[0].backup_name, "nightly");
    assert_eq!(loaded.entries[0].outcome, Outcome::Ok { nodes: 3 });
}

#[test]
fn a_file_with_too_many_entries_is_trimmed_on_load() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    // Oldest first and with duplicates: load sorts, dedupes and trims.
    let entries: Vec<Entry> = (0..1000)
        .map(|i| entry("p", "i", &format!("b{}", i % 600), i))
        .collect();
    let text = serde_json::to_string(&FileOut {
        version: 1,
        entries: &entries,
    })
    .unwrap();
    std::fs::write(store.path(), text).unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.entries.len(), MAX_ENTRIES);
    assert_eq!(loaded.entries[0], entries[999]);
    assert_eq!(loaded.entries[MAX_ENTRIES - 1], entries[800]);
}

#[test]
fn a_missing_file_is_an_empty_history_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    assert_eq!(store.load().unwrap(), Loaded::default());
    assert!(!store.path().parent().unwrap().exists());
}

#[cfg(unix)]
#[test]
fn record_creates_a_private_directory_and_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::at(dir.path().join("a").join("b").join("history.json"));
    store.record(entry("p", "i", "b", 0)).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(store.path()), 0o600);
    assert_eq!(mode(store.path().parent().unwrap()), 0o700);
    assert_eq!(mode(&store.lock), 0o600);
    assert_eq!(
        store.lock.file_name().unwrap().to_string_lossy(),
        "history.json.lock"
    );
    let leftovers: Vec<_> = std::fs::read_dir(store.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn last_for_picks_the_newest_of_that_profile() {
    let entries = vec![
        entry("test", "i9", "b9", 30),
        entry("prod", "i2", "b2", 20),
        entry("prod", "i1", "b1", 10),
    ];
    assert_eq!(last_for(&entries, "prod").unwrap().backup_id, "b2");
    assert_eq!(last_for(&entries, "test").unwrap().backup_id, "b9");
    assert!(last_for(&entries, "dev").is_none());
}

#[test]
fn default_location_is_history_json_in_the_data_dir() {
    if let Some(path) = HistoryStore::default_location() {
        assert!(path.ends_with("history.json"));
        assert!(path.to_string_lossy().contains("ddm-backups"));
    }
}

#[test]
fn a_huge_name_is_capped_before_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let huge = Entry {
        backup_name: "n".repeat(5 * 1024 * 1024),
        outcome: Outcome::Failed {
            summary: "s".repeat(100_000),
        },
        ..entry("prod", "i1", "b1", 10)
    };
    let recorded = store.record(huge).unwrap();
    assert_eq!(
        recorded.entries[0].backup_name.chars().count(),
        MAX_FIELD_CHARS
    );
    let size = std::fs::metadata(store.path()).unwrap().len();
    assert!(size < 16 * 1024, "{size}");
    // The next start reads it back as written, without calling it damaged.
    let loaded = store.load().unwrap();
    assert_eq!(loaded.warning, None);
    assert_eq!(loaded.entries, recorded.entries);
    assert!(damaged_copies(&store).is_empty());
}

#[test]
fn the_file_stays_under_its_byte_cap_by_dropping_the_oldest() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    // Control characters are escaped as \u00XX: six bytes each, the worst case.
    let worst = "\u{1}".repeat(MAX_FIELD_CHARS);
    let mut last = Loaded::default();
    for i in 0..MAX_ENTRIES as i64 {
        let e = Entry {
            profile: worst.clone(),
            instance_id: format!("{i}{worst}"),
            instance_name: worst.clone(),
            backup_id: worst.clone(),
            backup_name: worst.clone(),
            outcome: Outcome::Failed {
                summary: worst.clone(),
            },
            ..entry("p", "i", "b", i)
        };
        last = store.record(e).unwrap();
    }
    let size = std::fs::metadata(store.path()).unwrap().len();
    assert!(size <= MAX_WRITE_BYTES as u64, "{size}");
    // Some had to go, the newest stayed, and what the file holds is what record said.
    assert!(last.entries.len() < MAX_ENTRIES && last.entries.len() > 50);
    assert!(last.entries[0].instance_id.starts_with("199"));
    let loaded = store.load().unwrap();
    assert_eq!(loaded.warning, None);
    assert_eq!(loaded.entries, last.entries);
}

#[test]
fn encode_within_keeps_whole_entries_newest_first() {
    let mut entries: Vec<Entry> = (0..50)
        .rev()
        .map(|i| entry("p", "i", &format!("b{i}"), i))
        .collect();
    let full = serde_json::to_vec_pretty(&FileOut {
        version: 1,
        entries: &entries,
    })
    .unwrap();
    let json = encode_within(&mut entries, full.len() / 2).unwrap();
    assert!(json.len() <= full.len() / 2);
    assert!(
        entries.len() >= 20 && entries.len() < 50,
        "{}",
        entries.len()
    );
    assert_eq!(entries[0].backup_id, "b49");
    // Even a limit nothing fits in ends, with an empty list.
    assert!(encode_within(&mut entries, 1).is_ok());
    assert!(entries.is_empty());
}

#[test]
fn at_most_three_damaged_copies_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    let data = store.path().parent().unwrap();
    std::fs::create_dir_all(data).unwrap();
    // Older copies from earlier days, named as set_aside names them.
    for stamp in [
        "20200101T000000Z",
        "20200102T000000Z",
        "20200103T000000Z-2",
        "20200103T000000Z",
    ] {
        std::fs::write(data.join(format!("history.json.damaged-{stamp}")), "old").unwrap();
    }
    // Not ours: never removed.
    std::fs::write(data.join("history.json.other"), "x").unwrap();
    for round in 0..3 {
        std::fs::write(store.path(), format!("damaged {round}")).unwrap();
        assert!(store.load().unwrap().warning.is_some());
        let copies = damaged_copies(&store);
        assert_eq!(copies.len(), MAX_DAMAGED_COPIES, "{copies:?}");
    }
    let kept: Vec<String> = damaged_copies(&store)
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut kept_sorted = kept.clone();
    kept_sorted.sort();
    assert_eq!(kept_sorted, ["damaged 0", "damaged 1", "damaged 2"]);
    assert!(data.join("history.json.other").exists());
}

#[test]
fn damaged_copies_sort_by_time_then_number() {
    let mut ages: Vec<DamagedAge> = [
        "20200103T000000Z-10",
        "20200103T000000Z-2",
        "20200103T000000Z",
        "20200102T000000Z-3",
    ]
    .into_iter()
    .map(DamagedAge::of)
    .collect();
    ages.sort();
    let order: Vec<(String, u32)> = ages.into_iter().map(|a| (a.stamp, a.n)).collect();
    assert_eq!(
        order,
        [
            ("20200102T000000Z".to_string(), 3),
            ("20200103T000000Z".to_string(), 1),
            ("20200103T000000Z".to_string(), 2),
            ("20200103T000000Z".to_string(), 10),
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_in_place_of_the_file_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir);
    std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    let target = dir.path().join("elsewhere");
    std::fs::write(&target, "keep").unwrap();
    std::os::unix::fs::symlink(&target, store.path()).unwrap();
    assert!(store.load().is_err());
    assert!(store.record(entry("p", "i", "b", 1)).is_err());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
}

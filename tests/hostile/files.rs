//! Files we write and commands we run: planted symlinks, a history fed a
//! 5 MiB name, damaged copies piling up, child commands that linger or hang,
//! configs others could change, secrets written where a name belongs, and a
//! token-cache lock held by another process.

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use ddm_backups::history::{Entry, HistoryStore, Outcome};

use crate::server::{Answer, Head, Home, Hostile, json, response};

const INSTANCE: &str = "abc-in09";
const BACKUP: &str = "abc-br09";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// A ShowBackup body for the asked backup, with `name`.
fn backup_body(head: &Head, name: &str) -> String {
    let id = head.path().rsplit('/').next().unwrap_or("");
    serde_json::json!({
        "id": id,
        "name": name,
        "instance_id": INSTANCE,
        "instance_name": "inst",
        "related_data_nodes": [],
    })
    .to_string()
}

/// IAM's sign-in and DDM's ShowBackup, answered honestly.
fn iam_and_ddm(head: &Head) -> Answer {
    if head.method == "POST" && head.path() == "/v3/auth/tokens" {
        return response(
            201,
            &[
                ("Content-Type", "application/json"),
                ("X-Subject-Token", "tok-from-iam"),
            ],
            br#"{"token":{"expires_at":"2099-01-01T00:00:00.000000Z"}}"#,
        );
    }
    json(&backup_body(head, "a name"))
}

fn show(home: &Home, config: &Path) -> (Output, Duration) {
    let started = Instant::now();
    let out = home
        .cmd()
        .args(["show", "--config"])
        .arg(config)
        .args(["--instance", INSTANCE, "--backup", BACKUP])
        .env("DDM_TEST_PASSWORD", "pw-value")
        .env("DDM_TEST_AK", "ak-value")
        .output()
        .expect("run the binary");
    (out, started.elapsed())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A config with one profile `p` aimed at `url`, with this `[auth]` body.
fn config_with_auth(home: &Home, url: &str, extra: &str, auth: &str) -> PathBuf {
    home.config(&format!(
        "[profiles.p]\nregion = \"cn-north-4\"\nproject_id = \"{PROJECT}\"\nendpoint = \"{url}\"\n\
         iam_endpoint = \"{url}\"\n{extra}\n[profiles.p.auth]\n{auth}\n"
    ))
}

fn password_config(home: &Home, url: &str, extra: &str) -> PathBuf {
    config_with_auth(
        home,
        url,
        extra,
        "type = \"password\"\ndomain = \"d\"\nuser = \"u\"\npassword_env = \"DDM_TEST_PASSWORD\"",
    )
}

/// A file outside every folder the app writes, to point planted links at.
fn bait(home: &Home, name: &str) -> PathBuf {
    let path = home.path().join(name);
    std::fs::write(&path, "bait").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    path
}

fn assert_untouched(path: &Path) {
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        "bait",
        "{}",
        path.display()
    );
    let mode = std::fs::metadata(path).unwrap().mode() & 0o777;
    assert_eq!(mode, 0o644, "{}", path.display());
}

fn private_dir(path: &Path) {
    std::fs::create_dir_all(path).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn the_log_file_does_not_follow_a_planted_symlink() {
    let server = Hostile::start(iam_and_ddm);
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    let target = bait(&home, "bait-log");
    let logs = home.path().join("state/ddm-backups");
    private_dir(&logs);
    symlink(&target, logs.join("ddm-backups.log")).unwrap();
    let (out, _) = show(&home, &config);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_untouched(&target);
}

/// The token cache's files after one sign-in: (the entry, its lock).
fn cache_files(home: &Home) -> (PathBuf, PathBuf) {
    let dir = home.path().join("cache/ddm-backups/tokens");
    let mut entry = None;
    let mut lock = None;
    for e in std::fs::read_dir(&dir).expect("the token cache folder") {
        let path = e.unwrap().path();
        match path.extension().and_then(|x| x.to_str()) {
            Some("json") => entry = Some(path),
            Some("lock") => lock = Some(path),
            _ => {}
        }
    }
    (entry.expect("a cache entry"), lock.expect("a lock file"))
}

#[test]
fn a_token_cache_planted_with_symlinks_is_not_followed() {
    let server = Hostile::start(iam_and_ddm);
    let home = Home::new();
    let config = password_config(&home, &server.url, "");
    let (out, _) = show(&home, &config);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (entry, lock) = cache_files(&home);
    // The entry swapped for a link: the next sign-in replaces the link.
    let entry_bait = bait(&home, "bait-entry");
    std::fs::remove_file(&entry).unwrap();
    symlink(&entry_bait, &entry).unwrap();
    let (out, _) = show(&home, &config);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_untouched(&entry_bait);
    assert!(!std::fs::symlink_metadata(&entry).unwrap().is_symlink());
    // The lock swapped for a link: the lookup still works, without a cache.
    let lock_bait = bait(&home, "bait-lock");
    std::fs::remove_file(&lock).unwrap();
    symlink(&lock_bait, &lock).unwrap();
    let (out, _) = show(&home, &config);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_untouched(&lock_bait);
}

#[test]
fn the_history_does_not_follow_planted_symlinks() {
    let home = Home::new();
    let data = home.path().join("data/ddm-backups");
    private_dir(&data);
    let store = HistoryStore::at(data.join("history.json"));
    // The predictable temp name of earlier versions, planted.
    let temp_bait = bait(&home, "bait-temp");
    symlink(
        &temp_bait,
        data.join(format!("history.json.tmp-{}", std::process::id())),
    )
    .unwrap();
    store.record(entry(BACKUP, "name", 1)).unwrap();
    assert_untouched(&temp_bait);
    // The history itself swapped for a link: refused, the target intact.
    let history_bait = bait(&home, "bait-history");
    std::fs::remove_file(store.path()).unwrap();
    symlink(&history_bait, store.path()).unwrap();
    assert!(store.record(entry(BACKUP, "name", 2)).is_err());
    assert!(store.load().is_err());
    assert_untouched(&history_bait);
}

fn entry(backup: &str, name: &str, second: i64) -> Entry {
    let at = jiff::Timestamp::from_second(1_800_000_000 + second).unwrap();
    Entry {
        profile: "p".into(),
        instance_id: INSTANCE.into(),
        instance_name: "inst".into(),
        backup_id: backup.into(),
        backup_name: name.into(),
        at: Entry::timestamp(at),
        outcome: Outcome::Ok { nodes: 0 },
    }
}

#[tokio::test]
async fn a_five_mib_backup_name_keeps_the_history_small_and_readable() {
    let huge = "N".repeat(5 * 1024 * 1024);
    let served = huge.clone();
    let server = Hostile::start(move |head| json(&backup_body(head, &served)));
    let home = Home::new();
    let path = home.token_config(&server.url, "");
    let config = ddm_backups::config::load(&ddm_backups::config::Location {
        path,
        origin: "test",
    })
    .unwrap();
    let client = ddm_backups::api::DdmClient::new(&config.profiles["p"]).unwrap();
    let store = HistoryStore::at(home.path().join("data/ddm-backups/history.json"));
    for (i, backup) in ["abc-br01", "abc-br02", "abc-br03"].into_iter().enumerate() {
        // The client already cuts every string the server sends to 4 KiB...
        let fetched = client.show_backup(INSTANCE, backup).await.unwrap();
        assert_eq!(fetched.value.name.len(), 4096);
        // ...and the history does not rely on it: it caps what it is given.
        store.record(entry(backup, &huge, i as i64)).unwrap();
        let size = std::fs::metadata(store.path()).unwrap().len();
        assert!(size < 1024 * 1024, "history.json is {size} bytes");
    }
    // The next start: a new store reads all three back, nothing damaged.
    let loaded = HistoryStore::at(store.path()).load().unwrap();
    assert_eq!(loaded.warning, None);
    assert_eq!(loaded.entries.len(), 3);
    assert!(
        loaded
            .entries
            .iter()
            .all(|e| e.backup_name.starts_with("NNN"))
    );
    let damaged = std::fs::read_dir(store.path().parent().unwrap())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().contains(".damaged-")
        })
        .count();
    assert_eq!(damaged, 0);
}

#[test]
fn more_than_three_damaged_copies_are_never_kept() {
    let home = Home::new();
    let data = home.path().join("data/ddm-backups");
    private_dir(&data);
    let store = HistoryStore::at(data.join("history.json"));
    for round in 0..7 {
        std::fs::write(store.path(), format!("{{ damaged {round}")).unwrap();
        let loaded = store.load().unwrap();
        assert!(loaded.warning.is_some());
        let copies: Vec<String> = std::fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("history.json.damaged-"))
            .collect();
        assert!(copies.len() <= 3, "round {round}: {copies:?}");
        assert_eq!(copies.len(), (round + 1).min(3));
    }
}

fn token_command_config(home: &Home, url: &str, command: &str) -> PathBuf {
    let quoted = toml_string(command);
    config_with_auth(
        home,
        url,
        "",
        &format!("type = \"token\"\ntoken_command = {quoted}"),
    )
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn a_token_command_that_leaves_a_child_behind_answers_at_once() {
    let server = Hostile::start(iam_and_ddm);
    let home = Home::new();
    let config = token_command_config(&home, &server.url, "echo tok; sleep 45 &");
    let (out, took) = show(&home, &config);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

/// True while `pid` runs; a zombie waiting to be reaped counts as gone.
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

#[test]
fn a_hanging_command_is_killed_with_its_children() {
    let server = Hostile::start(iam_and_ddm);
    let home = Home::new();
    let pids = home.path().join("pids");
    let command = format!(
        "sleep 300 & echo $! > '{p}'; echo $$ >> '{p}'; wait",
        p = pids.display()
    );
    let config = token_command_config(&home, &server.url, &command);
    let (out, took) = show(&home, &config);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("token_command gave no answer within 30 s"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let ids = std::fs::read_to_string(&pids).unwrap();
    let ids: Vec<&str> = ids.split_whitespace().collect();
    assert_eq!(ids.len(), 2);
    let waited = Instant::now();
    while ids.iter().any(|p| alive(p)) && waited.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    for pid in ids {
        assert!(!alive(pid), "{pid} lives on");
    }
}

/// Runs `show` with `config` and returns (exit code, stderr).
fn refused(home: &Home, config: &Path) -> (Option<i32>, String) {
    let (out, _) = show(home, config);
    (out.status.code(), text(&out.stderr))
}

#[test]
fn a_config_naming_a_command_must_be_the_users_and_private() {
    let server = Hostile::start(iam_and_ddm);
    // Group-writable file.
    let home = Home::new();
    let config = token_command_config(&home, &server.url, "echo tok");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o664)).unwrap();
    let (code, stderr) = refused(&home, &config);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&config.display().to_string()), "{stderr}");
    assert!(stderr.contains("chmod 600"), "{stderr}");

    // A private file in a world-writable folder.
    let home = Home::new();
    let config = token_command_config(&home, &server.url, "echo tok");
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let (code, stderr) = refused(&home, &config);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&config.display().to_string()), "{stderr}");
    assert!(stderr.contains("chmod go-w"), "{stderr}");
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let (out, _) = show(&home, &config);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Another user's file: only root can make one.
    if std::fs::metadata(&config).unwrap().uid() == 0
        && std::os::unix::fs::chown(&config, Some(54321), None).is_ok()
    {
        let (code, stderr) = refused(&home, &config);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("belongs to uid 54321"), "{stderr}");
        assert!(stderr.contains(&config.display().to_string()), "{stderr}");
    }
}

/// Everything a run left where a person or a later process could read it.
fn everything_said(home: &Home, out: &Output) -> String {
    let log = std::fs::read_to_string(home.path().join("state/ddm-backups/ddm-backups.log"))
        .unwrap_or_default();
    format!("{}{}{log}", text(&out.stdout), text(&out.stderr))
}

#[test]
fn secrets_written_as_names_or_commands_are_never_repeated() {
    let server = Hostile::start(iam_and_ddm);
    let aksk = |sk_env: &str| {
        format!(
            "type = \"aksk\"\nak_env = \"DDM_TEST_AK\"\nsk_env = {}",
            toml_string(sk_env)
        )
    };
    // A pasted secret where the variable's name belongs: refused as a name,
    // or (if it could be a name) reported as unset, never quoted.
    for (marker, expected) in [
        ("Zq9MARKERsk/+x=", "is not an environment variable name"),
        ("Zq9MARKERskValue", "named by sk_env is not set"),
    ] {
        let home = Home::new();
        let config = config_with_auth(&home, &server.url, "", &aksk(marker));
        let (out, _) = show(&home, &config);
        let said = everything_said(&home, &out);
        assert_eq!(out.status.code(), Some(2), "{said}");
        assert!(said.contains(expected), "{said}");
        assert!(!said.contains("MARKER"), "{said}");
    }
    // A failing command whose text and error output carry a secret.
    let home = Home::new();
    let config = token_command_config(
        &home,
        &server.url,
        "echo tok-MARKER-out; echo vault: MARKER-err >&2; exit 3",
    );
    let (out, _) = show(&home, &config);
    let said = everything_said(&home, &out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("token_command failed with exit status 3"),
        "{said}"
    );
    assert!(!said.contains("MARKER"), "{said}");
}

#[test]
fn a_held_token_cache_lock_ends_at_the_deadline() {
    let server = Hostile::start(iam_and_ddm);
    let home = Home::new();
    let config = password_config(&home, &server.url, "timeout_secs = 2");
    let (out, _) = show(&home, &config);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (_, lock) = cache_files(&home);
    // Another ddm-backups process, as far as the lock can tell.
    let holder = std::fs::OpenOptions::new().write(true).open(&lock).unwrap();
    holder.lock().unwrap();
    let (out, took) = show(&home, &config);
    let stderr = text(&out.stderr);
    // A runtime failure that may pass on the next try (exit 1), not a
    // usage or configuration error (exit 2).
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert!(
        stderr.contains("another ddm-backups process holds the token cache lock"),
        "{stderr}"
    );
    assert!(stderr.contains(&lock.display().to_string()), "{stderr}");
    drop(holder);
    let (out, _) = show(&home, &config);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

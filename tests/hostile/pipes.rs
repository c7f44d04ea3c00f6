//! What leaves through stdout: a reader that goes away ends every command
//! quietly, text output carries nothing a terminal would act on, and IDs
//! that could bend a request path never reach a server.

use std::io::Read;
use std::process::Stdio;

use super::server::{Home, Hostile, json};

/// Runs the binary, reads one byte of its stdout and closes the pipe.
/// Returns the exit code and stderr.
pub(super) fn read_one_byte_and_close(home: &Home, args: &[&str]) -> (Option<i32>, String) {
    let mut child = home
        .cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut one = [0u8; 1];
    let n = stdout.read(&mut one).expect("read");
    assert_eq!(n, 1, "{args:?} printed nothing");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_every_command_quietly_at_any_size() {
    let home = Home::new();
    let cases: &[&[&str]] = &[
        // About 1 MB of JSON, and its text form.
        &[
            "show",
            "--demo",
            "--instance",
            "demo-in09",
            "--backup",
            "bulk-br09",
        ],
        &[
            "show",
            "--demo",
            "--instance",
            "demo-in09",
            "--backup",
            "bulk-br09",
            "--output",
            "text",
        ],
        // Small answers: the reader may be gone before or after the write.
        &["show", "--demo"],
        &["show", "--demo", "--output", "text"],
        &["instances", "--demo"],
        &["instances", "--demo", "--output", "text"],
        &["backups", "--demo", "--instance", "pages-in09", "--all"],
        &[
            "backups",
            "--demo",
            "--instance",
            "pages-in09",
            "--all",
            "--output",
            "text",
        ],
        // Every profile searched, then printed in one piece.
        &["find", "orders", "--demo"],
        &["find", "orders", "--demo", "--output", "text"],
        // The readiness report of a backup without blockers (exit 0), in
        // both forms: five calls, then one write.
        &[
            "restore-check",
            "--demo",
            "--instance",
            "shards-in09",
            "--backup",
            "shards-br09",
        ],
        &[
            "restore-check",
            "--demo",
            "--instance",
            "shards-in09",
            "--backup",
            "shards-br09",
            "--output",
            "text",
        ],
        // Generated text, written in one piece from memory.
        &["completions", "bash"],
        &["completions", "powershell"],
        &["man"],
    ];
    for args in cases {
        let (code, stderr) = read_one_byte_and_close(&home, args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        // Nothing about the pipe; a table's note on the columns it left out
        // to fit 80 may still come (the whole table can reach the pipe's
        // buffer before the reader goes).
        assert!(
            stderr
                .lines()
                .all(|l| l.starts_with("note: ") && l.contains("left out to fit")),
            "{args:?}: {stderr}"
        );
    }
}

/// `show` of i1-in09/b1-br09 against `server`, with `extra` arguments.
fn show(server: &Hostile, extra: &[&str]) -> std::process::Output {
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    home.cmd()
        .arg("--config")
        .arg(&config)
        .args(["show", "--instance", "i1-in09", "--backup", "b1-br09"])
        .args(extra)
        .output()
        .expect("run")
}

/// A backup whose every name is full of what a terminal would act on.
fn hostile_names() -> Hostile {
    let evil =
        "a\u{1b}[2J\u{7}\u{85}\u{9b}31m\u{202e}\u{061c}\u{2028}\u{2029}\u{200b}\u{feff}\u{e0041}z";
    let body = serde_json::json!({
        "id": "b1-br09",
        "name": evil,
        "instance_id": "i1-in09",
        "instance_name": evil,
        "related_data_nodes": [{"instance_id": "n1-in01", "instance_name": evil}],
    })
    .to_string();
    Hostile::start(move |_| json(&body))
}

#[test]
fn text_output_carries_no_control_bidi_or_separator_character() {
    let out = show(&hostile_names(), &["--output", "text"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("a[2J"), "{text:?}");
    for c in text.chars() {
        assert!(
            c == '\n' || !ddm_backups::terminal_text::is_unsafe(c),
            "U+{:04X} reached stdout: {text:?}",
            c as u32
        );
    }
}

#[test]
fn json_output_escapes_them_and_keeps_the_data_exact() {
    let out = show(&hostile_names(), &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout.clone()).expect("UTF-8");
    assert!(
        text.chars()
            .all(|c| c == '\n' || !ddm_backups::terminal_text::is_unsafe(c)),
        "{text:?}"
    );
    assert!(text.contains(r"\u001b[2J\u0007\u0085\u009b31m\u202e\u061c\u2028\u2029"));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        value["name"]
            .as_str()
            .is_some_and(|n| n.contains('\u{202e}'))
    );
}

#[test]
fn ids_outside_the_rule_never_reach_the_server() {
    let server = Hostile::start(|_| json("{}"));
    let home = Home::new();
    let config = home.token_config(&server.url, "");
    for (instance, backup, named) in [
        (".", "ok", "the instance ID contains '.'"),
        ("demo-in09", ".", "the backup ID contains '.'"),
        ("demo-in0$", "ok", "the instance ID contains '$'"),
        ("a\u{1b}[31m", "ok", "the instance ID contains U+001B"),
        ("demo-in09", "%2e%2e", "the backup ID contains '%'"),
    ] {
        let out = home
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(["show", "--instance", instance, "--backup", backup])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{instance} {backup}: {stderr}");
        assert!(stderr.contains(named), "{stderr}");
        assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    }
    let out = home
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["backups", "--instance", "."])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(server.hits(), 0, "no request was sent");
}

#[test]
fn messages_on_stderr_carry_no_escape_from_the_command_line() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["--config", "/nonexistent/x\u{1b}[31mred\u{202e}", "show"])
        .args(["--instance", "i1", "--backup", "b1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("x[31mred"), "{stderr:?}");
    assert!(
        stderr
            .chars()
            .all(|c| c == '\n' || !ddm_backups::terminal_text::is_unsafe(c)),
        "{stderr:?}"
    );
}

#[test]
fn help_and_version_fail_on_a_full_device_like_every_command() {
    let home = Home::new();
    for args in [
        &["--help"][..],
        &["-h"],
        &["--version"],
        &["-V"],
        &["help"],
        &["help", "find"],
        &["find", "--help"],
        // A command's own output, for comparison: it always failed here.
        &["completions", "bash"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = home.cmd().args(args).stdout(full).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write the output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
    // A reader that goes away still ends them quietly.
    for args in [&["--help"][..], &["help", "find"]] {
        let (code, stderr) = read_one_byte_and_close(&home, args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

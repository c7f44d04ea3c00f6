//! Files a user names that are not what they seem: `/dev/zero` as the
//! config, a FIFO as the `ca_file`, a credentials file past any sane size.
//! Each is refused at once with the file's name and what is wrong, never
//! read until memory runs out or waited on forever.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use crate::measure::run_measured;
use crate::server::{Home, stderr};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// Well past what the binary needs; an old build reading /dev/zero passes
/// it within a second and is killed.
const MEMORY_LIMIT: u64 = 300 << 20;

/// Runs `cmd`, killed if it hangs or grows (then its code is None).
fn run(cmd: Command) -> Output {
    run_measured(cmd, MEMORY_LIMIT, Duration::from_secs(60)).0
}

fn show(home: &Home, config: &Path) -> Command {
    let mut cmd = home.cmd();
    cmd.args(["show", "--config"]).arg(config).args([
        "--instance",
        "abc-in09",
        "--backup",
        "abc-br09",
    ]);
    cmd
}

fn fifo(home: &Home, name: &str) -> PathBuf {
    let path = home.path().join(name);
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    path
}

/// A regular file of `len` bytes (sparse: nothing is written).
fn big(home: &Home, name: &str, len: u64) -> PathBuf {
    let path = home.path().join(name);
    std::fs::File::create(&path).unwrap().set_len(len).unwrap();
    path
}

fn assert_refused(out: &Output, path: &Path, why: &str) {
    let said = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains(&path.display().to_string()), "{said}");
    assert!(said.contains(why), "{said}");
}

#[test]
fn a_config_that_is_a_device_a_fifo_or_too_big_is_refused() {
    let home = Home::new();
    let zero = Path::new("/dev/zero");
    assert_refused(
        &run(show(&home, zero)),
        zero,
        "is a character device, not a regular file",
    );
    let pipe = fifo(&home, "config.fifo");
    assert_refused(
        &run(show(&home, &pipe)),
        &pipe,
        "is a FIFO (named pipe), not a regular file",
    );
    let huge = big(&home, "huge.toml", (1 << 20) + 1);
    assert_refused(&run(show(&home, &huge)), &huge, "is larger than 1 MiB");
    assert_refused(
        &run(show(&home, home.path())),
        home.path(),
        "is a directory, not a regular file",
    );
}

/// A config whose profile `p` trusts `ca_file`.
fn ca_config(home: &Home, ca_file: &Path) -> PathBuf {
    home.config(&format!(
        "[profiles.p]\nregion = \"cn-north-4\"\nproject_id = \"{PROJECT}\"\n\
         ca_file = {}\n[profiles.p.auth]\ntype = \"token\"\ntoken = \"tok\"\n",
        serde_json::to_string(&ca_file.display().to_string()).unwrap()
    ))
}

#[test]
fn a_ca_file_that_is_a_device_a_fifo_or_too_big_is_refused_at_its_key() {
    let home = Home::new();
    let pipe = fifo(&home, "ca.fifo");
    let huge = big(&home, "ca.pem", (4 << 20) + 1);
    for (ca, why) in [
        (Path::new("/dev/zero"), "is a character device"),
        (pipe.as_path(), "is a FIFO (named pipe)"),
        (huge.as_path(), "is larger than 4 MiB"),
    ] {
        let config = ca_config(&home, ca);
        let out = run(show(&home, &config));
        assert_refused(&out, ca, why);
        // Where the key is, as for every other config error.
        assert!(
            stderr(&out).contains(&format!("{}:4:11:", config.display())),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn an_sdk_credentials_file_that_is_a_device_a_fifo_or_too_big_is_refused() {
    let home = Home::new();
    // No [auth]: the SDK's conventions are the fallback.
    let config = home.config(&format!(
        "[profiles.p]\nregion = \"cn-north-4\"\nproject_id = \"{PROJECT}\"\n"
    ));
    let pipe = fifo(&home, "credentials.fifo");
    let huge = big(&home, "credentials", (1 << 20) + 1);
    for (file, why) in [
        (Path::new("/dev/zero"), "is a character device"),
        (pipe.as_path(), "is a FIFO (named pipe)"),
        (huge.as_path(), "is larger than 1 MiB"),
    ] {
        let mut cmd = show(&home, &config);
        cmd.env("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file);
        let out = run(cmd);
        assert_refused(&out, file, why);
        assert!(
            stderr(&out).contains("SDK credentials file"),
            "{}",
            stderr(&out)
        );
    }
}

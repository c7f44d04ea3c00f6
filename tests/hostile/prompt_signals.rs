//! A signal at the password prompt of `show`, `find` and `config check`,
//! through a real pseudo-terminal: the binary's controlling terminal is the
//! pty's slave, the test types on its master. Echo is off while the
//! password is typed; Ctrl-C (typed, so the terminal sends SIGINT), SIGTERM
//! and SIGHUP must each leave it on again and exit 128 + n.

use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::server::{Home, Hostile, json};
use ddm_backups::tui::test_support::pty;

/// How long a step may take before the test gives up instead of hanging.
const PATIENCE: Duration = Duration::from_secs(30);

fn modes(slave: &OwnedFd) -> libc::tcflag_t {
    // SAFETY: a zeroed termios is filled by tcgetattr on an open pty.
    let mut mode: libc::termios = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::tcgetattr(slave.as_raw_fd(), &mut mode) }, 0);
    mode.c_lflag
}

/// Everything the binary wrote to its terminal, read on its own thread.
fn drain(mut master: std::fs::File) -> Arc<Mutex<Vec<u8>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let into = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        // EIO once no process holds the slave any more.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    seen
}

/// Waits until `done` holds, failing the test past [`PATIENCE`].
fn until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < PATIENCE, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A config whose one profile signs in with a password nobody gave.
fn password_config(home: &Home, url: &str) -> std::path::PathBuf {
    password_config_named(home, url, "pw")
}

/// The same with the profile's name as written in TOML (escapes allowed).
fn password_config_named(home: &Home, url: &str, name: &str) -> std::path::PathBuf {
    home.config(&format!(
        "[profiles.\"{name}\"]\nregion = \"cn-north-4\"\nproject_id = \"0123456789abcdef0123456789abcdef\"\n\
         endpoint = \"{url}\"\niam_endpoint = \"{url}\"\n[profiles.\"{name}\".auth]\ntype = \"password\"\n\
         domain = \"d\"\nuser = \"u\"\n"
    ))
}

/// Starts `args` with the pty's slave as its controlling terminal.
fn start_on(slave: &OwnedFd, home: &Home, config: &std::path::Path, args: &[&str]) -> Child {
    let mut cmd: Command = home.cmd();
    cmd.arg("--config")
        .arg(config)
        .args(args)
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave.try_clone().unwrap()));
    // SAFETY: setsid and ioctl are async-signal-safe and touch no memory.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn().expect("start the binary")
}

/// How a signal reaches the prompt.
#[derive(Debug, Clone, Copy)]
enum Send {
    /// Ctrl-C typed on the terminal: the line discipline sends SIGINT.
    CtrlC,
    Kill(libc::c_int),
}

/// Runs `args` up to its password prompt, sends `how`, and checks the
/// exit code and that echo is on again.
fn signal_at_the_prompt(args: &[&str], how: Send, code: i32) {
    let server = Hostile::start(|_| json("{}"));
    let home = Home::new();
    let config = password_config(&home, &server.url);
    let (master, slave) = pty();
    let mut typing = master.try_clone().unwrap();
    let said = drain(master);
    let mut child = start_on(&slave, &home, &config, args);
    until("the password prompt", || {
        String::from_utf8_lossy(&said.lock().unwrap()).contains("assword")
    });
    until("echo off for the password", || {
        modes(&slave) & libc::ECHO == 0
    });
    match how {
        Send::CtrlC => std::io::Write::write_all(&mut typing, b"\x03").unwrap(),
        Send::Kill(signal) => {
            // SAFETY: kill only sends a signal to our own child.
            assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
        }
    }
    let mut status = None;
    until("the binary to end", || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    if status.is_none() {
        let _ = child.kill();
    }
    let status = status.unwrap();
    let lflag = modes(&slave);
    let screen = String::from_utf8_lossy(&said.lock().unwrap()).into_owned();
    assert!(
        lflag & libc::ECHO != 0,
        "{args:?} {how:?}: echo left off\n{screen}"
    );
    assert!(
        lflag & libc::ICANON != 0,
        "{args:?} {how:?}: line mode left off"
    );
    assert_eq!(
        status.code(),
        Some(code),
        "{args:?} {how:?}: {status:?}\n{screen}"
    );
    assert_eq!(server.hits(), 0, "nothing was sent");
}

const SHOW: &[&str] = &["show", "--instance", "abc-in09", "--backup", "abc-br09"];
const FIND: &[&str] = &["find", "orders"];
const CHECK: &[&str] = &["config", "check"];

#[test]
fn ctrl_c_at_the_password_prompt_restores_echo_and_exits_130() {
    for args in [SHOW, FIND, CHECK] {
        signal_at_the_prompt(args, Send::CtrlC, 130);
    }
}

#[test]
fn sigterm_and_sighup_at_the_password_prompt_restore_echo() {
    for args in [SHOW, FIND, CHECK] {
        signal_at_the_prompt(args, Send::Kill(libc::SIGTERM), 143);
    }
    signal_at_the_prompt(SHOW, Send::Kill(libc::SIGHUP), 129);
}

#[test]
fn the_prompt_shows_a_hostile_profile_name_escaped() {
    let server = Hostile::start(|_| json("{}"));
    let home = Home::new();
    let config = password_config_named(&home, &server.url, r"evil\u001b]0;PWNED\u0007\u202e");
    let (master, slave) = pty();
    let said = drain(master);
    let mut child = start_on(&slave, &home, &config, SHOW);
    until("the password prompt", || {
        String::from_utf8_lossy(&said.lock().unwrap()).contains("assword")
    });
    until("echo off for the password", || {
        modes(&slave) & libc::ECHO == 0
    });
    // SAFETY: kill only sends a signal to our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let mut status = None;
    until("the binary to end", || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    let screen = String::from_utf8_lossy(&said.lock().unwrap()).into_owned();
    assert!(
        screen.contains("(profile evil\\u{1b}]0;PWNED\\u{7}\\u{202e}): "),
        "{screen:?}"
    );
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{202e}'),
        "{screen:?}"
    );
}

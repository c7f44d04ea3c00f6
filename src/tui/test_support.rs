//! Test support in one place: the builders the state-machine tests, the
//! snapshot tests and the whole-loop tests share (apps in each state, keys,
//! answers, errors, a frame on a `TestBackend`) and a harness that runs the
//! real event loop on a scripted event stream.
//!
//! Public (and hidden) only so integration tests and benches can reach it:
//! they cannot see `#[cfg(test)]` items. Outside this crate's own tests it
//! exists only with the `testing` feature, which the dev-dependency on
//! itself turns on, so release builds do not compile it.

mod find;
mod frames;
mod harness;
mod health;
mod readiness;

pub use find::*;
pub use frames::*;
pub use harness::*;
pub use health::*;
pub use readiness::*;

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::*;
use super::msg::{Msg, Update};
use crate::api::{self, BackupDetail, Fetched, RelatedDataNode};
use crate::http;

/// The header of a demo profile on 127.0.0.1:8080.
/// A profile as the switcher lists it, usable (no problem).
pub fn profile_info(
    name: &str,
    region: &str,
    host: &str,
    auth: &str,
) -> super::profiles::ProfileInfo {
    super::profiles::ProfileInfo {
        name: name.into(),
        region: region.into(),
        endpoint_host: host.into(),
        auth: auth.into(),
        problem: None,
        health: Default::default(),
    }
}

pub fn header() -> HeaderInfo {
    HeaderInfo {
        version: "0.1.0".into(),
        profile: "demo".into(),
        region: "cn-north-4".into(),
        endpoint_host: "127.0.0.1:8080".into(),
    }
}

/// A fresh app; its help names a log file, as a real launch does.
pub fn app() -> App {
    let help = HelpInfo {
        log_file: Some("/home/op/.local/state/ddm-backups/ddm-backups.log".into()),
        ..HelpInfo::default()
    };
    App::new(header(), help, None, None)
}

/// A key press without modifiers.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A typed character.
pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// Ctrl and a character.
pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Hands `msg` to `update` now; what it asked for.
pub fn send(app: &mut App, msg: Msg) -> Update {
    app.update(msg, Instant::now())
}

/// Types `s` one character at a time.
pub fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        send(app, ch(c));
    }
}

/// Backup `id` with `nodes` plainly named nodes.
pub fn detail(id: &str, nodes: usize) -> BackupDetail {
    BackupDetail {
        id: id.into(),
        name: format!("{id}-name"),
        instance_id: "demo-in09".into(),
        instance_name: "demo".into(),
        related_data_nodes: (0..nodes)
            .map(|i| RelatedDataNode {
                instance_id: format!("node{i:02}in01"),
                instance_name: format!("mysql_node_{i:02}"),
            })
            .collect(),
        nodes_cut: None,
    }
}

/// A 200 answer carrying `detail(id, nodes)`.
pub fn ok(id: &str, nodes: usize) -> Result<Fetched<BackupDetail>, api::Error> {
    Ok(Fetched {
        value: detail(id, nodes),
        status: 200,
        elapsed: Duration::from_millis(143),
        request_id: Some("req-1".into()),
        attempts: 1,
    })
}

/// A DDM "Parameter error." with this status and request id `req-err`.
pub fn api_error(status: u16) -> api::Error {
    api::Error::Http(http::Error::Api {
        status,
        code: Some("DBS.280001".into()),
        message: Some("Parameter error.".into()),
        request_id: Some("req-err".into()),
        url: "http://127.0.0.1/v3/p/instances/i/backups/b".into(),
        attempts: 1,
        encoded_authorization: None,
    })
}

/// The wall-clock time every answer here ended at.
/// (2026-11-27 14:02:31 UTC; the apps here show times in UTC).
pub const CLOCK: jiff::Timestamp = jiff::Timestamp::constant(1_795_788_151, 0);

/// The answer to lookup `generation` of the first profile.
pub fn fetched(generation: u64, result: Result<Fetched<BackupDetail>, api::Error>) -> Msg {
    fetched_for(0, generation, result)
}

/// The answer to lookup `generation` of profile `profile`.
pub fn fetched_for(
    profile: usize,
    generation: u64,
    result: Result<Fetched<BackupDetail>, api::Error>,
) -> Msg {
    Msg::Fetched {
        profile: crate::fleet::ProfileId(profile),
        generation,
        result,
        clock: CLOCK,
    }
}

/// An app that has submitted valid IDs (generation 1 in flight).
pub fn submitted() -> (App, Update) {
    submit("demo-in09", "nodes-br09")
}

/// The form filled in with these IDs and submitted: generation 1 in
/// flight, and what the Enter asked for.
pub fn submit(instance: &str, backup: &str) -> (App, Update) {
    let mut a = app();
    type_str(&mut a, instance);
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, backup);
    let u = send(&mut a, key(KeyCode::Enter));
    (a, u)
}

/// `submitted()`, answered with `nodes` nodes.
pub fn loaded(nodes: usize) -> App {
    let (mut a, _) = submitted();
    send(&mut a, fetched(1, ok("nodes-br09", nodes)));
    a
}

/// The screen `a` draws, one line per row.
pub fn screen_text(a: &App) -> String {
    let backend = ratatui::backend::TestBackend::new(a.width, a.height);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal.draw(|f| super::ui::render(f, a)).expect("draw");
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content()
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

/// (master, slave) of a new pseudo-terminal in its default (cooked,
/// echoing) mode: the master is the "terminal" that types, the slave what
/// the program under test reads.
pub fn pty() -> (std::fs::File, std::os::fd::OwnedFd) {
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty fills two descriptors; null name, modes and size.
    let made = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(made, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both were just opened and are owned by nothing else.
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            std::os::fd::OwnedFd::from_raw_fd(slave),
        )
    }
}

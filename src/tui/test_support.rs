//! Builders for the state-machine tests: apps, keys, answers and errors.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::*;
use super::msg::{Msg, Update};
use crate::api::{self, BackupDetail, Fetched, RelatedDataNode};
use crate::http;

pub(crate) fn header() -> HeaderInfo {
    HeaderInfo {
        version: "0.1.0".into(),
        profile: "demo".into(),
        region: "cn-north-4".into(),
        endpoint_host: "127.0.0.1:8080".into(),
    }
}

pub(crate) fn app() -> App {
    App::new(header(), HelpInfo::default(), None, None)
}

pub(crate) fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(crate) fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub(crate) fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub(crate) fn send(app: &mut App, msg: Msg) -> Update {
    app.update(msg, Instant::now())
}

pub(crate) fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        send(app, ch(c));
    }
}

pub(crate) fn detail(id: &str, nodes: usize) -> BackupDetail {
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

pub(crate) fn ok(id: &str, nodes: usize) -> Result<Fetched<BackupDetail>, api::Error> {
    Ok(Fetched {
        value: detail(id, nodes),
        status: 200,
        elapsed: Duration::from_millis(143),
        request_id: Some("req-1".into()),
        attempts: 1,
    })
}

pub(crate) fn api_error(status: u16) -> api::Error {
    api::Error::Http(http::Error::Api {
        status,
        code: Some("DBS.280001".into()),
        message: Some("Parameter error.".into()),
        request_id: Some("req-err".into()),
        url: "http://127.0.0.1/v3/p/instances/i/backups/b".into(),
        attempts: 1,
    })
}

pub(crate) const CLOCK: time::OffsetDateTime = time::macros::datetime!(2026-11-27 14:02:31 UTC);

pub(crate) fn fetched(generation: u64, result: Result<Fetched<BackupDetail>, api::Error>) -> Msg {
    fetched_for(0, generation, result)
}

/// The answer to lookup `generation` of profile `profile`.
pub(crate) fn fetched_for(
    profile: usize,
    generation: u64,
    result: Result<Fetched<BackupDetail>, api::Error>,
) -> Msg {
    Msg::Fetched {
        profile,
        generation,
        result,
        clock: CLOCK,
    }
}

/// An app that has submitted valid IDs (generation 1 in flight).
pub(crate) fn submitted() -> (App, Update) {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, "nodes-br09");
    let u = send(&mut a, key(KeyCode::Enter));
    (a, u)
}

pub(crate) fn loaded(nodes: usize) -> App {
    let (mut a, _) = submitted();
    send(&mut a, fetched(1, ok("nodes-br09", nodes)));
    a
}

/// The screen `a` draws, one line per row.
pub(crate) fn screen_text(a: &App) -> String {
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

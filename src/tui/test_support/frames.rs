//! Builders for what the snapshot and style tests draw: the example backup
//! from the API documentation, node lists, one error of every class, and a
//! frame on a `TestBackend`.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::{CLOCK, send, submit};
use crate::api::{self, BackupDetail, Fetched, RelatedDataNode};
use crate::http::{self, NetworkKind};
use crate::tui::msg::Msg;
use crate::tui::{App, DemoRow, ui};

/// The instance of the API documentation's example.
pub const EXAMPLE_INSTANCE: &str = "34970585d4964f2a8d6d9ea8d303398bin09";
/// The backup of the API documentation's example.
pub const EXAMPLE_BACKUP: &str = "09902ee7866649b8908ec209bfee2747br09";
/// The URL every error here names.
const URL: &str = "http://127.0.0.1:8080/v3/0123456789abcdef0123456789abcdef/instances/demo-in09/backups/e404-br09";

/// An app launched under `--demo`: the help lists the demo backups.
pub fn demo_app() -> App {
    let mut a = super::app();
    a.help.demo = crate::demo::catalogue()
        .iter()
        .map(|row| DemoRow {
            instance: row.instance_id.into(),
            backup: row.backup_id.into(),
            shows: row.shows.into(),
        })
        .collect();
    a
}

/// Presses a key (no modifiers) in `app`.
pub fn press(app: &mut App, code: KeyCode) {
    send(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The form filled in and submitted: lookup generation 1 in flight.
pub fn submitted_with(instance: &str, backup: &str) -> App {
    submit(instance, backup).0
}

/// The backup of the API documentation's example response.
pub fn example_detail() -> BackupDetail {
    BackupDetail {
        id: EXAMPLE_BACKUP.into(),
        name: "Backup-ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg-2025052005400".into(),
        instance_id: EXAMPLE_INSTANCE.into(),
        instance_name: "ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg".into(),
        related_data_nodes: vec![RelatedDataNode {
            instance_id: "fc33739e5d2741529e21d87a7b5923fain01".into(),
            instance_name: "mysql_rds_related_ddm_for_diagnose3_01".into(),
        }],
        nodes_cut: None,
    }
}

/// A backup with `n` nodes whose IDs look like real ones.
pub fn nodes_detail(n: usize) -> BackupDetail {
    BackupDetail {
        id: "nodes-br09".into(),
        name: "nightly-metadata".into(),
        instance_id: "demo-in09".into(),
        instance_name: "ddm-demo".into(),
        related_data_nodes: (0..n)
            .map(|i| RelatedDataNode {
                instance_id: format!("{:032x}in01", 0xfc33739e_u128 * (i as u128 + 1)),
                instance_name: format!("mysql_rds_shard_{i:02}"),
            })
            .collect(),
        nodes_cut: None,
    }
}

/// Answers the lookup in flight with `result`.
pub fn answer(app: &mut App, result: Result<BackupDetail, api::Error>) {
    let generation = app.generation;
    let result = result.map(|value| Fetched {
        value,
        status: 200,
        elapsed: Duration::from_millis(143),
        request_id: Some("3f1c2b7e-demo-0001".into()),
        attempts: 1,
    });
    send(
        app,
        Msg::Fetched {
            profile: crate::fleet::ProfileId(0),
            generation,
            result,
            clock: CLOCK,
        },
    );
}

/// A loaded app with focus on the list.
pub fn loaded_with(detail: BackupDetail) -> App {
    let mut a = submitted_with(&detail.instance_id.clone(), &detail.id.clone());
    answer(&mut a, Ok(detail));
    a
}

/// An API error with this status, code and message (503 after 3 tries).
pub fn api_error_with(status: u16, code: &str, message: &str) -> api::Error {
    api::Error::Http(http::Error::Api {
        status,
        code: Some(code.into()),
        message: Some(message.into()),
        request_id: Some("5c9e7d1a-demo-req".into()),
        url: URL.into(),
        attempts: if status == 503 { 3 } else { 1 },
        encoded_authorization: None,
    })
}

/// One error of every class an operator can meet, with a name for its snapshot.
pub fn every_error() -> Vec<(&'static str, api::Error)> {
    vec![
        ("400", api_error_with(400, "DBS.280001", "Parameter error.")),
        (
            "401",
            api_error_with(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: verify aksk signature fail",
            ),
        ),
        (
            "403",
            api_error_with(
                403,
                "APIGW.0302",
                "The IAM user is not authorized to access the API.",
            ),
        ),
        (
            "404",
            api_error_with(404, "DBS.280238", "The backup does not exist."),
        ),
        (
            "429",
            api_error_with(
                429,
                "APIGW.0308",
                "The throttling threshold has been reached.",
            ),
        ),
        (
            "500",
            api_error_with(500, "DBS.300002", "Internal server error."),
        ),
        (
            "503",
            api_error_with(503, "DBS.200412", "Service unavailable."),
        ),
        (
            "502_html",
            api::Error::Http(http::Error::NotJson {
                status: 502,
                content_type: Some("text/html".into()),
                title: Some("502 Bad Gateway".into()),
                excerpt: "<html><head><title>502 Bad Gateway</title></head>".into(),
                request_id: None,
                url: URL.into(),
                attempts: 3,
            }),
        ),
        (
            "timeout",
            api::Error::Http(http::Error::Timeout {
                after: Duration::from_secs(20),
                url: URL.into(),
                attempts: 1,
            }),
        ),
        (
            "network",
            api::Error::Http(http::Error::Network {
                kind: NetworkKind::Refused,
                detail: "connection refused".into(),
                url: URL.into(),
                attempts: 3,
            }),
        ),
        (
            "shape",
            api::Error::Shape {
                status: 200,
                detail: "related_data_nodes[0].instance_id: expected a string, got a number".into(),
                request_id: Some("5c9e7d1a-demo-req".into()),
                url: URL.into(),
            },
        ),
        (
            "too_large",
            api::Error::Http(http::Error::TooLarge {
                status: 200,
                limit: 16 * 1024 * 1024,
                request_id: None,
                url: URL.into(),
            }),
        ),
        (
            "redirect",
            api::Error::Http(http::Error::Redirect {
                status: 302,
                location: Some("https://console.example.com/login".into()),
                request_id: None,
                url: URL.into(),
            }),
        ),
    ]
}

/// Draws `app` on a `width`x`height` TestBackend.
pub fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    send(app, Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| ui::render(f, app)).expect("test backend");
    terminal
}

/// The screen as text, one line per row.
pub fn screen(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let mut out = String::new();
    for (i, cell) in buffer.content().iter().enumerate() {
        out.push_str(cell.symbol());
        if (i + 1) % width == 0 {
            out.push('\n');
        }
    }
    out
}

//! Builders shared by the TUI integration tests: apps in each state, errors
//! of each class, and a frame rendered on a TestBackend.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::api::{self, BackupDetail, Fetched, RelatedDataNode};
use ddm_backups::http::{self, NetworkKind};
use ddm_backups::tui::msg::Msg;
use ddm_backups::tui::{App, HeaderInfo, HelpInfo, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const CLOCK: time::OffsetDateTime = time::macros::datetime!(2026-11-27 14:02:31 UTC);
pub const EXAMPLE_INSTANCE: &str = "34970585d4964f2a8d6d9ea8d303398bin09";
pub const EXAMPLE_BACKUP: &str = "09902ee7866649b8908ec209bfee2747br09";
const URL: &str = "http://127.0.0.1:8080/v3/0123456789abcdef0123456789abcdef/instances/demo-in09/backups/e404-br09";

pub fn app() -> App {
    let header = HeaderInfo {
        version: "0.1.0".into(),
        profile: "demo".into(),
        region: "cn-north-4".into(),
        endpoint_host: "127.0.0.1:8080".into(),
    };
    let help = HelpInfo {
        log_file: Some("/home/op/.local/state/ddm-backups/ddm-backups.log".into()),
        ..HelpInfo::default()
    };
    App::new(header, help, None, None)
}

/// An app launched under `--demo`: the help lists the demo backups.
pub fn demo_app() -> App {
    let mut a = app();
    a.help.demo = ddm_backups::demo::catalogue()
        .iter()
        .map(|row| ddm_backups::tui::DemoRow {
            instance: row.instance_id.into(),
            backup: row.backup_id.into(),
            shows: row.shows.into(),
        })
        .collect();
    a
}

pub fn send(app: &mut App, msg: Msg) {
    app.update(msg, Instant::now());
}

pub fn key(app: &mut App, code: KeyCode) {
    send(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The form filled in and submitted: lookup generation 1 in flight.
pub fn submitted(instance: &str, backup: &str) -> App {
    let mut a = app();
    type_str(&mut a, instance);
    key(&mut a, KeyCode::Tab);
    type_str(&mut a, backup);
    key(&mut a, KeyCode::Enter);
    a
}

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
            profile: 0,
            generation,
            result,
            clock: CLOCK,
        },
    );
}

/// A loaded app with focus on the list.
pub fn loaded(detail: BackupDetail) -> App {
    let mut a = submitted(&detail.instance_id.clone(), &detail.id.clone());
    answer(&mut a, Ok(detail));
    a
}

pub fn api_error(status: u16, code: &str, message: &str) -> api::Error {
    api::Error::Http(http::Error::Api {
        status,
        code: Some(code.into()),
        message: Some(message.into()),
        request_id: Some("5c9e7d1a-demo-req".into()),
        url: URL.into(),
        attempts: if status == 503 { 3 } else { 1 },
    })
}

/// One error of every class an operator can meet, with a name for its snapshot.
pub fn every_error() -> Vec<(&'static str, api::Error)> {
    vec![
        ("400", api_error(400, "DBS.280001", "Parameter error.")),
        (
            "401",
            api_error(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: verify aksk signature fail",
            ),
        ),
        (
            "403",
            api_error(
                403,
                "APIGW.0302",
                "The IAM user is not authorized to access the API.",
            ),
        ),
        (
            "404",
            api_error(404, "DBS.280238", "The backup does not exist."),
        ),
        (
            "429",
            api_error(
                429,
                "APIGW.0308",
                "The throttling threshold has been reached.",
            ),
        ),
        (
            "500",
            api_error(500, "DBS.300002", "Internal server error."),
        ),
        ("503", api_error(503, "DBS.200412", "Service unavailable.")),
        (
            "502_html",
            api::Error::Http(http::Error::NotJson {
                status: 502,
                content_type: Some("text/html".into()),
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
                detail: "invalid type: integer `5`, expected a string at line 1 column 20".into(),
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

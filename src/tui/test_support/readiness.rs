//! The readiness view in each state, with data like the demo's for
//! `nodes-br09`: one node of the backup gone since, one added, and one of
//! three targets unavailable.

use crossterm::event::KeyCode;

use super::{press, send};
use crate::api::{
    BackupDetail, BackupRow, CurrentDataNode, Listing, RelatedDataNodesAt, RestoreTarget,
    RestoreWindow, RestoreWindows, parse_backup,
};
use crate::readiness::Call;
use crate::tui::App;
use crate::tui::msg::Msg;
use crate::tui::readiness::{Answer, slot_of};

/// The demo's `nodes-br09`, as ShowBackup gives it.
pub fn demo_nodes_detail() -> BackupDetail {
    parse_backup(include_bytes!("../../../assets/demo/nodes.json"))
        .expect("the demo's nodes backup parses")
}

/// Its ListBackups row.
pub fn demo_row() -> BackupRow {
    BackupRow {
        id: Some("nodes-br09".into()),
        name: Some("Backup-ddm-demo-orders-20250627T020000".into()),
        status: Some("normal".into()),
        instance_id: Some("demo-in09".into()),
        backup_type: Some("auto_metadata".into()),
        created: Some("2025-06-27T02:00:00+0000".into()),
        file_size: crate::api::FileSize::from_kb(170.0),
        ..BackupRow::default()
    }
}

/// Two windows, newest first.
pub fn demo_windows() -> RestoreWindows {
    let w = |s: &str, e: &str| RestoreWindow {
        start_time: Some(s.into()),
        end_time: Some(e.into()),
    };
    RestoreWindows {
        windows: vec![
            w("2025-06-27T02:00:00+0000", "2025-06-29T08:30:00.000+0000"),
            w("2025-06-20T00:00:00+0000", "2025-06-25T12:00:00+0000"),
        ],
        total: None,
        truncated: false,
    }
}

/// The nodes now: shards 00 to 04 of the backup, shard 05 gone, 06 added.
pub fn demo_now() -> RelatedDataNodesAt {
    let ids = [
        ("3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01", "00"),
        ("7a2e4c6f8b0d4e1a9c3b5d7f9e1a3c5bin01", "01"),
        ("c4d6e8f0a2b44c6e8a0b2d4f6a8c0e2din01", "02"),
        ("0f9e8d7c6b5a49382716f5e4d3c2b1a0in01", "03"),
        ("5e6f7a8b9c0d4e1f2a3b4c5d6e7f8a9bin01", "04"),
        ("8e7d6c5b4a3f4e2d9c1b0a9f8e7d6c5bin01", "06"),
    ];
    RelatedDataNodesAt {
        nodes: ids
            .iter()
            .enumerate()
            .map(|(i, (id, n))| CurrentDataNode {
                instance_id: Some((*id).into()),
                instance_name: Some(format!("rds-orders-shard-{n}")),
                instance_status: Some("ACTIVE".into()),
                engine_name: Some("MySQL".into()),
                data_volume_size: Some((40 + 7 * i as u64) << 30),
                version: Some("8.0.28".into()),
            })
            .collect(),
        latest_restorable_time: Some("2025-06-29T08:30:00.000+0000".into()),
        total: Some(6),
        truncated: false,
    }
}

/// Three targets, the second unavailable with a reason.
pub fn demo_targets() -> Listing<RestoreTarget> {
    let t =
        |id: &str, name: &str, available: bool, reason: Option<&str>, vpc: &str| RestoreTarget {
            instance_id: Some(id.into()),
            instance_name: Some(name.into()),
            status: Some("RUNNING".into()),
            available: Some(available),
            unavailable_reason: reason.map(Into::into),
            vpc_name: Some(vpc.into()),
        };
    Listing {
        rows: vec![
            t(
                "a4b6c8d0e2f44a5b7c9d1e3f5a7b9c1din09",
                "ddm-orders-restore",
                true,
                None,
                "vpc-orders",
            ),
            t(
                "b5c7d9e1f3a54b6c8d0e2f4a6b8c0d2ein09",
                "ddm-legacy-reports",
                false,
                Some("The target's engine version 2.4.1 is older than the source's 3.1.4."),
                "vpc-reports",
            ),
            t(
                "c6d8e0f2a4b64c7d9e1f3a5b7c9d1e3fin09",
                "ddm-orders-staging",
                true,
                None,
                "vpc-orders",
            ),
        ],
        total: Some(3),
        truncated: false,
    }
}

/// `demo-in09`/`nodes-br09` shown, and `R` pressed: the view open with
/// the detail reused and every other call in flight.
pub fn readiness_opened() -> App {
    let mut a = super::loaded_with(demo_nodes_detail());
    press(&mut a, KeyCode::Char('R'));
    a
}

/// The generation of the view's call for `call`'s section in flight.
pub fn in_flight(app: &App, call: Call) -> Option<u64> {
    app.readiness()?.in_flight[slot_of(call)]
}

/// Answers the view's call in flight for `answer`'s section.
pub fn answer_readiness(app: &mut App, answer: Answer) {
    let generation = in_flight(app, answer.call()).expect("that call is in flight");
    send(
        app,
        Msg::Readiness {
            profile: crate::fleet::ProfileId(0),
            generation,
            answer,
        },
    );
}

/// The view with every call answered as the demo does.
pub fn readiness_loaded() -> App {
    let mut a = readiness_opened();
    answer_readiness(&mut a, Answer::Row(Ok(Some(demo_row()))));
    answer_readiness(&mut a, Answer::Windows(Ok(demo_windows())));
    answer_readiness(&mut a, Answer::Now(Ok(demo_now())));
    answer_readiness(&mut a, Answer::Targets(Ok(demo_targets())));
    a
}

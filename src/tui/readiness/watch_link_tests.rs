//! The view and watching together: a row the view learns starts a watch,
//! a watch's check refreshes the view, and leaving a backup the view was
//! opened on from the picker stops watching it.

use std::time::Instant;

use crossterm::event::KeyCode;

use super::*;
use crate::api::BackupRow;
use crate::tui::msg::Msg;
use crate::tui::picker::Picker;
use crate::tui::test_support::*;

fn row_of(id: &str, status: &str) -> BackupRow {
    BackupRow {
        id: Some(id.into()),
        status: Some(status.into()),
        instance_id: Some("demo-in09".into()),
        ..BackupRow::default()
    }
}

fn watch_wait(effects: &[Effect]) -> Option<u64> {
    effects.iter().find_map(|e| match e {
        Effect::WatchAfter { wait, .. } => Some(wait.as_secs()),
        _ => None,
    })
}

fn watched_backup(a: &App) -> Option<String> {
    a.watched().map(|w| w.query.backup.clone())
}

#[test]
fn a_creating_row_answered_to_the_view_starts_a_watch() {
    let mut a = readiness_opened();
    let generation = in_flight(&a, crate::readiness::Call::ListBackups).unwrap();
    let u = send(
        &mut a,
        Msg::Readiness {
            profile: crate::fleet::ProfileId(0),
            generation,
            answer: Answer::Row(Ok(Some(row_of("nodes-br09", "creating")))),
        },
    );
    assert_eq!(watch_wait(&u.effects), Some(5));
    assert_eq!(watched_backup(&a).as_deref(), Some("nodes-br09"));
    // A normal row starts nothing.
    let mut b = readiness_opened();
    answer_readiness(
        &mut b,
        Answer::Row(Ok(Some(row_of("nodes-br09", "normal")))),
    );
    assert_eq!(watched_backup(&b), None);
}

#[test]
fn a_watch_check_refreshes_the_open_view_and_esc_on_the_shown_backup_keeps_watching() {
    let mut a = readiness_opened();
    answer_readiness(
        &mut a,
        Answer::Row(Ok(Some(row_of("nodes-br09", "creating")))),
    );
    let generation = a.watched().unwrap().generation;
    let u = send(
        &mut a,
        Msg::Watched {
            profile: crate::fleet::ProfileId(0),
            generation,
            result: Ok(Some(row_of("nodes-br09", "creating"))),
            clock: CLOCK,
        },
    );
    assert_eq!(watch_wait(&u.effects), Some(10), "the schedule goes on");
    // Esc closes the view; the backup is still on screen, so it stays watched.
    press(&mut a, KeyCode::Esc);
    assert!(a.readiness().is_none());
    assert_eq!(watched_backup(&a).as_deref(), Some("nodes-br09"));
    // Reopened, a check's row lands in the view and ends the watch.
    press(&mut a, KeyCode::Char('R'));
    let generation = a.watched().unwrap().generation;
    let row_call = in_flight(&a, crate::readiness::Call::ListBackups).unwrap();
    let u = send(
        &mut a,
        Msg::Watched {
            profile: crate::fleet::ProfileId(0),
            generation,
            result: Ok(Some(row_of("nodes-br09", "normal"))),
            clock: CLOCK,
        },
    );
    let status = |a: &App| {
        let v = a.readiness().unwrap();
        v.report
            .row
            .ready()
            .cloned()
            .flatten()
            .and_then(|r| r.status)
    };
    assert_eq!(status(&a).as_ref().map(|s| s.sent()), Some("normal"));
    assert!(
        u.effects.contains(&Effect::Cancel {
            generation: row_call
        }),
        "the view's own row call is given up"
    );
    assert!(a.watched().is_none());
}

#[test]
fn esc_in_a_view_opened_from_the_picker_stops_watching_that_backup() {
    let mut a = loaded_with(demo_nodes_detail());
    let now = Instant::now();
    let u = a.open_readiness(
        "demo-in09".into(),
        "creating-br09".into(),
        Some(row_of("creating-br09", "creating")),
        now,
    );
    assert_eq!(watch_wait(&u.effects), Some(5));
    let generation = a.watched().unwrap().generation;
    let u = send(&mut a, key(KeyCode::Esc));
    assert!(a.readiness().is_none());
    assert_eq!(watched_backup(&a), None, "the operator left that backup");
    assert!(u.effects.contains(&Effect::Cancel { generation }));
}

#[test]
fn a_typed_lookup_is_watched_when_a_fresh_list_says_creating() {
    let now = Instant::now();
    let mut picker = Picker::new(
        PickerKind::Backups {
            instance_id: "demo-in09".into(),
        },
        9,
        now,
    );
    picker.add_page(
        vec![PickRow::from(&row_of("creating-br09", "creating"))],
        1,
        Some(1),
        5,
    );
    picker.finish(Ok(false), now);
    let mut a = app();
    a.keep_picker(a.active_id(), picker);
    type_str(&mut a, "demo-in09");
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, "creating-br09");
    send(&mut a, key(KeyCode::Enter));
    let u = send(&mut a, fetched(1, ok("creating-br09", 2)));
    assert_eq!(watch_wait(&u.effects), Some(5));
    assert_eq!(watched_backup(&a).as_deref(), Some("creating-br09"));
}

/// The status bar's line, as shown.
fn status_line(a: &App) -> String {
    let (spans, _) = crate::tui::layout::status::spans(a, a.theme);
    spans.iter().map(|s| s.content.as_ref()).collect()
}

#[test]
fn the_status_bar_follows_the_overlays_in_front_and_the_watch_yields_to_a_picker() {
    let now = Instant::now();
    // The view alone: the watch's line comes before the view's progress.
    let mut a = loaded_with(demo_nodes_detail());
    a.open_readiness(
        "demo-in09".into(),
        "creating-br09".into(),
        Some(row_of("creating-br09", "creating")),
        now,
    );
    assert!(
        status_line(&a).contains("watching creating-br09"),
        "{}",
        status_line(&a)
    );
    // Opened from a picker: the picker keeps the watch's line away, and
    // the view in front of it says how its calls go.
    let mut a = loaded_with(demo_nodes_detail());
    let kind = crate::tui::picker::PickerKind::Backups {
        instance_id: "demo-in09".into(),
    };
    a.overlays.push(Picker::new(kind, 99, now));
    a.open_readiness(
        "demo-in09".into(),
        "creating-br09".into(),
        Some(row_of("creating-br09", "creating")),
        now,
    );
    assert!(a.watched().is_some());
    assert!(
        status_line(&a).contains("Checking restore readiness"),
        "{}",
        status_line(&a)
    );
    // A popup over both: the view is not in front, the picker speaks.
    send(&mut a, key(KeyCode::F(1)));
    assert!(a.overlays.top_popup_is(crate::tui::app::PopupKind::Help));
    assert!(
        status_line(&a).contains("Loading backups"),
        "{}",
        status_line(&a)
    );
}

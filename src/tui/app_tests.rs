//! Every key path of `App::update`, without a terminal.

use std::time::{Duration, Instant};

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::*;
use crate::api::{ErrorClass, RelatedDataNode};
use crate::http;

pub(crate) fn app() -> App {
    let header = HeaderInfo {
        version: "0.1.0".into(),
        profile: "demo".into(),
        region: "cn-north-4".into(),
        endpoint_host: "127.0.0.1:8080".into(),
    };
    App::new(header, HelpInfo::default(), None, None)
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn send(app: &mut App, msg: Msg) -> Update {
    app.update(msg, Instant::now())
}

fn type_str(app: &mut App, s: &str) {
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
    }
}

fn ok(id: &str, nodes: usize) -> Result<Fetched<BackupDetail>, api::Error> {
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

const CLOCK: time::Time = time::macros::time!(14:02:31);

fn fetched(generation: u64, result: Result<Fetched<BackupDetail>, api::Error>) -> Msg {
    Msg::Fetched {
        generation,
        result,
        clock: CLOCK,
    }
}

/// An app that has submitted valid IDs (generation 1 in flight).
fn submitted() -> (App, Update) {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, "nodes-br09");
    let u = send(&mut a, key(KeyCode::Enter));
    (a, u)
}

fn loaded(nodes: usize) -> App {
    let (mut a, _) = submitted();
    send(&mut a, fetched(1, ok("nodes-br09", nodes)));
    a
}

#[test]
fn focus_starts_on_the_instance_field() {
    let mut a = app();
    assert_eq!(a.focus, Focus::Instance);
    assert!(a.start(Instant::now()).is_empty());
}

#[test]
fn both_ids_from_the_command_line_look_up_at_start_with_focus_on_the_list() {
    let mut a = App::new(
        app().header,
        HelpInfo::default(),
        Some("demo-in09"),
        Some("nodes-br09"),
    );
    let effects = a.start(Instant::now());
    assert_eq!(
        effects,
        vec![Effect::Fetch {
            generation: 1,
            query: Query {
                instance: "demo-in09".into(),
                backup: "nodes-br09".into()
            }
        }]
    );
    assert_eq!(a.focus, Focus::List);
    assert!(a.busy());
}

#[test]
fn letters_that_are_commands_in_the_list_type_normally_in_a_field() {
    let mut a = app();
    type_str(&mut a, "qrejkgG?/i in09 br09");
    assert_eq!(a.instance.value(), "qrejkgG?/i in09 br09");
    assert_eq!(a.focus, Focus::Instance);
    assert!(a.popup.is_none());
}

#[test]
fn tab_and_arrows_move_between_the_fields_and_the_list() {
    let mut a = app();
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.focus, Focus::Backup);
    send(&mut a, key(KeyCode::Down));
    assert_eq!(a.focus, Focus::List);
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.focus, Focus::Instance);
    send(&mut a, key(KeyCode::BackTab));
    assert_eq!(a.focus, Focus::List);
    send(&mut a, key(KeyCode::BackTab));
    assert_eq!(a.focus, Focus::Backup);
    send(&mut a, key(KeyCode::Up));
    assert_eq!(a.focus, Focus::Instance);
    send(&mut a, key(KeyCode::Up));
    assert_eq!(a.focus, Focus::List);
    send(&mut a, ch('i'));
    assert_eq!(a.focus, Focus::Instance);
}

#[test]
fn field_editing_keys_reach_the_focused_field() {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    send(&mut a, ctrl('w'));
    assert_eq!(a.instance.value(), "demo-");
    send(&mut a, key(KeyCode::Home));
    send(&mut a, key(KeyCode::Delete));
    send(&mut a, key(KeyCode::End));
    send(&mut a, key(KeyCode::Backspace));
    assert_eq!(a.instance.value(), "emo");
    send(&mut a, ctrl('u'));
    assert_eq!(a.instance.value(), "");
    assert_eq!(a.backup.value(), "");
}

#[test]
fn an_invalid_form_is_never_sent() {
    let mut a = app();
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(u.effects.is_empty());
    assert_eq!(a.focus, Focus::Instance);
    assert!(
        a.notice
            .as_deref()
            .is_some_and(|n| n.contains("instance ID is empty"))
    );

    type_str(&mut a, "demo-in09");
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, "a/b");
    send(&mut a, key(KeyCode::BackTab));
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(u.effects.is_empty());
    assert_eq!(a.focus, Focus::Backup, "focus goes to the bad field");
    assert!(a.field_problem(IdField::Backup).is_some());
    assert_eq!(a.lookup, Lookup::Idle);
}

#[test]
fn enter_submits_and_moves_focus_to_the_list() {
    let (a, u) = submitted();
    assert_eq!(
        u.effects,
        vec![Effect::Fetch {
            generation: 1,
            query: Query {
                instance: "demo-in09".into(),
                backup: "nodes-br09".into()
            }
        }]
    );
    assert_eq!(a.focus, Focus::List);
    assert!(matches!(a.lookup, Lookup::Loading { generation: 1, .. }));
}

#[test]
fn a_successful_answer_fills_the_detail_and_the_list() {
    let a = loaded(6);
    assert!(matches!(
        a.lookup,
        Lookup::Loaded { status: 200, attempts: 1, fetched_at, .. } if fetched_at == CLOCK
    ));
    assert_eq!(a.shown.as_ref().map(|s| s.id.as_str()), Some("nodes-br09"));
    assert_eq!(a.nodes.total(), 6);
    assert!(!a.busy());
}

#[test]
fn every_error_class_ends_in_failed_with_the_error_kept_for_the_popup() {
    let errors = [
        (api_error(400), ErrorClass::Rejected),
        (api_error(401), ErrorClass::Auth),
        (api_error(403), ErrorClass::Permission),
        (api_error(404), ErrorClass::NotFound),
        (api_error(429), ErrorClass::Throttled),
        (api_error(500), ErrorClass::Server),
        (
            api::Error::Http(http::Error::NotJson {
                status: 502,
                content_type: Some("text/html".into()),
                excerpt: "<html>".into(),
                request_id: None,
                url: "u".into(),
                attempts: 3,
            }),
            ErrorClass::NotJson,
        ),
        (
            api::Error::Http(http::Error::Timeout {
                after: Duration::from_secs(20),
                url: "u".into(),
                attempts: 1,
            }),
            ErrorClass::Timeout,
        ),
        (
            api::Error::Http(http::Error::Network {
                kind: http::NetworkKind::Refused,
                detail: "refused".into(),
                url: "u".into(),
                attempts: 3,
            }),
            ErrorClass::Network,
        ),
        (
            api::Error::Shape {
                status: 200,
                detail: "missing field `id`".into(),
                request_id: None,
                url: "u".into(),
            },
            ErrorClass::Shape,
        ),
    ];
    for (error, class) in errors {
        let mut a = loaded(3);
        send(&mut a, key(KeyCode::Char('r')));
        let u = send(&mut a, fetched(2, Err(error.clone())));
        assert!(u.redraw);
        assert_eq!(error.class(), class);
        assert!(
            matches!(&a.lookup, Lookup::Failed { error: e, .. } if *e == error),
            "{class:?}"
        );
        assert_eq!(
            a.shown, None,
            "a failed lookup does not leave another backup on screen"
        );
        assert_eq!(a.nodes.total(), 0);
        send(&mut a, ch('e'));
        assert_eq!(a.popup.map(|p| p.kind), Some(PopupKind::Error), "{class:?}");
    }
}

#[test]
fn a_newer_submission_supersedes_and_a_late_answer_is_dropped() {
    let (mut a, _) = submitted();
    send(&mut a, ch('r'));
    let u = send(&mut a, ch('r'));
    assert_eq!(u.effects[0], Effect::Cancel { generation: 2 });
    assert!(matches!(u.effects[1], Effect::Fetch { generation: 3, .. }));
    let before = a.clone();
    let u = send(&mut a, fetched(1, ok("old-br09", 9)));
    assert_eq!(
        (u, &a),
        (Update::none(), &before),
        "a stale answer changes nothing"
    );
    send(&mut a, fetched(3, ok("nodes-br09", 6)));
    assert_eq!(a.nodes.total(), 6);
    let after = a.clone();
    send(&mut a, fetched(2, ok("old-br09", 9)));
    assert_eq!(
        a, after,
        "an answer after the newest one changes nothing either"
    );
}

#[test]
fn esc_cancels_the_lookup_and_keeps_what_was_shown() {
    let mut a = loaded(4);
    send(&mut a, ch('r'));
    let started = match a.lookup {
        Lookup::Loading { started, .. } => started,
        _ => panic!("loading"),
    };
    let u = a.update(key(KeyCode::Esc), started + Duration::from_millis(1300));
    assert_eq!(u.effects, vec![Effect::Cancel { generation: 2 }]);
    assert_eq!(
        a.lookup,
        Lookup::Cancelled {
            after: Duration::from_millis(1300)
        }
    );
    assert_eq!(a.nodes.total(), 4);
    let before = a.clone();
    assert_eq!(send(&mut a, fetched(2, ok("x", 1))), Update::none());
    assert_eq!(a, before, "the cancelled lookup's answer is dropped");
}

#[test]
fn esc_priority_popup_then_lookup_then_field() {
    let (mut a, _) = submitted();
    send(&mut a, ch('?'));
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.focus, Focus::List, "the popup takes the keys");
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(
        (a.popup, u.effects.len()),
        (None, 0),
        "first Esc closes the popup"
    );
    assert!(a.busy());
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.focus, Focus::Instance);
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(
        u.effects,
        vec![Effect::Cancel { generation: 1 }],
        "then it cancels"
    );
    assert_eq!(a.focus, Focus::Instance);
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.focus, Focus::List, "then it leaves the field");
    assert_eq!(send(&mut a, key(KeyCode::Esc)), Update::none());
}

#[test]
fn ctrl_c_quits_from_everywhere() {
    for setup in [Focus::Instance, Focus::Backup, Focus::List, Focus::Filter] {
        let mut a = loaded(3);
        a.focus = setup;
        assert_eq!(
            send(&mut a, ctrl('c')).effects,
            vec![Effect::Quit],
            "{setup:?}"
        );
        a.popup = Some(Popup {
            kind: PopupKind::Help,
            scroll: 0,
        });
        assert_eq!(
            send(&mut a, ctrl('c')).effects,
            vec![Effect::Quit],
            "{setup:?} + popup"
        );
    }
    let mut a = app();
    assert_eq!(send(&mut a, Msg::Shutdown).effects, vec![Effect::Quit]);
}

#[test]
fn list_keys_move_the_selection() {
    let mut a = loaded(30);
    let rows = a.list_rows();
    send(&mut a, ch('j'));
    send(&mut a, key(KeyCode::Down));
    assert_eq!(a.nodes.selected(), 2);
    send(&mut a, ch('k'));
    send(&mut a, key(KeyCode::Up));
    send(&mut a, key(KeyCode::Up));
    assert_eq!(a.nodes.selected(), 0);
    send(&mut a, key(KeyCode::PageDown));
    assert_eq!(a.nodes.selected(), rows - 1);
    send(&mut a, ch('G'));
    assert_eq!(a.nodes.selected(), 29);
    assert!(a.nodes.offset() + rows > 29, "the selection stays visible");
    send(&mut a, key(KeyCode::PageUp));
    assert_eq!(a.nodes.selected(), 29 - (rows - 1));
    send(&mut a, ch('g'));
    assert_eq!((a.nodes.selected(), a.nodes.offset()), (0, 0));
    send(&mut a, key(KeyCode::End));
    send(&mut a, key(KeyCode::Home));
    assert_eq!(a.nodes.selected(), 0);
    assert_eq!(send(&mut a, ch('k')), Update::none(), "no move, no frame");
    assert_eq!(send(&mut a, ch('z')), Update::none());
}

#[test]
fn list_commands() {
    let mut a = app();
    a.focus = Focus::List;
    send(&mut a, ch('r'));
    assert!(
        a.notice
            .as_deref()
            .is_some_and(|n| n.contains("Nothing to repeat"))
    );
    send(&mut a, ch('e'));
    assert_eq!(a.notice.as_deref(), Some("No error to show"));
    send(&mut a, ch('x'));
    assert_eq!(a.notice, None, "a notice lasts one key");
    send(&mut a, ch('?'));
    assert_eq!(a.popup.map(|p| p.kind), Some(PopupKind::Help));
    send(&mut a, ch('?'));
    assert_eq!(a.popup, None);
    send(&mut a, key(KeyCode::F(1)));
    send(&mut a, ch('q'));
    assert_eq!(a.popup, None, "q closes a popup rather than quitting");
    assert_eq!(send(&mut a, ch('q')).effects, vec![Effect::Quit]);
    send(&mut a, key(KeyCode::BackTab));
    assert_eq!(a.focus, Focus::Backup);
}

#[test]
fn r_repeats_the_last_lookup() {
    let mut a = loaded(2);
    let u = send(&mut a, ch('r'));
    assert!(
        matches!(&u.effects[..], [Effect::Fetch { generation: 2, query }] if query.backup == "nodes-br09")
    );
}

#[test]
fn the_filter_narrows_the_list_as_you_type() {
    let mut a = loaded(20);
    send(&mut a, ch('/'));
    assert_eq!(a.focus, Focus::Filter);
    type_str(&mut a, "node_1");
    assert_eq!(a.nodes.shown(), 10);
    send(&mut a, key(KeyCode::Down));
    assert_eq!(a.nodes.selected(), 1);
    send(&mut a, key(KeyCode::Enter));
    assert_eq!(
        (a.focus, a.nodes.shown()),
        (Focus::List, 10),
        "Enter keeps the filter"
    );
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.nodes.shown(), 20, "Esc in the list clears the filter");
    send(&mut a, ch('/'));
    type_str(&mut a, "zzz");
    assert_eq!(a.nodes.shown(), 0);
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(
        (a.focus, a.nodes.shown(), a.filter.value()),
        (Focus::List, 20, "")
    );
}

#[test]
fn reloading_the_same_backup_keeps_the_filter_and_the_place() {
    let mut a = loaded(20);
    send(&mut a, ch('/'));
    type_str(&mut a, "node_1");
    send(&mut a, key(KeyCode::Enter));
    send(&mut a, ch('j'));
    send(&mut a, ch('r'));
    send(&mut a, fetched(2, ok("nodes-br09", 20)));
    assert_eq!((a.nodes.shown(), a.nodes.selected()), (10, 1));
}

#[test]
fn pastes_go_to_the_focused_field_trimmed() {
    let mut a = app();
    send(
        &mut a,
        Msg::Paste("  34970585d4964f2a8d6d9ea8d303398bin09\n".into()),
    );
    assert_eq!(a.instance.value(), "34970585d4964f2a8d6d9ea8d303398bin09");
    a.focus = Focus::List;
    send(&mut a, Msg::Paste("x".into()));
    assert!(a.notice.is_some());
    a.popup = Some(Popup {
        kind: PopupKind::Help,
        scroll: 0,
    });
    assert_eq!(send(&mut a, Msg::Paste("x".into())), Update::none());
}

#[test]
fn ticks_redraw_only_while_loading() {
    let mut a = app();
    assert_eq!(send(&mut a, Msg::Tick), Update::none());
    let (mut a, _) = submitted();
    let later = Instant::now() + Duration::from_secs(2);
    assert!(a.update(Msg::Tick, later).redraw);
    assert!(matches!(a.lookup, Lookup::Loading { now, .. } if now == later));
}

#[test]
fn key_releases_are_ignored() {
    let mut a = app();
    let mut release = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert_eq!(send(&mut a, Msg::Key(release)), Update::none());
    assert_eq!(a.instance.value(), "");
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut a = loaded(50);
    send(&mut a, ch('G'));
    send(
        &mut a,
        Msg::Resize {
            width: 120,
            height: 40,
        },
    );
    assert_eq!((a.width, a.height), (120, 40));
    let rows = a.list_rows();
    assert!(a.nodes.selected() < a.nodes.offset() + rows);
    send(
        &mut a,
        Msg::Resize {
            width: 40,
            height: 12,
        },
    );
    let rows = a.list_rows();
    assert!(a.nodes.selected() < a.nodes.offset() + rows);
}

#[test]
fn popups_scroll_within_their_text() {
    let mut a = app();
    a.update(
        Msg::Resize {
            width: 80,
            height: 24,
        },
        Instant::now(),
    );
    a.focus = Focus::List;
    send(&mut a, ch('?'));
    send(&mut a, ch('G'));
    let max = a.popup.map(|p| p.scroll).unwrap_or_default();
    assert!(max > 0, "the help is taller than 24 rows");
    assert_eq!(
        send(&mut a, ch('j')),
        Update::none(),
        "no scrolling past the end"
    );
    send(&mut a, ch('k'));
    assert_eq!(a.popup.map(|p| p.scroll), Some(max - 1));
    send(&mut a, ch('g'));
    assert_eq!(a.popup.map(|p| p.scroll), Some(0));
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn clicks_focus_fields_and_select_rows_and_the_wheel_scrolls() {
    let mut a = loaded(30);
    let areas = crate::tui::layout::areas(ratatui::layout::Rect::new(0, 0, 80, 24)).unwrap();
    send(
        &mut a,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            20,
            areas.backup_row.y,
        ),
    );
    assert_eq!(a.focus, Focus::Backup);
    send(
        &mut a,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            5,
            areas.instance_row.y,
        ),
    );
    assert_eq!(a.focus, Focus::Instance);
    send(
        &mut a,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            5,
            areas.list_rows.y + 3,
        ),
    );
    assert_eq!((a.focus, a.nodes.selected()), (Focus::List, 3));
    send(&mut a, mouse(MouseEventKind::ScrollDown, 5, 5));
    assert_eq!((a.nodes.offset(), a.nodes.selected()), (3, 3));
    send(&mut a, mouse(MouseEventKind::ScrollUp, 5, 5));
    assert_eq!(a.nodes.offset(), 0);
    assert_eq!(
        send(&mut a, mouse(MouseEventKind::Moved, 5, 5)),
        Update::none()
    );
}

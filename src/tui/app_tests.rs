//! `App::update` for the form and the lookup: submit, answers, every error
//! class, cancel, the stale-answer race and the Esc priority.

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;

use super::*;
use crate::api::{ErrorClass, IdField};
use crate::http;
use crate::tui::msg::{Msg, Update};
use crate::tui::test_support::*;

#[test]
fn focus_starts_on_the_instance_field() {
    let mut a = app();
    assert_eq!(a.slot().focus, Focus::Instance);
    assert!(a.start(Instant::now()).is_empty());
}

#[test]
fn both_ids_from_the_command_line_look_up_at_start_with_focus_on_the_list() {
    let mut a = App::new(
        header(),
        HelpInfo::default(),
        Some("demo-in09"),
        Some("nodes-br09"),
    );
    let effects = a.start(Instant::now());
    assert_eq!(
        effects,
        vec![Effect::Fetch {
            profile: crate::fleet::ProfileId(0),
            generation: 1,
            query: Query {
                instance: "demo-in09".into(),
                backup: "nodes-br09".into()
            }
        }]
    );
    assert_eq!(a.slot().focus, Focus::List);
    assert!(a.busy());
}

#[test]
fn letters_that_are_commands_in_the_list_type_normally_in_a_field() {
    let mut a = app();
    type_str(&mut a, "qrejkgG?/i in09 br09");
    assert_eq!(a.slot().instance.value(), "qrejkgG?/i in09 br09");
    assert_eq!(a.slot().focus, Focus::Instance);
    assert!(a.popup().is_none());
}

#[test]
fn tab_and_arrows_move_between_the_fields_and_the_list() {
    let mut a = app();
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.slot().focus, Focus::Backup);
    send(&mut a, key(KeyCode::Down));
    assert_eq!(a.slot().focus, Focus::List);
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.slot().focus, Focus::Instance);
    send(&mut a, key(KeyCode::BackTab));
    assert_eq!(a.slot().focus, Focus::List);
    send(&mut a, key(KeyCode::BackTab));
    assert_eq!(a.slot().focus, Focus::Backup);
    send(&mut a, key(KeyCode::Up));
    assert_eq!(a.slot().focus, Focus::Instance);
    send(&mut a, key(KeyCode::Up));
    assert_eq!(a.slot().focus, Focus::List);
    // In the list, i opens the instance picker (the form stays as it is).
    let u = send(&mut a, ch('i'));
    assert!(a.picker().is_some());
    assert!(matches!(u.effects[..], [Effect::List { .. }]));
}

#[test]
fn field_editing_keys_reach_the_focused_field() {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    send(&mut a, ctrl('w'));
    assert_eq!(a.slot().instance.value(), "demo-");
    send(&mut a, key(KeyCode::Home));
    send(&mut a, key(KeyCode::Delete));
    send(&mut a, key(KeyCode::End));
    send(&mut a, key(KeyCode::Backspace));
    assert_eq!(a.slot().instance.value(), "emo");
    send(&mut a, ctrl('u'));
    assert_eq!(a.slot().instance.value(), "");
    assert_eq!(a.slot().backup.value(), "");
}

#[test]
fn an_invalid_form_is_never_sent() {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, "nodes-br09");
    send(&mut a, key(KeyCode::BackTab));
    send(&mut a, ctrl('u'));
    type_str(&mut a, "x y");
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(u.effects.is_empty());
    assert_eq!(a.slot().focus, Focus::Instance);
    assert!(
        a.notice
            .as_deref()
            .is_some_and(|n| n.starts_with("Not sent")),
        "{:?}",
        a.notice
    );
    a = app();

    type_str(&mut a, "demo-in09");
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, "a/b");
    send(&mut a, key(KeyCode::BackTab));
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(u.effects.is_empty());
    assert_eq!(a.slot().focus, Focus::Backup, "focus goes to the bad field");
    assert!(a.field_problem(IdField::Backup).is_some());
    assert_eq!(a.slot().lookup, Lookup::Idle);
}

#[test]
fn enter_submits_and_moves_focus_to_the_list() {
    let (a, u) = submitted();
    assert_eq!(
        u.effects,
        vec![Effect::Fetch {
            profile: crate::fleet::ProfileId(0),
            generation: 1,
            query: Query {
                instance: "demo-in09".into(),
                backup: "nodes-br09".into()
            }
        }]
    );
    assert_eq!(a.slot().focus, Focus::List);
    assert!(matches!(
        a.slot().lookup,
        Lookup::Loading { generation: 1, .. }
    ));
}

#[test]
fn a_successful_answer_fills_the_detail_and_the_list() {
    let a = loaded(6);
    assert!(matches!(
        a.slot().lookup,
        Lookup::Loaded { status: 200, attempts: 1, fetched_at, .. } if fetched_at == jiff::civil::time(14, 2, 31, 0)
    ));
    assert_eq!(
        a.slot().shown.as_ref().map(|s| s.id.as_str()),
        Some("nodes-br09")
    );
    assert_eq!(a.slot().nodes.total(), 6);
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
                title: Some("502 Bad Gateway".into()),
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
            matches!(&a.slot().lookup, Lookup::Failed { error: e, .. } if *e == error),
            "{class:?}"
        );
        assert_eq!(
            a.slot().shown,
            None,
            "a failed lookup does not leave another backup on screen"
        );
        assert_eq!(a.slot().nodes.total(), 0);
        send(&mut a, ch('e'));
        assert_eq!(
            a.popup().map(|p| p.kind),
            Some(PopupKind::Error),
            "{class:?}"
        );
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
    assert_eq!(a.slot().nodes.total(), 6);
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
    let started = match a.slot().lookup {
        Lookup::Loading { started, .. } => started,
        _ => panic!("loading"),
    };
    let u = a.update(key(KeyCode::Esc), started + Duration::from_millis(1300));
    assert_eq!(u.effects, vec![Effect::Cancel { generation: 2 }]);
    assert_eq!(
        a.slot().lookup,
        Lookup::Cancelled {
            after: Duration::from_millis(1300)
        }
    );
    assert_eq!(a.slot().nodes.total(), 4);
    let before = a.clone();
    assert_eq!(send(&mut a, fetched(2, ok("x", 1))), Update::none());
    assert_eq!(a, before, "the cancelled lookup's answer is dropped");
}

#[test]
fn esc_priority_popup_then_lookup_then_field() {
    let (mut a, _) = submitted();
    send(&mut a, ch('?'));
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.slot().focus, Focus::List, "the popup takes the keys");
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(
        (a.popup(), u.effects.len()),
        (None, 0),
        "first Esc closes the popup"
    );
    assert!(a.busy());
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.slot().focus, Focus::Instance);
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(
        u.effects,
        vec![Effect::Cancel { generation: 1 }],
        "then it cancels"
    );
    assert_eq!(a.slot().focus, Focus::Instance);
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.slot().focus, Focus::List, "then it leaves the field");
    assert_eq!(send(&mut a, key(KeyCode::Esc)), Update::none());
}

#[test]
fn ctrl_c_quits_from_everywhere() {
    for setup in [Focus::Instance, Focus::Backup, Focus::List, Focus::Filter] {
        let mut a = loaded(3);
        a.slot_mut().focus = setup;
        assert_eq!(
            send(&mut a, ctrl('c')).effects,
            vec![Effect::Quit],
            "{setup:?}"
        );
        a.overlays.push(crate::tui::overlay::Overlay::Popup(Popup {
            kind: PopupKind::Help,
            scroll: 0,
        }));
        assert_eq!(
            send(&mut a, ctrl('c')).effects,
            vec![Effect::Quit],
            "{setup:?} + popup"
        );
    }
    let mut a = app();
    assert_eq!(send(&mut a, Msg::Shutdown).effects, vec![Effect::Quit]);
    assert_eq!(
        send(&mut a, Msg::Crashed("x".into())).effects,
        vec![Effect::Quit]
    );
}

#[test]
fn the_help_names_the_build_as_version_says_it() {
    let mut a = app();
    a.width = 100;
    a.height = 30;
    a.help.version = "ddm-backups 0.1.0 (1a2b3c4d5e 2026-12-06)".into();
    send(&mut a, key(KeyCode::F(1)));
    send(&mut a, key(KeyCode::End));
    let screen = screen_text(&a);
    assert!(
        screen.contains("Version") && screen.contains("ddm-backups 0.1.0 (1a2b3c4d5e 2026-12-06)"),
        "{screen}"
    );
}

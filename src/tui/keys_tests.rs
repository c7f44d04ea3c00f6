//! `App::update` for keys in the list, the filter, popups, pastes, ticks,
//! resizes and the mouse.

use std::time::{Duration, Instant};

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::super::app::*;
use super::super::msg::{Effect, Msg, Update};
use crate::tui::test_support::*;

#[test]
fn list_keys_move_the_selection() {
    let mut a = loaded(30);
    let rows = a.list_rows();
    send(&mut a, ch('j'));
    send(&mut a, key(KeyCode::Down));
    assert_eq!(a.slot().nodes.selected(), 2);
    send(&mut a, ch('k'));
    send(&mut a, key(KeyCode::Up));
    send(&mut a, key(KeyCode::Up));
    assert_eq!(a.slot().nodes.selected(), 0);
    send(&mut a, key(KeyCode::PageDown));
    assert_eq!(a.slot().nodes.selected(), rows - 1);
    send(&mut a, ch('G'));
    assert_eq!(a.slot().nodes.selected(), 29);
    assert!(
        a.slot().nodes.offset() + rows > 29,
        "the selection stays visible"
    );
    send(&mut a, key(KeyCode::PageUp));
    assert_eq!(a.slot().nodes.selected(), 29 - (rows - 1));
    send(&mut a, ch('g'));
    assert_eq!((a.slot().nodes.selected(), a.slot().nodes.offset()), (0, 0));
    send(&mut a, key(KeyCode::End));
    send(&mut a, key(KeyCode::Home));
    assert_eq!(a.slot().nodes.selected(), 0);
    assert_eq!(send(&mut a, ch('k')), Update::none(), "no move, no frame");
    assert_eq!(send(&mut a, ch('z')), Update::none());
}

#[test]
fn list_commands() {
    let mut a = app();
    a.slot_mut().focus = Focus::List;
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
    assert_eq!(a.popup().map(|p| p.kind), Some(PopupKind::Help));
    send(&mut a, ch('?'));
    assert_eq!(a.popup(), None);
    send(&mut a, key(KeyCode::F(1)));
    send(&mut a, ch('q'));
    assert_eq!(a.popup(), None, "q closes a popup rather than quitting");
    assert_eq!(send(&mut a, ch('q')).effects, vec![Effect::Quit]);
    send(&mut a, key(KeyCode::BackTab));
    assert_eq!(a.slot().focus, Focus::Backup);
}

#[test]
fn r_repeats_the_last_lookup() {
    let mut a = loaded(2);
    let u = send(&mut a, ch('r'));
    assert!(
        matches!(&u.effects[..], [Effect::Fetch { generation: 2, query, .. }] if query.backup == "nodes-br09")
    );
}

#[test]
fn the_filter_narrows_the_list_as_you_type() {
    let mut a = loaded(20);
    send(&mut a, ch('/'));
    assert_eq!(a.slot().focus, Focus::Filter);
    type_str(&mut a, "node_1");
    assert_eq!(a.slot().nodes.shown(), 10);
    send(&mut a, key(KeyCode::Down));
    assert_eq!(a.slot().nodes.selected(), 1);
    send(&mut a, key(KeyCode::Enter));
    assert_eq!(
        (a.slot().focus, a.slot().nodes.shown()),
        (Focus::List, 10),
        "Enter keeps the filter"
    );
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(
        a.slot().nodes.shown(),
        20,
        "Esc in the list clears the filter"
    );
    send(&mut a, ch('/'));
    type_str(&mut a, "zzz");
    assert_eq!(a.slot().nodes.shown(), 0);
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(
        (
            a.slot().focus,
            a.slot().nodes.shown(),
            a.slot().filter.value()
        ),
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
    assert_eq!((a.slot().nodes.shown(), a.slot().nodes.selected()), (10, 1));
}

#[test]
fn pastes_go_to_the_focused_field_trimmed() {
    let mut a = app();
    send(
        &mut a,
        Msg::Paste("  34970585d4964f2a8d6d9ea8d303398bin09\n".into()),
    );
    assert_eq!(
        a.slot().instance.value(),
        "34970585d4964f2a8d6d9ea8d303398bin09"
    );
    a.slot_mut().focus = Focus::List;
    send(&mut a, Msg::Paste("x".into()));
    assert!(a.notice.is_some());
    a.overlays.push(crate::tui::overlay::Overlay::Popup(Popup {
        kind: PopupKind::Help,
        scroll: 0,
    }));
    assert_eq!(send(&mut a, Msg::Paste("x".into())), Update::none());
}

#[test]
fn ticks_redraw_only_while_loading() {
    let mut a = app();
    assert_eq!(send(&mut a, Msg::Tick), Update::none());
    let (mut a, _) = submitted();
    let later = Instant::now() + Duration::from_secs(2);
    assert!(a.update(Msg::Tick, later).redraw);
    assert!(matches!(a.slot().lookup, Lookup::Loading { now, .. } if now == later));
}

#[test]
fn key_releases_are_ignored() {
    let mut a = app();
    let mut release = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert_eq!(send(&mut a, Msg::Key(release)), Update::none());
    assert_eq!(a.slot().instance.value(), "");
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
    assert!(a.slot().nodes.selected() < a.slot().nodes.offset() + rows);
    send(
        &mut a,
        Msg::Resize {
            width: 40,
            height: 12,
        },
    );
    let rows = a.list_rows();
    assert!(a.slot().nodes.selected() < a.slot().nodes.offset() + rows);
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
    a.slot_mut().focus = Focus::List;
    send(&mut a, ch('?'));
    send(&mut a, ch('G'));
    let max = a.popup().map(|p| p.scroll).unwrap_or_default();
    assert!(max > 0, "the help is taller than 24 rows");
    assert_eq!(
        send(&mut a, ch('j')),
        Update::none(),
        "no scrolling past the end"
    );
    send(&mut a, ch('k'));
    assert_eq!(a.popup().map(|p| p.scroll), Some(max - 1));
    send(&mut a, ch('g'));
    assert_eq!(a.popup().map(|p| p.scroll), Some(0));
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
    assert_eq!(a.slot().focus, Focus::Backup);
    send(
        &mut a,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            5,
            areas.instance_row.y,
        ),
    );
    assert_eq!(a.slot().focus, Focus::Instance);
    send(
        &mut a,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            5,
            areas.list_rows.y + 3,
        ),
    );
    assert_eq!(
        (a.slot().focus, a.slot().nodes.selected()),
        (Focus::List, 3)
    );
    send(&mut a, mouse(MouseEventKind::ScrollDown, 5, 5));
    assert_eq!((a.slot().nodes.offset(), a.slot().nodes.selected()), (3, 3));
    send(&mut a, mouse(MouseEventKind::ScrollUp, 5, 5));
    assert_eq!(a.slot().nodes.offset(), 0);
    assert_eq!(
        send(&mut a, mouse(MouseEventKind::Moved, 5, 5)),
        Update::none()
    );
}

#[test]
fn y_copies_the_selected_node_id() {
    let mut a = loaded(3);
    send(&mut a, ch('j'));
    let u = send(&mut a, ch('y'));
    assert_eq!(u.effects, vec![Effect::Copy("node01in01".into())]);
    assert!(
        a.notice
            .as_deref()
            .is_some_and(|n| n.contains("node01in01"))
    );
    // Without nodes, y copies the backup's ID (see act_tests.rs).
}

#[test]
fn y_in_the_error_popup_copies_the_request_id() {
    let mut a = loaded(1);
    send(&mut a, ch('r'));
    let generation = a.generation;
    send(
        &mut a,
        Msg::Fetched {
            profile: crate::fleet::ProfileId(0),
            generation,
            result: Err(api_error(404)),
            clock: CLOCK,
        },
    );
    send(&mut a, ch('e'));
    let u = send(&mut a, ch('y'));
    assert_eq!(u.effects, vec![Effect::Copy("req-err".into())]);
    assert!(a.popup().is_some(), "the popup stays open");
}

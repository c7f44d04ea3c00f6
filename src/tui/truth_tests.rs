//! Hints and keys that tell the truth: the hint line names only keys that
//! act where the focus is, `r` repeats what the form holds, and the digits
//! act in the history as in the switcher.

use crossterm::event::KeyCode;

use super::super::app::*;
use super::super::msg::Effect;
use crate::history::{Entry, Outcome};
use crate::tui::test_support::*;

fn hint_line(a: &App) -> String {
    screen_text(a)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

fn fetch_of(effects: &[Effect]) -> Option<(String, String)> {
    effects.iter().find_map(|e| match e {
        Effect::Fetch { query, .. } => Some((query.instance.clone(), query.backup.clone())),
        _ => None,
    })
}

#[test]
fn r_looks_up_a_valid_form_that_was_never_looked_up() {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, "nodes-br09");
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.slot().focus, Focus::List);
    assert!(hint_line(&a).contains("r reload"), "{}", hint_line(&a));
    let u = send(&mut a, ch('r'));
    assert_eq!(
        fetch_of(&u.effects),
        Some(("demo-in09".into(), "nodes-br09".into()))
    );
}

#[test]
fn r_with_nothing_to_repeat_says_so_and_is_not_hinted() {
    let mut a = app();
    send(&mut a, key(KeyCode::Esc));
    assert!(!hint_line(&a).contains("reload"), "{}", hint_line(&a));
    let u = send(&mut a, ch('r'));
    assert!(fetch_of(&u.effects).is_none());
    assert!(
        a.notice.as_deref().unwrap_or("").contains("press Enter"),
        "{:?}",
        a.notice
    );
}

#[test]
fn in_a_field_the_way_to_an_instance_names_a_key_that_works_there() {
    let mut a = app();
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.slot().focus, Focus::Backup);
    // Enter cannot pick a backup without an instance: not hinted.
    let hints = hint_line(&a);
    assert!(!hints.contains("pick backup"), "{hints}");
    assert!(hints.contains("instance"), "{hints}");
    send(&mut a, key(KeyCode::Enter));
    let notice = a.notice.clone().unwrap_or_default();
    assert!(!notice.contains("press i"), "i types an i here: {notice}");
    assert!(
        notice.contains("Enter on the empty Instance ID field"),
        "{notice}"
    );
    // From the list, `i` does pick.
    send(&mut a, key(KeyCode::Esc));
    send(&mut a, ch('b'));
    let notice = a.notice.clone().unwrap_or_default();
    assert!(notice.contains("press i to pick one"), "{notice}");
}

#[test]
fn the_list_hints_only_keys_that_act() {
    let mut a = app();
    send(&mut a, key(KeyCode::Esc));
    let empty = hint_line(&a);
    for absent in ["copy", "save", "error", "backups"] {
        assert!(!empty.contains(absent), "{absent} in {empty}");
    }
    let a = loaded(3);
    let hints = screen_text(&a);
    assert!(hints.contains("y/Y copy"), "{hints}");
}

fn entry(backup: &str) -> Entry {
    Entry {
        profile: "demo".into(),
        instance_id: "demo-in09".into(),
        instance_name: "ddm-demo-orders".into(),
        backup_id: backup.into(),
        backup_name: String::new(),
        at: "2026-11-27T09:00:00Z".into(),
        outcome: Outcome::Ok { nodes: 0 },
    }
}

#[test]
fn digits_repeat_the_lookup_at_that_place_in_the_history() {
    let mut a = app();
    a.history = vec![entry("empty-br09"), entry("null-br09"), entry("nodes-br09")];
    send(&mut a, ctrl('r'));
    assert!(hint_line(&a).contains("1-9"), "{}", hint_line(&a));
    let u = send(&mut a, ch('2'));
    assert_eq!(
        fetch_of(&u.effects),
        Some(("demo-in09".into(), "null-br09".into()))
    );
    // Past the rows shown: nothing happens.
    let mut a = app();
    a.history = vec![entry("empty-br09")];
    send(&mut a, ctrl('r'));
    let u = send(&mut a, ch('5'));
    assert!(u.effects.is_empty());
    // While filtering, a digit is text.
    send(&mut a, ch('/'));
    let u = send(&mut a, ch('1'));
    assert!(fetch_of(&u.effects).is_none());
    assert_eq!(
        a.history_view().map(|v| v.filter.value().to_string()),
        Some("1".into())
    );
}

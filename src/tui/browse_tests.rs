//! `App::update` for the pickers: opening, pages, filtering, picking,
//! closing and failures.

use crossterm::event::KeyCode;

use super::super::app::*;
use super::super::msg::{Effect, Msg};
use super::super::picker::{PickRow, PickerKind, PickerLoad, SortOrder};
use crate::tui::test_support::*;

fn row(id: &str, name: &str, created: &str) -> PickRow {
    PickRow {
        id: id.into(),
        name: name.into(),
        status: "normal".into(),
        kind: "auto".into(),
        created: created.into(),
        size: Some(crate::api::Bytes(2048 * 1024)),
    }
}

fn page(generation: u64, rows: Vec<PickRow>, scanned: usize, total: u64) -> Msg {
    Msg::ListPage {
        profile: crate::fleet::ProfileId(0),
        generation,
        rows,
        scanned,
        total: Some(total),
    }
}

fn done(generation: u64) -> Msg {
    Msg::ListDone {
        profile: crate::fleet::ProfileId(0),
        generation,
        result: Ok(false),
    }
}

fn list_effect(effects: &[Effect]) -> Option<(u64, PickerKind)> {
    effects.iter().find_map(|e| match e {
        Effect::List {
            generation, kind, ..
        } => Some((*generation, kind.clone())),
        _ => None,
    })
}

/// An app with the instance picker open and loaded with two instances.
fn instances_open() -> App {
    let mut a = app();
    let u = send(&mut a, key(KeyCode::Enter));
    assert_eq!(list_effect(&u.effects), Some((1, PickerKind::Instances)));
    send(
        &mut a,
        page(
            1,
            vec![
                row("zeta-in09", "zeta", "2025-01-01T00:00:00+0000"),
                row("alpha-in09", "alpha", "2025-02-01T00:00:00+0000"),
            ],
            2,
            2,
        ),
    );
    send(&mut a, done(1));
    a
}

#[test]
fn enter_on_the_empty_instance_field_opens_the_instance_picker() {
    let a = instances_open();
    let picker = a.picker().expect("open");
    assert_eq!(picker.load, PickerLoad::Done { capped: false });
    // Instances sort by name.
    assert_eq!(picker.rows.all()[0].id, "alpha-in09");
    assert!(!a.ticking(), "nothing in flight");
}

#[test]
fn picking_an_instance_fills_the_form_and_lists_its_backups() {
    let mut a = instances_open();
    send(&mut a, ch('j'));
    let u = send(&mut a, key(KeyCode::Enter));
    let (_, kind) = list_effect(&u.effects).expect("its backups are listed");
    assert_eq!(
        kind,
        PickerKind::Backups {
            instance_id: "zeta-in09".into()
        }
    );
    assert!(matches!(
        a.picker().map(|p| &p.kind),
        Some(PickerKind::Backups { .. })
    ));
    assert_eq!(a.slot().instance.value(), "zeta-in09");
    assert!(a.notice.as_deref().unwrap_or("").contains("zeta"));
    // Esc with nothing on screen: the form keeps the instance, and the
    // focus is on the list, where a letter is a key: `i` opens the
    // instances again rather than typing into the backup field.
    send(&mut a, key(KeyCode::Esc));
    assert!(a.picker().is_none());
    assert_eq!(a.slot().instance.value(), "zeta-in09");
    assert_eq!(a.slot().focus, Focus::List);
    send(&mut a, ch('i'));
    assert_eq!(a.slot().backup.value(), "");
    assert_eq!(a.picker().map(|p| &p.kind), Some(&PickerKind::Instances));
}

#[test]
fn a_row_whose_id_breaks_the_rule_is_never_put_in_the_form() {
    let mut a = app();
    send(&mut a, key(KeyCode::Enter));
    // The field's own filter would turn "i1\n" into the valid "i1".
    send(&mut a, page(1, vec![row("i1\n", "evil", "")], 1, 1));
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(u.effects.is_empty(), "{:?}", u.effects);
    assert!(a.picker().is_some(), "the picker stays open");
    assert_eq!(a.slot().instance.value(), "");
    let notice = a.notice.clone().unwrap_or_default();
    assert!(
        notice.starts_with("Cannot pick: this instance ID contains U+000A"),
        "{notice}"
    );
}

#[test]
fn enter_on_the_empty_backup_field_lists_that_instances_backups_and_picking_looks_up() {
    let mut a = instances_open();
    // Picking the instance lists its backups; so does Enter on the empty
    // backup field, after Esc.
    send(&mut a, key(KeyCode::Enter));
    send(&mut a, key(KeyCode::Esc));
    send(&mut a, key(KeyCode::BackTab));
    assert_eq!(a.slot().focus, Focus::Backup);
    let u = send(&mut a, key(KeyCode::Enter));
    let (generation, kind) = list_effect(&u.effects).expect("a listing");
    assert_eq!(
        kind,
        PickerKind::Backups {
            instance_id: "alpha-in09".into()
        }
    );
    assert!(a.ticking(), "the picker's spinner needs ticks");
    send(
        &mut a,
        page(
            generation,
            vec![row("old-br09", "old", "2025-01-01T00:00:00+0000")],
            1,
            2,
        ),
    );
    send(
        &mut a,
        page(
            generation,
            vec![row("new-br09", "new", "2025-03-01T00:00:00+0000")],
            2,
            2,
        ),
    );
    send(&mut a, done(generation));
    let picker = a.picker().expect("open");
    assert_eq!(picker.rows.all()[0].id, "new-br09", "newest first");
    assert_eq!(picker.rows.selected(), 0, "the selection stays on top");
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(
        u.effects
            .iter()
            .any(|e| matches!(e, Effect::Fetch { query, .. }
            if query.instance == "alpha-in09" && query.backup == "new-br09")),
        "{:?}",
        u.effects
    );
    assert_eq!(
        a.slot().picked.as_ref().map(|r| r.id.as_str()),
        Some("new-br09")
    );
    assert_eq!(a.slot().focus, Focus::List);
}

#[test]
fn b_without_an_instance_says_how_to_get_one() {
    let mut a = app();
    send(&mut a, key(KeyCode::Esc));
    let u = send(&mut a, ch('b'));
    assert!(u.effects.is_empty());
    assert!(a.picker().is_none());
    assert!(a.notice.as_deref().unwrap_or("").contains("press i"));
}

#[test]
fn typing_filters_and_enter_picks_the_match() {
    let mut a = instances_open();
    send(&mut a, ch('/'));
    type_str(&mut a, "ZET");
    let picker = a.picker().expect("open");
    assert_eq!((picker.rows.shown(), picker.rows.total()), (1, 2));
    send(&mut a, key(KeyCode::Enter));
    assert_eq!(a.slot().instance.value(), "zeta-in09");
}

#[test]
fn esc_clears_the_filter_then_closes_and_a_loaded_picker_comes_back_as_it_was() {
    let mut a = instances_open();
    send(&mut a, ch('/'));
    type_str(&mut a, "zzz");
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.picker().map(|p| p.rows.shown()), Some(2));
    send(&mut a, ch('o'));
    assert_eq!(a.picker().map(|p| p.sort), Some(SortOrder::Newest));
    let u = send(&mut a, key(KeyCode::Esc));
    assert!(u.effects.is_empty());
    assert!(a.picker().is_none());
    // Reopened from the list: no new listing, same order.
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.slot().focus, Focus::List);
    let u = send(&mut a, ch('i'));
    assert!(list_effect(&u.effects).is_none(), "{:?}", u.effects);
    assert_eq!(a.picker().map(|p| p.sort), Some(SortOrder::Newest));
    // r loads again.
    let u = send(&mut a, ch('r'));
    assert!(list_effect(&u.effects).is_some());
    assert_eq!(a.picker().map(|p| p.rows.total()), Some(0));
}

#[test]
fn esc_while_loading_cancels_the_listing_and_late_pages_are_dropped() {
    let mut a = app();
    let u = send(&mut a, key(KeyCode::Enter));
    let (generation, _) = list_effect(&u.effects).expect("listing");
    send(&mut a, page(generation, vec![row("a-in09", "a", "")], 1, 3));
    assert_eq!(
        a.picker().map(|p| p.progress()),
        Some("loaded 1 of 3".into())
    );
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(u.effects, vec![Effect::Cancel { generation }]);
    assert!(a.picker().is_none());
    let late = send(&mut a, page(generation, vec![row("b-in09", "b", "")], 2, 3));
    assert!(!late.redraw);
    // A stopped listing is not reused: opening again (`i`, the focus is
    // on the list now) loads again.
    let u = send(&mut a, ch('i'));
    assert!(list_effect(&u.effects).is_some());
}

#[test]
fn a_failed_listing_shows_in_the_picker_and_e_opens_it() {
    let mut a = app();
    let u = send(&mut a, key(KeyCode::Enter));
    let (generation, _) = list_effect(&u.effects).expect("listing");
    send(
        &mut a,
        Msg::ListDone {
            profile: crate::fleet::ProfileId(0),
            generation,
            result: Err(api_error(403)),
        },
    );
    assert!(matches!(
        a.picker().map(|p| &p.load),
        Some(PickerLoad::Failed { .. })
    ));
    send(&mut a, ch('e'));
    assert_eq!(a.popup().map(|p| p.kind), Some(PopupKind::Error));
    send(&mut a, key(KeyCode::Esc));
    assert!(a.picker().is_some(), "closing the error leaves the picker");
}

#[test]
fn y_in_a_picker_copies_the_selected_id() {
    let mut a = instances_open();
    let u = send(&mut a, ch('y'));
    assert_eq!(u.effects, vec![Effect::Copy("alpha-in09".into())]);
}

#[test]
fn a_paste_goes_into_the_picker_filter() {
    let mut a = instances_open();
    send(&mut a, Msg::Paste("alp".into()));
    let picker = a.picker().expect("open");
    assert!(picker.typing);
    assert_eq!(picker.rows.shown(), 1);
}

#[test]
fn the_mouse_selects_and_scrolls_picker_rows() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 5,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut a = instances_open();
    // At 80x24 the picker's first row is on screen row 3.
    let u = send(&mut a, mouse(MouseEventKind::Down(MouseButton::Left), 4));
    assert!(u.redraw);
    assert_eq!(a.picker().map(|p| p.rows.selected()), Some(1));
    let u = send(&mut a, mouse(MouseEventKind::Down(MouseButton::Left), 20));
    assert!(!u.redraw, "a click under the last row selects nothing");
    // Two rows fit on screen: the wheel has nothing to scroll.
    let u = send(&mut a, mouse(MouseEventKind::ScrollDown, 4));
    assert!(!u.redraw);
}

#[test]
fn a_failed_lookup_of_picked_ids_keeps_their_names_in_the_history() {
    let mut a = instances_open();
    let u = send(&mut a, key(KeyCode::Enter));
    let (generation, _) = list_effect(&u.effects).expect("listing");
    send(
        &mut a,
        page(generation, vec![row("gone-br09", "gone", "")], 1, 1),
    );
    send(&mut a, done(generation));
    let u = send(&mut a, key(KeyCode::Enter));
    let fetch = u
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("a lookup");
    let u = send(&mut a, fetched(fetch, Err(api_error(404))));
    let [Effect::Remember(entry)] = &u.effects[..] else {
        panic!("{:?}", u.effects);
    };
    assert_eq!(
        (entry.instance_name.as_str(), entry.backup_name.as_str()),
        ("alpha", "gone")
    );
}

#[test]
fn a_picker_loaded_minutes_ago_loads_again_when_opened() {
    use std::time::{Duration, Instant};
    let mut a = instances_open();
    send(&mut a, key(KeyCode::Esc));
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.slot().focus, Focus::List);
    let soon = a.update(ch('i'), Instant::now() + Duration::from_secs(60));
    assert!(
        list_effect(&soon.effects).is_none(),
        "fresh: shown as it was"
    );
    send(&mut a, key(KeyCode::Esc));
    let later = a.update(ch('i'), Instant::now() + Duration::from_secs(6 * 60));
    assert!(list_effect(&later.effects).is_some(), "stale: loaded again");
}

#[test]
fn a_picker_reopens_unfiltered_and_its_title_shows_the_filter_in_force() {
    let mut a = instances_open();
    send(&mut a, ch('/'));
    type_str(&mut a, "zet");
    assert!(screen_text(&a).contains(" /zet "), "typing shows as typed");
    send(&mut a, key(KeyCode::Tab));
    assert!(screen_text(&a).contains(" filter: zet "), "kept, in force");
    send(&mut a, key(KeyCode::Enter));
    assert_eq!(a.slot().instance.value(), "zeta-in09");
    // Its backups opened; Esc, back to the instance field, emptied, and
    // Enter: the same picker, with every row and no filter left over.
    send(&mut a, key(KeyCode::Esc));
    send(&mut a, key(KeyCode::Tab));
    for _ in 0.."zeta-in09".len() {
        send(&mut a, key(KeyCode::Backspace));
    }
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(list_effect(&u.effects).is_none(), "{:?}", u.effects);
    let picker = a.picker().expect("open");
    assert_eq!(picker.filter.value(), "");
    assert_eq!((picker.rows.shown(), picker.rows.total()), (2, 2));
    assert!(!screen_text(&a).contains("filter:"));
    // A new filter starts from nothing, not from "zet".
    send(&mut a, ch('/'));
    type_str(&mut a, "alp");
    let picker = a.picker().expect("open");
    assert_eq!((picker.filter.value(), picker.rows.shown()), ("alp", 1));
}

#[test]
fn esc_from_a_picker_puts_the_form_back_to_the_backup_on_screen() {
    // A backup on screen; `i`, pick another instance (its backups open),
    // then Esc: the form shows the backup on screen again, the focus is
    // on the list, and the next letter is a key, not text.
    let mut a = loaded(3);
    let (instance, backup) = (
        a.slot().instance.value().to_string(),
        a.slot().backup.value().to_string(),
    );
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.slot().focus, Focus::List);
    let u = send(&mut a, ch('i'));
    let (generation, _) = list_effect(&u.effects).expect("instances");
    send(
        &mut a,
        page(generation, vec![row("other-in09", "other", "")], 1, 1),
    );
    send(&mut a, done(generation));
    send(&mut a, key(KeyCode::Enter));
    assert_eq!(a.slot().instance.value(), "other-in09");
    assert!(matches!(
        a.picker().map(|p| &p.kind),
        Some(PickerKind::Backups { .. })
    ));
    send(&mut a, key(KeyCode::Esc));
    assert!(a.picker().is_none());
    assert_eq!(a.slot().instance.value(), instance);
    assert_eq!(a.slot().backup.value(), backup);
    assert_eq!(a.slot().focus, Focus::List);
    let notice = a.notice.clone().unwrap_or_default();
    assert!(notice.starts_with("Back to "), "{notice}");
    // `s` is the save key here, never `Backup ID s`.
    send(&mut a, ch('s'));
    assert_eq!(a.slot().backup.value(), backup);
}

#[test]
fn the_selected_row_is_whole_in_the_footer_however_its_cells_are_cut() {
    let mut a = app();
    a.width = 60;
    a.height = 16;
    let long = "ddm-diagnose3-2025-orders-replica-bkKm5XrWLg";
    let u = send(&mut a, key(KeyCode::Enter));
    let (generation, _) = list_effect(&u.effects).expect("instances");
    send(
        &mut a,
        page(
            generation,
            vec![row("34970585d4964f2a8d6d9ea8d303398bin09", long, "")],
            1,
            1,
        ),
    );
    send(&mut a, done(generation));
    let text: String = screen_text(&a)
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    // The row cuts the name; the footer has it, and the ID, whole.
    assert!(text.contains(long), "{text}");
    assert!(
        text.contains("34970585d4964f2a8d6d9ea8d303398bin09"),
        "{text}"
    );
}

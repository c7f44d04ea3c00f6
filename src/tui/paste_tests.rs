//! `App::update` for pastes: every place that takes text cuts a paste to
//! its limit before inserting it and says so, and no control character
//! gets in.

use super::super::app::*;
use super::super::input::{ID_FIELD_LIMIT, TEXT_LIMIT};
use super::super::msg::Msg;
use super::super::password::PasswordAsk;
use crate::ids::{IdField, MAX_ID_LEN};
use crate::tui::test_support::*;

fn paste(a: &mut App, text: &str) {
    send(a, Msg::Paste(text.into()));
}

const MEGABYTE: usize = 1_000_000;

#[test]
fn a_paste_longer_than_an_id_field_is_cut_and_the_status_bar_says_so() {
    let mut a = app();
    paste(&mut a, &"a".repeat(500));
    assert_eq!(a.slot().instance.value().len(), ID_FIELD_LIMIT);
    assert_eq!(
        a.notice.as_deref(),
        Some(
            "Pasted text is longer than an ID may be (at most 64 characters); shorten it before Enter"
        )
    );
    // One character over an ID's length: the cut text is still refused,
    // never sent as a shorter ID that may name something else.
    assert!(a.field_problem(IdField::Instance).is_some());
    assert_eq!(a.slot().instance.value().len(), MAX_ID_LEN + 1);
}

#[test]
fn a_paste_that_fits_says_nothing() {
    let mut a = app();
    paste(&mut a, "  demo-in09\n");
    assert_eq!(a.slot().instance.value(), "demo-in09");
    assert_eq!(a.notice, None);
}

#[test]
fn a_paste_into_an_almost_full_field_fills_what_is_left() {
    let mut a = app();
    type_str(&mut a, &"x".repeat(60));
    paste(&mut a, "0123456789");
    assert_eq!(
        a.slot().instance.value(),
        format!("{}01234", "x".repeat(60))
    );
    assert_eq!(
        a.notice.as_deref(),
        Some(
            "Pasted text is longer than an ID may be (at most 64 characters); shorten it before Enter"
        )
    );
}

#[test]
fn a_megabyte_paste_into_each_field_finishes_cut_to_its_limit() {
    let huge = "b".repeat(MEGABYTE);
    let mut a = app();
    paste(&mut a, &huge);
    assert_eq!(a.slot().instance.value().len(), ID_FIELD_LIMIT);
    send(&mut a, key(crossterm::event::KeyCode::Tab));
    paste(&mut a, &huge);
    assert_eq!(a.slot().backup.value().len(), ID_FIELD_LIMIT);

    let mut a = loaded(20);
    send(&mut a, ch('/'));
    paste(&mut a, &huge);
    assert_eq!(a.slot().filter.value().len(), TEXT_LIMIT);
    assert_eq!(
        a.notice.as_deref(),
        Some("Pasted text cut to 4096 characters (this field holds at most 4096)")
    );
}

#[test]
fn a_megabyte_of_multibyte_text_is_cut_by_characters() {
    let mut a = loaded(20);
    send(&mut a, ch('/'));
    paste(&mut a, &"订".repeat(MEGABYTE));
    assert_eq!(a.slot().filter.value().chars().count(), TEXT_LIMIT);
}

#[test]
fn keys_typed_into_a_full_field_are_dropped() {
    let mut a = app();
    paste(&mut a, &"c".repeat(100));
    type_str(&mut a, "zzz");
    assert_eq!(a.slot().instance.value(), "c".repeat(ID_FIELD_LIMIT));
}

#[test]
fn control_characters_never_get_into_a_field() {
    let mut a = app();
    // An escape sequence that would end a bracketed paste in a shell, a
    // DEL, a C1 CSI and a right-to-left override.
    paste(&mut a, "\u{1b}[201~demo\u{7f}-in\u{9b}0\u{202e}9\r\n");
    assert_eq!(a.slot().instance.value(), "[201~demo-in09");
    assert!(
        !a.slot()
            .instance
            .value()
            .chars()
            .any(crate::terminal_text::is_unsafe)
    );
    assert_eq!(
        a.notice.as_deref(),
        Some("Pasted text: 4 control characters left out")
    );
}

#[test]
fn two_pasted_lines_never_join_into_one_id() {
    let mut a = app();
    paste(&mut a, "demo-in09\ndemo-in10\n");
    assert_eq!(a.slot().instance.value(), "demo-in09 demo-in10");
    assert!(
        a.field_problem(IdField::Instance).is_some(),
        "the space is refused, so nothing is sent"
    );
}

#[test]
fn a_cut_paste_with_controls_says_both() {
    let mut a = app();
    paste(&mut a, &format!("\u{7}{}", "d".repeat(100)));
    assert_eq!(
        a.notice.as_deref(),
        Some(
            "Pasted text is longer than an ID may be (at most 64 characters); \
             shorten it before Enter; 1 control character left out"
        )
    );
}

#[test]
fn a_huge_paste_into_the_password_popup_is_cut_too() {
    let mut a = app();
    a.overlays
        .push(crate::tui::overlay::Overlay::Password(PasswordAsk::new(
            "Password?".into(),
        )));
    paste(&mut a, &format!("  pw\u{1b}{}\n", "p".repeat(MEGABYTE)));
    let typed = &a.password().expect("still asking").typed;
    assert_eq!(typed.char_count(), TEXT_LIMIT);
    assert!(typed.expose().starts_with("pwp"));
    assert!(
        a.notice
            .as_deref()
            .is_some_and(|n| n.contains("cut to 4096"))
    );
}

#[test]
fn a_paste_into_a_picker_filter_is_cut_and_said() {
    let mut a = app();
    send(&mut a, key(crossterm::event::KeyCode::Enter));
    assert!(
        a.picker().is_some(),
        "Enter on the empty field opens the picker"
    );
    paste(&mut a, &"f".repeat(MEGABYTE));
    let picker = a.picker().expect("open");
    assert_eq!(picker.filter.value().len(), TEXT_LIMIT);
    assert!(
        a.notice
            .as_deref()
            .is_some_and(|n| n.contains("cut to 4096"))
    );
}

#[test]
fn a_paste_into_the_history_filter_is_cut_and_said() {
    let mut a = app();
    send(&mut a, ctrl('r'));
    assert!(a.history_view().is_some());
    paste(&mut a, &"h".repeat(MEGABYTE));
    let view = a.history_view().expect("open");
    assert_eq!(view.filter.value().len(), TEXT_LIMIT);
    assert!(
        a.notice
            .as_deref()
            .is_some_and(|n| n.contains("cut to 4096"))
    );
}

#[test]
fn a_paste_into_the_save_path_is_cut_and_said() {
    let mut a = loaded(20);
    a.slot_mut().focus = Focus::List;
    send(&mut a, ch('s'));
    let before = a
        .save()
        .expect("the save prompt is open")
        .path
        .value()
        .chars()
        .count();
    paste(
        &mut a,
        &format!("/tmp/\u{1b}]0;x\u{7}{}", "p".repeat(MEGABYTE)),
    );
    let path = a.save().expect("still open").path.value();
    assert_eq!(path.chars().count(), TEXT_LIMIT);
    assert!(!path.chars().any(crate::terminal_text::is_unsafe));
    let notice = a.notice.as_deref().unwrap_or_default();
    assert!(
        notice.contains(&format!("cut to {} characters", TEXT_LIMIT - before))
            && notice.contains("2 control characters left out"),
        "{notice}"
    );
}

//! `TextField`: editing keys, pastes, the limit and the view.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::keymap::{Context, Keymap};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// A key through the default bindings of a field, as the app sends it.
trait Press {
    fn handle_key(&mut self, key: KeyEvent) -> bool;
}

impl Press for TextField {
    fn handle_key(&mut self, key: KeyEvent) -> bool {
        let Some(spec) = crate::tui::key_event::spec_of(&key) else {
            return false;
        };
        let action = Keymap::default().action(Context::Field, true, spec);
        self.apply(action, spec)
    }
}

fn typed(s: &str) -> TextField {
    let mut f = TextField::default();
    for c in s.chars() {
        assert!(f.handle_key(key(KeyCode::Char(c))));
    }
    f
}

#[test]
fn typing_inserts_at_the_cursor() {
    let mut f = typed("demo-in09");
    assert_eq!(f.value(), "demo-in09");
    f.handle_key(key(KeyCode::Home));
    f.handle_key(key(KeyCode::Char('x')));
    assert_eq!(f.value(), "xdemo-in09");
    assert_eq!(f.cursor(), 1);
}

#[test]
fn cursor_moves_stay_inside_the_text() {
    let mut f = typed("ab");
    f.handle_key(key(KeyCode::Right));
    assert_eq!(f.cursor(), 2);
    f.handle_key(key(KeyCode::Left));
    f.handle_key(key(KeyCode::Left));
    f.handle_key(key(KeyCode::Left));
    assert_eq!(f.cursor(), 0);
    f.handle_key(key(KeyCode::End));
    assert_eq!(f.cursor(), 2);
}

#[test]
fn backspace_and_delete() {
    let mut f = typed("abc");
    f.handle_key(key(KeyCode::Backspace));
    assert_eq!(f.value(), "ab");
    f.handle_key(key(KeyCode::Home));
    f.handle_key(key(KeyCode::Backspace));
    assert_eq!(f.value(), "ab");
    f.handle_key(key(KeyCode::Delete));
    assert_eq!(f.value(), "b");
    f.handle_key(key(KeyCode::End));
    f.handle_key(key(KeyCode::Delete));
    assert_eq!(f.value(), "b");
}

#[test]
fn ctrl_u_and_ctrl_w() {
    let mut f = typed("demo-in09");
    f.handle_key(ctrl('w'));
    assert_eq!(f.value(), "demo-");
    f.handle_key(ctrl('w'));
    assert_eq!(f.value(), "");
    let mut f = typed("abcdef");
    f.handle_key(key(KeyCode::Left));
    f.handle_key(ctrl('u'));
    assert_eq!((f.value(), f.cursor()), ("f", 0));
}

#[test]
fn other_control_keys_are_not_edits() {
    let mut f = typed("ab");
    assert!(!f.handle_key(ctrl('c')));
    assert!(!f.handle_key(key(KeyCode::Enter)));
    assert!(!f.handle_key(key(KeyCode::Tab)));
    assert_eq!(f.value(), "ab");
}

#[test]
fn paste_strips_surrounding_white_space_and_control_characters() {
    let mut f = TextField::default();
    f.paste("  34970585d4964f2a8d6d9ea8d303398bin09\n");
    assert_eq!(f.value(), "34970585d4964f2a8d6d9ea8d303398bin09");
    let mut f = TextField::default();
    f.paste("a\u{1b}b c");
    assert_eq!(f.value(), "ab c");
}

#[test]
fn a_paste_is_cut_at_the_limit_and_reports_it() {
    let mut f = TextField::with_limit(5);
    f.handle_key(key(KeyCode::Char('a')));
    let pasted = f.paste("bcdefgh");
    assert_eq!(f.value(), "abcde");
    assert_eq!(f.cursor(), 5);
    assert_eq!(
        pasted,
        Pasted {
            inserted: 4,
            cut: true,
            dropped: 0,
            limit: 5
        }
    );
    // Full: typing is a no-op, a paste inserts nothing and says so.
    f.handle_key(key(KeyCode::Char('z')));
    assert_eq!(f.value(), "abcde");
    assert_eq!(f.paste("y").inserted, 0);
    // Room again after a delete, and in the middle.
    f.handle_key(key(KeyCode::Home));
    f.handle_key(key(KeyCode::Delete));
    assert!(!f.paste("X").cut);
    assert_eq!((f.value(), f.cursor()), ("Xbcde", 1));
}

#[test]
fn a_paste_fitting_exactly_is_not_cut() {
    let mut f = TextField::with_limit(3);
    assert!(!f.paste("abc").cut);
    assert!(f.paste("d").cut);
}

#[test]
fn line_breaks_become_a_space_and_other_controls_are_counted_out() {
    let mut f = TextField::default();
    let pasted = f.paste("\n a\tb\r\nc\u{1b}d\u{85}e\u{200f}f \n");
    assert_eq!(f.value(), "a b  cdef");
    assert_eq!(pasted.dropped, 3);
    assert!(!pasted.cut);
    assert_eq!(
        pasted.notice().as_deref(),
        Some("Pasted text: 3 control characters left out")
    );
}

#[test]
fn a_million_character_paste_finishes_and_keeps_the_limit() {
    let mut f = TextField::id("");
    let pasted = f.paste(&"9".repeat(1_000_000));
    assert_eq!(f.value().len(), ID_FIELD_LIMIT);
    assert!(pasted.cut);
    let mut f = TextField::default();
    f.paste(&"é".repeat(1_000_000));
    assert_eq!(f.value().chars().count(), TEXT_LIMIT);
    assert_eq!(f.cursor(), TEXT_LIMIT);
}

#[test]
fn a_paste_that_went_in_whole_has_no_notice() {
    assert_eq!(TextField::default().paste("demo-in09").notice(), None);
}

#[test]
fn non_ascii_text_edits_by_character() {
    let mut f = TextField::new("订单");
    f.handle_key(key(KeyCode::Backspace));
    assert_eq!(f.value(), "订");
}

#[test]
fn the_view_scrolls_to_keep_the_cursor_visible() {
    let f = TextField::new("abcdefghij");
    assert_eq!(f.view(20), ("abcdefghij".into(), 10));
    let (shown, col) = f.view(5);
    assert_eq!((shown.as_str(), col), ("ghij", 4));
    let mut f = f;
    f.handle_key(key(KeyCode::Home));
    assert_eq!(f.view(5), ("abcde".into(), 0));
    let f = TextField::new("订单订单订单");
    let (shown, col) = f.view(5);
    assert!(text::width(&shown) <= 5 && col < 5, "{shown} {col}");
}

//! The binding table in the app: default keys per context, the user's keys,
//! and the overlay stack (only the front overlay hears keys, pastes and the
//! mouse; Esc pops it).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::super::app::*;
use super::super::msg::Update;
use super::super::msg::{Effect, Msg};
use super::super::overlay::{Kind, Overlay};
use crate::keymap::{KeyName, KeyOverride, KeySpec, Keymap, reference};
use crate::tui::test_support::*;

fn user(entries: &[(&str, &[&str])]) -> Keymap {
    let overrides: Vec<KeyOverride> = entries
        .iter()
        .map(|(a, keys)| KeyOverride {
            action: (*a).into(),
            keys: keys.iter().map(|k| (*k).to_string()).collect(),
        })
        .collect();
    Keymap::with_overrides(&overrides).expect("valid keys")
}

fn screen(a: &App) -> String {
    let backend = ratatui::backend::TestBackend::new(a.width, a.height);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal
        .draw(|f| super::super::ui::render(f, a))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content()
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

fn last_line(a: &App) -> String {
    screen(a).lines().last().unwrap_or_default().to_string()
}

#[test]
fn editing_keys_in_a_field_work_as_the_reference_says() {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    send(&mut a, ctrl('a'));
    send(&mut a, ch('x'));
    assert_eq!(a.slot().instance.value(), "xdemo-in09");
    send(&mut a, ctrl('e'));
    send(&mut a, ctrl('w'));
    assert_eq!(a.slot().instance.value(), "xdemo-");
    send(&mut a, key(KeyCode::Left));
    send(&mut a, key(KeyCode::Delete));
    send(&mut a, key(KeyCode::Home));
    send(&mut a, key(KeyCode::Delete));
    assert_eq!(a.slot().instance.value(), "demo");
    send(&mut a, key(KeyCode::End));
    send(&mut a, key(KeyCode::Backspace));
    send(&mut a, ctrl('u'));
    assert_eq!(a.slot().instance.value(), "");
    // q and ? are text here; F1 opens the help.
    type_str(&mut a, "q?");
    assert_eq!(a.slot().instance.value(), "q?");
    send(&mut a, key(KeyCode::F(1)));
    assert_eq!(a.popup().map(|p| p.kind), Some(PopupKind::Help));
}

#[test]
fn half_pages_move_the_node_list_and_the_filter_keeps_its_own_keys() {
    let mut a = loaded(60);
    let half = a.list_rows() / 2;
    send(&mut a, ctrl('d'));
    assert_eq!(a.slot().nodes.selected(), half);
    send(&mut a, ctrl('u'));
    assert_eq!(a.slot().nodes.selected(), 0);
    send(&mut a, ch('/'));
    assert_eq!(a.slot().focus, Focus::Filter);
    type_str(&mut a, "node0");
    send(&mut a, ctrl('a'));
    send(&mut a, ch('m'));
    assert_eq!(a.slot().filter.value(), "mnode0");
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.slot().focus, Focus::List);
}

/// The key press a binding names.
fn press(spec: KeySpec) -> Msg {
    let code = match spec.name {
        KeyName::Char(c) => KeyCode::Char(c),
        KeyName::F(n) => KeyCode::F(n),
        KeyName::Enter => KeyCode::Enter,
        KeyName::Esc => KeyCode::Esc,
        KeyName::Tab => KeyCode::Tab,
        KeyName::BackTab => KeyCode::BackTab,
        KeyName::Up => KeyCode::Up,
        KeyName::Down => KeyCode::Down,
        KeyName::Left => KeyCode::Left,
        KeyName::Right => KeyCode::Right,
        KeyName::PageUp => KeyCode::PageUp,
        KeyName::PageDown => KeyCode::PageDown,
        KeyName::Home => KeyCode::Home,
        KeyName::End => KeyCode::End,
        KeyName::Backspace => KeyCode::Backspace,
        KeyName::Delete => KeyCode::Delete,
    };
    let mut modifiers = KeyModifiers::NONE;
    if spec.ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if spec.alt {
        modifiers |= KeyModifiers::ALT;
    }
    Msg::Key(KeyEvent::new(code, modifiers))
}

/// What a key did to a fresh app: quit, opened something, or typed.
fn acted(a: &App, update: &Update) -> bool {
    update.effects.iter().any(|e| matches!(e, Effect::Quit)) || !a.overlays.is_empty()
}

/// Issue 18 item 4: the README's key table is the reference, and what it
/// lists under "anywhere" acts at launch, where the cursor is in the
/// Instance ID field (an empty form) or after the last lookup's IDs (a
/// later launch); what it lists "out of a text field" is text there and a
/// key from the list.
#[test]
fn at_launch_every_anywhere_key_acts_and_every_character_key_is_text() {
    let keymap = Keymap::default();
    let sections = reference::sections(&keymap);
    let section = |title: &str| {
        sections
            .iter()
            .find(|s| s.title == title)
            .unwrap_or_else(|| panic!("no {title} section"))
    };
    let launches: [fn() -> App; 2] = [app, || {
        let mut a = app();
        type_str(&mut a, "demo-in09");
        send(&mut a, key(KeyCode::Tab));
        type_str(&mut a, "nodes-br09");
        a
    }];
    let mut checked = 0;
    for launch in launches {
        let before = launch();
        let form = (
            before.slot().instance.value().to_string(),
            before.slot().backup.value().to_string(),
        );
        for row in &section("anywhere").rows {
            for &spec in &row.keys {
                let mut a = launch();
                let update = send(&mut a, press(spec));
                assert!(
                    acted(&a, &update),
                    "{spec} ({}) did nothing at launch",
                    row.binding.action.name()
                );
                let after = (
                    a.slot().instance.value().to_string(),
                    a.slot().backup.value().to_string(),
                );
                assert_eq!(after, form, "{spec} changed the form");
                checked += 1;
            }
        }
        for row in &section(reference::OUT_OF_TEXT).rows {
            for &spec in &row.keys {
                let mut a = launch();
                let update = send(&mut a, press(spec));
                assert!(!acted(&a, &update), "{spec} acted in a text field");
                let typed = spec.typed().expect("a character");
                let field = match a.slot().focus {
                    Focus::Backup => a.slot().backup.value(),
                    _ => a.slot().instance.value(),
                };
                assert!(field.ends_with(typed), "{spec} was not typed: {field:?}");
                // From the list the same key acts.
                let mut a = launch();
                send(&mut a, key(KeyCode::Esc));
                assert_eq!(a.slot().focus, Focus::List);
                let update = send(&mut a, press(spec));
                assert!(acted(&a, &update), "{spec} did nothing from the list");
                checked += 1;
            }
        }
    }
    assert!(checked >= 2 * 8, "only {checked} keys checked");
}

#[test]
fn keys_that_work_anywhere_reach_every_overlay_after_its_own() {
    let mut a = loaded(3);
    send(&mut a, ch('p'));
    // `q` closes the switcher (its own key) rather than quitting.
    assert!(send(&mut a, ch('q')).effects.is_empty());
    assert_eq!(a.switcher(), None);
    send(&mut a, ch('p'));
    // `?` opens the help in front of the switcher; `?` again closes it.
    send(&mut a, ch('?'));
    let kinds: Vec<Kind> = a.overlays.iter().map(Overlay::kind).collect();
    assert_eq!(kinds, [Kind::Profiles, Kind::Popup]);
    send(&mut a, ch('?'));
    assert_eq!(a.switcher(), Some(0));
    // Ctrl-R replaces everything with the history.
    send(&mut a, ctrl('r'));
    let kinds: Vec<Kind> = a.overlays.iter().map(Overlay::kind).collect();
    assert_eq!(kinds, [Kind::History]);
    send(&mut a, key(KeyCode::Esc));
    assert!(a.overlays.is_empty());
}

#[test]
fn the_users_keys_drive_dispatch_the_hints_and_the_help() {
    let mut a = loaded(3);
    a.keys = user(&[
        ("quit", &["q", "ctrl-q"]),
        ("copy_id", &["c"]),
        ("instances", &["I"]),
    ]);
    let u = send(&mut a, ch('c'));
    assert!(matches!(&u.effects[..], [Effect::Copy(id)] if id == "node00in01"));
    assert!(
        send(&mut a, ch('y')).effects.is_empty(),
        "y is no longer copy"
    );
    assert!(send(&mut a, ch('i')).effects.is_empty());
    assert!(a.picker().is_none());
    let hints = last_line(&a);
    assert!(
        hints.contains("I instances") && hints.contains("c/Y copy"),
        "{hints}"
    );
    send(&mut a, ch('I'));
    assert!(a.picker().is_some());
    send(&mut a, key(KeyCode::Esc));
    // Ctrl-Q quits from a field, where q is text; Ctrl-C still quits.
    send(&mut a, key(KeyCode::Tab));
    assert_eq!(a.slot().focus, Focus::Instance);
    assert_eq!(send(&mut a, ctrl('q')).effects, vec![Effect::Quit]);
    assert_eq!(send(&mut a, ctrl('c')).effects, vec![Effect::Quit]);
    let u = a.keys.clone();
    let mut b = app();
    b.keys = u;
    b.width = 120;
    b.height = 60;
    send(&mut b, key(KeyCode::F(1)));
    let help = screen(&b);
    assert!(
        help.contains("  Ctrl-Q Ctrl-C ") && help.contains("  q ") && help.contains("  I "),
        "{help}"
    );
}

#[test]
fn only_the_front_overlay_hears_keys_pastes_and_the_mouse() {
    let mut a = loaded(3);
    a.width = 100;
    a.height = 30;
    send(&mut a, ch('p'));
    send(&mut a, ch('?'));
    // j scrolls the help, not the switcher below it.
    send(&mut a, ch('j'));
    assert_eq!(a.switcher(), Some(0));
    assert_eq!(a.popup().map(|p| p.scroll), Some(1));
    // A paste and a wheel notch reach the help, which takes neither.
    assert!(!send(&mut a, Msg::Paste("x".into())).redraw);
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    };
    assert!(!send(&mut a, Msg::Mouse(wheel)).redraw);
    // Drawn bottom-up: the help covers the switcher.
    let shown = screen(&a);
    assert!(shown.contains("Help · Esc closes"), "{shown}");
    // Esc pops one at a time.
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.popup(), None);
    assert_eq!(a.switcher(), Some(0));
    assert!(last_line(&a).contains("Enter switch"));
    send(&mut a, key(KeyCode::Esc));
    assert!(a.overlays.is_empty());
    assert!(!a.covered());
}

#[test]
fn the_password_popup_is_in_front_of_all_and_covers_the_screen() {
    let (mut a, _) = submitted();
    send(&mut a, ch('?'));
    send(
        &mut a,
        Msg::PasswordWanted {
            question: "Password for IAM user u".into(),
        },
    );
    assert!(a.covered());
    assert_eq!(a.overlays.top().map(Overlay::kind), Some(Kind::Password));
    // Ctrl-R and q are not keys here: q is typed into the password.
    send(&mut a, ctrl('r'));
    send(&mut a, ch('q'));
    assert_eq!(
        a.password().map(|p| p.typed.expose().to_string()),
        Some("q".into())
    );
    assert!(last_line(&a).starts_with("Enter sign in"));
    let u = send(
        &mut a,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert_eq!(u.effects, vec![Effect::AnswerPassword(None)]);
    assert_eq!(
        a.popup().map(|p| p.kind),
        Some(PopupKind::Help),
        "what was below is back"
    );
}

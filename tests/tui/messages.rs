//! Reading whole what the screen had to cut: the messages overlay (`M`)
//! keeps the last 100 status messages with their times, a cut status
//! message ends with a marker naming that key, and `d` opens the backup's
//! fields whole with copy keys.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::tui::App;
use ddm_backups::tui::app::PopupKind;
use ddm_backups::tui::messages::KEPT;
use ddm_backups::tui::msg::{Effect, Msg};
use ddm_backups::tui::test_support::*;

fn snap(name: &str, app: &mut App, width: u16, height: u16) {
    let terminal = draw(app, width, height);
    assert_screen!("tui_messages", name, terminal.backend());
}

fn key_at(app: &mut App, c: char, at: Instant) {
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        at,
    );
}

/// The API example loaded, its answer's clock (14:02:31 UTC) at `t0`.
fn example_at(t0: Instant) -> App {
    let mut a = loaded_with(example_detail());
    a.messages.set_anchor(t0, CLOCK);
    a
}

fn texts(a: &App) -> Vec<String> {
    a.messages.newest_first().map(|m| m.text.clone()).collect()
}

#[test]
fn the_outcome_and_each_notice_are_kept_with_their_times() {
    let t0 = Instant::now();
    let mut a = example_at(t0);
    assert_eq!(a.messages.len(), 1, "{:?}", texts(&a));
    assert!(texts(&a)[0].starts_with("✓ 200 OK"), "{:?}", texts(&a));
    key_at(&mut a, 'y', t0 + Duration::from_secs(90));
    // The same notice again is a new message; the outcome shown again
    // once a key clears the notice is not.
    key_at(&mut a, 'y', t0 + Duration::from_secs(95));
    key_at(&mut a, 'j', t0 + Duration::from_secs(96));
    let kept: Vec<_> = a.messages.newest_first().cloned().collect();
    assert_eq!(kept.len(), 3, "{:?}", texts(&a));
    assert!(kept[0].text.contains("Copied"), "{:?}", kept[0]);
    assert_eq!(kept[0].text, kept[1].text);
    assert_eq!(kept[0].at, Some(CLOCK + Duration::from_secs(95)));
    assert_eq!(kept[1].at, Some(CLOCK + Duration::from_secs(90)));
}

#[test]
fn only_the_last_hundred_are_kept() {
    let t0 = Instant::now();
    let mut a = example_at(t0);
    for i in 0..KEPT + 30 {
        a.update(Msg::CopyProblem(format!("problem {i}")), t0);
    }
    assert_eq!(a.messages.len(), KEPT);
    let kept = texts(&a);
    assert_eq!(kept[0], format!("» problem {}", KEPT + 29));
    assert_eq!(kept[KEPT - 1], "» problem 30");
}

#[test]
fn m_opens_and_closes_the_overlay_through_the_stack() {
    let mut a = loaded_with(example_detail());
    press(&mut a, KeyCode::Char('M'));
    assert!(a.overlays.top_popup_is(PopupKind::Messages));
    press(&mut a, KeyCode::Char('M'));
    assert!(a.overlays.is_empty(), "M again closes it");
    press(&mut a, KeyCode::Char('M'));
    press(&mut a, KeyCode::Esc);
    assert!(a.overlays.is_empty(), "Esc closes it");
    // Over another popup it takes that one's place (one popup at a time).
    press(&mut a, KeyCode::Char('?'));
    press(&mut a, KeyCode::Char('M'));
    assert!(a.overlays.top_popup_is(PopupKind::Messages));
    assert_eq!(a.overlays.iter().count(), 1);
    // In a field, M is a letter.
    let mut typing = app();
    press(&mut typing, KeyCode::Char('M'));
    assert!(typing.overlays.is_empty());
    assert_eq!(typing.slot().instance.value(), "M");
}

#[test]
fn d_opens_the_fields_and_y_n_copy_them() {
    let mut a = loaded_with(example_detail());
    press(&mut a, KeyCode::Char('d'));
    assert!(a.overlays.top_popup_is(PopupKind::Backup));
    let u = send(&mut a, ch('n'));
    assert_eq!(
        u.effects,
        vec![Effect::Copy(example_detail().name)],
        "n copies the whole name"
    );
    let u = send(&mut a, ch('y'));
    assert_eq!(u.effects, vec![Effect::Copy(EXAMPLE_BACKUP.into())]);
    let mut empty = app();
    empty.slot_mut().focus = ddm_backups::tui::app::Focus::List;
    press(&mut empty, KeyCode::Char('d'));
    assert!(empty.overlays.is_empty());
    assert!(empty.notice.is_some(), "says there is no backup yet");
}

#[test]
fn the_wrapped_detail_pane_and_the_opened_fields() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut a = loaded_with(example_detail());
        snap(&format!("detail_wrapped_{w}x{h}"), &mut a, w, h);
        press(&mut a, KeyCode::Char('d'));
        snap(&format!("fields_open_{w}x{h}"), &mut a, w, h);
    }
}

#[test]
fn the_messages_overlay_and_a_cut_message_with_its_marker() {
    for (w, h) in [(80, 24), (40, 12)] {
        let t0 = Instant::now();
        let mut a = example_at(t0);
        key_at(&mut a, 'y', t0 + Duration::from_secs(61));
        a.update(
            Msg::CopyProblem(
                "Copied by OSC 52, but tmux's buffer refused it: the tmux server at /tmp/tmux-1000/default did not answer within 2 s".into(),
            ),
            t0 + Duration::from_secs(75),
        );
        snap(&format!("message_cut_{w}x{h}"), &mut a, w, h);
        key_at(&mut a, 'M', t0 + Duration::from_secs(80));
        snap(&format!("messages_overlay_{w}x{h}"), &mut a, w, h);
    }
}

#[test]
fn readiness_and_find_verdicts_are_logged_and_m_shows_the_newest() {
    // The readiness view's verdict, once every call answered (its progress
    // is no message).
    let mut a = readiness_loaded();
    let kept = texts(&a);
    assert!(
        kept[0].starts_with("✓ Readiness checked · "),
        "the verdict is the newest message: {kept:?}"
    );
    assert_eq!(
        kept.iter().filter(|t| t.contains("Readiness")).count(),
        1,
        "logged once: {kept:?}"
    );
    assert!(!kept.iter().any(|t| t.contains("to go")), "{kept:?}");
    // With the log open, the status bar shows the newest message, not the
    // lookup's older outcome.
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('M'));
    let bar = draw(&mut a, 80, 24);
    let screen = screen(bar.backend().buffer());
    let status = screen.lines().nth(22).unwrap_or_default();
    assert!(status.contains("Readiness checked"), "{screen}");

    // A search that ends is one message, naming what was searched; the
    // narrowing after it adds none.
    let mut f = find_loaded();
    let found: Vec<String> = texts(&f)
        .into_iter()
        .filter(|t| t.starts_with("Find · "))
        .collect();
    assert_eq!(found.len(), 1, "{:?}", texts(&f));
    assert!(
        found[0].contains("results in 2 profiles · 1 failed or skipped")
            && found[0].ends_with("\"orders\""),
        "{found:?}"
    );
    let before = f.messages.len();
    find_more(&mut f, "x");
    assert_eq!(f.messages.len(), before, "{:?}", texts(&f));
}

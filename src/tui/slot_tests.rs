//! One slot per profile: work started in a profile finishes into it while
//! another is shown, Esc stops only the shown profile's work, and switching
//! leaves every other slot exactly as it was.

use crossterm::event::KeyCode;

use super::super::app::*;
use super::super::msg::{Effect, Query};
use super::super::profiles::ProfileInfo;
use crate::tui::test_support::*;

fn profile(name: &str, region: &str) -> ProfileInfo {
    profile_info(name, region, "127.0.0.1:8080", "token")
}

/// `a` offered with a second profile, `demo-eu`; `demo` stays shown.
fn with_eu(mut a: App) -> App {
    a.set_profiles(
        vec![
            profile("demo", "cn-north-4"),
            profile("demo-eu", "eu-west-101"),
        ],
        0,
    );
    a
}

/// `p` and a digit, from the list (where `p` works).
fn switch(a: &mut App, digit: char) -> super::super::msg::Update {
    a.slot_mut().focus = Focus::List;
    send(a, ch('p'));
    send(a, ch(digit))
}

/// Types IDs into the shown profile's form and submits them.
fn look_up(a: &mut App, backup: &str) -> Vec<Effect> {
    let slot = a.slot_mut();
    slot.instance = super::super::input::TextField::id("demo-in09");
    slot.backup = super::super::input::TextField::id(backup);
    slot.focus = Focus::Backup;
    send(a, key(KeyCode::Enter)).effects
}

#[test]
fn a_lookup_finishes_into_its_own_profile_while_another_is_shown() {
    // demo starts slow-br09 (generation 1), then demo-eu is shown.
    let (a, _) = submitted();
    let mut a = with_eu(a);
    let u = switch(&mut a, '2');
    assert!(u.effects.is_empty(), "the lookup keeps running: {u:?}");
    assert!(a.slots()[0].busy());
    assert!(!a.busy(), "the shown profile is idle");
    assert!(
        a.notice
            .as_deref()
            .unwrap_or("")
            .ends_with("demo keeps looking up nodes-br09"),
        "{:?}",
        a.notice
    );
    // demo-eu does its own lookup and shows it.
    look_up(&mut a, "e404-br09");
    send(&mut a, fetched_for(1, 2, Err(api_error(404))));
    send(&mut a, key(KeyCode::Down));
    let eu_before = a.slot().clone();

    // demo's answer arrives: it lands in demo's slot, not on screen.
    let u = send(&mut a, fetched_for(0, 1, ok("nodes-br09", 6)));
    assert!(u.redraw, "the status bar says so");
    assert_eq!(
        *a.slot(),
        eu_before,
        "the shown form and pane are untouched"
    );
    assert_eq!(
        a.notice.as_deref(),
        Some("demo: 200 OK nodes-br09"),
        "the status bar names the profile"
    );
    assert!(matches!(u.effects[..], [Effect::Remember(ref e)] if e.profile == "demo"));

    // Back in demo: finished, waiting there.
    switch(&mut a, '1');
    assert!(matches!(
        a.slot().lookup,
        Lookup::Loaded { status: 200, .. }
    ));
    assert_eq!(
        a.slot().shown.as_ref().map(|s| s.id.as_str()),
        Some("nodes-br09")
    );
    assert_eq!(a.slot().nodes.total(), 6);
    assert_eq!(a.slot().backup.value(), "nodes-br09");
}

#[test]
fn a_background_failure_is_named_in_the_status_bar() {
    let (a, _) = submitted();
    let mut a = with_eu(a);
    switch(&mut a, '2');
    send(&mut a, fetched_for(0, 1, Err(api_error(404))));
    let notice = a.notice.clone().unwrap_or_default();
    assert!(notice.starts_with("demo: ✗ 404 Not Found"), "{notice}");
    assert!(notice.ends_with("nodes-br09"), "{notice}");
    assert!(a.slots()[0].last_error.is_some());
    assert!(a.slot().last_error.is_none());
}

#[test]
fn effects_name_the_profile_they_are_for() {
    let mut a = with_eu(app());
    switch(&mut a, '2');
    let effects = look_up(&mut a, "nodes-br09");
    assert_eq!(
        effects,
        vec![Effect::Fetch {
            profile: crate::fleet::ProfileId(1),
            generation: 1,
            query: Query {
                instance: "demo-in09".into(),
                backup: "nodes-br09".into(),
            },
        }]
    );
    send(&mut a, key(KeyCode::Esc));
    let u = send(&mut a, ch('i'));
    assert!(
        matches!(
            u.effects[..],
            [Effect::List {
                profile: crate::fleet::ProfileId(1),
                ..
            }]
        ),
        "{u:?}"
    );
}

#[test]
fn a_late_answer_never_lands_in_another_slot() {
    let (a, _) = submitted();
    let mut a = with_eu(a);
    switch(&mut a, '2');
    look_up(&mut a, "e404-br09");
    let before = a.slots().to_vec();
    // demo's generation named as demo-eu's, demo-eu's as demo's, and a
    // profile that does not exist: none of them matches its slot.
    for msg in [
        fetched_for(1, 1, ok("nodes-br09", 2)),
        fetched_for(0, 2, ok("nodes-br09", 2)),
        fetched_for(7, 2, ok("nodes-br09", 2)),
    ] {
        let u = send(&mut a, msg);
        assert!(!u.redraw && u.effects.is_empty());
    }
    assert_eq!(a.slots(), &before[..]);
}

#[test]
fn esc_cancels_only_the_shown_profiles_lookup() {
    let (a, _) = submitted();
    let mut a = with_eu(a);
    switch(&mut a, '2');
    look_up(&mut a, "slow-br09");
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(u.effects, vec![Effect::Cancel { generation: 2 }]);
    assert!(matches!(a.slot().lookup, Lookup::Cancelled { .. }));
    assert!(a.slots()[0].busy(), "demo's lookup still runs");
    // And it still lands.
    send(&mut a, fetched_for(0, 1, ok("nodes-br09", 3)));
    assert!(matches!(a.slots()[0].lookup, Lookup::Loaded { .. }));
}

#[test]
fn the_switcher_marks_profiles_with_work_in_flight() {
    let (a, _) = submitted();
    let mut a = with_eu(a);
    a.update(
        super::super::msg::Msg::Resize {
            width: 100,
            height: 30,
        },
        std::time::Instant::now(),
    );
    switch(&mut a, '2');
    a.slot_mut().focus = Focus::List;
    send(&mut a, ch('p'));
    let screen = screen_text(&a);
    assert!(
        screen.contains("demo · looking up nodes-br09"),
        "the switcher says demo is busy:\n{screen}"
    );
    assert!(!screen.contains("demo-eu · looking up"), "{screen}");
    // Once it lands, the mark goes.
    send(&mut a, fetched_for(0, 1, ok("nodes-br09", 3)));
    let screen = screen_text(&a);
    assert!(!screen.contains("looking up"), "{screen}");
}

/// Every field of a slot, whatever fields it grows later, stays with its
/// profile: the whole slot is compared, not a list of fields.
#[test]
fn switching_leaves_every_other_slot_untouched() {
    let mut a = with_eu(loaded(5));
    // Make demo's slot as far from fresh as it gets.
    send(&mut a, ch('/'));
    type_str(&mut a, "node0");
    send(&mut a, key(KeyCode::Enter));
    send(&mut a, key(KeyCode::Down));
    a.slot_mut().last_error = Some(super::TimedError {
        error: api_error(500),
        at: jiff::civil::Time::midnight(),
    });
    a.slot_mut().picked = Some(crate::tui::picker::PickRow {
        id: "nodes-br09".into(),
        name: "n".into(),
        status: "normal".into(),
        kind: "auto".into(),
        created: Default::default(),
        size: None,
    });
    let demo = a.slot().clone();

    // Everything demo-eu can do, and back.
    switch(&mut a, '2');
    look_up(&mut a, "e404-br09");
    send(&mut a, fetched_for(1, 2, Err(api_error(404))));
    look_up(&mut a, "nodes-br09");
    send(&mut a, fetched_for(1, 3, ok("nodes-br09", 9)));
    send(&mut a, ch('/'));
    type_str(&mut a, "7");
    send(&mut a, key(KeyCode::Esc));
    send(&mut a, ch('i'));
    send(&mut a, key(KeyCode::Esc));
    look_up(&mut a, "slow-br09");
    let eu = a.slot().clone();
    assert_eq!(a.slots()[0], demo, "demo untouched while demo-eu is shown");

    switch(&mut a, '1');
    assert_eq!(*a.slot(), demo, "demo comes back exactly as it was");
    // demo-eu only had its spinner's clock moved (on the way in).
    assert_eq!(a.slots()[1], eu);
}

#[test]
fn a_profile_shown_first_starts_with_its_last_ids() {
    let mut a = with_eu(app());
    a.history = vec![crate::history::Entry {
        profile: "demo-eu".into(),
        instance_id: "demo-in09".into(),
        instance_name: String::new(),
        backup_id: "nodes-br09".into(),
        backup_name: String::new(),
        at: "2026-11-27T14:02:31Z".into(),
        outcome: crate::history::Outcome::Ok { nodes: 6 },
    }];
    switch(&mut a, '2');
    assert_eq!(a.slot().backup.value(), "nodes-br09");
    // Cleared by the operator, it stays cleared.
    a.slot_mut().backup.clear();
    switch(&mut a, '1');
    switch(&mut a, '2');
    assert_eq!(a.slot().backup.value(), "");
}

#[test]
fn switching_to_a_busy_profile_says_so_until_its_answer_lands() {
    let (a, _) = submitted();
    let mut a = with_eu(a);
    switch(&mut a, '2');
    switch(&mut a, '1');
    assert!(
        a.notice
            .as_deref()
            .unwrap_or("")
            .ends_with("still looking up nodes-br09"),
        "{:?}",
        a.notice
    );
    assert!(a.busy(), "Esc would cancel it: the hint line says so");
    send(&mut a, fetched(1, ok("nodes-br09", 3)));
    assert_eq!(
        a.notice, None,
        "the status bar shows the outcome, not the switch"
    );
}

/// `e` shows the error of the result on screen, with its time: a later
/// success (e429 after e500) leaves nothing for it to show.
#[test]
fn e_shows_the_failure_on_screen_with_its_time_and_nothing_after_a_success() {
    let mut a = with_eu(app());
    look_up(&mut a, "e500-br09");
    send(&mut a, fetched_for(0, 1, Err(api_error(500))));
    a.slot_mut().focus = Focus::List;
    send(&mut a, ch('e'));
    let screen = screen_text(&a);
    assert!(screen.contains("Last error"), "{screen}");
    let time_row = screen
        .lines()
        .find(|l| l.contains("Time"))
        .unwrap_or_default();
    assert!(time_row.contains("14:02:31"), "{screen}");
    send(&mut a, ch('e'));

    look_up(&mut a, "e429-br09");
    send(&mut a, fetched_for(0, 2, ok("e429-br09", 2)));
    assert!(a.slot().last_error.is_none());
    assert_eq!(a.shown_error(), None);
    a.slot_mut().focus = Focus::List;
    send(&mut a, ch('e'));
    assert_eq!(a.notice.as_deref(), Some("No error to show"));
    assert!(!screen_text(&a).contains("Last error"));
}

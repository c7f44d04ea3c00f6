//! Watching: a `creating` backup shown after a pick is watched on the
//! backoff schedule; each outcome ends it with an alert; Esc and leaving
//! the backup stop it silently; stale checks change nothing; a profile
//! switch leaves it running in its own slot.

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;

use super::*;
use crate::api::BackupRow;
use crate::tui::app::Focus;
use crate::tui::msg::Msg;
use crate::tui::picker::{PickRow, Picker};
use crate::tui::test_support::*;

fn row(status: &str) -> PickRow {
    PickRow {
        id: "creating-br09".into(),
        name: "creating".into(),
        status: status.into(),
        kind: "manual".into(),
        created: "2026-11-27T14:00:00+0000".into(),
        size: None,
    }
}

fn list_row(status: Option<&str>) -> BackupRow {
    BackupRow {
        id: Some("creating-br09".into()),
        name: Some("creating".into()),
        status: status.map(Into::into),
        file_size: crate::api::FileSize::from_kb(2048.0),
        ..BackupRow::default()
    }
}

/// The picked row says `creating`; its lookup (generation 1) loaded.
/// Returns the app and what the answer asked for.
fn picked_and_shown(status: &str) -> (App, Vec<Effect>) {
    let mut a = app();
    a.slot_mut().picked = Some(row(status));
    type_str(&mut a, "demo-in09");
    send(&mut a, key(KeyCode::Tab));
    type_str(&mut a, "creating-br09");
    send(&mut a, key(KeyCode::Enter));
    let u = send(&mut a, fetched(1, ok("creating-br09", 2)));
    (a, u.effects)
}

fn watching() -> App {
    picked_and_shown("creating").0
}

fn watch(a: &App) -> &Watch {
    a.watched().expect("a watch is running")
}

/// The running watch's check answered with `result`.
fn check(a: &mut App, result: CheckResult) -> Update {
    let generation = watch(a).generation;
    checked(a, 0, generation, result)
}

fn checked(a: &mut App, profile: usize, generation: u64, result: CheckResult) -> Update {
    send(
        a,
        Msg::Watched {
            profile: crate::fleet::ProfileId(profile),
            generation,
            result,
            clock: CLOCK,
        },
    )
}

/// What a check can bring back.
type CheckResult = Result<Option<BackupRow>, api::Error>;

fn wait_of(effects: &[Effect]) -> Option<u64> {
    effects.iter().find_map(|e| match e {
        Effect::WatchAfter { wait, .. } => Some(wait.as_secs()),
        _ => None,
    })
}

/// The status bar as drawn.
fn status_line(a: &App) -> String {
    let screen = screen_text(a);
    screen
        .lines()
        .nth(usize::from(a.height) - 2)
        .unwrap_or("")
        .trim_end()
        .to_string()
}

/// What the messages log keeps of the status bar, if it is a message.
fn logged(a: &App) -> Option<String> {
    crate::tui::layout::status::message(a)
}

#[test]
fn a_picked_backup_still_creating_is_watched_once_shown() {
    let (a, effects) = picked_and_shown("creating");
    let w = watch(&a);
    assert_eq!(
        effects.last(),
        Some(&Effect::WatchAfter {
            profile: crate::fleet::ProfileId(0),
            generation: w.generation,
            wait: Duration::from_secs(5),
            query: Query {
                instance: "demo-in09".into(),
                backup: "creating-br09".into(),
            },
        })
    );
    assert!(!a.ticking(), "no spinner while waiting for a check");
    assert!(
        status_line(&a).contains("watching creating-br09 · next check"),
        "{}",
        status_line(&a)
    );
    // The log keeps what is watched, not each check's next time.
    assert_eq!(logged(&a).as_deref(), Some("◷ watching creating-br09"));
}

#[test]
fn a_normal_backup_is_not_watched() {
    let (a, effects) = picked_and_shown("normal");
    assert_eq!(a.slot().watch, Watching::Off);
    assert_eq!(wait_of(&effects), None);
}

#[test]
fn checks_follow_the_backoff_until_the_backup_is_normal() {
    let mut a = watching();
    let mut waits = vec![watch(&a).wait.as_secs()];
    for _ in 0..5 {
        let u = check(&mut a, Ok(Some(list_row(Some("creating")))));
        assert!(u.redraw, "the next check's time is drawn once");
        waits.push(wait_of(&u.effects).expect("the next wait"));
    }
    assert_eq!(waits, [5, 10, 20, 40, 60, 60]);
    let u = check(&mut a, Ok(Some(list_row(Some("normal")))));
    assert_eq!(
        u.effects,
        [Effect::Alert(
            "ddm-backups: creating-br09 is normal now".into()
        )]
    );
    assert!(
        matches!(&a.slot().watch, Watching::Ended(e) if e.outcome == Outcome::Normal),
        "{:?}",
        a.slot().watch
    );
    assert_eq!(status_line(&a), "✓ creating-br09 is normal now · 14:02:31");
    let picked = a.slot().picked.as_ref().expect("the picked row");
    assert_eq!(
        picked.status.sent(),
        "normal",
        "the row shows the new status"
    );
    assert_eq!(picked.size, Some(crate::api::Bytes(2048 * 1024)));
}

#[test]
fn the_picker_kept_for_the_instance_learns_the_new_status() {
    let mut a = watching();
    let mut picker = Picker::new(
        PickerKind::Backups {
            instance_id: "demo-in09".into(),
        },
        9,
        Instant::now(),
    );
    picker.add_page(vec![row("creating")], 1, Some(1), 5);
    a.keep_picker(a.active_id(), picker);
    check(&mut a, Ok(Some(list_row(Some("createfail")))));
    let cached = a
        .listings()
        .of(a.active_id())
        .find_map(|(_, listed)| match listed {
            crate::tui::listings::Listed::Picker(p) => Some(p),
            _ => None,
        })
        .expect("kept");
    assert_eq!(cached.rows.all()[0].status.sent(), "createfail");
}

#[test]
fn each_other_ending_says_why_and_rings() {
    let cases: [(CheckResult, &str, &str); 5] = [
        (
            Ok(Some(list_row(Some("createfail")))),
            "✗ creating-br09 failed (createfail)",
            "ddm-backups: creating-br09 failed (createfail)",
        ),
        (
            Ok(Some(list_row(Some("deleting\u{1b}[2J")))),
            "» creating-br09 is deleting\\u{1b}[2J now; stopped watching",
            "ddm-backups: creating-br09 is no longer creating",
        ),
        (
            // Not "is normal now": the status only looks normal.
            Ok(Some(list_row(Some("normal\u{200b}")))),
            "» creating-br09 is normal\\u{200b} now; stopped watching",
            "ddm-backups: creating-br09 is no longer creating",
        ),
        (
            Ok(Some(list_row(None))),
            "» creating-br09 has no status any more; stopped watching",
            "ddm-backups: creating-br09 is no longer creating",
        ),
        (
            Ok(None),
            "» creating-br09 is no longer listed; stopped watching",
            "ddm-backups: creating-br09 is no longer listed",
        ),
    ];
    for (result, said, alert) in cases {
        let mut a = watching();
        let u = check(&mut a, result);
        assert_eq!(u.effects, [Effect::Alert(alert.into())], "{said}");
        let line = logged(&a).unwrap_or_default();
        assert!(line.starts_with(said), "{line}");
        assert!(a.watched().is_none());
    }
}

#[test]
fn failed_checks_go_on_with_the_schedule_and_three_in_a_row_give_up() {
    let mut a = watching();
    let u = check(&mut a, Err(api_error(503)));
    assert_eq!(wait_of(&u.effects), Some(10), "the schedule goes on");
    assert!(
        logged(&a)
            .unwrap_or_default()
            .contains("check failed (1 of 3)"),
        "{:?}",
        logged(&a)
    );
    check(&mut a, Err(api_error(503)));
    // A check that answers starts the count again.
    check(&mut a, Ok(Some(list_row(Some("creating")))));
    assert_eq!(watch(&a).failures, 0);
    assert!(!status_line(&a).contains("failed"), "{}", status_line(&a));
    check(&mut a, Err(api_error(503)));
    check(&mut a, Err(api_error(503)));
    let u = check(&mut a, Err(api_error(503)));
    assert_eq!(
        u.effects,
        [Effect::Alert(
            "ddm-backups: creating-br09 could not be checked".into()
        )]
    );
    assert!(
        logged(&a)
            .unwrap_or_default()
            .starts_with("» stopped watching creating-br09: 3 checks failed in a row"),
        "{:?}",
        logged(&a)
    );
}

#[test]
fn esc_in_the_list_stops_watching_without_a_bell() {
    let mut a = watching();
    let generation = watch(&a).generation;
    assert_eq!(a.slot().focus, Focus::List);
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(u.effects, [Effect::Cancel { generation }]);
    assert_eq!(a.slot().watch, Watching::Off);
    assert_eq!(a.notice.as_deref(), Some("Stopped watching creating-br09"));
    // Its check, had it been on its way, is stale now.
    let u = checked(&mut a, 0, generation, Ok(Some(list_row(Some("normal")))));
    assert_eq!(u, Update::none());
    assert_eq!(
        a.slot().picked.as_ref().map(|r| r.status.sent()),
        Some("creating")
    );
}

#[test]
fn esc_in_a_field_only_leaves_the_field() {
    let mut a = watching();
    a.slot_mut().focus = Focus::Backup;
    let u = send(&mut a, key(KeyCode::Esc));
    assert!(u.effects.is_empty());
    assert!(a.watched().is_some());
}

#[test]
fn a_lookup_of_another_backup_stops_watching_and_the_same_one_does_not() {
    let mut a = watching();
    let generation = watch(&a).generation;
    // `r` looks the same backup up again: the watch goes on.
    let u = send(&mut a, ch('r'));
    assert!(!u.effects.contains(&Effect::Cancel { generation }));
    assert_eq!(watch(&a).generation, generation);
    // Another backup leaves it.
    a.slot_mut().focus = Focus::Backup;
    send(&mut a, ctrl('u'));
    type_str(&mut a, "nodes-br09");
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(u.effects.contains(&Effect::Cancel { generation }), "{u:?}");
    assert_eq!(a.slot().watch, Watching::Off);
}

#[test]
fn a_check_from_a_replaced_watch_is_dropped() {
    let mut a = watching();
    let old = watch(&a).generation;
    check(&mut a, Ok(Some(list_row(Some("creating")))));
    let before = a.clone();
    let u = checked(&mut a, 0, old, Ok(Some(list_row(Some("normal")))));
    assert_eq!(u, Update::none());
    assert_eq!(a, before);
}

#[test]
fn a_switch_leaves_the_watch_running_and_its_end_lands_in_its_profile() {
    let mut a = watching();
    a.set_profiles(
        vec![
            profile_info("demo", "cn-north-4", "127.0.0.1:8080", "token"),
            profile_info("demo-eu", "eu-west-101", "127.0.0.1:8080", "token"),
        ],
        0,
    );
    let generation = watch(&a).generation;
    send(&mut a, ch('p'));
    let u = send(&mut a, ch('2'));
    assert!(!u.effects.contains(&Effect::Cancel { generation }));
    assert_eq!(a.active(), 1);
    assert!(a.watched().is_none(), "the shown profile watches nothing");
    let u = checked(&mut a, 0, generation, Ok(Some(list_row(Some("normal")))));
    assert_eq!(u.effects.len(), 1, "the bell rings: {u:?}");
    assert_eq!(
        a.notice.as_deref(),
        Some("demo: creating-br09 is normal now")
    );
    assert!(matches!(a.slots()[0].watch, Watching::Ended(_)));
    assert_eq!(a.slots()[1].watch, Watching::Off);
}

#[test]
fn a_row_learned_elsewhere_starts_a_watch_once() {
    let mut a = app();
    let now = Instant::now();
    let effects = a.row_learned(a.active_id(), "demo-in09", &list_row(Some("normal")), now);
    assert!(effects.is_empty());
    let effects = a.row_learned(a.active_id(), "demo-in09", &list_row(Some("creating")), now);
    assert_eq!(wait_of(&effects), Some(5));
    let again = a.row_learned(a.active_id(), "demo-in09", &list_row(Some("creating")), now);
    assert!(again.is_empty(), "the same backup keeps its watch");
    // An ID outside the rule is never watched.
    let mut odd = list_row(Some("creating"));
    odd.id = Some("../x".into());
    assert!(
        a.row_learned(a.active_id(), "demo-in09", &odd, now)
            .is_empty()
    );
}

#[test]
fn a_check_may_ask_for_the_password() {
    let mut a = watching();
    send(
        &mut a,
        Msg::PasswordWanted {
            question: "Password for demo".into(),
        },
    );
    assert!(a.password().is_some(), "the check's question is shown");
}

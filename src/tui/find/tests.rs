//! Find as state: streaming in any order, grouping, per-profile errors
//! and skips, cancelling, narrowing and widening, and Enter.

use crossterm::event::KeyCode;

use crate::api::Error;
use crate::auth::AuthError;
use crate::find::{Event, State};
use crate::tui::app::Focus;
use crate::tui::msg::{Effect, Msg, Query};
use crate::tui::test_support::*;

fn ids(a: &crate::tui::App) -> Vec<String> {
    let view = a.find().expect("Find is open");
    view.progress
        .iter()
        .flat_map(|p| p.results())
        .filter_map(|f| f.backup_id.clone())
        .collect()
}

fn headers(a: &crate::tui::App) -> Vec<String> {
    let view = a.find().expect("Find is open");
    view.progress
        .iter()
        .flat_map(|p| p.profiles.iter())
        .map(|p| format!("{}: {}", p.profile, crate::tui::find::header_state(p)))
        .collect()
}

#[test]
fn f_opens_find_and_the_search_starts_at_three_characters() {
    let mut a = find_app();
    let u = send(&mut a, ch('f'));
    assert!(u.effects.is_empty());
    assert!(a.find().is_some_and(|v| v.typing && v.progress.is_none()));
    assert!(
        find_typed_more(&mut a, "or").is_empty(),
        "two characters ask nothing"
    );
    let effects = find_typed_more(&mut a, "d");
    let [
        Effect::Find {
            query,
            profiles,
            reuse,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("one search: {effects:?}");
    };
    assert_eq!(query.text(), "ord");
    let names: Vec<_> = profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["demo", "demo-eu", "demo-ap"], "every profile");
    assert!(reuse.is_empty());
    assert!(a.ticking(), "the spinner ticks while it loads");
}

fn find_typed_more(a: &mut crate::tui::App, s: &str) -> Vec<Effect> {
    let mut last = Vec::new();
    for c in s.chars() {
        last = send(a, ch(c)).effects;
    }
    last
}

#[test]
fn ctrl_f_opens_find_from_a_field_where_f_is_text() {
    let mut a = find_app();
    a.slot_mut().focus = Focus::Instance;
    send(&mut a, ch('f'));
    assert!(a.find().is_none());
    assert_eq!(a.slot().instance.value(), "f");
    send(&mut a, ctrl('f'));
    assert!(a.find().is_some());
}

#[test]
fn results_stream_in_any_order_grouped_by_profile_in_config_order() {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    // demo-eu answers first, page by page; demo after.
    find_started(&mut a, "demo-eu");
    let first = vec![found("demo-eu", "eu-west-101", 0)];
    find_page(&mut a, "demo-eu", 2, 3400, first);
    assert_eq!(headers(&a)[1], "demo-eu: 2 of 3,400");
    assert_eq!(headers(&a)[0], "demo: waiting for a turn");
    find_done(&mut a, "demo", "cn-north-4", 3);
    assert_eq!(
        ids(&a),
        ["demo-000-br09", "demo-001-br09", "demo-eu-000-br09"],
        "grouped by profile, not by arrival"
    );
    assert_eq!(a.find().unwrap().title(), "Find · 3 results in 2 profiles");
    assert!(a.ticking(), "demo-eu and demo-ap still load");
}

#[test]
fn a_profile_that_fails_or_is_skipped_says_so_and_the_others_go_on() {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    find_failed(&mut a, "demo-ap", token_refused());
    let skipped = Error::Auth(AuthError::Credentials(
        "profile \"demo-eu\": no password was given".into(),
    ));
    find_failed(&mut a, "demo-eu", skipped);
    find_done(&mut a, "demo", "cn-north-4", 4);
    let h = headers(&a);
    assert!(h[2].starts_with("demo-ap: 401"), "{h:?}");
    assert!(h[2].contains("token must be updated"), "{h:?}");
    assert_eq!(h[1], "demo-eu: skipped (no password)");
    assert_eq!(h[0], "demo: 3 found in 4");
    assert!(!a.ticking(), "every profile ended: no spinner");
}

#[test]
fn esc_cancels_what_loads_and_late_events_are_dropped() {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    let g = find_generation(&a);
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(u.effects, [Effect::Cancel { generation: g }]);
    assert!(a.find().is_none());
    let before = a.clone();
    find_event(
        &mut a,
        g,
        Event::Started {
            profile: find_id("demo"),
        },
    );
    assert_eq!(a, before, "a late event changes nothing");
    // Esc after everything ended has nothing to cancel.
    let mut a = find_loaded();
    let u = send(&mut a, key(KeyCode::Esc));
    assert!(u.effects.is_empty());
}

#[test]
fn an_event_of_a_superseded_search_is_dropped() {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    let old = find_generation(&a);
    // Widened while loading: a new search.
    send(&mut a, key(KeyCode::Backspace));
    let new = find_generation(&a);
    assert_ne!(old, new);
    let before = a.clone();
    find_event(
        &mut a,
        old,
        Event::Started {
            profile: find_id("demo"),
        },
    );
    assert_eq!(a, before);
}

#[test]
fn typing_more_narrows_without_a_request() {
    let mut a = find_loaded();
    assert_eq!(a.find().unwrap().result_count(), 14);
    find_more(&mut a, "-2025");
    let effects = send(&mut a, ch('1')).effects;
    assert!(effects.is_empty(), "{effects:?}");
    // Names end in 2025(12 - n % 12): 11 and 12 are left, in both profiles.
    assert!(a.find().unwrap().result_count() < 14);
    assert!(ids(&a).iter().all(|id| id.starts_with("demo")));
    // Wider again once all loaded: still no request.
    let effects = send(&mut a, key(KeyCode::Backspace)).effects;
    assert!(effects.is_empty());
}

#[test]
fn widening_while_a_profile_loads_searches_again_for_it_only_with_reuse() {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    find_done(&mut a, "demo", "cn-north-4", 5);
    let g = find_generation(&a);
    find_started(&mut a, "demo-eu");
    // Narrower: no request, even with demo-eu loading.
    assert!(send(&mut a, ch('-')).effects.is_empty());
    // Back: demo-eu's pages since were held to the narrower text.
    let effects = send(&mut a, key(KeyCode::Backspace)).effects;
    let [
        Effect::Cancel { generation },
        Effect::Find {
            query,
            profiles,
            reuse,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("cancel and search again: {effects:?}");
    };
    assert_eq!(*generation, g);
    assert_eq!(query.text(), "orders");
    let names: Vec<_> = profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["demo-eu", "demo-ap"],
        "demo is done and answers at once"
    );
    assert_eq!(reuse.len(), 1, "demo's list, kept in its slot");
    assert_eq!(reuse[0].0, find_id("demo"));
    assert_eq!(reuse[0].1.profile, "demo");
    assert!(matches!(
        a.find().unwrap().progress.as_ref().unwrap().profiles[0].state,
        State::Done { .. }
    ));
}

#[test]
fn below_three_characters_the_search_stops_and_the_lists_stay_for_the_next() {
    let mut a = find_app();
    find_typed(&mut a, "ord");
    find_done(&mut a, "demo", "cn-north-4", 5);
    let g = find_generation(&a);
    let u = send(&mut a, key(KeyCode::Backspace));
    assert_eq!(u.effects, [Effect::Cancel { generation: g }]);
    assert!(a.find().unwrap().progress.is_none());
    let effects = send(&mut a, ch('d')).effects;
    let [Effect::Find { reuse, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(
        reuse.len(),
        1,
        "kept per slot: {:?}",
        a.found_listing(find_id("demo")).is_some()
    );
}

#[test]
fn moving_skips_headers_and_enter_opens_the_backup_in_its_profile() {
    let mut a = find_loaded();
    send(&mut a, key(KeyCode::Tab));
    assert!(!a.find().unwrap().typing);
    // demo has 8 results (every third is billing), then demo-eu.
    send(&mut a, ch('G'));
    let last = a.find().unwrap().selected_result().cloned().unwrap();
    assert_eq!(last.profile, "demo-eu");
    send(&mut a, ch('g'));
    assert_eq!(a.find().unwrap().selected, 0);
    for _ in 0..8 {
        send(&mut a, ch('j'));
    }
    let picked = a.find().unwrap().selected_result().cloned().unwrap();
    assert_eq!(
        picked.profile, "demo-eu",
        "past demo's last row is demo-eu's first"
    );
    let u = send(&mut a, key(KeyCode::Enter));
    assert!(a.find().is_none(), "Find closes");
    assert_eq!(a.profile().name, "demo-eu");
    let backup = picked.backup_id.clone().unwrap();
    assert!(
        u.effects.iter().any(|e| matches!(e, Effect::Fetch { profile: crate::fleet::ProfileId(1), query, .. }
            if *query == Query { instance: picked.instance_id.clone().unwrap(), backup: backup.clone() })),
        "{:?}",
        u.effects
    );
    assert_eq!(a.slot().backup.value(), backup);
}

#[test]
fn enter_while_typing_opens_the_first_result_and_y_copies_its_id() {
    let mut a = find_loaded();
    send(&mut a, key(KeyCode::Tab));
    let u = send(&mut a, ch('y'));
    assert_eq!(u.effects, [Effect::Copy("demo-000-br09".into())]);
    send(&mut a, ch('/'));
    let u = send(&mut a, key(KeyCode::Enter));
    assert_eq!(a.profile().name, "demo");
    assert!(u.effects.iter().any(|e| matches!(
        e,
        Effect::Fetch {
            profile: crate::fleet::ProfileId(0),
            ..
        }
    )));
}

#[test]
fn a_result_keeps_its_place_while_rows_arrive_above_it() {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    find_done(&mut a, "demo-eu", "eu-west-101", 3);
    send(&mut a, key(KeyCode::Down));
    let chosen = a.find().unwrap().selected_result().cloned();
    find_done(&mut a, "demo", "cn-north-4", 6);
    assert_eq!(a.find().unwrap().selected_result().cloned(), chosen);
}

#[test]
fn a_paste_goes_into_the_text_and_starts_the_search() {
    let mut a = find_app();
    send(&mut a, ch('f'));
    let u = send(&mut a, Msg::Paste("eu-orders".into()));
    assert!(matches!(u.effects.as_slice(), [Effect::Find { .. }]));
}

/// Find, then Esc: `demo` and `demo-eu` listed whole.
fn found_then_closed() -> crate::tui::App {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    find_done(&mut a, "demo", "cn-north-4", 9);
    find_done(&mut a, "demo-eu", "eu-west-101", 4);
    send(&mut a, key(KeyCode::Esc));
    assert!(a.find().is_none());
    a
}

/// `b` on `instance` in the shown profile: the effects and the rows shown.
fn backups_of(a: &mut crate::tui::App, instance: &str) -> (Vec<Effect>, Vec<String>) {
    a.slot_mut().instance = crate::tui::input::TextField::id(instance);
    a.slot_mut().focus = Focus::List;
    let effects = send(a, ch('b')).effects;
    let picker = a.picker().expect("the picker is open");
    let ids = picker.rows.all().iter().map(|r| r.id.clone()).collect();
    (effects, ids)
}

#[test]
fn a_backup_picker_after_find_shows_finds_rows_of_its_instance_without_a_request() {
    let mut a = found_then_closed();
    let (effects, ids) = backups_of(&mut a, "demo-orders-in09");
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::List { .. })),
        "{effects:?}"
    );
    // Backups 0..9 of demo but every third (billing), newest first.
    assert_eq!(
        ids,
        [0, 1, 3, 4, 6, 7].map(|n| format!("demo-{n:03}-br09")),
        "demo's rows of that instance"
    );
    let picker = a.picker().unwrap();
    assert_eq!(picker.progress(), "6 backups");
    assert!(picker.loading().is_none());
    // The billing instance's rows are there too, without a request.
    send(&mut a, key(KeyCode::Esc));
    let (effects, ids) = backups_of(&mut a, "demo-billing-in09");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(ids.len(), 3);
}

#[test]
fn a_finds_listing_that_is_cut_or_old_is_not_a_pickers() {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    let g = find_generation(&a);
    let old = std::time::Instant::now()
        .checked_sub(crate::fleet::FRESH_FOR + std::time::Duration::from_secs(1))
        .expect("an old instant");
    let cut = Some(crate::find::Cut::Rows(2000));
    for (name, cut, at) in [
        ("demo", cut, std::time::Instant::now()),
        ("demo-eu", None, old),
    ] {
        let mut loaded = (*find_loaded_rows(name, 5)).clone();
        loaded.cut = cut;
        loaded.at = at;
        find_started(&mut a, name);
        find_event(
            &mut a,
            g,
            Event::Done {
                profile: find_id(name),
                loaded: std::sync::Arc::new(loaded),
                reused: false,
            },
        );
    }
    send(&mut a, key(KeyCode::Esc));
    let (effects, _) = backups_of(&mut a, "demo-orders-in09");
    assert!(
        matches!(effects.as_slice(), [Effect::List { .. }]),
        "cut at the row cap: it may lack some: {effects:?}"
    );
    send(&mut a, key(KeyCode::Esc));
    a.switch_to(crate::fleet::ProfileId(1), std::time::Instant::now());
    let (effects, _) = backups_of(&mut a, "demo-eu-orders-in09");
    assert!(
        matches!(effects.as_slice(), [Effect::List { .. }]),
        "too old: {effects:?}"
    );
}

/// `count` rows of `name`, indexed as a finished listing holds them.
fn find_loaded_rows(name: &str, count: usize) -> std::sync::Arc<crate::find::Loaded> {
    crate::tui::test_support::find_rows_loaded(name, "r", count)
}

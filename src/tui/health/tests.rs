//! The Health view as state: streaming worst first, per-profile errors,
//! cancelling (late news of an old check changes nothing), the refresh
//! (a worse state rings, the same or a better one does not), and what
//! Enter, R, /, p and v do.

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;

use crate::api::BackupRow;
use crate::fleet::{Event, ProfileId};
use crate::health::{InstanceReport, Progress, State};
use crate::tui::App;
use crate::tui::msg::{Effect, Msg};
use crate::tui::overlay::Kind;
use crate::tui::picker::PickerKind;
use crate::tui::test_support::*;

use super::{MIN_REFRESH, News, ProfileState};

fn names(a: &App) -> Vec<String> {
    let view = a.health().expect("Health is open");
    view.shown(a.fleet())
        .map(|r| r.report.instance_name.clone())
        .collect()
}

fn states(a: &App) -> Vec<State> {
    a.fleet().rows.iter().map(|r| r.state()).collect()
}

fn selected(a: &App) -> Option<String> {
    let view = a.health()?;
    view.selected_row(a.fleet())
        .map(|r| r.report.instance_name.clone())
}

fn judge_one(a: &mut App, g: u64, r: &InstanceReport) {
    health_event(
        a,
        g,
        Event::Progress {
            profile: r.profile_id,
            progress: Progress::Judged(Box::new(r.clone())),
        },
    );
}

fn alerts(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Alert(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn h_opens_the_view_and_checks_every_profile_at_once() {
    let mut a = find_app();
    let u = send(&mut a, ch('H'));
    let [
        Effect::HealthCheck {
            wait,
            sources,
            generation,
            ..
        },
    ] = u.effects.as_slice()
    else {
        panic!("one check: {:?}", u.effects);
    };
    assert_eq!(*wait, None, "asked for: no wait");
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["demo", "demo-eu", "demo-ap"]);
    assert_eq!(a.fleet().generation, Some(*generation));
    assert!(a.health().is_some());
    assert!(a.ticking(), "its spinner ticks while the check runs");
    // From a field `H` is text.
    let mut b = find_app();
    send(&mut b, key(KeyCode::Tab));
    assert!(send(&mut b, ch('H')).effects.is_empty());
    assert!(b.health().is_none());
}

#[test]
fn rows_land_as_they_are_judged_worst_first_and_the_selection_stays() {
    let (mut a, g) = health_opened();
    health_began(&mut a, g);
    let demo = demo_reports();
    health_judging(&mut a, g, ProfileId(0), &demo, 0);
    assert!(names(&a).is_empty());
    assert_eq!(
        a.fleet().profiles[0].state,
        ProfileState::Judging { judged: 0, of: 5 }
    );
    // ddm-orders (ok) first; then ddm-archive (warning) lands above it,
    // and the untouched selection stays on the first row, the worst.
    judge_one(&mut a, g, &demo[0]);
    assert_eq!(names(&a), ["ddm-orders"]);
    judge_one(&mut a, g, &demo[3]);
    assert_eq!(names(&a), ["ddm-archive", "ddm-orders"]);
    assert_eq!(selected(&a).as_deref(), Some("ddm-archive"));
    // Moved onto ddm-orders, the selection follows it down.
    send(&mut a, ch('j'));
    assert_eq!(selected(&a).as_deref(), Some("ddm-orders"));
    for r in &demo[1..3] {
        judge_one(&mut a, g, r);
    }
    judge_one(&mut a, g, &demo[4]);
    assert_eq!(
        selected(&a).as_deref(),
        Some("ddm-orders"),
        "it follows its row"
    );
    // Critical first (by name), then warning, then ok.
    assert_eq!(
        names(&a),
        [
            "ddm-billing",
            "ddm-empty",
            "ddm-ledger",
            "ddm-archive",
            "ddm-orders"
        ]
    );
    let s = states(&a);
    assert!(s.windows(2).all(|w| w[0] >= w[1]), "{s:?}");
    assert_eq!(
        a.fleet().profiles[0].state,
        ProfileState::Judging { judged: 5, of: 5 }
    );
    // The second profile's rows go in among them, worst first still.
    health_profile_done(&mut a, g, ProfileId(1), &eu_reports());
    let s = states(&a);
    assert!(s.windows(2).all(|w| w[0] >= w[1]), "{s:?}");
    assert_eq!(a.fleet().rows.len(), 8);
    assert_eq!(names(&a)[3], "ddm-eu-flaky", "unknown after critical");
}

#[test]
fn a_profiles_error_is_its_own_and_the_others_go_on() {
    let a = health_loaded();
    let failed = &a.fleet().profiles[2];
    let ProfileState::Failed(error) = &failed.state else {
        panic!("demo-ap failed: {:?}", failed.state);
    };
    assert!(error.short_line().contains("APIGW.0301"), "{error:?}");
    assert_eq!(a.fleet().rows.len(), 8, "demo's and demo-eu's rows");
    let title = crate::tui::layout::health::title(&a);
    assert_eq!(
        title,
        "Health · 3 critical · 1 unknown · 2 warning · 2 ok · 1 profile failed"
    );
    assert!(!a.ticking(), "nothing loads: no ticks");
}

#[test]
fn r_cancels_the_check_in_flight_and_its_late_news_changes_nothing() {
    let mut a = health_loading();
    let old = a.fleet().generation.expect("in flight");
    let before = a.fleet().clone();
    let u = send(&mut a, ch('r'));
    assert_eq!(u.effects[0], Effect::Cancel { generation: old });
    let new = check_generation(&u.effects).expect("a new check");
    assert!(new > old);
    // Everything the old check still sends is dropped.
    let late = [
        News::Event(Event::Progress {
            profile: ProfileId(0),
            progress: Progress::Judged(Box::new(demo_reports()[4].clone())),
        }),
        News::Event(Event::Failed {
            profile: ProfileId(1),
            error: token_refused(),
        }),
        News::Ended { at: HEALTH_NOW },
    ];
    for news in late {
        let u = health_news(&mut a, old, news);
        assert!(!u.redraw && u.effects.is_empty());
    }
    assert_eq!(a.fleet().rows, before.rows);
    assert_eq!(a.fleet().generation, Some(new));
    // The new check's rows replace the old ones as its profiles end.
    health_began(&mut a, new);
    assert_eq!(a.fleet().rows.len(), 2, "the old rows stay meanwhile");
    health_profile_done(&mut a, new, ProfileId(0), &demo_reports());
    assert_eq!(a.fleet().rows.len(), 5);
    assert!(a.fleet().rows.iter().all(|r| r.check == a.fleet().checks));
}

/// Runs a whole check `g` of demo's rows `reports`; what its end asked.
fn check_with(a: &mut App, g: u64, reports: &[InstanceReport]) -> Vec<Effect> {
    health_began(a, g);
    health_profile_done(a, g, ProfileId(0), reports);
    for p in [1, 2] {
        health_profile_done(a, g, ProfileId(p), &[]);
    }
    health_ended(a, g).effects
}

#[test]
fn a_refresh_rings_when_a_state_turns_worse_and_not_when_it_stays_or_improves() {
    let mut a = find_app();
    a.health_refresh = Some(Duration::from_secs(15 * 60));
    let g = check_generation(&send(&mut a, ch('H')).effects).unwrap();
    let healthy = vec![demo_reports()[0].clone()];
    let effects = check_with(&mut a, g, &healthy);
    assert!(
        alerts(&effects).is_empty(),
        "the first check compares to nothing"
    );
    // One wait per refresh: the next check is one effect, asked once.
    let [
        Effect::HealthCheck {
            wait: Some(wait),
            generation: next,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("the next check waits: {effects:?}");
    };
    assert_eq!(*wait, Duration::from_secs(15 * 60));
    assert_eq!(
        a.fleet().due,
        Some(HEALTH_NOW + jiff::SignedDuration::from_secs(2 + 15 * 60))
    );
    // Closed, the app has nothing to tick for while it waits.
    send(&mut a, key(KeyCode::Esc));
    assert!(a.health().is_none());
    assert!(!a.ticking());
    // The same instance, now critical: the bell, tmux and the status bar.
    let mut worse = demo_reports()[1].clone();
    worse.instance_id = "orders-in09".into();
    worse.instance_name = "ddm-orders".into();
    let effects = check_with(&mut a, *next, &[worse.clone()]);
    assert_eq!(
        alerts(&effects),
        ["ddm-backups: orders-in09 turned CRITICAL"]
    );
    assert_eq!(
        a.notice.as_deref(),
        Some("Health: ddm-orders (demo) turned CRITICAL (was OK)")
    );
    // Critical again: nothing rings.
    let next = check_generation(&effects).unwrap();
    let effects = check_with(&mut a, next, &[worse]);
    assert!(alerts(&effects).is_empty(), "{effects:?}");
    // Better: nothing rings either.
    let next = check_generation(&effects).unwrap();
    let effects = check_with(&mut a, next, &healthy);
    assert!(alerts(&effects).is_empty(), "{effects:?}");
    assert!(check_generation(&effects).is_some(), "and it goes on");
}

#[test]
fn a_check_with_the_view_closed_may_still_ask_for_a_password() {
    let (mut a, g) = health_opened();
    send(&mut a, key(KeyCode::Esc));
    health_began(&mut a, g);
    assert!(!a.ticking(), "closed: nothing ticks");
    send(
        &mut a,
        Msg::PasswordWanted {
            question: "Password for IAM user ops (profile demo-ap)".into(),
        },
    );
    assert!(
        a.password().is_some(),
        "the check waits on the answer: it must be asked"
    );
}

#[test]
fn a_check_cancelled_before_its_end_leaves_the_bell_to_the_next() {
    let (mut a, g) = health_opened();
    assert!(alerts(&check_with(&mut a, g, &[demo_reports()[0].clone()])).is_empty());
    let mut worse = demo_reports()[1].clone();
    worse.instance_id = "orders-in09".into();
    worse.instance_name = "ddm-orders".into();
    // Its profile is done, but r stops the check before it ends.
    let g = check_generation(&send(&mut a, ch('r')).effects).unwrap();
    health_began(&mut a, g);
    health_profile_done(&mut a, g, ProfileId(0), std::slice::from_ref(&worse));
    let g = check_generation(&send(&mut a, ch('r')).effects).unwrap();
    let effects = check_with(&mut a, g, &[worse]);
    assert_eq!(
        alerts(&effects),
        ["ddm-backups: orders-in09 turned CRITICAL"],
        "the finished check compares to the last finished one"
    );
}

#[test]
fn a_refresh_shorter_than_a_minute_waits_a_minute() {
    let mut a = find_app();
    a.health_refresh = Some(Duration::from_secs(1));
    let g = check_generation(&send(&mut a, ch('H')).effects).unwrap();
    let effects = check_with(&mut a, g, &[]);
    assert!(
        matches!(effects.as_slice(), [Effect::HealthCheck { wait: Some(w), .. }] if *w == MIN_REFRESH)
    );
}

#[test]
fn without_a_refresh_the_check_ends_and_h_shows_it_again_while_fresh() {
    let mut a = health_loaded();
    assert_eq!(a.fleet().generation, None);
    send(&mut a, key(KeyCode::Esc));
    assert!(a.overlays.is_empty());
    let u = send(&mut a, ch('H'));
    assert!(u.effects.is_empty(), "fresh rows: no new check");
    assert_eq!(a.fleet().rows.len(), 8);
    // After FRESH_FOR, H checks again.
    let later = Instant::now() + crate::fleet::FRESH_FOR + Duration::from_secs(1);
    send(&mut a, key(KeyCode::Esc));
    let u = a.update(ch('H'), later);
    assert!(check_generation(&u.effects).is_some());
}

#[test]
fn enter_shows_the_rows_profile_with_its_instances_backups() {
    let mut a = health_loaded();
    // The unknown row is demo-eu's.
    for _ in 0..3 {
        send(&mut a, ch('j'));
    }
    assert_eq!(selected(&a).as_deref(), Some("ddm-eu-flaky"));
    let u = send(&mut a, key(KeyCode::Enter));
    assert_eq!(a.active(), 1, "demo-eu is shown");
    assert!(a.health().is_none(), "the view closed");
    assert_eq!(a.slot().instance.value(), "eu-flaky-in09");
    let picker = a.picker().expect("the backup picker");
    assert_eq!(
        picker.kind,
        PickerKind::Backups {
            instance_id: "eu-flaky-in09".into()
        }
    );
    assert!(u.effects.iter().any(|e| matches!(
        e,
        Effect::List { profile, .. } if *profile == ProfileId(1)
    )));
    // The check's rows stay for the next H.
    assert_eq!(a.fleet().rows.len(), 8);
}

fn normal_row(id: &str, instance: &str) -> BackupRow {
    BackupRow {
        id: Some(id.into()),
        name: Some(format!("Backup-{id}")),
        status: Some("normal".into()),
        instance_id: Some(instance.into()),
        created: Some("2025-06-28T02:00:00+0000".into()),
        ..BackupRow::default()
    }
}

#[test]
fn r_opens_readiness_on_the_newest_normal_backup_in_the_rows_profile() {
    let mut a = health_loaded();
    // The ok row of demo-eu is the last but one... find it by name.
    let at = names(&a).iter().position(|n| n == "ddm-eu-orders").unwrap();
    for _ in 0..at {
        send(&mut a, ch('j'));
    }
    let u = send(&mut a, ch('R'));
    let [
        Effect::NewestBackup {
            profile,
            generation,
            instance,
        },
    ] = u.effects.as_slice()
    else {
        panic!("one listing: {:?}", u.effects);
    };
    assert_eq!(
        (*profile, instance.as_str()),
        (ProfileId(1), "eu-orders-in09")
    );
    let g = *generation;
    // A late answer (another generation) opens nothing.
    send(
        &mut a,
        Msg::NewestBackup {
            profile: ProfileId(1),
            generation: g - 1,
            result: Ok(Some(normal_row("old-br09", "eu-orders-in09"))),
        },
    );
    assert!(a.readiness().is_none());
    let u = send(
        &mut a,
        Msg::NewestBackup {
            profile: ProfileId(1),
            generation: g,
            result: Ok(Some(normal_row("eu-new-br09", "eu-orders-in09"))),
        },
    );
    assert_eq!(a.active(), 1);
    let view = a.readiness().expect("readiness open");
    assert_eq!(view.report.backup_id, "eu-new-br09");
    assert_eq!(view.report.instance_id, "eu-orders-in09");
    assert!(!u.effects.is_empty(), "its calls start");
    // Over the Health view: Esc comes back to it.
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(a.overlays.top().map(|o| o.kind()), Some(Kind::Health));
    // An instance with no normal backup says so and asks nothing.
    send(&mut a, ch('g'));
    let at = names(&a).iter().position(|n| n == "ddm-empty").unwrap();
    for _ in 0..at {
        send(&mut a, ch('j'));
    }
    assert!(send(&mut a, ch('R')).effects.is_empty());
    assert!(
        a.notice
            .as_deref()
            .unwrap_or("")
            .contains("no normal backup")
    );
}

#[test]
fn slash_filters_by_name_or_id_and_p_cycles_the_profiles() {
    let mut a = health_loaded();
    send(&mut a, ch('/'));
    type_str(&mut a, "EU-");
    assert_eq!(names(&a), ["ddm-eu-flaky", "ddm-eu-lag", "ddm-eu-orders"]);
    // IDs match too.
    send(&mut a, key(KeyCode::Esc));
    assert_eq!(names(&a).len(), 8, "Esc clears the filter");
    send(&mut a, ch('/'));
    type_str(&mut a, "ledger-in");
    assert_eq!(names(&a), ["ddm-ledger"]);
    send(&mut a, key(KeyCode::Esc));
    send(&mut a, ch('p'));
    assert!(names(&a).iter().all(|n| !n.starts_with("ddm-eu")));
    assert_eq!(names(&a).len(), 5);
    send(&mut a, ch('p'));
    assert_eq!(names(&a).len(), 3);
    send(&mut a, ch('p'));
    assert!(names(&a).is_empty(), "demo-ap failed: no rows");
    send(&mut a, ch('p'));
    assert_eq!(names(&a).len(), 8, "then every profile again");
}

#[test]
fn v_shows_the_chart_and_esc_goes_back_to_the_rows_then_closes() {
    let mut a = health_loaded();
    send(&mut a, ch('v'));
    assert!(a.health().is_some_and(|v| v.chart));
    // j moves to the next instance's chart.
    send(&mut a, ch('j'));
    assert_eq!(a.health().map(|v| v.selected), Some(1));
    send(&mut a, key(KeyCode::Esc));
    assert!(a.health().is_some_and(|v| !v.chart));
    send(&mut a, key(KeyCode::Esc));
    assert!(a.health().is_none());
}

#[test]
fn each_profile_is_judged_by_its_own_thresholds_from_the_config() {
    let mut profile = crate::demo::profile_at("http://127.0.0.1:1", "t", Duration::from_secs(1));
    profile.thresholds.warn_age = jiff::SignedDuration::from_hours(3);
    profile.thresholds.ignore = vec!["quiet-in09".into()];
    let limits = super::thresholds_for(&profile);
    assert_eq!(limits.warn_age, jiff::SignedDuration::from_hours(3));
    assert_eq!(limits.ignore, ["quiet-in09"]);
}

/// A page is never more than the rows the view shows: PgDn from the top
/// lands at most on the row just under the screen, never past a row the
/// operator did not see (the profile lines above and the footer under
/// the rows take their share), at each size the view is drawn at.
#[test]
fn a_page_moves_no_further_than_the_rows_on_screen() {
    for (width, height) in [(120, 40), (80, 24), (100, 30), (200, 60), (40, 12)] {
        let mut a = health_fleet(8, 100, width, height);
        send(&mut a, key(KeyCode::Home));
        let before = screen_text(&a);
        let glyphs = ["✗ ", "? ", "! ", "✓ "];
        let shown = before
            .lines()
            .filter(|l| {
                let inside = l.trim_start_matches('│').trim_start();
                let inside = inside.trim_start_matches('▶').trim_start();
                glyphs.iter().any(|g| inside.starts_with(g))
            })
            .count();
        send(&mut a, key(KeyCode::PageDown));
        let at = a.health().expect("open").selected;
        assert!(at > 0, "{width}x{height}: PgDn moved nowhere");
        assert!(
            at <= shown,
            "{width}x{height}: PgDn went to row {at}, but rows 0..{shown} were on screen:\n{before}"
        );
    }
}

/// A newest normal backup sent without its ID opens nothing, and says so
/// instead of leaving "Finding…" on the status line.
#[test]
fn a_newest_backup_without_its_id_says_why_readiness_did_not_open() {
    let mut a = health_loaded();
    let at = names(&a).iter().position(|n| n == "ddm-eu-orders").unwrap();
    for _ in 0..at {
        send(&mut a, ch('j'));
    }
    let u = send(&mut a, ch('R'));
    let Some(Effect::NewestBackup { generation, .. }) = u.effects.first() else {
        panic!("one listing: {:?}", u.effects);
    };
    let mut row = normal_row("x-br09", "eu-orders-in09");
    row.id = None;
    send(
        &mut a,
        Msg::NewestBackup {
            profile: ProfileId(1),
            generation: *generation,
            result: Ok(Some(row)),
        },
    );
    assert!(a.readiness().is_none());
    let said = a.notice.clone().unwrap_or_default();
    assert!(said.contains("came without its ID"), "{said}");
}

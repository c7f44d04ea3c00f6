use std::time::{Duration, Instant};

use crossterm::event::KeyCode;

use super::*;
use crate::readiness::{Call, NO_WINDOW_TO_ASK, WINDOWS_FAILED};
use crate::tui::app::PopupKind;
use crate::tui::msg::Msg;
use crate::tui::picker::PickRow;
use crate::tui::test_support::*;

/// The asks among `effects`, by section.
fn asks(effects: &[Effect]) -> Vec<Call> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Readiness { ask, .. } => Some(ask.call()),
            _ => None,
        })
        .collect()
}

fn cancels(effects: &[Effect]) -> Vec<u64> {
    let mut out: Vec<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Cancel { generation } => Some(*generation),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out
}

fn view(a: &App) -> &ReadinessView {
    a.readiness().expect("the view is open")
}

#[test]
fn r_on_the_shown_backup_reuses_its_detail_and_asks_the_rest_each_on_its_own() {
    let mut a = loaded_with(demo_nodes_detail());
    let u = send(&mut a, ch('R'));
    assert_eq!(
        asks(&u.effects),
        [Call::ListBackups, Call::Windows, Call::Targets]
    );
    let v = view(&a);
    assert!(matches!(v.report.detail, Part::Ready(_)), "no refetch");
    assert_eq!(
        (v.report.instance_id.as_str(), v.report.backup_id.as_str()),
        ("demo-in09", "nodes-br09")
    );
    // One generation per call, so each is its own task.
    let mut gens: Vec<u64> = v.in_flight.iter().flatten().copied().collect();
    gens.dedup();
    assert_eq!(gens.len(), 3);
    // related-dn waits for the windows.
    assert!(v.report.now.is_loading() && in_flight(&a, Call::RelatedDn).is_none());
    assert!(a.ticking());
}

#[test]
fn the_windows_start_related_dn_at_the_newest_end() {
    let mut a = readiness_opened();
    let generation = in_flight(&a, Call::Windows).expect("asked");
    let u = send(
        &mut a,
        Msg::Readiness {
            profile: crate::fleet::ProfileId(0),
            generation,
            answer: Answer::Windows(Ok(demo_windows())),
        },
    );
    let at = u.effects.iter().find_map(|e| match e {
        Effect::Readiness {
            ask: Ask::Now { instance, at },
            ..
        } => Some((instance.clone(), *at)),
        _ => None,
    });
    assert_eq!(
        at,
        Some((
            "demo-in09".into(),
            crate::api::parse_api_time("2025-06-29T08:30:00Z").unwrap()
        ))
    );
    assert!(in_flight(&a, Call::RelatedDn).is_some());
}

#[test]
fn without_a_window_related_dn_is_skipped_and_says_why() {
    let mut a = readiness_opened();
    answer_readiness(&mut a, Answer::Windows(Ok(Default::default())));
    assert_eq!(view(&a).report.now, Part::Skipped(NO_WINDOW_TO_ASK));
    let mut a = readiness_opened();
    answer_readiness(&mut a, Answer::Windows(Err(api_error(500))));
    assert_eq!(view(&a).report.now, Part::Skipped(WINDOWS_FAILED));
    assert!(screen_text(&a).contains("not asked: the restore windows did not load"));
}

#[test]
fn each_section_loads_and_fails_on_its_own() {
    let mut a = readiness_opened();
    let text = screen_text(&a);
    assert!(text.contains("finding its list row"), "{text}");
    assert!(text.contains("waiting for the restore windows"), "{text}");
    answer_readiness(&mut a, Answer::Row(Ok(Some(demo_row()))));
    answer_readiness(&mut a, Answer::Windows(Ok(demo_windows())));
    answer_readiness(&mut a, Answer::Now(Err(api_error(500))));
    // Targets still loading while related-dn has failed.
    let text = screen_text(&a);
    assert!(text.contains("✗ related-dn: 500"), "{text}");
    assert!(text.contains("req-err"), "the request id shows: {text}");
    assert!(
        text.contains("not compared"),
        "the backup's nodes still show: {text}"
    );
    assert!(view(&a).report.targets.is_loading());
    answer_readiness(&mut a, Answer::Targets(Ok(demo_targets())));
    let v = view(&a);
    assert!(!v.loading() && !a.ticking());
    assert_eq!(v.report.failures().len(), 1);
    assert!(screen_text(&a).contains("related-dn failed"));
}

#[test]
fn late_answers_after_r_esc_or_for_another_profile_change_nothing() {
    let mut a = readiness_opened();
    let old = in_flight(&a, Call::Targets).expect("asked");
    let late = |generation| Msg::Readiness {
        profile: crate::fleet::ProfileId(0),
        generation,
        answer: Answer::Targets(Ok(demo_targets())),
    };
    let u = send(&mut a, ch('r'));
    assert_eq!(cancels(&u.effects).len(), 3, "every call in flight");
    assert_ne!(in_flight(&a, Call::Targets), Some(old));
    let before = a.clone();
    let u = send(&mut a, late(old));
    assert!(!u.redraw && a == before, "superseded by r");
    let now = in_flight(&a, Call::Targets).expect("asked again");
    let other = Msg::Readiness {
        profile: crate::fleet::ProfileId(1),
        generation: now,
        answer: Answer::Targets(Ok(demo_targets())),
    };
    let u = send(&mut a, other);
    assert!(!u.redraw && a == before, "another profile's");
    send(&mut a, key(KeyCode::Esc));
    let closed = a.clone();
    let u = send(&mut a, late(now));
    assert!(!u.redraw && a == closed, "after Esc");
}

#[test]
fn esc_closes_and_cancels_the_calls_in_flight() {
    let mut a = readiness_opened();
    let mut gens: Vec<u64> = view(&a).in_flight.iter().flatten().copied().collect();
    gens.sort_unstable();
    let u = send(&mut a, key(KeyCode::Esc));
    assert_eq!(cancels(&u.effects), gens);
    assert!(a.readiness().is_none() && !a.ticking());
    // Loaded, Esc has nothing to cancel.
    let mut a = readiness_loaded();
    let u = send(&mut a, ch('q'));
    assert!(cancels(&u.effects).is_empty() && a.readiness().is_none());
}

#[test]
fn r_reloads_every_section_from_the_server() {
    let mut a = readiness_loaded();
    let u = send(&mut a, ch('r'));
    assert_eq!(
        asks(&u.effects),
        [
            Call::ShowBackup,
            Call::ListBackups,
            Call::Windows,
            Call::Targets
        ]
    );
    let v = view(&a);
    assert!(v.report.detail.is_loading() && v.report.targets.is_loading());
    assert!(screen_text(&a).contains("loading the backup (ShowBackup)"));
}

/// `b` in the list, answered with the demo's row.
fn picker_with_row(a: &mut App) {
    send(a, ch('b'));
    let generation = a.generation;
    send(
        a,
        Msg::ListPage {
            profile: crate::fleet::ProfileId(0),
            generation,
            rows: vec![PickRow::from(&demo_row())],
            scanned: 1,
            total: Some(1),
        },
    );
    send(
        a,
        Msg::ListDone {
            profile: crate::fleet::ProfileId(0),
            generation,
            result: Ok(false),
        },
    );
}

#[test]
fn r_in_the_backup_picker_uses_the_selected_row_and_esc_goes_back_to_it() {
    let mut a = loaded_with(demo_nodes_detail());
    picker_with_row(&mut a);
    let u = send(&mut a, ch('R'));
    // Shown already and listed a moment ago: only the restore calls.
    assert_eq!(asks(&u.effects), [Call::Windows, Call::Targets]);
    let row = view(&a).report.row.ready().cloned().flatten();
    assert_eq!(row.and_then(|r| r.status), Some("normal".into()));
    send(&mut a, key(KeyCode::Esc));
    assert!(a.readiness().is_none() && a.picker().is_some());
}

#[test]
fn r_in_the_list_reuses_a_row_listed_in_the_last_five_minutes_only() {
    let mut a = loaded_with(demo_nodes_detail());
    picker_with_row(&mut a);
    send(&mut a, key(KeyCode::Esc));
    let u = send(&mut a, ch('R'));
    assert_eq!(asks(&u.effects), [Call::Windows, Call::Targets]);
    send(&mut a, key(KeyCode::Esc));
    let later = Instant::now() + Duration::from_secs(6 * 60);
    let u = a.update(ch('R'), later);
    assert_eq!(
        asks(&u.effects),
        [Call::ListBackups, Call::Windows, Call::Targets]
    );
}

#[test]
fn r_in_the_backup_or_a_node_popup_opens_the_view_in_its_place() {
    for popup in ['d', '\n'] {
        let mut a = loaded_with(demo_nodes_detail());
        let opened = if popup == 'd' {
            ch('d')
        } else {
            key(KeyCode::Enter)
        };
        send(&mut a, opened);
        assert!(a.overlays.top_popup_is(if popup == 'd' {
            PopupKind::Backup
        } else {
            PopupKind::Node
        }));
        let u = send(&mut a, ch('R'));
        assert_eq!(asks(&u.effects).len(), 3, "{popup:?}");
        assert_eq!(view(&a).report.backup_id, "nodes-br09");
        // Esc goes back to the list, not to the popup the view replaced.
        send(&mut a, key(KeyCode::Esc));
        assert!(a.overlays.top().is_none(), "{popup:?}");
    }
    // The help popup is not about a backup: R does nothing there.
    let mut a = loaded_with(demo_nodes_detail());
    send(&mut a, ch('?'));
    let u = send(&mut a, ch('R'));
    assert!(u.effects.is_empty() && a.readiness().is_none());
}

#[test]
fn r_with_no_backup_shown_says_so() {
    let mut a = app();
    send(&mut a, key(KeyCode::Esc));
    let u = send(&mut a, ch('R'));
    assert!(u.effects.is_empty() && a.readiness().is_none());
    assert!(
        a.notice
            .as_deref()
            .unwrap_or("")
            .contains("No backup shown")
    );
}

#[test]
fn moving_tab_and_y_copy_the_selected_id_of_either_table() {
    let mut a = readiness_loaded();
    let copied = |u: Update| {
        u.effects.into_iter().find_map(|e| match e {
            Effect::Copy(text) => Some(text),
            _ => None,
        })
    };
    assert_eq!(
        copied(send(&mut a, ch('y'))).as_deref(),
        Some("3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01")
    );
    send(&mut a, ch('G'));
    assert_eq!(
        copied(send(&mut a, ch('y'))).as_deref(),
        Some("8e7d6c5b4a3f4e2d9c1b0a9f8e7d6c5bin01"),
        "the added node"
    );
    send(&mut a, key(KeyCode::Tab));
    send(&mut a, ch('j'));
    assert_eq!(view(&a).focus, Table::Targets);
    assert_eq!(
        copied(send(&mut a, ch('y'))).as_deref(),
        Some("b5c7d9e1f3a54b6c8d0e2f4a6b8c0d2ein09"),
        "the unavailable target"
    );
    let text = screen_text(&a);
    assert!(
        text.contains("Selected target: ddm-legacy-reports"),
        "{text}"
    );
    send(&mut a, key(KeyCode::BackTab));
    assert_eq!(view(&a).focus, Table::Nodes);
}

#[test]
fn moving_scrolls_the_selected_row_into_sight() {
    let mut a = readiness_loaded();
    send(&mut a, key(KeyCode::Tab));
    send(&mut a, ch('G'));
    let text = screen_text(&a);
    assert!(text.contains("▶ ddm-orders-staging"), "{text}");
    send(&mut a, key(KeyCode::PageUp));
    assert_eq!(view(&a).scroll, 0);
}

#[test]
fn an_unavailable_target_is_scrolled_into_sight_with_its_reason() {
    let mut a = readiness_loaded();
    (a.width, a.height) = (80, 24);
    send(&mut a, key(KeyCode::Tab));
    // Down to the first unavailable target, row by row as an operator would.
    let text = loop {
        send(&mut a, ch('j'));
        let text = screen_text(&a);
        if text.contains("▶ ddm-legacy-reports") {
            break text;
        }
        assert!(view(&a).scroll < 100, "never selected:\n{text}");
    };
    // The reason line under the row, not only the footer's copy of it.
    assert!(
        text.lines()
            .any(|l| l.trim_start_matches('│').starts_with("    not available:")),
        "{text}"
    );
}

#[test]
fn the_hint_line_names_only_keys_that_act_now() {
    let hints = |a: &App| {
        screen_text(a)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    let a = readiness_opened();
    let h = hints(&a);
    assert!(h.contains("r reload") && h.contains("Esc close"), "{h}");
    // The backup's nodes are there (not compared yet); no targets yet.
    assert!(!h.contains("Tab"), "{h}");
    let a = readiness_loaded();
    let h = hints(&a);
    for want in ["j/k move", "Tab other table", "y copy ID"] {
        assert!(h.contains(want), "{want} in {h}");
    }
    let mut shown = loaded_with(demo_nodes_detail());
    shown.width = 120;
    assert!(hints(&shown).contains("R readiness"), "{}", hints(&shown));
}

#[test]
fn set_row_fills_the_backup_section_and_gives_up_the_call() {
    let mut a = readiness_opened();
    let asked = in_flight(&a, Call::ListBackups);
    let mut v = view(&a).clone();
    assert_eq!(v.set_row(Some(demo_row())), asked);
    assert_eq!(v.in_flight[slot_of(Call::ListBackups)], None);
    if let Some(open) = a.overlays.readiness_mut() {
        *open = v;
    }
    assert!(screen_text(&a).contains("normal · type auto"));
}

#[tokio::test]
async fn a_call_for_a_profile_without_a_client_fails_instead_of_spinning() {
    let a = readiness_opened();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut effects = crate::tui::effects::Effects::new(&a, vec![None], tx, None, None);
    let ask = Ask::Targets {
        instance: "demo-in09".into(),
    };
    effects.run(
        vec![Effect::Readiness {
            profile: crate::fleet::ProfileId(0),
            generation: 7,
            ask,
        }],
        &mut |_| {},
    );
    let msg = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("an answer")
        .expect("the runner holds its sender");
    assert!(
        matches!(
            msg,
            Msg::Readiness {
                generation: 7,
                answer: Answer::Targets(Err(_)),
                ..
            }
        ),
        "{msg:?}"
    );
}

#[test]
fn at_40x12_a_cut_footer_is_named_and_enter_shows_the_row_whole() {
    let mut a = readiness_loaded();
    send(
        &mut a,
        Msg::Resize {
            width: 40,
            height: 12,
        },
    );
    send(&mut a, key(KeyCode::Tab));
    send(&mut a, ch('j'));
    let hint = screen_text(&a).lines().last().unwrap_or("").to_string();
    assert!(hint.contains("Enter whole row"), "{hint}");
    // Cut names keep what tells the targets apart (they were `ddm-o…tore`
    // and `ddm-l…orts`, and the third `ddm-o…ging`).
    let text = screen_text(&a);
    assert!(!text.contains("ddm-o…tore"), "{text}");
    assert!(!text.contains("ddm-l…orts"), "{text}");
    send(&mut a, key(KeyCode::Enter));
    assert_eq!(a.popup().map(|p| p.kind), Some(PopupKind::Row));
    // Every field whole, wrapped (a long ID too), scrolled to the end of
    // the reason.
    let joined = |a: &App| -> String {
        screen_text(a)
            .lines()
            .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
            .collect()
    };
    assert!(
        joined(&a).contains("b5c7d9e1f3a54b6c8d0e2f4a6b8c0d2ein09"),
        "{}",
        screen_text(&a)
    );
    send(&mut a, ch('G'));
    assert!(joined(&a).contains("3.1.4."), "{}", screen_text(&a));
    let copied = send(&mut a, ch('y'))
        .effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Copy(text) => Some(text),
            _ => None,
        });
    assert_eq!(
        copied.as_deref(),
        Some("b5c7d9e1f3a54b6c8d0e2f4a6b8c0d2ein09")
    );
    send(&mut a, key(KeyCode::Esc));
    assert!(
        a.popup().is_none() && a.readiness().is_some(),
        "back in the view"
    );
}

#[test]
fn the_hint_names_pgdn_while_the_body_goes_on_below() {
    let mut a = readiness_loaded();
    send(
        &mut a,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    let hint = screen_text(&a).lines().last().unwrap_or("").to_string();
    assert!(hint.contains("PgDn more"), "{hint}");
    assert!(hint.contains("Esc close"), "closing still fits: {hint}");
    send(
        &mut a,
        Msg::Resize {
            width: 120,
            height: 60,
        },
    );
    let hint = screen_text(&a).lines().last().unwrap_or("").to_string();
    assert!(!hint.contains("PgDn"), "all of it shows: {hint}");
}

#[test]
fn the_tables_are_measured_when_an_answer_lands_not_when_a_frame_is_drawn() {
    // No frame drawn: drawing only reads the fits, so they are there first.
    let a = readiness_loaded();
    let view = a.readiness().expect("open");
    let names = view
        .node_lines()
        .iter()
        .map(|l| {
            l.name.as_deref().map_or(9, |n| {
                crate::tui::text::width(&crate::tui::text::sanitize(n))
            })
        })
        .max();
    let nodes = view.column_fit(Table::Nodes);
    assert_eq!(nodes.len(), 6);
    assert_eq!(nodes.first().map(|f| f.widest), names);
    assert!(nodes.iter().all(|f| f.filled), "{nodes:?}");
    let targets = view.column_fit(Table::Targets);
    assert_eq!(targets.len(), 5);
    assert!(targets.first().is_some_and(|f| f.filled && f.widest > 0));
}

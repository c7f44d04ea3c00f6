//! No size panics: every state drawn at sizes from 1x1 up, including the
//! edges of the minimum size, with popups open.

use crossterm::event::KeyCode;
use ddm_backups::tui::App;
use ddm_backups::tui::app::Focus;
use ddm_backups::tui::test_support::*;

const WIDTHS: &[u16] = &[
    1, 2, 5, 10, 20, 39, 40, 41, 50, 60, 79, 80, 81, 100, 120, 200,
];
const HEIGHTS: &[u16] = &[1, 2, 3, 5, 9, 11, 12, 13, 19, 20, 21, 24, 30, 40, 60];

fn states() -> Vec<(&'static str, App)> {
    let mut help = demo_app();
    help.slot_mut().focus = Focus::List;
    press(&mut help, KeyCode::Char('?'));
    press(&mut help, KeyCode::Char('G'));
    let mut popup = submitted_with("demo-in09", "e502-br09");
    answer(&mut popup, Err(every_error().remove(7).1));
    press(&mut popup, KeyCode::Char('e'));
    let mut filtering = loaded_with(nodes_detail(40));
    press(&mut filtering, KeyCode::Char('G'));
    press(&mut filtering, KeyCode::Char('/'));
    type_str(&mut filtering, "shard_3");
    let mut long_input = app();
    type_str(&mut long_input, &"订单".repeat(40));
    vec![
        ("empty", demo_app()),
        ("long input", long_input),
        ("fetching", submitted_with("demo-in09", "slow-br09")),
        ("loaded", loaded_with(example_detail())),
        ("filtering", filtering),
        ("help", help),
        ("error popup", popup),
    ]
}

#[test]
fn every_state_draws_at_every_size_without_panicking() {
    for (name, state) in states() {
        for &w in WIDTHS {
            for &h in HEIGHTS {
                let mut a = state.clone();
                let terminal = draw(&mut a, w, h);
                // The cursor, when shown, is on the screen.
                let mut terminal = terminal;
                if terminal.backend().cursor_visible() {
                    let p = terminal.get_cursor_position().expect("test backend");
                    assert!(p.x < w && p.y < h, "{name} at {w}x{h}: cursor {p:?}");
                }
            }
        }
    }
}

#[test]
fn keys_at_tiny_sizes_do_not_panic() {
    for (name, state) in states() {
        for (w, h) in [(1, 1), (40, 12), (10, 3)] {
            let mut a = state.clone();
            send(
                &mut a,
                ddm_backups::tui::msg::Msg::Resize {
                    width: w,
                    height: h,
                },
            );
            for code in [
                KeyCode::PageDown,
                KeyCode::PageUp,
                KeyCode::Down,
                KeyCode::End,
                KeyCode::Char('j'),
                KeyCode::Char('G'),
            ] {
                press(&mut a, code);
            }
            draw(&mut a, w, h);
            let _ = name;
        }
    }
}

//! The view with windows no honest server sends: more than the parser
//! keeps, and ones that end before they start; and strings full of what
//! a terminal obeys.

use crate::api::{RestoreWindow, RestoreWindows};
use crate::tui::App;
use crate::tui::test_support::*;

use super::Answer;

fn window(start: &str, end: &str) -> RestoreWindow {
    RestoreWindow {
        start_time: Some(start.into()),
        end_time: Some(end.into()),
    }
}

/// The view with `windows` answered, every other call as the demo, on a
/// screen tall enough for the windows section.
fn with_windows(windows: RestoreWindows) -> App {
    let mut a = readiness_opened();
    a.width = 140;
    a.height = 60;
    answer_readiness(&mut a, Answer::Row(Ok(Some(demo_row()))));
    answer_readiness(&mut a, Answer::Windows(Ok(windows)));
    a
}

#[test]
fn windows_past_the_cap_are_counted_once() {
    // The parser kept 10,000 of the 10,010 sent; 20 are shown.
    let kept: Vec<RestoreWindow> = (0..10_000)
        .map(|i| {
            let day = 1 + i % 28;
            window(
                &format!("2025-05-{day:02}T00:00:00+0000"),
                &format!("2025-05-{day:02}T01:00:00+0000"),
            )
        })
        .collect();
    let a = with_windows(RestoreWindows {
        windows: kept,
        windows_cut: Some(10_010),
    });
    let text = screen_text(&a);
    assert!(text.contains("and 9990 older windows"), "{text}");
}

#[test]
fn a_window_that_ends_before_it_starts_is_marked_and_not_counted() {
    let a = with_windows(RestoreWindows {
        windows: vec![window(
            "2025-06-05T00:00:00+0000",
            "2025-06-04T00:00:00+0000",
        )],
        windows_cut: None,
    });
    let text = screen_text(&a);
    assert!(
        text.contains("(ends before it starts: not counted)"),
        "{text}"
    );
    assert!(
        text.contains("the instance has no point-in-time restore window"),
        "{text}"
    );
    assert!(text.contains("not asked: no restore window"), "{text}");
}

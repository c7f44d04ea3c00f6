//! The terminal UI: its state machine, its screens as insta snapshots of a
//! `TestBackend`, and its real event loop against the demo endpoint over
//! TCP. One module per subject, all in one test binary: each binary links
//! reqwest, rustls and ratatui again, and on a small CI machine those links
//! cost more than the tests.

/// Asserts a drawn screen against `tests/snapshots/<first>__<name>.snap`,
/// where `<first>` names the test binary the snapshot was first reviewed in
/// (`tui_snapshots`, `tui_find`, ...). Each module here was its own binary
/// before; this keeps every reviewed snapshot, and the README's screen
/// markers, under the name it already has.
macro_rules! assert_screen {
    ($first:literal, $name:expr, $screen:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(format!("{}__{}", $first, $name), $screen));
    }};
}

mod borders;
mod browse;
mod browse_snapshots;
mod e2e;
mod find;
mod health;
mod messages;
mod password;
mod readiness;
mod signals;
mod sizes;
mod snapshots;
mod styles;
mod wakeups;
mod watch;

//! How many lines the detail pane's fields want: the layout grows the
//! pane to it, `App` counts the list's rows with it, and `ui::detail`
//! draws the fields in what they got.

use super::super::app::{App, BackupSummary};
use super::super::text;

/// The label column's width.
pub const LABEL: usize = 15;

/// Lines one value may take before it is cut.
pub const MAX_VALUE_LINES: usize = 3;

/// The shown backup's fields as the pane lists them.
pub fn values(b: &BackupSummary) -> [(&'static str, &str); 4] {
    [
        ("Backup ID", &b.id),
        ("Name", &b.name),
        ("Instance ID", &b.instance_id),
        ("Instance name", &b.instance_name),
    ]
}

/// The pane's inner width on a screen `width` wide.
fn inner_width(width: u16, roomy: bool) -> usize {
    // A border and a cell of padding on each side.
    usize::from(if roomy {
        width.saturating_sub(4)
    } else {
        width
    })
}

/// Each value wrapped to the value column, at most `MAX_VALUE_LINES`
/// lines (the last cut when there is more).
pub fn wrapped_values(b: &BackupSummary, width: usize) -> Vec<Vec<String>> {
    let value_width = width.saturating_sub(LABEL).max(4);
    values(b)
        .iter()
        .map(|(_, v)| text::wrap(v, value_width))
        .collect()
}

/// How many lines the pane's text wants on this app's screen: the layout
/// grows the pane to this where the list can spare the rows.
pub fn wanted_lines(app: &App) -> u16 {
    let Some(b) = &app.slot().shown else {
        return super::DETAIL_LINES;
    };
    let width = inner_width(app.width, super::is_roomy(app.height));
    let lines: usize = wrapped_values(b, width)
        .iter()
        .map(|parts| parts.len().clamp(1, MAX_VALUE_LINES))
        .sum();
    u16::try_from(lines)
        .unwrap_or(u16::MAX)
        .max(super::DETAIL_LINES)
}

//! The readiness view's geometry: a bordered box where the pickers open,
//! whose body (see `readiness_body`) scrolls as a whole, and a footer that
//! shows the selected row whole, so every name and ID is readable
//! somewhere however narrow the columns are. The keys page and follow the
//! selection with it; `ui::readiness` draws it.

use std::ops::Range;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::layout;
use super::super::readiness::{ReadinessView, Table};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;
use super::readiness_body::{self as body, Body};
use super::readiness_cells as cells;

// The state measures its tables' columns with these when its report
// changes, so drawing reads the fits and changes nothing.
pub use super::readiness_cells::{node_fits, target_fits};

/// Where the view goes on this screen, border included.
fn area_of(app: &App) -> Option<Rect> {
    layout::areas(Rect::new(0, 0, app.width, app.height)).map(|a| a.browser)
}

/// A box at least this tall puts a blank line between sections.
const ROOMY: usize = 30;

/// Lines the footer may take in a box this tall. Two from a 40x12
/// terminal's box up, so a selected name and its ID both show whole there.
fn footer_room(height: usize) -> usize {
    match height {
        14.. => 3,
        6.. => 2,
        4.. => 1,
        _ => 0,
    }
}

/// The box's inner width, the body's lines, and the footer.
pub struct Geometry {
    pub width: usize,
    pub body_height: usize,
    pub body: Body,
    pub footer: Vec<Line<'static>>,
}

/// The body with the lines in `window` built (sizes and positions need
/// none of them).
fn geometry(app: &App, view: &ReadinessView, area: Rect, window: Range<usize>) -> Geometry {
    let width = usize::from(area.width.saturating_sub(2));
    let height = usize::from(area.height.saturating_sub(2));
    let theme = app.theme;
    let footer = footer(view, width, footer_room(height), theme);
    Geometry {
        width,
        body_height: height.saturating_sub(footer.len()),
        body: body::body(app, view, width, height >= ROOMY, window, theme),
        footer,
    }
}

/// The geometry with the rows on screen built: those from the view's
/// scroll, or, when the body got shorter and the scroll is clamped, from
/// where it is clamped to.
pub fn shown_geometry(app: &App, view: &ReadinessView, area: Rect) -> (Geometry, usize) {
    let page = usize::from(area.height);
    let g = geometry(app, view, area, view.scroll..view.scroll + page);
    let scroll = view.scroll.min(g.body.total.saturating_sub(g.body_height));
    if scroll == view.scroll {
        return (g, scroll);
    }
    (geometry(app, view, area, scroll..scroll + page), scroll)
}

/// Whether the footer had to cut the selected row (`Enter` shows it
/// whole).
pub fn footer_cut(app: &App) -> bool {
    let (Some(view), Some(area)) = (app.readiness(), area_of(app)) else {
        return false;
    };
    let width = usize::from(area.width.saturating_sub(2));
    let height = usize::from(area.height.saturating_sub(2));
    selected_whole(view)
        .is_some_and(|said| text::wrap(&said, width.max(2)).len() > footer_room(height))
}

/// The lines one page of the body shows (at least 1).
pub fn page_lines(app: &App) -> usize {
    match (app.readiness(), area_of(app)) {
        (Some(view), Some(area)) => geometry(app, view, area, 0..0).body_height.max(1),
        _ => 1,
    }
}

/// How far the body can scroll.
pub fn max_scroll(app: &App) -> usize {
    match (app.readiness(), area_of(app)) {
        (Some(view), Some(area)) => {
            let g = geometry(app, view, area, 0..0);
            g.body.total.saturating_sub(g.body_height)
        }
        _ => 0,
    }
}

/// The selected row's first and last line in the body (its note included),
/// and how many body lines show.
pub fn selected_lines(app: &App) -> Option<((usize, usize), usize)> {
    let view = app.readiness()?;
    let g = geometry(app, view, area_of(app)?, 0..0);
    Some((g.body.selected?, g.body_height.max(1)))
}

/// The selected row whole, wrapped, in at most `room` lines (the last cut
/// with `…` when it does not fit).
fn footer(view: &ReadinessView, width: usize, room: usize, theme: Theme) -> Vec<Line<'static>> {
    if room == 0 {
        return Vec::new();
    }
    let Some(said) = selected_whole(view) else {
        return Vec::new();
    };
    text::wrap_in(&said, width, room)
        .into_iter()
        .map(|l| fit_spans(vec![Span::styled(l, theme.key())], width))
        .collect()
}

/// Everything about the selected row, as one sentence.
fn selected_whole(view: &ReadinessView) -> Option<String> {
    let (what, fields) = selected_fields(view)?;
    let parts: Vec<String> = fields
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(label, v)| {
            if label == "VPC" {
                format!("VPC {v}")
            } else {
                v
            }
        })
        .collect();
    Some(format!("Selected {what}: {}", parts.join(" · ")))
}

/// The selected row's fields, labelled, for the footer and the popup
/// (`Enter`) that shows them whole: what the row is ("node" or
/// "target"), then (label, value) pairs, a value empty when unknown.
pub fn selected_fields(view: &ReadinessView) -> Option<(&'static str, Vec<(String, String)>)> {
    match view.acting()? {
        Table::Nodes => {
            let line = view.node_lines().get(view.selected(Table::Nodes))?;
            Some((
                "node",
                vec![
                    (
                        "Name".into(),
                        line.name.clone().unwrap_or("(no name)".into()),
                    ),
                    ("ID".into(), id_or_none(&line.id)),
                    ("Status".into(), line.status.clone().unwrap_or_default()),
                    ("Engine".into(), cells::engine(line)),
                    (
                        "Size".into(),
                        line.size_bytes.map(cells::human_bytes).unwrap_or_default(),
                    ),
                    (
                        "Coverage".into(),
                        cells::coverage_label(line.coverage).into(),
                    ),
                ],
            ))
        }
        Table::Targets => {
            let t = view.targets().get(view.selected(Table::Targets))?;
            let available = match (t.available, t.unavailable_reason.as_deref()) {
                (Some(false), Some(why)) => format!("not available: {why}"),
                (Some(false), None) => "not available".into(),
                (Some(true), _) => "available".into(),
                (None, _) => "availability unknown".into(),
            };
            Some((
                "target",
                vec![
                    (
                        "Name".into(),
                        t.instance_name.clone().unwrap_or("(no name)".into()),
                    ),
                    (
                        "ID".into(),
                        id_or_none(t.instance_id.as_deref().unwrap_or("")),
                    ),
                    ("Status".into(), t.status.clone().unwrap_or_default()),
                    ("Available".into(), available),
                    ("VPC".into(), t.vpc_name.clone().unwrap_or_default()),
                ],
            ))
        }
    }
}

fn id_or_none(id: &str) -> String {
    if id.trim().is_empty() {
        "(no ID)".into()
    } else {
        id.to_string()
    }
}

/// The status bar while the view is in front: how many calls answered,
/// and how it ended.
pub fn status(view: &ReadinessView, theme: Theme) -> Vec<Span<'static>> {
    let report = &view.report;
    let waiting = view.in_flight.iter().filter(|g| g.is_some()).count()
        + usize::from(report.now.is_loading() && report.windows.is_loading());
    if waiting > 0 {
        let elapsed = view.now.saturating_duration_since(view.started);
        return vec![
            Span::styled(super::status::spinner(elapsed), theme.key()),
            Span::raw(format!(
                " Checking restore readiness: {waiting} call{} to go · {:.1}s",
                if waiting == 1 { "" } else { "s" },
                elapsed.as_secs_f64()
            )),
        ];
    }
    let failures = report.failures();
    let blockers = view.blockers().len();
    let mut spans = Vec::new();
    if failures.is_empty() {
        spans.push(Span::styled("✓ Readiness checked", theme.ok()));
    } else {
        let names: Vec<&str> = failures.iter().map(|(c, _)| c.name()).collect();
        spans.push(Span::styled(
            format!("✗ {} failed", names.join(", ")),
            theme.error(),
        ));
    }
    let style = if blockers > 0 {
        theme.warn()
    } else {
        Style::new()
    };
    spans.push(Span::styled(
        format!(
            " · {blockers} blocker{}",
            if blockers == 1 { "" } else { "s" }
        ),
        style,
    ));
    spans
}

//! The profile switcher (`p`): every profile with its region, endpoint
//! host and auth type; the shown one is marked, and so is each one with a
//! lookup in flight.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::profiles::Switcher;
use super::super::theme::Theme;
use super::table::{self, Column, Table};
use super::{Draw, Places};

// A region is never cut: "eu-west-101" cut to "eu-west-1…" reads as
// another region. The name and the endpoint host give way first.
const COLUMNS: [Column; 6] = [
    Column::fixed("#", 3),
    Column::flex("PROFILE", 6, 10),
    Column::fixed("REGION", 24),
    Column::fixed("AUTH", 8).drop(2),
    Column::fixed("ENDPOINT", 40).cut(12).drop(4),
    Column::fixed("PROBLEM", 40).cut(12).drop(3),
];

/// The switcher's rectangle: centred, as tall as its rows.
fn area_for(screen: Rect, rows: usize) -> Rect {
    let width = screen
        .width
        .saturating_sub(4)
        .clamp(screen.width.min(36), 110);
    let wanted = u16::try_from(rows + 3).unwrap_or(u16::MAX);
    let height = wanted.min(screen.height.saturating_sub(4)).max(4);
    Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height.saturating_sub(height)) / 2,
        width,
        height.min(screen.height),
    )
}

pub fn render(frame: &mut Frame, screen: Rect, app: &App, selected: usize, theme: Theme) {
    // Two lines more for the footer, which says the selected profile whole
    // (its endpoint and problem may be cut or left out in the row).
    let area = area_for(screen, app.profiles.len() + 2);
    let body = area.height.saturating_sub(3);
    let footer = super::super::layout::footer_lines(body).min(body.saturating_sub(1));
    let view = usize::from(body - footer).max(1);
    // Keep the selected row in view when there are many profiles.
    let offset = selected.saturating_sub(view - 1);
    let rows = app
        .profiles
        .iter()
        .enumerate()
        .skip(offset)
        .take(view)
        .map(|(i, p)| {
            let mark = if i == app.active { "●" } else { "" };
            let style = if p.problem.is_some() {
                theme.dim()
            } else {
                Style::new()
            };
            // Work left running in a profile says so in words, not only
            // by colour, so the operator knows where an answer will land.
            let name = match app.slots().get(i).and_then(|s| s.in_flight()) {
                Some(query) => format!("{} · looking up {}", p.name, query.backup),
                None => p.name.clone(),
            };
            vec![
                (format!("{}{mark}", i + 1), theme.key()),
                (name, style),
                (p.region.clone(), style),
                (p.auth.clone(), style),
                (p.endpoint_host.clone(), theme.dim()),
                (p.problem.clone().unwrap_or_default(), theme.error()),
            ]
        })
        .collect();
    table::render(
        frame,
        area,
        Table {
            title: vec![Span::styled(
                format!(" Profiles ({}) ", app.profiles.len()),
                theme.focus(),
            )],
            bottom: Some(" Enter or 1-9 switches · Esc closes ".into()),
            // The problem column only when some profile has one.
            columns: if app.profiles.iter().any(|p| p.problem.is_some()) {
                &COLUMNS
            } else {
                &COLUMNS[..5]
            },
            rows,
            selected: Some(selected - offset),
            empty: vec![Line::raw("No profiles")],
            cursor_x: None,
            footer: true,
        },
        theme,
    );
}

impl Draw for Switcher {
    fn draw(&self, frame: &mut Frame, at: &Places, app: &App, theme: Theme) {
        render(frame, at.above, app, self.0, theme);
    }
}

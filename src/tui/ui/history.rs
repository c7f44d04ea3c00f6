//! The history view (Ctrl-R): past lookups, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::history::{Entry, Outcome};

use super::super::app::App;
use super::super::recent::{HistoryView, outcome_text};
use super::super::text;
use super::super::theme::Theme;
use super::table::{self, Column, Table};
use super::{Draw, Places};

// The backup's name and ID say which lookup a row was (two lookups of
// differently-shaped backups may share a name); the instance shows where
// there is room, the profile and time give way before them.
const COLUMNS: [Column; 7] = [
    Column::fixed("WHEN", 16).drop(3),
    Column::fixed("PROFILE", 12).cut(6).drop(4),
    Column::flex("BACKUP", 10, 16).cut_middle(10),
    Column::fixed("BACKUP ID", 36).cut_middle(13),
    Column::fixed("OUTCOME", 30).cut(24),
    Column::fixed("INSTANCE", 20).cut(16).drop(5),
    Column::fixed("INSTANCE ID", 36).cut_middle(13).drop(6),
];

fn or_id(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_string()
    } else {
        name.to_string()
    }
}

/// When the lookup ended, as every table writes a time (the year too: the
/// history outlives restarts); an entry's time that does not parse (only
/// the file's are checked) as it is.
fn when(at: &str, zone: &jiff::tz::TimeZone) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(t) => crate::shown::time::instant_minute(t, zone),
        Err(_) => at.to_string(),
    }
}

fn cells(e: &Entry, app: &App, theme: Theme) -> Vec<(String, Style)> {
    let outcome_style = match e.outcome {
        Outcome::Ok { .. } => theme.ok(),
        Outcome::Failed { .. } => theme.error(),
    };
    vec![
        (when(&e.at, &app.zone), theme.dim()),
        (e.profile.clone(), Style::new()),
        (or_id(&e.backup_name, &e.backup_id), Style::new()),
        (e.backup_id.clone(), theme.dim()),
        (outcome_text(&e.outcome), outcome_style),
        (or_id(&e.instance_name, &e.instance_id), Style::new()),
        (e.instance_id.clone(), theme.dim()),
    ]
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &HistoryView, theme: Theme) {
    let rows_on_screen = app.history_rows();
    let count = if view.filter.value().trim().is_empty() {
        format!("{}", view.rows.total())
    } else {
        format!("{} of {}", view.rows.shown(), view.rows.total())
    };
    let (title, cursor_x) = table::title_with_filter(
        format!(" ▸ History ({count}) "),
        &view.filter,
        view.typing,
        area,
        theme,
    );
    let rows = view
        .rows
        .window(rows_on_screen)
        .map(|(_, e)| cells(e, app, theme))
        .collect();
    let empty = if view.rows.total() == 0 {
        vec![
            Line::styled("No lookups yet.", theme.dim()),
            Line::styled(
                "Every lookup is kept here (the last 200), across restarts and tmux panes.",
                theme.dim(),
            ),
        ]
    } else {
        vec![Line::styled(
            format!(
                "No lookup matches \"{}\". Esc clears the filter.",
                text::sanitize(view.filter.value())
            ),
            theme.dim(),
        )]
    };
    table::render(
        frame,
        area,
        Table {
            title,
            bottom: (view.rows.shown() > 0).then(|| {
                format!(
                    " {}/{} · Enter looks up again ",
                    view.rows.selected() + 1,
                    view.rows.shown()
                )
            }),
            columns: &COLUMNS,
            rows,
            selected: view.rows.selected().checked_sub(view.rows.offset()),
            empty,
            cursor_x,
            footer: true,
        },
        theme,
    );
}

impl Draw for HistoryView {
    fn draw(&self, frame: &mut Frame, at: &Places, app: &App, theme: Theme) {
        render(frame, at.browser, app, self, theme);
    }
}

//! The instance and backup pickers, drawn over the form and the list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::app::App;
use super::super::picker::{PickRow, Picker, PickerKind, PickerLoad};
use super::super::text;
use super::super::theme::Theme;
use super::status::spinner;
use super::table::{self, Column, Table};
use super::{Draw, Places};
use crate::api::Status;
use crate::shown::{self, status::Role};

// What says which row it is (the name and the ID, cut in the middle)
// stays; status, dates, sizes and types give way first on a narrow screen.
const INSTANCE_COLUMNS: [Column; 5] = [
    Column::flex("NAME", 10, 20).cut_middle(10),
    Column::fixed("ID", 36).cut_middle(13),
    Column::fixed("STATUS", 10).drop(2),
    Column::fixed("CREATED", 16).drop(3),
    Column::fixed("VERSION", 8).drop(4),
];

const BACKUP_COLUMNS: [Column; 6] = [
    Column::flex("NAME", 12, 24).cut_middle(12),
    Column::fixed("ID", 36).cut_middle(13),
    Column::fixed("STATUS", 10).drop(2),
    Column::fixed("CREATED", 16).drop(3),
    Column::fixed("SIZE", 9).right().drop(4),
    Column::fixed("TYPE", 6).drop(5),
];

/// A row's cells, one per column.
type CellsOf = fn(&PickRow, &App, Theme) -> Vec<(String, Style)>;

pub fn render(frame: &mut Frame, area: Rect, app: &App, picker: &Picker, theme: Theme) {
    let view = app.picker_rows();
    let what = match &picker.kind {
        PickerKind::Instances => "DDM instances".to_string(),
        PickerKind::Backups { instance_id } => {
            format!("Backups of {}", text::sanitize(instance_id))
        }
    };
    let (title, cursor_x) = table::title_with_filter(
        format!(" ▸ {what} ({}) ", picker.progress()),
        &picker.filter,
        picker.typing,
        area,
        theme,
    );
    let bottom = (picker.rows.shown() > 0).then(|| {
        format!(
            " {}/{} · {} ",
            picker.rows.selected() + 1,
            picker.rows.shown(),
            picker.sort.label()
        )
    });
    let (columns, cells): (&[Column], CellsOf) = match picker.kind {
        PickerKind::Instances => (&INSTANCE_COLUMNS, instance_cells),
        PickerKind::Backups { .. } => (&BACKUP_COLUMNS, backup_cells),
    };
    let rows: Vec<_> = picker
        .rows
        .window(view)
        .map(|(_, row)| cells(row, app, theme))
        .collect();
    let selected = picker.rows.selected().checked_sub(picker.rows.offset());
    table::render(
        frame,
        area,
        Table {
            title,
            bottom,
            columns,
            rows,
            selected,
            empty: empty(picker, theme),
            cursor_x,
            footer: true,
        },
        theme,
    );
}

fn name(row: &PickRow) -> String {
    if row.name.is_empty() {
        "(no name)".into()
    } else {
        row.name.clone()
    }
}

/// How each status role looks (see [`Theme::status`]).
pub(super) fn role_style(role: Role, theme: Theme) -> Style {
    theme.status(role)
}

/// A free-form status word's colour (instances, data nodes, targets).
pub(super) fn status_style(status: &str, theme: Theme) -> Style {
    role_style(shown::status::role(status), theme)
}

/// A backup status's colour, from what it means.
pub(super) fn backup_status_style(status: &Status, theme: Theme) -> Style {
    role_style(shown::status::backup_role(status), theme)
}

fn instance_cells(row: &PickRow, app: &App, theme: Theme) -> Vec<(String, Style)> {
    vec![
        (name(row), Style::new()),
        (row.id.clone(), theme.dim()),
        (
            row.status.sent().to_string(),
            status_style(row.status.sent(), theme),
        ),
        (row.created_minute(&app.zone), Style::new()),
        (row.kind.clone(), theme.dim()),
    ]
}

fn backup_cells(row: &PickRow, app: &App, theme: Theme) -> Vec<(String, Style)> {
    vec![
        (name(row), Style::new()),
        (row.id.clone(), theme.dim()),
        (
            shown::status::label(&row.status).to_string(),
            backup_status_style(&row.status, theme),
        ),
        (row.created_minute(&app.zone), Style::new()),
        (row.size(), Style::new()),
        (row.kind.clone(), Style::new()),
    ]
}

/// What the picker says when it has no rows to show.
fn empty(picker: &Picker, theme: Theme) -> Vec<Line<'static>> {
    let noun = picker.noun();
    match &picker.load {
        PickerLoad::Loading { started, now, .. } => vec![Line::from(vec![
            Span::styled(
                spinner(now.saturating_duration_since(*started)),
                theme.key(),
            ),
            Span::styled(format!(" Loading {noun}…"), theme.dim()),
        ])],
        PickerLoad::Failed { error } => vec![
            Line::styled(
                format!("✗ {}", text::sanitize(&error.short_line())),
                theme.error(),
            ),
            Line::styled("e shows the whole error · r tries again", theme.dim()),
        ],
        _ if picker.rows.total() > 0 => vec![Line::styled(
            format!(
                "No {noun} match \"{}\". Esc clears the filter.",
                text::sanitize(picker.filter.value())
            ),
            theme.dim(),
        )],
        PickerLoad::Stopped => vec![Line::styled(
            format!("Loading stopped before any {noun} arrived · r loads again"),
            theme.warn(),
        )],
        PickerLoad::Done { .. } => vec![Line::styled(
            match &picker.kind {
                PickerKind::Instances => {
                    "This project has no DDM instances in this region.".to_string()
                }
                PickerKind::Backups { instance_id } => {
                    format!("Instance {} has no backups.", text::sanitize(instance_id))
                }
            },
            theme.dim(),
        )],
    }
}

impl Draw for Picker {
    fn draw(&self, frame: &mut Frame, at: &Places, app: &App, theme: Theme) {
        render(frame, at.browser, app, self, theme);
    }
}

//! The two ID fields, each with its check result beside it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::api::IdField;

use super::super::app::{App, Focus};
use super::super::input::TextField;
use super::super::layout::{Areas, LABEL_WIDTH};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

/// Room for a 36-character ID and the cursor after it.
const INPUT_MAX: u16 = 38;
const INPUT_MIN: u16 = 10;

/// The input box's width in a row `row_width` wide: as wide as an ID, but
/// leaving some room for the check message.
pub fn input_width(row_width: u16) -> u16 {
    row_width
        .saturating_sub(LABEL_WIDTH + 12)
        .clamp(INPUT_MIN, INPUT_MAX)
}

pub fn render(frame: &mut Frame, areas: &Areas, app: &App, theme: Theme) {
    let in_form = matches!(app.slot().focus, Focus::Instance | Focus::Backup);
    if areas.roomy {
        let border = if in_form {
            theme.focus()
        } else {
            theme.border()
        };
        let block = Block::bordered()
            .border_style(border)
            .title(Span::styled(" Lookup ", theme.title()));
        frame.render_widget(block, areas.form);
    }
    let rows = [
        (
            IdField::Instance,
            "Instance ID",
            &app.slot().instance,
            Focus::Instance,
            areas.instance_row,
        ),
        (
            IdField::Backup,
            "Backup ID",
            &app.slot().backup,
            Focus::Backup,
            areas.backup_row,
        ),
    ];
    for (field, label, value, focus, row) in rows {
        let focused = app.slot().focus == focus && !app.covered();
        field_row(frame, row, app, theme, field, label, value, focused);
    }
}

#[allow(clippy::too_many_arguments)]
fn field_row(
    frame: &mut Frame,
    row: Rect,
    app: &App,
    theme: Theme,
    field: IdField,
    label: &str,
    value: &TextField,
    focused: bool,
) {
    let input_w = input_width(row.width);
    let (marker, label_style) = if focused {
        ("▸ ", theme.focus())
    } else {
        ("  ", theme.dim())
    };
    let label = text::fit_pad(&format!("{marker}{label}"), usize::from(LABEL_WIDTH));
    let (shown, cursor_col) = value.view(usize::from(input_w));
    let input = if value.value().is_empty() && !focused {
        Span::styled(
            text::fit_pad("", usize::from(input_w)),
            theme.input().patch(theme.dim()),
        )
    } else {
        Span::styled(text::fit_pad(&shown, usize::from(input_w)), theme.input())
    };
    let check = match app.field_problem(field) {
        _ if value.value().is_empty() => Span::styled(" required", theme.dim()),
        None => Span::styled(" ✓", theme.ok()),
        Some(problem) => Span::styled(format!(" ✗ {}", problem.problem.short()), theme.error()),
    };
    let line: Line = fit_spans(
        vec![Span::styled(label, label_style), input, check],
        usize::from(row.width),
    );
    frame.render_widget(Paragraph::new(line), row);
    if focused {
        let x = row.x + LABEL_WIDTH + cursor_col as u16;
        frame.set_cursor_position((x.min(row.right().saturating_sub(1)), row.y));
    }
}

//! The backup's fields, or what stands in for them: a prompt, progress, or
//! the error that ended the lookup.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph};

use crate::keymap::{Action, Context};

use super::super::app::{App, BackupSummary, Lookup};
use super::super::layout::detail::{LABEL, MAX_VALUE_LINES, values, wrapped_values};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

pub fn render(frame: &mut Frame, area: Rect, roomy: bool, app: &App, theme: Theme) {
    let facts = list_facts(app);
    let inner = if roomy {
        let mut block = Block::bordered()
            .padding(Padding::horizontal(1))
            .border_style(theme.border())
            .title(Span::styled(" Backup ", theme.title()));
        if let Some(facts) = &facts {
            block = block.title_bottom(fit_spans(
                vec![
                    Span::styled(" from the list: ", theme.dim()),
                    Span::raw(text::sanitize(facts)),
                    Span::raw(" "),
                ],
                usize::from(area.width.saturating_sub(4)),
            ));
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        inner
    } else {
        area
    };
    let width = usize::from(inner.width);
    let lines = match &app.slot().shown {
        Some(b) => {
            let mut lines = fields(app, b, width, usize::from(inner.height), theme);
            // No border to carry them: they follow the backup's ID.
            if let (Some(facts), false, Some(first)) = (&facts, roomy, lines.first_mut()) {
                let mut spans = std::mem::take(&mut first.spans);
                spans.push(Span::styled(
                    format!("  (list: {})", text::sanitize(facts)),
                    theme.dim(),
                ));
                *first = fit_spans(spans, width);
            }
            lines
        }
        None => placeholder(app, width, theme),
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What the backup picker said about the shown backup (status, size,
/// created, type), which ShowBackup does not return.
fn list_facts(app: &App) -> Option<String> {
    let shown = app.slot().shown.as_ref()?;
    let row = app.slot().picked.as_ref().filter(|r| r.id == shown.id)?;
    let facts: Vec<String> = [
        crate::shown::status::label(&row.status).to_string(),
        row.size(),
        row.created_minute(&app.zone),
        row.kind.clone(),
    ]
    .into_iter()
    .filter(|f| !f.is_empty())
    .collect();
    (!facts.is_empty()).then(|| facts.join(" · "))
}

/// The fields in `height` lines: each value wrapped to up to three lines,
/// fewer when the pane is short (the longest give way first); a value cut
/// ends with a marker naming the key that opens the fields whole.
fn fields(
    app: &App,
    b: &BackupSummary,
    width: usize,
    height: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let wrapped = wrapped_values(b, width);
    let mut room: Vec<usize> = wrapped
        .iter()
        .map(|p| p.len().clamp(1, MAX_VALUE_LINES))
        .collect();
    while room.iter().sum::<usize>() > height.max(room.len()) {
        // The last of the longest gives a line back.
        let Some((at, _)) = room
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 1)
            .max_by_key(|(i, n)| (**n, *i))
        else {
            break;
        };
        room[at] -= 1;
    }
    let key = app
        .keys
        .keys_at(Context::List, false, Action::Fields)
        .first()
        .map(ToString::to_string);
    let value_width = width.saturating_sub(LABEL).max(4);
    let mut lines = Vec::new();
    for (((label, value), parts), room) in values(b).iter().zip(&wrapped).zip(&room) {
        if value.is_empty() {
            lines.push(labelled(
                label,
                vec![Span::styled("(none)", theme.dim())],
                width,
                theme,
            ));
            continue;
        }
        let cut = parts.len() > *room;
        for (i, part) in parts.iter().take(*room).enumerate() {
            let label = if i == 0 { *label } else { "" };
            let last = i + 1 == *room;
            let spans = match (&key, cut && last) {
                (Some(key), true) => {
                    let marker = format!("… {key}");
                    let room = value_width.saturating_sub(text::width(&marker));
                    vec![
                        Span::raw(text::cut(part, room)),
                        Span::styled(marker, theme.key()),
                    ]
                }
                (None, true) => vec![Span::raw(format!("{part}…"))],
                _ => vec![Span::raw(part.clone())],
            };
            lines.push(labelled(label, spans, width, theme));
        }
    }
    lines
}

fn labelled(label: &str, value: Vec<Span<'static>>, width: usize, theme: Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(text::fit_pad(label, LABEL), theme.dim())];
    spans.extend(value);
    fit_spans(spans, width)
}

/// Up to four lines about why there is no backup to show.
fn placeholder(app: &App, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let wrapped = |s: &str, style| -> Vec<Line<'static>> {
        text::wrap(s, width)
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect()
    };
    let mut lines = match &app.slot().lookup {
        Lookup::Idle | Lookup::Loaded { .. } => {
            let mut lines = wrapped(
                "No backup yet. Type an instance ID and a backup ID above and press Enter, or press Enter on an empty field to pick from a list.",
                theme.dim(),
            );
            // Under --demo a newcomer needs IDs that exist.
            if let Some(row) = app
                .help
                .demo
                .iter()
                .find(|r| r.backup.starts_with("nodes-"))
            {
                lines.extend(wrapped(
                    &format!(
                        "Demo: try instance {} with backup {}; F1 lists every demo backup.",
                        row.instance, row.backup
                    ),
                    theme.key(),
                ));
            }
            lines
        }
        Lookup::Loading { query, .. } => wrapped(
            &format!(
                "Looking up backup {} of instance {}…",
                query.backup, query.instance
            ),
            theme.dim(),
        ),
        Lookup::Cancelled { .. } => wrapped(
            "Lookup cancelled. Press r in the list to try again.",
            theme.warn(),
        ),
        Lookup::Failed { error, .. } => {
            let mut lines = wrapped(&format!("✗ {error}"), theme.error());
            lines.truncate(2);
            if let Some(id) = error.request_id() {
                lines.push(fit_spans(
                    vec![
                        Span::styled("Request ID ", theme.dim()),
                        Span::raw(text::sanitize(id)),
                    ],
                    width,
                ));
            }
            if let Some(hint) = error.hint() {
                lines.push(fit_spans(
                    vec![Span::styled("Hint ", theme.dim()), Span::raw(hint)],
                    width,
                ));
            }
            lines.push(fit_spans(
                vec![Span::styled(
                    "Press e in the list for the whole error.",
                    theme.dim(),
                )],
                width,
            ));
            lines
        }
    };
    lines.truncate(4);
    lines
}

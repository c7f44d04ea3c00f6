//! Popups' geometry and text: where each goes, how wide it is, and its
//! lines (the help screen from the binding table, the whole last error,
//! the node, the backup, the selected readiness row, the messages). The
//! keys scroll with it; `ui::popup` draws it.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::keymap::{Action, Context, reference};
use crate::shown::time::clock;

use super::super::app::{App, PopupKind};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

const MAX_WIDTH: u16 = 76;
const LABEL: usize = 13;

/// The popup's width on a screen of `area`: at most `MAX_WIDTH`, never
/// wider than the screen.
pub fn width_for(area: Rect) -> u16 {
    area.width
        .saturating_sub(4)
        .min(MAX_WIDTH)
        .max(area.width.min(20))
}

/// The popup's rectangle for `lines` of text on a screen of `area`: centred,
/// as tall as its text, and never larger than the screen.
pub fn area_for(area: Rect, lines: usize) -> Rect {
    let width = width_for(area);
    let wanted = u16::try_from(lines + 2).unwrap_or(u16::MAX);
    let height = wanted
        .min(area.height.saturating_sub(2))
        .max(area.height.min(5));
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Where a popup of `kind` with `lines` of text goes: centred, except the
/// node popup, which sits above or below the selected row (where there
/// is more room) so the row it describes stays in sight.
pub fn rect_for(app: &App, kind: PopupKind, screen: Rect, lines: usize) -> Rect {
    let centred = area_for(screen, lines);
    if kind != PopupKind::Node {
        return centred;
    }
    let full = Rect::new(0, 0, app.width, app.height);
    let Some(areas) = super::areas_with(full, app.detail_lines()) else {
        return centred;
    };
    let nodes = &app.slot().nodes;
    let shown = nodes.selected().saturating_sub(nodes.offset());
    let row = areas
        .list_rows
        .y
        .saturating_add(u16::try_from(shown).unwrap_or(u16::MAX));
    if row < areas.list_rows.y || row >= areas.list_rows.bottom() {
        return centred;
    }
    let above = row.saturating_sub(screen.y);
    let below = screen.bottom().saturating_sub(row + 1);
    let height = centred.height.min(above.max(below));
    let y = if above >= below {
        row - height
    } else {
        row + 1
    };
    Rect::new(centred.x, y, centred.width, height)
}

/// The popup's inner width and height, and how many lines it holds.
fn measure(app: &App, kind: PopupKind) -> (usize, usize, usize) {
    let screen = super::overlay_area(Rect::new(0, 0, app.width, app.height));
    let width = usize::from(width_for(screen).saturating_sub(2));
    let lines = content(app, kind, width, app.theme).len();
    let outer = rect_for(app, kind, screen, lines);
    (width, usize::from(outer.height.saturating_sub(2)), lines)
}

/// Rows one page of the popup shows.
pub fn page_rows(app: &App, kind: PopupKind) -> u16 {
    let (_, height, _) = measure(app, kind);
    u16::try_from(height.max(1)).unwrap_or(u16::MAX)
}

/// How far the popup can scroll before its last line reaches the bottom.
pub fn max_scroll(app: &App, kind: PopupKind) -> u16 {
    let (_, height, lines) = measure(app, kind);
    u16::try_from(lines.saturating_sub(height)).unwrap_or(u16::MAX)
}

/// Every line of the popup, already cut or wrapped to `width`.
pub fn content(app: &App, kind: PopupKind, width: usize, theme: Theme) -> Vec<Line<'static>> {
    match kind {
        PopupKind::Help => help(app, width, theme),
        PopupKind::Error => match app.shown_error() {
            Some(error) => {
                let mut rows: Vec<(String, String)> = error
                    .details()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
                if let Some(at) = app.shown_error_at() {
                    // After the headline, so the operator can match it to
                    // the status bar's time and the history.
                    rows.insert(1.min(rows.len()), ("Time".into(), clock(at)));
                }
                labelled(&rows, width, theme)
            }
            None => vec![Line::styled("No error so far.", theme.dim())],
        },
        PopupKind::Row => match app.readiness().and_then(super::readiness::selected_fields) {
            Some((_, fields)) => {
                let fields: Vec<(String, String)> =
                    fields.into_iter().filter(|(_, v)| !v.is_empty()).collect();
                let mut lines = labelled(&fields, width, theme);
                lines.push(Line::raw(""));
                lines.push(fit_spans(
                    vec![
                        Span::styled("y", theme.key()),
                        Span::styled(" copies the ID · ", theme.dim()),
                        Span::styled("Esc", theme.key()),
                        Span::styled(" closes", theme.dim()),
                    ],
                    width,
                ));
                lines
            }
            None => vec![Line::styled("No row selected.", theme.dim())],
        },
        PopupKind::Node => match app.slot().nodes.selected_item() {
            Some(node) => {
                let mut lines = labelled(
                    &[
                        ("Name".into(), node.instance_name.clone()),
                        ("ID".into(), node.instance_id.clone()),
                    ],
                    width,
                    theme,
                );
                lines.push(Line::raw(""));
                lines.push(fit_spans(
                    vec![
                        Span::styled("y", theme.key()),
                        Span::styled(" copies the ID · ", theme.dim()),
                        Span::styled("n", theme.key()),
                        Span::styled(" copies the name · ", theme.dim()),
                        Span::styled("Esc", theme.key()),
                        Span::styled(" closes", theme.dim()),
                    ],
                    width,
                ));
                lines
            }
            None => vec![Line::styled("No node selected.", theme.dim())],
        },
        PopupKind::Messages => messages(app, width, theme),
        PopupKind::Backup => match &app.slot().shown {
            Some(b) => {
                let mut lines = labelled(
                    &[
                        ("Backup ID".into(), b.id.clone()),
                        ("Name".into(), b.name.clone()),
                        ("Instance ID".into(), b.instance_id.clone()),
                        ("Instance name".into(), b.instance_name.clone()),
                    ],
                    width,
                    theme,
                );
                lines.push(Line::raw(""));
                lines.push(copy_keys(app, "ID", width, theme));
                lines
            }
            None => vec![Line::styled("No backup shown.", theme.dim())],
        },
    }
}

/// `y copies the ID · n copies the name · Esc closes`, with the keys in
/// force.
fn copy_keys(app: &App, id: &str, width: usize, theme: Theme) -> Line<'static> {
    let key = |action| {
        app.keys
            .keys_at(Context::Popup, false, action)
            .first()
            .map_or_else(|| "-".to_string(), ToString::to_string)
    };
    fit_spans(
        vec![
            Span::styled(key(Action::CopyId), theme.key()),
            Span::styled(format!(" copies the {id} · "), theme.dim()),
            Span::styled(key(Action::CopyName), theme.key()),
            Span::styled(" copies the name · ", theme.dim()),
            Span::styled(key(Action::Back), theme.key()),
            Span::styled(" closes", theme.dim()),
        ],
        width,
    )
}

/// The kept status messages, newest first, each with its local time and
/// wrapped whole under itself.
fn messages(app: &App, width: usize, theme: Theme) -> Vec<Line<'static>> {
    if app.messages.is_empty() {
        return vec![Line::styled("No messages yet.", theme.dim())];
    }
    const TIME: usize = 10;
    let text_width = width.saturating_sub(TIME).max(8);
    let mut lines = Vec::new();
    for m in app.messages.newest_first() {
        let at =
            m.at.map(|t| clock(super::super::zone::wall_time(t, &app.zone)))
                .unwrap_or_default();
        for (i, part) in text::wrap(&m.text, text_width).into_iter().enumerate() {
            let at = if i == 0 { at.as_str() } else { "" };
            lines.push(fit_spans(
                vec![
                    Span::styled(text::fit_pad(at, TIME), theme.dim()),
                    Span::raw(part),
                ],
                width,
            ));
        }
    }
    lines
}

/// `label  value` rows, the value wrapped under itself.
fn labelled(rows: &[(String, String)], width: usize, theme: Theme) -> Vec<Line<'static>> {
    // A label as long as the column ("Instance name") still gets a gap.
    let label_width = rows
        .iter()
        .map(|(label, _)| text::width(label) + 1)
        .fold(LABEL, usize::max);
    let value_width = width.saturating_sub(label_width).max(8);
    let mut lines = Vec::new();
    for (label, value) in rows {
        for (i, part) in text::wrap(value, value_width).into_iter().enumerate() {
            let label = if i == 0 { label.as_str() } else { "" };
            lines.push(fit_spans(
                vec![
                    Span::styled(text::fit_pad(label, label_width), theme.dim()),
                    Span::raw(part),
                ],
                width,
            ));
        }
    }
    lines
}

/// A key and what it does: side by side when there is room, else the
/// description on its own line under the key.
fn key_row(key: &str, what: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    const KEY_WIDTH: usize = 20;
    let key = text::sanitize(key);
    let what = text::sanitize(what);
    if width >= KEY_WIDTH + 30 && text::width(&key) <= KEY_WIDTH {
        // Long descriptions wrap in their own column.
        let indent = 2 + KEY_WIDTH + 1;
        return text::wrap(&what, width - indent)
            .into_iter()
            .enumerate()
            .map(|(i, part)| {
                let key = if i == 0 { key.as_str() } else { "" };
                Line::from(vec![
                    Span::styled(format!("  {} ", text::fit_pad(key, KEY_WIDTH)), theme.key()),
                    Span::raw(part),
                ])
            })
            .collect();
    }
    let mut lines = vec![fit_spans(
        vec![Span::styled(format!("  {key}"), theme.key())],
        width,
    )];
    for part in text::wrap(&what, width.saturating_sub(4)) {
        lines.push(Line::raw(format!("    {part}")));
    }
    lines
}

fn help(app: &App, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    // A section per context, with the keys in force (the user's), split
    // as the reference splits them.
    for section in reference::sections(&app.keys) {
        let mut chars = section.title.chars();
        let title: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        lines.push(Line::styled(title, theme.title()));
        for row in &section.rows {
            lines.extend(key_row(&row.keys_text(""), row.binding.label, width, theme));
        }
    }
    lines.push(Line::raw(""));
    let log = app
        .help
        .log_file
        .as_deref()
        .unwrap_or("not written (no log file)");
    let mut facts = Vec::new();
    if !app.help.version.is_empty() {
        facts.push(("Version".into(), app.help.version.clone()));
    }
    facts.push(("Log file".into(), log.into()));
    lines.extend(labelled(&facts, width, theme));
    // Grouped by instance, in catalogue order: type the instance ID once,
    // then try the backups under it.
    let mut instance: Option<&str> = None;
    for row in &app.help.demo {
        if instance != Some(row.instance.as_str()) {
            instance = Some(&row.instance);
            lines.push(Line::raw(""));
            lines.push(fit_spans(
                vec![
                    Span::styled("Demo instance ", theme.title()),
                    Span::styled(text::sanitize(&row.instance), theme.key()),
                ],
                width,
            ));
        }
        lines.extend(key_row(&row.backup, &row.shows, width, theme));
    }
    lines
}

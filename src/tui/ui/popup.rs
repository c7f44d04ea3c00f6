//! Overlays: the help screen and the whole last error. Both are clamped to
//! the screen and scroll when their text is taller than it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::super::app::{App, Popup, PopupKind};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

const MAX_WIDTH: u16 = 76;
const LABEL: usize = 13;

const KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "In a field",
        &[
            ("Enter", "look the backup up; focus moves to the list"),
            ("Tab ↓ / Shift-Tab ↑", "next / previous field or list"),
            ("← → Home End", "move the cursor"),
            ("Backspace Del", "delete a character"),
            ("Ctrl-U / Ctrl-W", "delete to the start / the word before"),
            ("paste", "inserts, surrounding spaces stripped"),
            ("Esc", "cancel the lookup, else go to the list"),
        ],
    ),
    (
        "In the list",
        &[
            ("j k ↑ ↓", "move the selection"),
            ("PgUp PgDn", "move a page"),
            ("g G Home End", "first / last node"),
            ("/", "filter by name or ID (Enter keeps, Esc clears)"),
            ("r", "repeat the last lookup"),
            ("e", "show the whole last error"),
            ("Tab i / Shift-Tab", "back to the fields"),
            ("Esc", "cancel the lookup, else clear the filter"),
            ("q", "quit"),
        ],
    ),
    (
        "Anywhere",
        &[
            ("? F1", "this help (? only outside fields)"),
            ("Esc", "close a popup"),
            ("Ctrl-C", "quit"),
        ],
    ),
];

/// The popup's rectangle on a screen of `area`: centred, at most
/// `MAX_WIDTH` wide, and never larger than the screen.
pub fn area_for(area: Rect) -> Rect {
    let width = area
        .width
        .saturating_sub(4)
        .min(MAX_WIDTH)
        .max(area.width.min(20));
    let height = area.height.saturating_sub(2).max(area.height.min(5));
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn inner_size(app: &App) -> (usize, usize) {
    let outer = area_for(Rect::new(0, 0, app.width, app.height));
    (
        usize::from(outer.width.saturating_sub(2)),
        usize::from(outer.height.saturating_sub(2)),
    )
}

/// Rows one page of the popup shows.
pub fn page_rows(app: &App, _kind: PopupKind) -> u16 {
    inner_size(app).1.max(1) as u16
}

/// How far the popup can scroll before its last line reaches the bottom.
pub fn max_scroll(app: &App, kind: PopupKind) -> u16 {
    let (width, height) = inner_size(app);
    let lines = content(app, kind, width, Theme::new(app.color)).len();
    lines.saturating_sub(height).min(usize::from(u16::MAX)) as u16
}

pub fn render(frame: &mut Frame, screen: Rect, app: &App, open: Popup, theme: Theme) {
    let area = area_for(screen);
    let title = match open.kind {
        PopupKind::Help => " Help · Esc closes ",
        PopupKind::Error => " Last error · Esc closes ",
    };
    let block = Block::bordered()
        .border_style(theme.focus())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    let lines = content(app, open.kind, usize::from(inner.width), theme);
    let scroll = open.scroll.min(max_scroll(app, open.kind));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)).block(block), area);
}

/// Every line of the popup, already cut or wrapped to `width`.
fn content(app: &App, kind: PopupKind, width: usize, theme: Theme) -> Vec<Line<'static>> {
    match kind {
        PopupKind::Help => help(app, width, theme),
        PopupKind::Error => match &app.last_error {
            Some(error) => {
                let rows: Vec<(String, String)> = error
                    .details()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
                labelled(&rows, width, theme)
            }
            None => vec![Line::styled("No error so far.", theme.dim())],
        },
    }
}

/// `label  value` rows, the value wrapped under itself.
fn labelled(rows: &[(String, String)], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let value_width = width.saturating_sub(LABEL).max(8);
    let mut lines = Vec::new();
    for (label, value) in rows {
        for (i, part) in text::wrap(value, value_width).into_iter().enumerate() {
            let label = if i == 0 { label.as_str() } else { "" };
            lines.push(fit_spans(
                vec![
                    Span::styled(text::fit_pad(label, LABEL), theme.dim()),
                    Span::raw(part),
                ],
                width,
            ));
        }
    }
    lines
}

fn help(app: &App, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let key_width = 20;
    let mut lines = Vec::new();
    for (section, keys) in KEYS {
        lines.push(Line::styled(*section, theme.title()));
        for (key, what) in *keys {
            lines.push(fit_spans(
                vec![
                    Span::styled(format!("  {}", text::fit_pad(key, key_width)), theme.key()),
                    Span::raw(*what),
                ],
                width,
            ));
        }
    }
    lines.push(Line::raw(""));
    let log = app
        .help
        .log_file
        .as_deref()
        .unwrap_or("not written (no log file)");
    lines.extend(labelled(&[("Log file".into(), log.into())], width, theme));
    if !app.help.demo_rows.is_empty() {
        lines.push(Line::raw(""));
        let instance = app.help.demo_instance.as_deref().unwrap_or("demo-in09");
        lines.push(fit_spans(
            vec![Span::styled(
                format!("Demo backups of instance {instance}"),
                theme.title(),
            )],
            width,
        ));
        for (id, what) in &app.help.demo_rows {
            lines.push(fit_spans(
                vec![
                    Span::styled(format!("  {}", text::fit_pad(id, key_width)), theme.key()),
                    Span::raw(text::sanitize(what)),
                ],
                width,
            ));
        }
    }
    lines
}

//! The status bar (what the last lookup did) and the key hint line.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::http;

use super::super::app::{App, Focus, Lookup, PopupKind};
use super::super::picker::{Picker, PickerLoad};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The spinner's frame `elapsed` into a wait.
pub fn spinner(elapsed: Duration) -> &'static str {
    SPINNER[(elapsed.as_millis() / 100) as usize % SPINNER.len()]
}

/// `14:02:31`.
pub fn clock(t: time::Time) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// `143 ms` below a second, `1.3 s` above.
pub fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let spans = if let Some(notice) = &app.notice {
        vec![Span::styled(
            format!("» {}", text::sanitize(notice)),
            theme.warn(),
        )]
    } else if app.password.is_some() {
        // The lookup waits for the operator, not the network.
        vec![
            Span::styled("…", theme.key()),
            Span::raw(" Waiting for the IAM password"),
            Span::styled(" · Esc cancels the sign-in", theme.dim()),
        ]
    } else if let Some(picker) = &app.picker {
        picker_status(picker, theme)
    } else {
        match &app.lookup {
            Lookup::Idle => vec![Span::raw("Ready")],
            Lookup::Loading { started, now, .. } => {
                let elapsed = now.saturating_duration_since(*started);
                vec![
                    Span::styled(spinner(elapsed), theme.key()),
                    Span::raw(format!(" Fetching… {:.1}s", elapsed.as_secs_f64())),
                    Span::styled(" · Esc cancels", theme.dim()),
                ]
            }
            Lookup::Loaded {
                status,
                elapsed,
                request_id,
                attempts,
                fetched_at,
            } => {
                let mut line = format!(
                    "✓ {} in {} · fetched {}",
                    http::status_text(*status),
                    duration(*elapsed),
                    clock(*fetched_at)
                );
                if *attempts > 1 {
                    line.push_str(&format!(" · {attempts} tries"));
                }
                let mut spans = vec![Span::styled(line, theme.ok())];
                if let Some(id) = request_id {
                    spans.push(Span::styled(
                        format!(" · req {}", text::sanitize(id)),
                        theme.dim(),
                    ));
                }
                spans
            }
            Lookup::Failed { error, at } => vec![
                Span::styled(
                    format!("✗ {} · {}", text::sanitize(&error.short_line()), clock(*at)),
                    theme.error(),
                ),
                Span::styled(" · e: details", theme.dim()),
            ],
            Lookup::Cancelled { after } => vec![Span::styled(
                format!(
                    "Cancelled after {} · r repeats the lookup",
                    duration(*after)
                ),
                theme.warn(),
            )],
        }
    };
    frame.render_widget(
        Paragraph::new(fit_spans(spans, usize::from(area.width))),
        area,
    );
}

/// The status bar while a picker is open: its loading, its count, or why
/// it failed.
fn picker_status(picker: &Picker, theme: Theme) -> Vec<Span<'static>> {
    let noun = picker.noun();
    match &picker.load {
        PickerLoad::Loading { started, now, .. } => {
            let elapsed = now.saturating_duration_since(*started);
            vec![
                Span::styled(spinner(elapsed), theme.key()),
                Span::raw(format!(
                    " Loading {noun}: {} · {:.1}s",
                    picker.progress(),
                    elapsed.as_secs_f64()
                )),
                Span::styled(" · Esc closes", theme.dim()),
            ]
        }
        PickerLoad::Failed { error } => vec![
            Span::styled(
                format!(
                    "✗ Listing {noun} failed: {}",
                    text::sanitize(&error.short_line())
                ),
                theme.error(),
            ),
            Span::styled(" · e: details · r: retry", theme.dim()),
        ],
        PickerLoad::Stopped => vec![Span::styled(
            format!("Loading stopped: {} · r loads again", picker.progress()),
            theme.warn(),
        )],
        PickerLoad::Done { .. } => vec![
            Span::styled(format!("✓ {}", picker.progress()), theme.ok()),
            Span::styled(" · Enter picks", theme.dim()),
        ],
    }
}

/// The key hint line: what the keys do where the focus is.
pub fn hint(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let keys: &[(&str, &str)] = if app.password.is_some() {
        &[("Enter", "sign in"), ("Esc", "cancel"), ("Ctrl-C", "quit")]
    } else if let Some(prompt) = &app.save {
        if prompt.confirm.is_some() {
            &[("y", "replace"), ("any key", "keep it"), ("Ctrl-C", "quit")]
        } else {
            &[
                ("type", "the file name"),
                ("Enter", "save"),
                ("Esc", "cancel"),
                ("Ctrl-U", "clear"),
            ]
        }
    } else if app.popup.is_none()
        && let Some(view) = &app.history_view
    {
        if view.typing {
            &[
                ("type", "to filter"),
                ("Enter", "look up"),
                ("Tab", "keep"),
                ("Esc", "clear"),
            ]
        } else {
            &[
                ("Enter", "look up again"),
                ("j/k", "move"),
                ("/", "filter"),
                ("y", "copy ID"),
                ("Esc", "close"),
            ]
        }
    } else if app.popup.is_none() && app.switcher.is_some() {
        &[
            ("Enter", "switch"),
            ("1-9", "switch to"),
            ("j/k", "move"),
            ("Esc", "close"),
        ]
    } else if app.popup.is_none()
        && let Some(picker) = &app.picker
    {
        if picker.typing {
            &[
                ("type", "to filter"),
                ("Enter", "pick"),
                ("Tab", "keep"),
                ("Esc", "clear"),
                ("↑/↓", "move"),
            ]
        } else {
            &[
                ("Enter", "pick"),
                ("j/k", "move"),
                ("/", "filter"),
                ("o", "sort"),
                ("r", "reload"),
                ("y", "copy ID"),
                ("Esc", "close"),
            ]
        }
    } else if app.popup.is_some() {
        match app.popup.map(|p| p.kind) {
            Some(PopupKind::Node) => &[
                ("y", "copy ID"),
                ("n", "copy name"),
                ("Esc", "close"),
                ("Ctrl-C", "quit"),
            ],
            Some(PopupKind::Error) => &[
                ("j/k", "scroll"),
                ("y", "copy request ID"),
                ("Esc", "close"),
                ("Ctrl-C", "quit"),
            ],
            _ => &[("j/k", "scroll"), ("Esc", "close"), ("Ctrl-C", "quit")],
        }
    } else {
        match app.focus {
            // Help first: when the screen is narrow the tail is left out,
            // and help lists everything else.
            Focus::Instance if app.instance.value().is_empty() => &[
                ("F1", "help"),
                ("Enter", "pick instance"),
                ("Tab", "next"),
                ("Esc", if app.busy() { "cancel" } else { "list" }),
                ("Ctrl-R", "history"),
            ],
            Focus::Backup if app.backup.value().is_empty() => &[
                ("F1", "help"),
                ("Enter", "pick backup"),
                ("Tab", "next"),
                ("Esc", if app.busy() { "cancel" } else { "list" }),
                ("Ctrl-R", "history"),
            ],
            Focus::Instance | Focus::Backup => &[
                ("F1", "help"),
                ("Enter", "look up"),
                ("Tab", "next"),
                ("Esc", if app.busy() { "cancel" } else { "list" }),
                ("Ctrl-C", "quit"),
            ],
            Focus::List => &[
                ("?", "help"),
                ("i", "instances"),
                ("b", "backups"),
                ("^R", "history"),
                ("p", "profiles"),
                ("/", "filter"),
                ("y/Y", "copy"),
                ("s", "save"),
                ("r", "reload"),
                ("e", "error"),
                ("q", "quit"),
            ],
            Focus::Filter => &[
                ("type", "to filter"),
                ("Enter", "keep"),
                ("Esc", "clear"),
                ("↑/↓", "move"),
            ],
        }
    };
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    if app.busy() && app.focus == Focus::List && !app.covered() && app.password.is_none() {
        pairs.push(("Esc", "cancel"));
    }
    pairs.extend_from_slice(keys);
    // Whole hints only: on a narrow screen the last ones are left out rather
    // than cut in half (the trailing gap may hang over the edge).
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, what) in pairs {
        let what = format!(" {what}  ");
        let w = text::width(key) + text::width(&what);
        if used + w > usize::from(area.width) + 2 {
            break;
        }
        used += w;
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::styled(what, theme.dim()));
    }
    frame.render_widget(
        Paragraph::new(fit_spans(spans, usize::from(area.width))),
        area,
    );
}

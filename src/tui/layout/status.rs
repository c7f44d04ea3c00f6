//! What the status bar says (what the last lookup did), whether it is a
//! message for the log, and the spinner and time formats the other views
//! share. `update` logs from it; `ui::status` draws it.

use std::time::Duration;

use ratatui::text::Span;

use crate::http;

use super::super::app::{App, Lookup, PopupKind};
use super::super::overlay::Overlay;
use super::super::picker::{Picker, PickerLoad};
use super::super::text;
use super::super::theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The spinner's frame `elapsed` into a wait.
pub fn spinner(elapsed: Duration) -> &'static str {
    SPINNER[(elapsed.as_millis() / 100) as usize % SPINNER.len()]
}

/// `14:02:31`.
pub fn clock(t: jiff::civil::Time) -> String {
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

/// The status bar's text when it is a message worth keeping (a notice or
/// how a lookup or listing ended), without styles: what the messages
/// overlay lists. Spinners, counts and "Ready" are not messages.
pub fn message(app: &App) -> Option<String> {
    logged(app).map(|(text, _)| text)
}

/// [`message`], and whether it is how a lookup or listing ended (shown
/// again after every notice, so logged only when it differs from the last
/// such outcome) rather than a message of its own.
pub fn logged(app: &App) -> Option<(String, bool)> {
    let (spans, kept) = spans(app, app.theme);
    let outcome = matches!(kept, Some(Kept::Outcome));
    kept.map(|kept| (kept.text(&spans), outcome))
}

/// Whether the status bar's line is a message for the log, and in what
/// words.
pub enum Kept {
    /// The line as shown.
    Shown,
    /// The line as shown, a lookup's or a listing's outcome.
    Outcome,
    /// Words of their own: a line that changes on its own (the watch's
    /// next check time) is logged once, as what it is about.
    As(String),
}

impl Kept {
    fn text(self, spans: &[Span<'static>]) -> String {
        match self {
            Kept::Shown | Kept::Outcome => spans.iter().map(|s| s.content.as_ref()).collect(),
            Kept::As(text) => text,
        }
    }
}

/// The status bar's spans, and whether (and how) they are a message to
/// keep in the log.
pub fn spans(app: &App, theme: Theme) -> (Vec<Span<'static>>, Option<Kept>) {
    // With the log open, the bar shows the newest message it holds, never
    // an older outcome under a newer one.
    if app.notice.is_none()
        && app.overlays.top_popup_is(PopupKind::Messages)
        && let Some(newest) = app.messages.newest_first().next()
    {
        return (vec![Span::raw(text::sanitize(&newest.text))], None);
    }
    if app.notice.is_none()
        && app.password().is_none()
        && app.picker().is_none()
        && let Some((spans, log)) = super::watching::line(app, theme)
    {
        return (spans, log.map(Kept::As));
    }
    let view = match app.overlays.top() {
        Some(Overlay::Readiness(view)) => Some(view),
        _ => None,
    };
    let keep = app.notice.is_some()
        || app.password().is_none()
            && match view {
                // The readiness view's verdict is a message once every
                // call has answered; its progress is not.
                Some(view) => !view.loading(),
                None => match app.picker() {
                    Some(p) => matches!(p.load, PickerLoad::Failed { .. } | PickerLoad::Stopped),
                    None => {
                        matches!(
                            app.slot().lookup,
                            Lookup::Loaded { .. }
                                | Lookup::Failed { .. }
                                | Lookup::Cancelled { .. }
                        )
                    }
                },
            };
    let spans = if let Some(notice) = &app.notice {
        vec![Span::styled(
            format!("» {}", text::sanitize(notice)),
            theme.warn(),
        )]
    } else if app.password().is_some() {
        // The lookup waits for the operator, not the network.
        vec![
            Span::styled("…", theme.key()),
            Span::raw(" Waiting for the IAM password"),
            Span::styled(" · Esc cancels the sign-in", theme.dim()),
        ]
    } else if let Some(view) = view {
        super::readiness::status(view, theme)
    } else if let Some(picker) = app.picker() {
        picker_status(picker, theme)
    } else {
        match &app.slot().lookup {
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
    let kind = if app.notice.is_some() || view.is_some() {
        Kept::Shown
    } else {
        Kept::Outcome
    };
    (spans, keep.then_some(kind))
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

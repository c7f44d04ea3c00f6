//! What the status bar says (what the last lookup did), whether it is a
//! message for the log, and the spinner and duration formats the other
//! views share (its clock is `shown::time`'s). `update` logs from it;
//! `ui::status` draws it.

use std::time::Duration;

use ratatui::text::Span;

use crate::http;
use crate::shown::time::clock;

use super::super::app::{App, Lookup};
use super::super::picker::{Picker, PickerLoad};
use super::super::text;
use super::super::theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The spinner's frame `elapsed` into a wait.
pub fn spinner(elapsed: Duration) -> &'static str {
    SPINNER[(elapsed.as_millis() / 100) as usize % SPINNER.len()]
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

/// What an overlay puts in the status bar (see `overlay::Layer::status`).
pub struct Said {
    pub spans: Vec<Span<'static>>,
    /// Whether (and how) the line is a message for the log.
    pub kept: Option<Kept>,
    /// Shown even while a backup is watched, whose line it keeps away.
    pub over_watch: bool,
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
    if let Some(notice) = &app.notice {
        let said = format!("» {}", text::sanitize(notice));
        return (vec![Span::styled(said, theme.warn())], Some(Kept::Shown));
    }
    // The overlays' own lines: the first one, from the front, is shown;
    // one that speaks over the watch (the password, a picker, the log in
    // front) also keeps the watch's line away wherever it is.
    let mut first: Option<Said> = None;
    let mut over_watch = false;
    for (at, overlay) in app.overlays.iter().rev().enumerate() {
        if let Some(said) = overlay.status(app, at == 0, theme) {
            over_watch |= said.over_watch;
            if first.is_none() {
                first = Some(said);
            }
        }
    }
    match first {
        Some(said) if said.over_watch => return (said.spans, said.kept),
        _ => {}
    }
    if !over_watch && let Some((spans, log)) = super::watching::line(app, theme) {
        return (spans, log.map(Kept::As));
    }
    if let Some(said) = first {
        return (said.spans, said.kept);
    }
    let keep = matches!(
        app.slot().lookup,
        Lookup::Loaded { .. } | Lookup::Failed { .. } | Lookup::Cancelled { .. }
    );
    let spans = match &app.slot().lookup {
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
    };
    (spans, keep.then_some(Kept::Outcome))
}

/// The status bar while a picker is open: its loading, its count, or why
/// it failed.
pub fn picker_status(picker: &Picker, theme: Theme) -> Vec<Span<'static>> {
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

//! The status bar (what the last lookup did), and the spinner and time
//! formats the other views share.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::http;

use crate::keymap::{Action, Context, KeySpec};

use super::super::app::{App, Lookup, PopupKind};
use super::super::overlay::Overlay;
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
enum Kept {
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

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let (spans, kept) = spans(app, theme);
    let keep = kept.is_some();
    let width = usize::from(area.width);
    let total: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let line = match open_messages_key(app) {
        // A kept message that does not fit says how to read it whole.
        Some(key) if keep && total > width => {
            let marker = format!("… {key}");
            let room = width.saturating_sub(text::width(&marker));
            let mut line = cut_spans(spans, room);
            line.push_span(Span::styled(marker, theme.key()));
            line
        }
        _ => fit_spans(spans, width),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The first key that opens the messages overlay from where the keys go
/// now: in a text field a character key would be typed, so none is named
/// there unless one with Ctrl or a function key is bound.
fn open_messages_key(app: &App) -> Option<KeySpec> {
    app.keys
        .keys_at(Context::Anywhere, app.typing(), Action::Messages)
        .first()
        .copied()
}

/// `spans` cut to `width` cells without a `…` of their own (the caller
/// adds the marker).
fn cut_spans(spans: Vec<Span<'static>>, width: usize) -> ratatui::text::Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let part = text::cut(&span.content, width - used);
        used += text::width(&part);
        let whole = part.len() == span.content.len();
        out.push(Span::styled(part, span.style));
        if !whole {
            break;
        }
    }
    ratatui::text::Line::from(out)
}

/// The status bar's spans, and whether (and how) they are a message to
/// keep in the log.
fn spans(app: &App, theme: Theme) -> (Vec<Span<'static>>, Option<Kept>) {
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

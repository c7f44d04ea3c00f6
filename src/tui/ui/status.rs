//! The status bar (what the last lookup did) and the key hint line.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::api::IdField;
use crate::http;

use crate::keymap::{Action, Context, KeySpec};

use super::super::app::{App, Focus, Lookup, PopupKind};
use super::super::overlay::Overlay;
use super::super::picker::{Picker, PickerKind, PickerLoad};
use super::super::readiness::Table;
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

/// The status bar's text when it is a message worth keeping (a notice or
/// how a lookup or listing ended), without styles: what the messages
/// overlay lists. Spinners, counts and "Ready" are not messages.
pub fn message(app: &App) -> Option<String> {
    let (spans, keep) = spans(app, app.theme);
    keep.then(|| spans.iter().map(|s| s.content.as_ref()).collect())
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let (spans, keep) = spans(app, theme);
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

/// The first key that opens the messages overlay, if any is bound.
fn open_messages_key(app: &App) -> Option<KeySpec> {
    app.keys
        .keys_at(Context::Anywhere, false, Action::Messages)
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

/// The status bar's spans, and whether they are a message to keep.
fn spans(app: &App, theme: Theme) -> (Vec<Span<'static>>, bool) {
    if app.notice.is_none()
        && app.password().is_none()
        && app.picker().is_none()
        && let Some(watching) = super::watching::line(app, theme)
    {
        return watching;
    }
    // The view in front has its own line; its outcome is on screen, so it
    // is not kept as a message.
    let view = match app.overlays.top() {
        Some(Overlay::Readiness(view)) => Some(view),
        _ => None,
    };
    let keep = app.notice.is_some()
        || app.password().is_none()
            && view.is_none()
            && match app.picker() {
                Some(p) => matches!(p.load, PickerLoad::Failed { .. } | PickerLoad::Stopped),
                None => {
                    matches!(
                        app.slot().lookup,
                        Lookup::Loaded { .. } | Lookup::Failed { .. } | Lookup::Cancelled { .. }
                    )
                }
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
    (spans, keep)
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

/// One hint: the first key in force of each action (joined by `/`) and
/// the label of the first, unless another is given; or a fixed text.
enum Item {
    Keys(&'static [Action], Option<&'static str>),
    Text(&'static str, &'static str),
}

use Item::{Keys, Text};

/// The key hint line: what the keys do where the keys go now (the overlay
/// in front, else the focus), with the keys in force.
pub fn hint(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    use Action as A;
    let busy_esc = if app.busy() { "cancel" } else { "list" };
    let (place, typing, items): (Context, bool, Vec<Item>) = match app.overlays.top() {
        Some(Overlay::Password(_)) => (
            Context::Password,
            true,
            vec![
                Keys(&[A::Submit], None),
                Keys(&[A::Back], None),
                Keys(&[A::Quit], None),
            ],
        ),
        Some(Overlay::Save(prompt)) if prompt.confirm.is_some() => (
            Context::Save,
            false,
            vec![
                Keys(&[A::Replace], None),
                Text("any key", "keep it"),
                Keys(&[A::Quit], None),
            ],
        ),
        Some(Overlay::Save(_)) => (
            Context::Save,
            true,
            vec![
                Text("type", "the file name"),
                Keys(&[A::Submit], None),
                Keys(&[A::Back], None),
                Keys(&[A::DeleteToStart], None),
            ],
        ),
        Some(Overlay::Popup(open)) => {
            let items = match open.kind {
                PopupKind::Node => vec![
                    Keys(&[A::CopyId], None),
                    Keys(&[A::CopyName], None),
                    Keys(&[A::Back], None),
                    Keys(&[A::Readiness], None),
                    Keys(&[A::Quit], None),
                ],
                PopupKind::Error => vec![
                    Keys(&[A::Down, A::Up], Some("scroll")),
                    Keys(&[A::CopyId], Some("copy request ID")),
                    Keys(&[A::Back], None),
                    Keys(&[A::Quit], None),
                ],
                PopupKind::Backup => vec![
                    Keys(&[A::CopyId], None),
                    Keys(&[A::CopyName], None),
                    Keys(&[A::Back], None),
                    Keys(&[A::Readiness], None),
                    Keys(&[A::Quit], None),
                ],
                PopupKind::Help | PopupKind::Messages => vec![
                    Keys(&[A::Down, A::Up], Some("scroll")),
                    Keys(&[A::Back], None),
                    Keys(&[A::Quit], None),
                ],
            };
            (Context::Popup, false, items)
        }
        Some(Overlay::Profiles(_)) => (
            Context::Profiles,
            false,
            vec![
                Keys(&[A::Switch], None),
                Text("1-9", "switch to"),
                Keys(&[A::Down, A::Up], Some("move")),
                Keys(&[A::Back], None),
            ],
        ),
        Some(Overlay::History(view)) if view.typing => (
            Context::History,
            true,
            vec![
                Text("type", "to filter"),
                Keys(&[A::Rerun], Some("look up")),
                Keys(&[A::KeepFilter], None),
                Keys(&[A::Back], Some("clear")),
            ],
        ),
        // With no row shown only the filter and closing act.
        Some(Overlay::History(view)) if view.rows.shown() == 0 => (
            Context::History,
            false,
            vec![Keys(&[A::Filter], None), Keys(&[A::Back], None)],
        ),
        Some(Overlay::History(_)) => (
            Context::History,
            false,
            vec![
                Keys(&[A::Rerun], None),
                Text("1-9", "look up Nth"),
                Keys(&[A::Down, A::Up], Some("move")),
                Keys(&[A::Filter], None),
                Keys(&[A::CopyId], None),
                Keys(&[A::Back], None),
            ],
        ),
        Some(Overlay::Picker(picker)) if picker.typing => (
            Context::Picker,
            true,
            vec![
                Text("type", "to filter"),
                Keys(&[A::Pick], None),
                Keys(&[A::KeepFilter], None),
                Keys(&[A::Back], Some("clear")),
                Keys(&[A::Up, A::Down], Some("move")),
            ],
        ),
        Some(Overlay::Picker(picker)) => {
            let backup = picker.rows.selected_item().is_some()
                && matches!(picker.kind, PickerKind::Backups { .. });
            let mut items = vec![
                Keys(&[A::Pick], None),
                Keys(&[A::Down, A::Up], Some("move")),
                Keys(&[A::Filter], None),
                Keys(&[A::Sort], None),
                Keys(&[A::Reload], None),
                Keys(&[A::CopyId], None),
                Keys(&[A::Back], None),
            ];
            if backup {
                // Readiness in front and sorting last, so a narrow line
                // still says how to close.
                items.insert(1, Keys(&[A::Readiness], None));
                let sort = items.remove(4);
                items.push(sort);
            }
            (Context::Picker, false, items)
        }
        Some(Overlay::Find(view)) if view.typing => (
            Context::Find,
            true,
            vec![
                Text("type", "to find"),
                Keys(&[A::Pick], None),
                Keys(&[A::Down, A::Up], Some("move")),
                Keys(&[A::KeepFilter], None),
                Keys(&[A::Back], None),
            ],
        ),
        Some(Overlay::Find(_)) => (
            Context::Find,
            false,
            vec![
                Keys(&[A::Pick], None),
                Keys(&[A::Down, A::Up], Some("move")),
                Keys(&[A::Filter], None),
                Keys(&[A::CopyId], None),
                Keys(&[A::Back], None),
            ],
        ),
        Some(Overlay::Readiness(view)) => {
            let (nodes, targets) = view.counts();
            let rows = match view.acting() {
                Some(Table::Nodes) => nodes,
                Some(Table::Targets) => targets,
                None => 0,
            };
            let when = |on: bool, item: Item| on.then_some(item);
            let items = [
                when(rows > 1, Keys(&[A::Down, A::Up], Some("move"))),
                when(nodes > 0 && targets > 0, Keys(&[A::NextField], None)),
                when(rows > 0, Keys(&[A::CopyId], None)),
                Some(Keys(&[A::Reload], None)),
                Some(Keys(&[A::Back], None)),
                Some(Keys(&[A::Help], None)),
            ];
            (
                Context::Readiness,
                false,
                items.into_iter().flatten().collect(),
            )
        }
        None => match app.slot().focus {
            // Help first: when the screen is narrow the tail is left out,
            // and help lists everything else.
            Focus::Instance | Focus::Backup => {
                let empty = match app.slot().focus {
                    Focus::Instance => app.slot().instance.value().is_empty(),
                    _ => app.slot().backup.value().is_empty(),
                };
                // Enter on the empty backup field picks only once the
                // instance is valid; before that, the way to the instance.
                let no_instance = app.field_problem(IdField::Instance).is_some();
                let submit = match (empty, app.slot().focus) {
                    (true, Focus::Instance) => Keys(&[A::Submit], Some("pick instance")),
                    (true, _) if no_instance => Keys(&[A::PrevField], Some("instance")),
                    (true, _) => Keys(&[A::Submit], Some("pick backup")),
                    _ => Keys(&[A::Submit], Some("look up")),
                };
                // An empty form is where one starts: the history helps more.
                let last: &'static [Action] = if empty { &[A::History] } else { &[A::Quit] };
                (
                    Context::Field,
                    true,
                    vec![
                        Keys(&[A::Help], None),
                        submit,
                        Keys(&[A::NextField], None),
                        Keys(&[A::Back], Some(busy_esc)),
                        Keys(last, None),
                        // Where a ticket names no region, Find is the way in.
                        Keys(&[A::Find], None),
                    ],
                )
            }
            Focus::List => {
                let mut items = Vec::new();
                if app.busy() {
                    items.push(Keys(&[A::Back], Some("cancel")));
                } else if app.watched().is_some() && app.slot().filter.value().is_empty() {
                    items.push(Keys(&[A::Back], Some("stop watching")));
                }
                // Only keys that would act now: one that only answers
                // "nothing to … yet" is left out.
                let slot = app.slot();
                let shown = slot.shown.is_some();
                let when = |on: bool, item: Item| on.then_some(item);
                items.extend(
                    [
                        Some(Keys(&[A::Help], None)),
                        // What to do with the backup on screen comes
                        // before the ways to another one: readiness is the
                        // next question, and 80 columns hold it.
                        when(shown, Keys(&[A::Readiness], None)),
                        when(shown, Keys(&[A::CopyId, A::CopyJson], None)),
                        when(slot.nodes.total() > 0, Keys(&[A::Filter], None)),
                        Some(Keys(&[A::Instances], None)),
                        when(
                            app.field_problem(IdField::Instance).is_none(),
                            Keys(&[A::Backups], None),
                        ),
                        Some(Keys(&[A::History], None)),
                        Some(Keys(&[A::Profiles], None)),
                        when(shown, Keys(&[A::Save], None)),
                        when(app.repeatable().is_some(), Keys(&[A::Reload], None)),
                        when(slot.last_error.is_some(), Keys(&[A::ShowError], None)),
                        Some(Keys(&[A::Quit], None)),
                    ]
                    .into_iter()
                    .flatten(),
                );
                (Context::List, false, items)
            }
            Focus::Filter => (
                Context::Filter,
                true,
                vec![
                    Text("type", "to filter"),
                    Keys(&[A::KeepFilter], None),
                    Keys(&[A::Back], None),
                    Keys(&[A::Up, A::Down], Some("move")),
                ],
            ),
        },
    };
    let pairs = items.into_iter().filter_map(|item| match item {
        Text(key, what) => Some((key.to_string(), what)),
        Keys(actions, label) => {
            let mut keys = Vec::new();
            for &action in actions {
                let mut found = app.keys.keys_at(place, typing, action);
                // Ctrl-C quits everywhere, past every binding.
                if found.is_empty() && action == Action::Quit {
                    found.push(KeySpec::ctrl('c'));
                }
                keys.push(found.first()?.to_string());
            }
            let first = *actions.first()?;
            let what = match (label, app.keys.binding(place, typing, first)) {
                (Some(label), _) => label,
                (None, Some(binding)) => binding.hint,
                (None, None) if first == Action::Quit => "quit",
                (None, None) => return None,
            };
            Some((keys.join("/"), what))
        }
    });
    // Whole hints only: on a narrow screen the last ones are left out rather
    // than cut in half (the trailing gap may hang over the edge).
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, what) in pairs {
        let what = format!(" {what}  ");
        let w = text::width(&key) + text::width(&what);
        if used + w > usize::from(area.width) + 2 {
            break;
        }
        used += w;
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::styled(what, theme.dim()));
    }
    // The last gap may hang over the edge; without it the last hint fits.
    if let Some(last) = spans.last_mut() {
        last.content = last.content.trim_end().to_string().into();
    }
    frame.render_widget(
        Paragraph::new(fit_spans(spans, usize::from(area.width))),
        area,
    );
}

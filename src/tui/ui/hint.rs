//! The key hint line under the status bar: the keys in force where the keys
//! go now, derived from the binding table. An overlay in front lists its
//! own (`overlay::Layer::hints`); the focus's are here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::api::IdField;

use crate::keymap::{Action, Context, KeySpec};

use super::super::app::{App, Focus};
use super::super::overlay::Hint;
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

use Hint::{Keys, Text};

/// The key hint line: what the keys do where the keys go now (the overlay
/// in front, else the focus), with the keys in force.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    use Action as A;
    let busy_esc = if app.busy() { "cancel" } else { "list" };
    let (place, typing, items): (Context, bool, Vec<Hint>) = match app.overlays.top() {
        Some(top) => (top.place(), top.typing(), top.hints(app)),
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
                        // And the fleet's state, the morning's first question.
                        Keys(&[A::Health], None),
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
                let when = |on: bool, item: Hint| on.then_some(item);
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

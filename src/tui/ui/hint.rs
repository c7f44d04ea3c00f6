//! The key hint line under the status bar: the keys in force where the keys
//! go now, derived from the binding table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use crate::api::IdField;

use crate::keymap::{Action, Context, KeySpec};

use super::super::app::{App, Focus, PopupKind};
use super::super::overlay::Overlay;
use super::super::picker::PickerKind;
use super::super::readiness::Table;
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

/// One hint: the first key in force of each action (joined by `/`) and
/// the label of the first, unless another is given; or a fixed text.
enum Item {
    Keys(&'static [Action], Option<&'static str>),
    Text(&'static str, &'static str),
}

use Item::{Keys, Text};

/// The key hint line: what the keys do where the keys go now (the overlay
/// in front, else the focus), with the keys in force.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
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
                PopupKind::Row => vec![
                    Keys(&[A::CopyId], None),
                    Keys(&[A::Back], None),
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
            // The body goes on below the box: say how to get there, as the
            // border's "PgDn more" does.
            let more = super::super::layout::readiness::max_scroll(app) > 0;
            let cut = super::super::layout::readiness::footer_cut(app);
            let items = [
                when(rows > 1, Keys(&[A::Down, A::Up], Some("move"))),
                when(cut, Keys(&[A::OpenNode], None)),
                when(more, Keys(&[A::PageDown], Some("more"))),
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

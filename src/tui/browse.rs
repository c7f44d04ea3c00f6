//! Picking instead of typing: opening the pickers, their keys, and the
//! pages that fill them. Every picker only fills the form.

use std::time::Instant;

use crossterm::event::MouseEventKind;

use crate::api::{self, IdField, check_id};
use crate::fleet::ProfileId;
use crate::keymap::{Action, Context, KeySpec};

use super::act::Clip;
use super::app::{App, Focus, PopupKind};
use super::layout;
use super::layout::status::{Kept, Said};
use super::list_keys::FilteredList;
use super::msg::{Effect, Update};
use super::overlay::{Hint, Kind, Layer, Overlay};
use super::theme::Theme;

use super::picker::{PickRow, Picker, PickerKind, PickerLoad};
use Hint::{Keys, Text};

impl App {
    /// How many picker rows fit on screen now.
    pub fn picker_rows(&self) -> usize {
        layout::browser_rows(self.width, self.height)
    }

    /// `i`, or Enter on the empty Instance ID field.
    pub(super) fn open_instances(&mut self, now: Instant) -> Update {
        self.open_picker(PickerKind::Instances, now)
    }

    /// `b`, or Enter on the empty Backup ID field: the backups of the
    /// instance in the form, which must be a valid ID.
    pub(super) fn open_backups(&mut self, now: Instant) -> Update {
        let instance_id = self.slot().instance.value().to_string();
        if let Err(problem) = check_id(IdField::Instance, &instance_id) {
            // Name a key that picks from where the focus is: in a field
            // `i` is text, so there it is Enter on the empty instance field.
            self.notice = Some(if instance_id.is_empty() {
                match self.slot().focus {
                    Focus::List => format!(
                        "No instance yet: press {} to pick one, or type its ID",
                        self.key_name(Context::List, false, Action::Instances)
                    ),
                    _ => format!(
                        "No instance yet: type its ID, or press {} on the empty Instance ID field to pick one",
                        self.key_name(Context::Field, true, Action::Submit)
                    ),
                }
            } else {
                format!("Cannot list backups: {problem}")
            });
            return Update::redraw();
        }
        self.open_picker(PickerKind::Backups { instance_id }, now)
    }

    /// Opens a picker of `kind`: one of the same kind that finished loading
    /// in the last few minutes is shown again with its rows, order and
    /// selection (r reloads it) but unfiltered, since a filter from the
    /// last pick would hide rows with nothing to say so; a backup picker
    /// with none is filled from Find's whole listing of the profile, if
    /// fresh; otherwise loading starts.
    fn open_picker(&mut self, kind: PickerKind, now: Instant) -> Update {
        if let Some(mut picker) = self.cached_picker(self.active_id(), &kind, now) {
            picker.typing = false;
            picker.filter.clear();
            picker.refilter(self.picker_rows());
            // The terminal may have been resized since it was closed.
            picker.rows.scroll_into_view(self.picker_rows());
            self.overlays.push(Overlay::Picker(picker));
            return Update::redraw();
        }
        self.generation += 1;
        self.overlays.push(Overlay::Picker(Picker::new(
            kind.clone(),
            self.generation,
            now,
        )));
        Update::with(vec![Effect::List {
            profile: self.active_id(),
            generation: self.generation,
            kind,
        }])
    }

    /// Closes the picker, stopping its loading; a finished one is kept for
    /// the next time.
    pub(super) fn close_picker(&mut self) -> Vec<Effect> {
        let Some(Overlay::Picker(mut picker)) = self.overlays.remove(Kind::Picker) else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        if let Some(generation) = picker.loading() {
            effects.push(Effect::Cancel { generation });
            picker.load = PickerLoad::Stopped;
        }
        self.keep_picker(self.active_id(), picker);
        effects
    }

    /// Esc in a picker: closes it with the focus on the list, so no letter
    /// is typed into a field by surprise; and when a backup is on screen
    /// the form goes back to that backup's IDs (an instance picked on the
    /// way is dropped), so the form, the pane and the focus agree. With
    /// nothing on screen the form keeps what was picked into it.
    pub(super) fn leave_picker(&mut self) -> Vec<Effect> {
        let effects = self.close_picker();
        self.slot_mut().focus = Focus::List;
        let slot = self.slot();
        let Some(shown) = &slot.shown else {
            return effects;
        };
        let (instance, backup) = match &slot.last_query {
            Some(q) if q.backup == shown.id => (q.instance.clone(), q.backup.clone()),
            _ => (shown.instance_id.clone(), shown.id.clone()),
        };
        if slot.instance.value() != instance || slot.backup.value() != backup {
            self.notice = Some(format!(
                "Back to {} of {}, the backup on screen",
                crate::terminal_text::sanitize(&backup),
                crate::terminal_text::sanitize(&instance)
            ));
            let slot = self.slot_mut();
            slot.instance = super::input::TextField::id(&instance);
            slot.backup = super::input::TextField::id(&backup);
        }
        self.slot_mut().focus = Focus::List;
        effects
    }

    /// The open picker's rows, filter and typing flag as one list.
    pub(super) fn picker_list(&mut self) -> Option<FilteredList<'_, PickRow>> {
        self.overlays.picker_mut().map(|p| FilteredList {
            rows: &mut p.rows,
            filter: &mut p.filter,
            typing: &mut p.typing,
        })
    }

    /// Keys while a picker is in front.
    pub(super) fn picker_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let view = self.picker_rows();
        let typing = self.picker().is_some_and(|p| p.typing);
        let action = self.keys.action(Context::Picker, typing, key);
        if let Some(redraw) = self
            .picker_list()
            .and_then(|mut l| l.key(action, key, view))
        {
            return Update {
                effects: Vec::new(),
                redraw,
            };
        }
        let Some(picker) = self.overlays.picker_mut() else {
            return Update::none();
        };
        match action {
            Some(Action::Pick) => self.pick(now),
            Some(Action::Back) => Update::with(self.leave_picker()),
            Some(Action::Sort) => {
                self.notice = Some(picker.cycle_sort(view));
                Update::redraw()
            }
            Some(Action::Reload) => {
                let mut effects = Vec::new();
                if let Some(generation) = picker.loading() {
                    effects.push(Effect::Cancel { generation });
                }
                self.generation += 1;
                picker.restart(self.generation, now);
                effects.push(Effect::List {
                    profile: ProfileId(self.active),
                    generation: self.generation,
                    kind: picker.kind.clone(),
                });
                Update::with(effects)
            }
            Some(Action::CopyId) => {
                let id = picker.rows.selected_item().map(|r| r.id.clone());
                let what = match picker.kind {
                    PickerKind::Instances => "instance ID",
                    PickerKind::Backups { .. } => "backup ID",
                };
                self.copy(Clip::Id, id, what, "No row selected to copy")
            }
            Some(Action::Readiness) => self.open_readiness_on_picked(now),
            Some(Action::ShowError) if matches!(picker.load, PickerLoad::Failed { .. }) => {
                self.open(PopupKind::Error)
            }
            Some(Action::ShowError) => {
                self.notice = Some("No error to show".into());
                Update::redraw()
            }
            other => self.anywhere(other, now),
        }
    }

    /// A paste while a picker is open goes into its filter.
    pub(super) fn picker_paste(&mut self, text: &str) -> Update {
        let view = self.picker_rows();
        match self.picker_list() {
            Some(mut list) => {
                let pasted = list.paste(text, view);
                self.pasted(pasted)
            }
            None => Update::none(),
        }
    }

    /// Enter in a picker: fills the form from the selected row. An
    /// instance moves on to the Backup ID field; a backup is looked up.
    fn pick(&mut self, now: Instant) -> Update {
        let Some(picker) = self.picker() else {
            return Update::none();
        };
        let Some(row) = picker.rows.selected_item().cloned() else {
            self.notice = Some(match picker.load {
                PickerLoad::Loading { .. } => "Nothing to pick yet: the list is loading".into(),
                _ => format!("No {} to pick", picker.noun()),
            });
            return Update::redraw();
        };
        // The row came from the server: an ID outside the rule is never put
        // in the form, where the field's filter could turn it into another,
        // valid ID.
        if let Some(problem) = crate::ids::id_problem(&row.id) {
            let what = match picker.kind {
                PickerKind::Instances => "instance ID",
                PickerKind::Backups { .. } => "backup ID",
            };
            self.notice = Some(format!("Cannot pick: this {what} {problem}"));
            return Update::redraw();
        }
        let kind = picker.kind.clone();
        let mut effects = self.close_picker();
        match kind {
            PickerKind::Instances => {
                if self.slot().instance.value() != row.id {
                    self.slot_mut().instance = super::input::TextField::id(&row.id);
                    self.slot_mut().backup.clear();
                }
                self.slot_mut().focus = Focus::Backup;
                // Its backups at once: the next question is which one, and
                // no field is left waiting for keys the operator did not
                // mean as text.
                let opened = self.open_backups(now);
                effects.extend(opened.effects);
                self.notice = Some(format!(
                    "Instance {} · pick one of its backups (Esc goes back)",
                    display_name(&row)
                ));
            }
            PickerKind::Backups { instance_id } => {
                self.slot_mut().instance = super::input::TextField::id(&instance_id);
                self.slot_mut().backup = super::input::TextField::id(&row.id);
                self.slot_mut().picked = Some(row);
                effects.extend(self.submit(now));
            }
        }
        Update::with(effects)
    }

    /// A page of the open picker's listing arrived. The picker is open in
    /// the shown profile only (the switcher cannot be opened over it), so
    /// a page for another profile is from a listing already stopped.
    pub(super) fn on_list_page(
        &mut self,
        profile: ProfileId,
        generation: u64,
        rows: Vec<PickRow>,
        scanned: usize,
        total: Option<u64>,
    ) -> Update {
        let view = self.picker_rows();
        let shown = profile == self.active_id();
        match self.overlays.picker_mut() {
            Some(picker) if shown && picker.loading() == Some(generation) => {
                picker.add_page(rows, scanned, total, view);
                Update::redraw()
            }
            _ => Update::none(),
        }
    }

    /// The open picker's listing ended.
    pub(super) fn on_list_done(
        &mut self,
        profile: ProfileId,
        generation: u64,
        result: Result<bool, api::Error>,
        now: Instant,
    ) -> Update {
        let shown = profile == self.active_id();
        match self.overlays.picker_mut() {
            Some(picker) if shown && picker.loading() == Some(generation) => {
                picker.finish(result, now);
                Update::redraw()
            }
            _ => Update::none(),
        }
    }
}

/// A row's name with its ID, or the ID alone when it has no name.
fn display_name(row: &PickRow) -> String {
    if row.name.is_empty() {
        row.id.clone()
    } else {
        format!("{} ({})", row.name, row.id)
    }
}

/// The pickers: their rows take the mouse and keep the selection in sight,
/// their listing's spinner ticks, and the status bar says how it loads.
impl Layer for Picker {
    const PLACE: Context = Context::Picker;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        app.picker_key(key, now)
    }

    fn paste(app: &mut App, text: &str, _now: Instant) -> Update {
        app.picker_paste(text)
    }

    fn mouse(app: &mut App, kind: MouseEventKind, clicked: Option<usize>) -> bool {
        let view = app.picker_rows();
        app.picker_list()
            .is_some_and(|mut l| l.mouse(kind, clicked, view))
    }

    fn resized(app: &mut App) {
        let view = app.picker_rows();
        if let Some(picker) = app.overlays.picker_mut() {
            picker.rows.scroll_into_view(view);
        }
    }

    fn typing(&self) -> bool {
        self.typing
    }

    fn ticking(&self) -> bool {
        self.loading().is_some()
    }

    fn tick(&mut self, now: Instant) -> bool {
        match &mut self.load {
            PickerLoad::Loading { now: last, .. } => {
                *last = now;
                true
            }
            _ => false,
        }
    }

    fn hints(&self, _app: &App) -> Vec<Hint> {
        use Action as A;
        if self.typing {
            return vec![
                Text("type", "to filter"),
                Keys(&[A::Pick], None),
                Keys(&[A::KeepFilter], None),
                Keys(&[A::Back], Some("clear")),
                Keys(&[A::Up, A::Down], Some("move")),
            ];
        }
        let backup =
            self.rows.selected_item().is_some() && matches!(self.kind, PickerKind::Backups { .. });
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
        items
    }

    /// Wherever it is in the stack: a popup over it (its error, the help)
    /// leaves its listing's progress in sight.
    fn status(&self, _app: &App, _on_top: bool, theme: Theme) -> Option<Said> {
        Some(Said {
            spans: layout::status::picker_status(self, theme),
            kept: matches!(self.load, PickerLoad::Failed { .. } | PickerLoad::Stopped)
                .then_some(Kept::Outcome),
            over_watch: true,
        })
    }
}

#[cfg(test)]
#[path = "browse_tests.rs"]
mod tests;

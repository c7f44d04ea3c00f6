//! The restore readiness view (`R`): for one backup, its list row, the
//! instance's restore windows, its data nodes then and now, and the
//! instances that could take a restore. Each section is its own call and
//! task; an answer lands by profile and generation, so one that comes
//! after `r`, Esc or another open changes nothing.

mod state;

use std::time::Instant;

use crate::api::{BackupDetail, BackupRow, IdField, check_id};
use crate::fleet::ProfileId;
use crate::keymap::{Action, Context, KeySpec};
use crate::readiness::{NO_WINDOW_TO_ASK, Part};

pub use state::{Answer, Ask, ColumnFit, NodeLine, ReadinessView, Table, has_note, slot_of};

use super::act::Clip;
use super::app::App;
use super::layout::status::{Kept, Said};
use super::msg::{Effect, Update};
use super::overlay::{Hint, Kind, Layer, Overlay};
use super::picker::{PickRow, PickerKind};
use super::theme::Theme;

use Hint::Keys;

impl App {
    /// The open readiness view.
    pub fn readiness(&self) -> Option<&ReadinessView> {
        self.overlays.readiness()
    }

    /// `R` in the list: the shown backup. Its detail is on screen already,
    /// so ShowBackup is not asked again.
    pub(super) fn open_readiness_on_shown(&mut self, now: Instant) -> Update {
        let slot = self.slot();
        let Some(shown) = slot.shown.clone() else {
            self.notice = Some("No backup shown yet: look one up first".into());
            return Update::redraw();
        };
        // The IDs the lookup used, when it is the one shown; the server's
        // instance ID otherwise (a newer lookup is in flight).
        let instance = match &slot.last_query {
            Some(q) if q.backup == shown.id => q.instance.clone(),
            _ => shown.instance_id.clone(),
        };
        let row = self.fresh_row(&instance, &shown.id, now);
        self.open_readiness(instance, shown.id, row, now)
    }

    /// `R` in the backup picker: the selected row, which is fresh (it is
    /// loading now, or finished loading in the last few minutes).
    pub(super) fn open_readiness_on_picked(&mut self, now: Instant) -> Update {
        let Some(picker) = self.picker() else {
            return Update::none();
        };
        let PickerKind::Backups { instance_id } = &picker.kind else {
            self.notice = Some("Readiness is for a backup: pick an instance, then a backup".into());
            return Update::redraw();
        };
        let Some(pick) = picker.rows.selected_item() else {
            self.notice = Some("No backup selected".into());
            return Update::redraw();
        };
        let fresh = picker.loading().is_some() || picker.fresh(now);
        let row = fresh.then(|| backup_row(pick));
        let (instance, backup) = (instance_id.clone(), pick.id.clone());
        self.open_readiness(instance, backup, row, now)
    }

    /// A row for `backup` from a backup list of this profile loaded in the
    /// last few minutes, if one has it.
    fn fresh_row(&self, instance: &str, backup: &str, now: Instant) -> Option<BackupRow> {
        self.fresh_pick_row(self.active_id(), instance, backup, now)
            .map(backup_row)
    }

    /// Opens the view for `backup` of `instance`, with its list row when
    /// one is at hand, and starts a call for every other section.
    pub(super) fn open_readiness(
        &mut self,
        instance: String,
        backup: String,
        row: Option<BackupRow>,
        now: Instant,
    ) -> Update {
        for (field, id) in [(IdField::Instance, &instance), (IdField::Backup, &backup)] {
            if let Err(problem) = check_id(field, id) {
                self.notice = Some(format!("Cannot check readiness: {problem}"));
                return Update::redraw();
            }
        }
        let mut effects = self.close_readiness();
        let mut view = ReadinessView::new(self.active_id(), &instance, &backup, now);
        if let Some(detail) = self.shown_detail(&backup) {
            view.update_report(|r| r.detail = Part::Ready(detail));
        }
        if let Some(row) = row {
            // A backup being made is watched while the view is open.
            effects.extend(self.row_learned(self.active_id(), &instance, &row, now));
            view.update_report(|r| r.row = Part::Ready(Some(row)));
        }
        effects.extend(self.start_sections(&mut view));
        self.overlays.push(Overlay::Readiness(Box::new(view)));
        Update::with(effects)
    }

    /// The shown backup as ShowBackup gave it, when it is `backup`.
    fn shown_detail(&self, backup: &str) -> Option<BackupDetail> {
        let slot = self.slot();
        let shown = slot.shown.as_ref().filter(|s| s.id == backup)?;
        Some(BackupDetail {
            id: shown.id.clone(),
            name: shown.name.clone(),
            instance_id: shown.instance_id.clone(),
            instance_name: shown.instance_name.clone(),
            related_data_nodes: slot.nodes.all().to_vec(),
            nodes_cut: shown.nodes_cut,
        })
    }

    /// A call for every section still loading, but related-dn, which
    /// waits for the windows to tell its restore time.
    fn start_sections(&mut self, view: &mut ReadinessView) -> Vec<Effect> {
        let instance = view.report.instance_id.clone();
        let backup = view.report.backup_id.clone();
        let r = &view.report;
        let asks = [
            r.detail.is_loading().then(|| Ask::Detail {
                instance: instance.clone(),
                backup: backup.clone(),
            }),
            r.row.is_loading().then(|| Ask::Row {
                instance: instance.clone(),
                backup,
            }),
            r.windows.is_loading().then(|| Ask::Windows {
                instance: instance.clone(),
            }),
            r.targets.is_loading().then_some(Ask::Targets { instance }),
        ];
        asks.into_iter()
            .flatten()
            .map(|ask| self.ask(view, ask))
            .collect()
    }

    /// One call of `view`, under a generation of its own (each is its own
    /// task, cancelled on its own).
    fn ask(&mut self, view: &mut ReadinessView, ask: Ask) -> Effect {
        self.generation += 1;
        view.in_flight[slot_of(ask.call())] = Some(self.generation);
        Effect::Readiness {
            profile: view.profile,
            generation: self.generation,
            ask,
        }
    }

    /// Closes the view, cancelling its calls in flight.
    pub(super) fn close_readiness(&mut self) -> Vec<Effect> {
        match self.overlays.remove(Kind::Readiness) {
            Some(Overlay::Readiness(mut view)) => cancel(view.stop()),
            _ => Vec::new(),
        }
    }

    /// Esc in the view: closes it and, when the backup it was about is
    /// not the one shown (it was opened from the picker), stops watching
    /// it, since the operator has left that backup.
    fn leave_readiness(&mut self) -> Vec<Effect> {
        let backup = self.readiness().map(|v| v.report.backup_id.clone());
        let mut effects = self.close_readiness();
        let slot = self.slot();
        let shown = slot.shown.as_ref().map(|s| s.id.as_str());
        let watched = self.watched().map(|w| w.query.backup.as_str());
        if backup.is_some() && watched == backup.as_deref() && shown != watched {
            effects.extend(self.stop_watch(self.active_id()));
        }
        effects
    }

    /// A watch of `profile` read `row` of `backup` anew: the open view of
    /// that backup shows it (and gives up its own call for it).
    pub(super) fn watch_read_row(
        &mut self,
        profile: ProfileId,
        backup: &str,
        row: Option<BackupRow>,
    ) -> Vec<Effect> {
        let Some(view) = self.overlays.readiness_mut() else {
            return Vec::new();
        };
        if view.profile != profile || view.report.backup_id != backup {
            return Vec::new();
        }
        cancel(view.set_row(row).into_iter().collect())
    }

    /// An answer to one of the view's calls. Late ones (another profile's,
    /// a closed view's, one `r` superseded) change nothing. A row that
    /// says `creating` starts a watch.
    pub(super) fn on_readiness(
        &mut self,
        profile: ProfileId,
        generation: u64,
        answer: Answer,
        now: Instant,
    ) -> Update {
        let learned = match &answer {
            Answer::Row(Ok(Some(row))) => Some(row.clone()),
            _ => None,
        };
        let mut update = self.land_readiness(profile, generation, answer);
        if update.redraw
            && let Some(row) = learned
            && let Some(instance) = self.readiness().map(|v| v.report.instance_id.clone())
        {
            update
                .effects
                .extend(self.row_learned(profile, &instance, &row, now));
        }
        update
    }

    /// [`Self::on_readiness`] without the watch: puts the answer in its
    /// section, asking related-dn once the windows are known.
    fn land_readiness(&mut self, profile: ProfileId, generation: u64, answer: Answer) -> Update {
        let call = answer.call();
        // related-dn's generation, should the windows call for it: taken
        // before the view is borrowed, handed out only if used.
        let next = self.generation + 1;
        let Some(view) = self.overlays.readiness_mut() else {
            return Update::none();
        };
        if view.profile != profile || view.in_flight[slot_of(call)] != Some(generation) {
            return Update::none();
        }
        view.in_flight[slot_of(call)] = None;
        let mut ask = None;
        view.update_report(|report| match answer {
            Answer::Detail(r) => report.detail = Part::from_result(r),
            Answer::Row(r) => report.row = Part::from_result(r),
            Answer::Now(r) => report.now = Part::from_result(r),
            Answer::Targets(r) => report.targets = Part::from_result(r),
            Answer::Windows(r) => {
                report.windows = Part::from_result(r);
                // related-dn needs a time inside a window: the newest end.
                match (report.why_no_nodes_call(), report.restore_time()) {
                    (None, Some(at)) => {
                        let instance = report.instance_id.clone();
                        ask = Some(Ask::Now { instance, at });
                    }
                    (why, _) => {
                        report.now = Part::Skipped(why.unwrap_or(NO_WINDOW_TO_ASK));
                    }
                }
            }
        });
        let Some(ask) = ask else {
            return Update::redraw();
        };
        view.in_flight[slot_of(ask.call())] = Some(next);
        let profile = view.profile;
        self.generation = next;
        Update::with(vec![Effect::Readiness {
            profile,
            generation: next,
            ask,
        }])
    }

    /// Keys while the view is in front.
    pub(super) fn readiness_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let action = self.keys.action(Context::Readiness, false, key);
        let page = super::layout::readiness::page_lines(self);
        let Some(view) = self.overlays.readiness_mut() else {
            return Update::none();
        };
        let moved = match action {
            Some(Action::Back) => return Update::with(self.leave_readiness()),
            Some(Action::Reload) => return self.reload_readiness(now),
            Some(Action::CopyId) => {
                let (id, what) = match view.selected_id() {
                    Some((id, what)) => (Some(id), what),
                    None => (None, "ID"),
                };
                return self.copy(Clip::Id, id, what, "No row selected to copy");
            }
            Some(Action::NextField | Action::PrevField) => {
                let (nodes, targets) = view.counts();
                if nodes == 0 || targets == 0 {
                    return Update::none();
                }
                view.focus = match view.acting() {
                    Some(Table::Nodes) => Table::Targets,
                    _ => Table::Nodes,
                };
                true
            }
            Some(Action::OpenNode) if view.acting().is_some() => {
                return self.open(super::app::PopupKind::Row);
            }
            Some(Action::Down) => view.select(|at, _| at.saturating_add(1)),
            Some(Action::Up) => view.select(|at, _| at.saturating_sub(1)),
            Some(Action::First) => view.select(|_, _| 0),
            Some(Action::Last) => view.select(|_, len| len),
            Some(Action::PageDown | Action::HalfPageDown | Action::PageUp | Action::HalfPageUp) => {
                let step = match action {
                    Some(Action::HalfPageDown | Action::HalfPageUp) => page / 2,
                    _ => page,
                }
                .max(1);
                let down = matches!(action, Some(Action::PageDown | Action::HalfPageDown));
                let before = view.scroll;
                view.scroll = if down {
                    before.saturating_add(step)
                } else {
                    before.saturating_sub(step)
                };
                let max = super::layout::readiness::max_scroll(self);
                let Some(view) = self.overlays.readiness_mut() else {
                    return Update::none();
                };
                view.scroll = view.scroll.min(max);
                return Update {
                    effects: Vec::new(),
                    redraw: view.scroll != before,
                };
            }
            other => return self.anywhere(other, now),
        };
        if !moved {
            return Update::none();
        }
        self.follow_selection();
        Update::redraw()
    }

    /// Scrolls the readiness view (if open) so its selected row is on
    /// screen, with the note under it (an unavailable target's reason)
    /// when the page has room for both.
    pub(super) fn follow_selection(&mut self) {
        let Some(((first, last), height)) = super::layout::readiness::selected_lines(self) else {
            return;
        };
        if let Some(view) = self.overlays.readiness_mut() {
            if first < view.scroll {
                view.scroll = first;
            } else if last >= view.scroll + height {
                // The row itself always stays in sight.
                view.scroll = (last + 1 - height).min(first);
            }
        }
    }

    /// `r`: every section again, from the server.
    fn reload_readiness(&mut self, now: Instant) -> Update {
        let Some(old) = self.overlays.readiness_mut().map(|v| v.clone()) else {
            return Update::none();
        };
        let mut view = ReadinessView::new(
            old.profile,
            &old.report.instance_id,
            &old.report.backup_id,
            now,
        );
        view.focus = old.focus;
        view.node_at = old.node_at;
        view.target_at = old.target_at;
        view.scroll = old.scroll;
        let mut old = old;
        let mut effects = cancel(old.stop());
        effects.extend(self.start_sections(&mut view));
        if let Some(open) = self.overlays.readiness_mut() {
            *open = view;
        }
        Update::with(effects)
    }
}

fn cancel(generations: Vec<u64>) -> Vec<Effect> {
    generations
        .into_iter()
        .map(|generation| Effect::Cancel { generation })
        .collect()
}

/// A picker row back as the list row it came from (the type is already
/// the label, which labels to itself).
fn backup_row(pick: &PickRow) -> BackupRow {
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    BackupRow {
        id: text(&pick.id),
        name: text(&pick.name),
        status: Some(pick.status.clone()).filter(|s| !s.sent().is_empty()),
        backup_type: text(&pick.kind),
        created: Some(pick.created.clone()).filter(|c| !c.sent().is_empty()),
        file_size: pick
            .size
            .and_then(|b| crate::api::FileSize::from_kb(b.as_kb())),
        ..BackupRow::default()
    }
}

/// The readiness view: its selection stays in sight when the screen
/// changes, its calls' spinners tick, and, in front, the status bar says
/// how many calls answered and how it ended.
impl Layer for ReadinessView {
    const PLACE: Context = Context::Readiness;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        app.readiness_key(key, now)
    }

    fn resized(app: &mut App) {
        app.follow_selection();
    }

    fn ticking(&self) -> bool {
        self.loading()
    }

    fn tick(&mut self, now: Instant) -> bool {
        if !self.loading() {
            return false;
        }
        self.now = now;
        true
    }

    fn hints(&self, app: &App) -> Vec<Hint> {
        use Action as A;
        let (nodes, targets) = self.counts();
        let rows = match self.acting() {
            Some(Table::Nodes) => nodes,
            Some(Table::Targets) => targets,
            None => 0,
        };
        let when = |on: bool, hint: Hint| on.then_some(hint);
        // The body goes on below the box: say how to get there, as the
        // border's "PgDn more" does.
        let more = super::layout::readiness::max_scroll(app) > 0;
        let cut = super::layout::readiness::footer_cut(app);
        [
            when(rows > 1, Keys(&[A::Down, A::Up], Some("move"))),
            when(cut, Keys(&[A::OpenNode], None)),
            when(more, Keys(&[A::PageDown], Some("more"))),
            when(nodes > 0 && targets > 0, Keys(&[A::NextField], None)),
            when(rows > 0, Keys(&[A::CopyId], None)),
            Some(Keys(&[A::Reload], None)),
            Some(Keys(&[A::Back], None)),
            Some(Keys(&[A::Help], None)),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Only in front; a watch's line comes before it.
    fn status(&self, _app: &App, on_top: bool, theme: Theme) -> Option<Said> {
        on_top.then(|| Said {
            spans: super::layout::readiness::status(self, theme),
            // The verdict is a message once every call has answered; the
            // progress is not.
            kept: (!self.loading()).then_some(Kept::Shown),
            over_watch: false,
        })
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod watch_link_tests;

#[cfg(test)]
mod hostile_tests;

//! The Health view's keys and what they open: Enter the instance's backup
//! picker in its profile, `R` readiness on its newest normal backup, `v`
//! its chart, `/` and `p` what is shown, `r` a new check.

use std::time::Instant;

use crate::api::{self, BackupRow};
use crate::fleet::ProfileId;
use crate::keymap::{Action, Context, KeySpec};

use super::super::act::Clip;
use super::super::app::{App, Focus};
use super::super::input::TextField;
use super::super::layout::status::Said;
use super::super::msg::{Effect, Update};
use super::super::overlay::{Hint, Layer};
use super::super::theme::Theme;
use super::HealthView;

use Hint::{Keys, Text};

/// The selected row's instance: its profile, ID and name to show.
struct Picked {
    profile: ProfileId,
    id: String,
    name: String,
    has_good: bool,
}

impl App {
    /// Keys while the view is in front.
    pub(super) fn health_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let page = self.health_rows();
        let fleet = &self.fleet;
        let Some(view) = self.overlays.get_mut::<Box<HealthView>>() else {
            return Update::none();
        };
        let (typing, chart) = (view.typing, view.chart);
        let action = self.keys.action(Context::Health, typing, key);
        match action {
            Some(Action::Back) if chart => view.chart = false,
            Some(Action::Chart) => view.chart = !chart,
            Some(Action::Back) if typing || !view.filter.value().is_empty() => {
                let key = view.selected_key(fleet);
                view.typing = false;
                view.filter.clear();
                view.reselect(fleet, key);
            }
            Some(Action::Back) => return Update::with(self.close_health()),
            Some(Action::KeepFilter) => view.typing = false,
            Some(Action::Filter) => {
                view.typing = true;
                view.chart = false;
            }
            Some(Action::Pick) => return self.health_pick(now),
            Some(Action::Readiness) => return self.health_readiness(),
            Some(Action::Reload) => return Update::with(self.start_check(None, now)),
            Some(Action::Profiles) => {
                let key = view.selected_key(fleet);
                let ids: Vec<ProfileId> = (0..self.profiles.len()).map(ProfileId).collect();
                view.next_profile(&ids);
                view.selected = 0;
                view.reselect(fleet, key);
            }
            Some(Action::CopyId) => {
                let id = self.picked().map(|p| p.id);
                return self.copy(Clip::Id, id, "instance ID", "No instance selected to copy");
            }
            _ if {
                let count = view.count(fleet);
                view.steer(action, page, count)
            } => {}
            _ if typing => {
                if !view.filter.apply(action, key) {
                    return self.anywhere(action, now);
                }
                self.health_filtered();
            }
            other => return self.anywhere(other, now),
        }
        Update::redraw()
    }

    /// A paste while the view is in front goes into its filter.
    pub(super) fn health_paste(&mut self, text: &str) -> Update {
        let Some(view) = self.health_mut() else {
            return Update::none();
        };
        view.typing = true;
        view.chart = false;
        let pasted = view.filter.paste(text);
        self.health_filtered();
        self.pasted(pasted)
    }

    /// The filter changed: the first row shown is selected.
    fn health_filtered(&mut self) {
        let fleet = &self.fleet;
        if let Some(view) = self.overlays.get_mut::<Box<HealthView>>() {
            view.selected = 0;
            view.clamp(fleet);
        }
    }

    /// The selected row's instance, when one is selected.
    fn picked(&self) -> Option<Picked> {
        let row = self.health()?.selected_row(&self.fleet)?;
        let r = &row.report;
        Some(Picked {
            profile: r.profile_id,
            id: r.instance_id.clone(),
            name: if r.instance_name.is_empty() {
                r.instance_id.clone()
            } else {
                r.instance_name.clone()
            },
            has_good: r.verdict.last_good.is_some(),
        })
    }

    /// Says why nothing is selected.
    fn nothing_picked(&mut self) -> Update {
        self.notice = Some(if self.fleet.loading().is_some() {
            "Nothing to open yet: still checking".into()
        } else {
            "No instance selected".into()
        });
        Update::redraw()
    }

    /// Enter: shows the row's profile with its instance in the form and
    /// its backups in the picker; the view closes (H opens it again with
    /// its rows), as Find does for a result.
    fn health_pick(&mut self, now: Instant) -> Update {
        let Some(picked) = self.picked() else {
            return self.nothing_picked();
        };
        // From the server: an ID outside the rule never reaches the form.
        if let Some(problem) = crate::ids::id_problem(&picked.id) {
            self.notice = Some(format!("Cannot open: this instance ID {problem}"));
            return Update::redraw();
        }
        let mut effects = match self.land_on(picked.profile, now) {
            Ok(effects) => effects,
            Err(effects) => return Update::with(effects),
        };
        let slot = self.slot_mut();
        if slot.instance.value() != picked.id {
            slot.instance = TextField::id(&picked.id);
            slot.backup.clear();
        }
        slot.focus = Focus::List;
        effects.extend(self.open_backups(now).effects);
        Update::with(effects)
    }

    /// `R`: lists the instance's backups to find its newest normal one,
    /// then opens readiness on it over the view (Esc comes back here).
    fn health_readiness(&mut self) -> Update {
        let Some(picked) = self.picked() else {
            return self.nothing_picked();
        };
        if !picked.has_good {
            self.notice = Some(format!(
                "{} has no normal backup to check readiness on",
                picked.name
            ));
            return Update::redraw();
        }
        if let Some(problem) = crate::ids::id_problem(&picked.id) {
            self.notice = Some(format!(
                "Cannot check readiness: this instance ID {problem}"
            ));
            return Update::redraw();
        }
        self.generation += 1;
        let generation = self.generation;
        let mut effects = Vec::new();
        let Some(view) = self.health_mut() else {
            return Update::none();
        };
        if let Some((old, ..)) = view.seeking.take() {
            effects.push(Effect::Cancel { generation: old });
        }
        view.seeking = Some((generation, picked.profile, picked.id.clone()));
        self.notice = Some(format!(
            "Finding the newest normal backup of {}…",
            picked.name
        ));
        effects.push(Effect::NewestBackup {
            profile: picked.profile,
            generation,
            instance: picked.id,
        });
        Update::with(effects)
    }

    /// The newest normal backup `R` asked for: readiness opens on it, in
    /// its profile. An answer for a view closed or asked again is late.
    pub(in crate::tui) fn on_newest_backup(
        &mut self,
        profile: ProfileId,
        generation: u64,
        result: Result<Option<BackupRow>, api::Error>,
        now: Instant,
    ) -> Update {
        let Some(view) = self.health_mut() else {
            return Update::none();
        };
        let instance = match &view.seeking {
            Some((g, p, id)) if *g == generation && *p == profile => id.clone(),
            _ => return Update::none(),
        };
        view.seeking = None;
        let row = match result {
            Ok(Some(row)) => row,
            Ok(None) => {
                self.notice = Some(format!("{instance} has no normal backup listed now"));
                return Update::redraw();
            }
            Err(e) => {
                self.notice = Some(format!(
                    "Readiness not opened: the backups of {instance} could not be listed: {}",
                    e.short_line()
                ));
                return Update::redraw();
            }
        };
        let Some(backup) = row.id.clone() else {
            // Not silent: "Finding the newest…" would stay said.
            self.notice = Some(format!(
                "Readiness not opened: the newest normal backup of {instance} came without its ID"
            ));
            return Update::redraw();
        };
        let mut effects = Vec::new();
        if profile.index() != self.active {
            // switch_to closes the picker itself.
            let switched = self.switch_to(profile, now);
            effects.extend(switched.effects);
            if self.active != profile.index() {
                return Update::with(effects);
            }
        }
        let opened = self.open_readiness(instance, backup, Some(row), now);
        effects.extend(opened.effects);
        Update::with(effects)
    }
}

/// The Health view: the filter takes the keys while typing; the spinner
/// ticks while a check's calls are in flight.
impl Layer for HealthView {
    const PLACE: Context = Context::Health;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        app.health_key(key, now)
    }

    fn paste(app: &mut App, text: &str, _now: Instant) -> Update {
        app.health_paste(text)
    }

    fn typing(&self) -> bool {
        self.typing
    }

    fn ticking(&self) -> bool {
        self.spin.is_some()
    }

    fn tick(&mut self, now: Instant) -> bool {
        match &mut self.spin {
            Some((_, last)) => {
                *last = now;
                true
            }
            None => false,
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
                Keys(&[A::Down, A::Up], Some("move")),
            ];
        }
        if self.chart {
            return vec![
                Keys(&[A::Chart, A::Back], Some("back")),
                Keys(&[A::Down, A::Up], Some("next")),
                Keys(&[A::Pick], None),
                Keys(&[A::Readiness], None),
            ];
        }
        // Closing before moving: a narrow line still says how to leave.
        vec![
            Keys(&[A::Pick], None),
            Keys(&[A::Readiness], None),
            Keys(&[A::Chart], None),
            Keys(&[A::Filter], None),
            Keys(&[A::Profiles], None),
            Keys(&[A::Reload], None),
            Keys(&[A::Back], None),
            Keys(&[A::Down, A::Up], Some("move")),
        ]
    }

    /// In front: when the rows were judged and when the next check is,
    /// or the check in flight.
    fn status(&self, app: &App, on_top: bool, theme: Theme) -> Option<Said> {
        on_top.then(|| Said {
            spans: super::super::layout::health::status(app, theme),
            kept: None,
            over_watch: false,
        })
    }
}

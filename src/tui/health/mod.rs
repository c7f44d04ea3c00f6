//! Fleet health (`H`): every instance of every profile, judged by the
//! `health` rules as the check streams in, worst first. The check belongs
//! to the app, not to the view: with a refresh interval it runs again in
//! the background (one timer per refresh: the wait and the check are one
//! task, as the backup watch's are), and an instance that turns worse
//! rings the bell and says so, with the view open or closed.

mod fleet;
mod keys;
pub mod run;
mod view;

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::fleet::{Event, ProfileId};
use crate::health::{Checked, Progress, State, Thresholds};

pub use fleet::{FleetHealth, ProfileCheck, ProfileState, Row, Turned};
pub use view::HealthView;

use super::app::App;
use super::layout;
use super::msg::{Effect, HealthSource, Update};
use super::overlay::Kind;

/// The thresholds a profile's instances are judged by: its own
/// `[profiles.NAME.health]` over the file's `[health]` (as `check` reads
/// them, so the view and monitoring never disagree).
pub fn thresholds_for(profile: &crate::config::Profile) -> Arc<Thresholds> {
    Arc::new(profile.thresholds.clone())
}

/// The shortest refresh interval taken: a shorter one would keep a
/// fleet's gateways busy for little news (a backup is made once a day).
pub const MIN_REFRESH: Duration = Duration::from_secs(60);

/// What a health check tells the app, under its generation.
#[derive(Debug, Clone, PartialEq)]
pub enum News {
    /// Its calls begin (a refresh's wait is over); `at` is the instant
    /// every rule is judged at.
    Began { at: Timestamp },
    /// A profile started, listed, judged an instance, ended.
    Event(Event<Progress, Checked>),
    /// Every profile is done or failed, at `at`.
    Ended { at: Timestamp },
}

impl App {
    /// The open Health view.
    pub fn health(&self) -> Option<&HealthView> {
        self.overlays.get::<Box<HealthView>>().map(AsRef::as_ref)
    }

    pub(super) fn health_mut(&mut self) -> Option<&mut HealthView> {
        self.overlays
            .get_mut::<Box<HealthView>>()
            .map(AsMut::as_mut)
    }

    /// What the checks found.
    pub fn fleet(&self) -> &FleetHealth {
        &self.fleet
    }

    /// Rows a page of the view moves: never more than it shows.
    pub fn health_rows(&self) -> usize {
        layout::health::page_rows(self.width, self.height)
    }

    /// `H`: opens the view. A check starts unless one is in flight or
    /// waiting for its refresh time, or the last one ended within
    /// `fleet::FRESH_FOR` (its rows are shown; `r` checks again).
    pub(super) fn open_health(&mut self, now: Instant) -> Update {
        if self.health().is_some() {
            // Already open (behind a popup): brought to the front.
            if let Some(view) = self.overlays.remove(Kind::Health) {
                self.overlays.push(view);
            }
            return Update::redraw();
        }
        let fresh = self
            .fleet
            .ended
            .is_some_and(|at| crate::fleet::is_fresh(at, now));
        let mut view = HealthView::default();
        if self.fleet.loading().is_some() {
            view.spin = Some((now, now));
        }
        self.overlays.push(Box::new(view));
        if self.fleet.generation.is_some() || fresh {
            return Update::redraw();
        }
        Update::with(self.start_check(None, now))
    }

    /// Closes the view. The check goes on: its rows are the app's, and a
    /// refresh rings whether the view is open or not.
    pub(super) fn close_health(&mut self) -> Vec<Effect> {
        match self.overlays.remove(Kind::Health) {
            Some(super::overlay::Overlay::Health(view)) => view
                .seeking
                .map(|(generation, ..)| Effect::Cancel { generation })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Starts a check of every usable profile after `wait` (none: now),
    /// superseding the one in flight or waiting.
    pub(super) fn start_check(&mut self, wait: Option<Duration>, now: Instant) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(old) = self.fleet.generation {
            effects.push(Effect::Cancel { generation: old });
        }
        self.generation += 1;
        self.fleet.generation = Some(self.generation);
        self.fleet.running = false;
        let sources = self
            .profiles
            .iter()
            .enumerate()
            .map(|(at, p)| HealthSource {
                profile: ProfileId(at),
                name: p.name.clone(),
                region: p.region.clone(),
                limits: p.health.clone(),
            })
            .collect();
        if wait.is_none()
            && let Some(view) = self.health_mut()
        {
            view.spin = Some((now, now));
        }
        effects.push(Effect::HealthCheck {
            generation: self.generation,
            wait,
            sources,
            zone: self.zone.clone(),
        });
        effects
    }

    /// News of a health check; news of a check superseded changes nothing.
    pub(super) fn on_health(&mut self, generation: u64, news: News, now: Instant) -> Update {
        if self.fleet.generation != Some(generation) {
            return Update::none();
        }
        // A selection moved by the operator follows its row as rows land
        // above it; one left on the first row stays on the worst.
        let key = self
            .health()
            .filter(|v| v.selected > 0)
            .and_then(|v| v.selected_key(&self.fleet));
        // With the view closed a check changes nothing on screen (but a
        // notice of what turned worse): no frame for it.
        let shown = self.health().is_some();
        let notice = self.notice.clone();
        let mut effects = Vec::new();
        match news {
            News::Began { at } => {
                // The check's clock is the wall clock: the messages' times
                // count from it too.
                self.messages.set_anchor(now, at);
                let profiles = self
                    .profiles
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (ProfileId(i), p.name.clone(), p.region.clone()))
                    .collect();
                self.fleet.begin(profiles, at);
                if let Some(view) = self.health_mut()
                    && view.spin.is_none()
                {
                    view.spin = Some((now, now));
                }
            }
            News::Event(event) => self.fleet.apply(event),
            News::Ended { at } => effects = self.check_ended(at, now),
        }
        let fleet = &self.fleet;
        if let Some(view) = self
            .overlays
            .get_mut::<Box<HealthView>>()
            .map(AsMut::as_mut)
        {
            view.reselect(fleet, key);
        }
        Update {
            effects,
            redraw: shown || self.notice != notice,
        }
    }

    /// A check ended: the next one waits for the refresh interval, and
    /// what turned worse rings and says so.
    fn check_ended(&mut self, at: Timestamp, now: Instant) -> Vec<Effect> {
        let turned = self.fleet.end(now);
        if let Some(view) = self.health_mut() {
            view.spin = None;
        }
        let counts = self.fleet.counts(None);
        self.messages.record(
            format!(
                "Health checked: {} critical, {} unknown, {} warning, {} ok",
                counts.critical, counts.unknown, counts.warning, counts.ok
            ),
            now,
        );
        let mut effects = Vec::new();
        if let Some(every) = self.health_refresh {
            let every = every.max(MIN_REFRESH);
            effects = self.start_check(Some(every), now);
            self.fleet.due = jiff::SignedDuration::try_from(every)
                .ok()
                .and_then(|d| at.checked_add(d).ok());
        }
        if !turned.is_empty() {
            self.notice = Some(turned_sentence(&turned));
            effects.push(Effect::Alert(turned_alert(&turned)));
        }
        effects
    }
}

/// What the status bar says of instances that turned worse.
fn turned_sentence(turned: &[Turned]) -> String {
    let one = |t: &Turned| {
        let name = if t.instance_name.is_empty() {
            t.instance_id.as_str()
        } else {
            t.instance_name.as_str()
        };
        format!(
            "{name} ({}) turned {} (was {})",
            t.profile,
            t.to.word(),
            t.from.word()
        )
    };
    match turned {
        [only] => format!("Health: {}", one(only)),
        _ => {
            let all: Vec<String> = turned.iter().map(one).collect();
            format!(
                "Health: {} instances turned worse: {}",
                turned.len(),
                all.join("; ")
            )
        }
    }
}

/// The alert's words for tmux's message line: IDs that pass the ID rule
/// and states, never a name the server wrote.
fn turned_alert(turned: &[Turned]) -> String {
    let worst = turned.iter().map(|t| t.to).max().unwrap_or(State::Unknown);
    match turned {
        [only] if crate::ids::id_problem(&only.instance_id).is_none() => format!(
            "ddm-backups: {} turned {}",
            only.instance_id,
            only.to.word()
        ),
        [_] => format!("ddm-backups: an instance turned {}", worst.word()),
        _ => format!(
            "ddm-backups: {} instances turned worse (worst {})",
            turned.len(),
            worst.word()
        ),
    }
}

#[cfg(test)]
mod tests;

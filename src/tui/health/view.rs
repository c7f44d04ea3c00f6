//! The Health view's own state: which row is selected, the `/` filter,
//! the profile shown (`p`), the chart (`v`) and the spinner. The rows
//! themselves are the app's (`FleetHealth`), so a refresh fills them with
//! the view closed.

use std::time::Instant;

use crate::fleet::ProfileId;
use crate::keymap::Action;

use super::super::input::TextField;
use super::fleet::{FleetHealth, Row};

/// The open Health view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HealthView {
    /// The selected row, counted among the rows shown.
    pub selected: usize,
    /// Shows only the rows whose name or ID holds it (case folded).
    pub filter: TextField,
    /// Keys go to the filter.
    pub typing: bool,
    /// Only this profile's rows, or every profile's.
    pub profile: Option<ProfileId>,
    /// The selected instance's chart is shown instead of the rows.
    pub chart: bool,
    /// When the check in flight started and the last tick, for the
    /// spinner; `None` while nothing loads.
    pub spin: Option<(Instant, Instant)>,
    /// `R` waits for the newest normal backup of this instance (the
    /// generation of its listing, its profile, its ID).
    pub seeking: Option<(u64, ProfileId, String)>,
}

impl HealthView {
    /// The rows shown, in order: the fleet's, of the chosen profile, whose
    /// name or ID holds the filter.
    pub fn shown<'a>(&'a self, fleet: &'a FleetHealth) -> impl Iterator<Item = &'a Row> + 'a {
        let needle = crate::find::fold(self.filter.value().trim());
        fleet.rows.iter().filter(move |r| {
            self.profile.is_none_or(|p| r.report.profile_id == p)
                && (needle.is_empty() || r.folded.contains(&needle))
        })
    }

    /// How many rows are shown.
    pub fn count(&self, fleet: &FleetHealth) -> usize {
        self.shown(fleet).count()
    }

    /// The selected row.
    pub fn selected_row<'a>(&'a self, fleet: &'a FleetHealth) -> Option<&'a Row> {
        self.shown(fleet).nth(self.selected)
    }

    /// The selected row's instance (profile and ID), to find it again
    /// after rows came, went or moved.
    pub fn selected_key(&self, fleet: &FleetHealth) -> Option<(ProfileId, String)> {
        self.selected_row(fleet)
            .map(|r| (r.report.profile_id, r.report.instance_id.clone()))
    }

    /// Selects `key`'s row again wherever it is now; when it is gone the
    /// selection stays at its place, kept within the rows.
    pub fn reselect(&mut self, fleet: &FleetHealth, key: Option<(ProfileId, String)>) {
        let found = key.and_then(|(profile, id)| {
            self.shown(fleet)
                .position(|r| r.key() == (profile, id.as_str()))
        });
        if let Some(at) = found {
            self.selected = at;
        }
        self.clamp(fleet);
    }

    /// Keeps the selection on a row.
    pub fn clamp(&mut self, fleet: &FleetHealth) {
        self.selected = self.selected.min(self.count(fleet).saturating_sub(1));
    }

    /// A movement key over `count` rows, `page` of which fit; false when
    /// it is not one.
    pub fn steer(&mut self, action: Option<Action>, page: usize, count: usize) -> bool {
        match crate::tui::rows::moved(self.selected, action, page, count) {
            Some(to) => {
                self.selected = to;
                true
            }
            None => false,
        }
    }

    /// `p`: the next profile of `profiles` (in the launch's order), after
    /// the last one every profile again.
    pub fn next_profile(&mut self, profiles: &[ProfileId]) {
        self.profile = match self.profile {
            None => profiles.first().copied(),
            Some(p) => profiles
                .iter()
                .position(|x| *x == p)
                .and_then(|at| profiles.get(at + 1))
                .copied(),
        };
    }
}

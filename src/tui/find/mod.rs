//! Find (`f`): one search over every profile of the config, its results
//! streaming in grouped by profile. Typing more narrows the rows already
//! loaded without a request; Enter switches to the result's profile and
//! looks the backup up, as Enter in the history does.
//!
//! Each profile's loaded list is kept in the app's listing cache, so the
//! next Find while it is fresh (`fleet::FRESH_FOR`) searches it instead of
//! listing again, and a backup picker is filled from it.

mod state;

use std::time::Instant;

use crate::find::{Event, Query, State};
use crate::fleet::{Listing, ProfileId};
use crate::keymap::{Action, Context, KeySpec};

pub use state::{Entry, FindView, grouped, header_state, skipped};

use super::act::Clip;
use super::app::App;
use super::input::TextField;
use super::layout;
use super::listings::Listed;
use super::msg::{Effect, FindSource, Update};
use super::overlay::{Hint, Kind, Layer, Overlay};

use Hint::{Keys, Text};

impl App {
    /// The open Find overlay.
    pub fn find(&self) -> Option<&FindView> {
        self.overlays.find()
    }

    /// Result lines that fit under Find's text field and headings.
    pub fn find_rows(&self) -> usize {
        layout::browser_rows(self.width, self.height)
            .saturating_sub(1)
            .max(1)
    }

    /// `f`: opens Find, or puts the keys back in its text when open.
    pub(super) fn open_find(&mut self) -> Update {
        if let Some(view) = self.overlays.find_mut() {
            view.typing = true;
            return Update::redraw();
        }
        self.overlays.push(Overlay::Find(Box::new(FindView::new())));
        Update::redraw()
    }

    /// Closes Find, cancelling the search if it is still loading.
    pub(super) fn close_find(&mut self) -> Vec<Effect> {
        match self.overlays.remove(Kind::Find) {
            Some(Overlay::Find(view)) => view
                .loading()
                .map(|generation| Effect::Cancel { generation })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Keys while Find is in front.
    pub(super) fn find_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let page = self.find_rows();
        let Some(view) = self.overlays.find_mut() else {
            return Update::none();
        };
        let typing = view.typing;
        let action = self.keys.action(Context::Find, typing, key);
        match action {
            Some(Action::Pick) => self.open_found(now),
            Some(Action::Back) => Update::with(self.close_find()),
            Some(Action::KeepFilter) => {
                view.typing = !typing;
                Update::redraw()
            }
            Some(Action::Filter | Action::Find) => {
                view.typing = true;
                Update::redraw()
            }
            Some(Action::CopyId) => {
                let id = view.selected_result().and_then(|f| f.backup_id.clone());
                self.copy(Clip::Id, id, "backup ID", "No result selected to copy")
            }
            _ if view.steer(action, page) => Update::redraw(),
            _ if typing => {
                if !view.text.apply(action, key) {
                    return self.anywhere(action, now);
                }
                let effects = self.find_text_changed(now);
                Update::with(effects)
            }
            other => self.anywhere(other, now),
        }
    }

    /// A paste while Find is open goes into its text.
    pub(super) fn find_paste(&mut self, text: &str, now: Instant) -> Update {
        let Some(view) = self.overlays.find_mut() else {
            return Update::none();
        };
        view.typing = true;
        let pasted = view.text.paste(text);
        let effects = self.find_text_changed(now);
        let mut update = self.pasted(pasted);
        update.effects = effects;
        update
    }

    /// The text changed: start the search when it first reaches the
    /// minimum, narrow at once while it grows, and search again (only the
    /// profiles still loading, with what was loaded as `reuse`) when it
    /// got wider than what a loading profile's pages were matched with.
    fn find_text_changed(&mut self, now: Instant) -> Vec<Effect> {
        let Some(view) = self.overlays.find_mut() else {
            return Vec::new();
        };
        let query = match Query::parse(view.text.value()) {
            Ok(query) => query,
            Err(_) => {
                // Too short to search: what loads is dropped, what loaded
                // stays in the slots for the next search.
                let cancel = view
                    .loading()
                    .map(|generation| Effect::Cancel { generation });
                view.progress = None;
                view.generation = None;
                view.selected = 0;
                return cancel.into_iter().collect();
            }
        };
        let Some(progress) = &mut view.progress else {
            return self.start_find(query, None, now);
        };
        if progress.query() == &query {
            return Vec::new();
        }
        let widened = !query.narrows(progress.query());
        progress.narrow(query.clone());
        let unfinished: Vec<ProfileId> = progress
            .profiles
            .iter()
            .filter(|p| matches!(p.state, State::Waiting | State::Loading { .. }))
            .map(|p| p.id)
            .collect();
        view.clamp();
        if !widened || unfinished.is_empty() {
            return Vec::new();
        }
        self.start_find(query, Some(unfinished), now)
    }

    /// Starts a search for `query`: of every profile, or of `only` in the
    /// search already shown, superseding its search.
    fn start_find(
        &mut self,
        query: Query,
        only: Option<Vec<ProfileId>>,
        now: Instant,
    ) -> Vec<Effect> {
        self.generation += 1;
        let generation = self.generation;
        let profiles: Vec<FindSource> = self
            .profiles
            .iter()
            .enumerate()
            .map(|(at, p)| (ProfileId(at), p))
            .filter(|(id, _)| only.as_ref().is_none_or(|o| o.contains(id)))
            .map(|(profile, p)| FindSource {
                profile,
                name: p.name.clone(),
                region: p.region.clone(),
            })
            .collect();
        let reuse = self
            .listings
            .all_fresh(now)
            .filter_map(|(profile, _, listed)| match listed {
                Listed::Found(loaded) if loaded.is_fresh(now) => Some((profile, loaded.clone())),
                _ => None,
            })
            .collect();
        let mut effects = Vec::new();
        let Some(view) = self.overlays.find_mut() else {
            return effects;
        };
        if let Some(old) = view.loading() {
            effects.push(Effect::Cancel { generation: old });
        }
        if only.is_none() {
            let names = profiles
                .iter()
                .map(|p| (p.profile, p.name.clone(), p.region.clone()));
            view.progress = Some(crate::find::Progress::new(query.clone(), names));
            view.selected = 0;
            view.spin = Some((now, now));
        }
        view.generation = Some(generation);
        effects.push(Effect::Find {
            generation,
            query: Box::new(query),
            profiles,
            reuse,
        });
        effects
    }

    /// An event of a Find search; one of a search superseded or closed
    /// changes nothing. A profile's whole list is kept in its slot.
    pub(super) fn on_find(&mut self, generation: u64, event: Event) -> Update {
        let Some(view) = self.overlays.find_mut() else {
            return Update::none();
        };
        if view.generation != Some(generation) {
            return Update::none();
        }
        let Some(progress) = &mut view.progress else {
            return Update::none();
        };
        // The selected result stays selected while rows arrive above it.
        let key = |f: &crate::find::Found| (f.profile.clone(), f.backup_id.clone());
        let before = progress.results().nth(view.selected).map(key);
        let kept = match &event {
            Event::Done {
                profile, loaded, ..
            } => Some((*profile, loaded.clone())),
            _ => None,
        };
        progress.apply(event);
        if view.selected > 0
            && let Some(before) = before
            && let Some(at) = progress.results().position(|f| key(f) == before)
        {
            view.selected = at;
        }
        view.clamp();
        if let Some((profile, loaded)) = kept
            && profile.index() < self.slots.len()
        {
            let whole_at = loaded.complete().then_some(loaded.at);
            let listing = Listing::ProjectBackups;
            self.listings
                .put(profile, listing, whole_at, Listed::Found(loaded));
        }
        Update::redraw()
    }

    /// Enter on a result: switches to its profile (as the history does),
    /// fills the form with its IDs and looks the backup up; Find closes.
    fn open_found(&mut self, now: Instant) -> Update {
        let Some(view) = self.find() else {
            return Update::none();
        };
        let Some(found) = view.selected_result().cloned() else {
            self.notice = Some(match view.progress {
                None => format!(
                    "Type at least {} characters to search",
                    crate::find::MIN_CHARS
                ),
                Some(_) if view.loading().is_some() => {
                    "Nothing to open yet: still searching".into()
                }
                Some(_) => "Nothing found to open".into(),
            });
            return Update::redraw();
        };
        // Its profile by the group it is shown in: names are for people.
        let group = view.selected_group().map(|(_, p)| p.id);
        let (Some(instance), Some(backup)) = (found.instance_id, found.backup_id) else {
            self.notice = Some("Cannot open: the server sent this backup without its IDs".into());
            return Update::redraw();
        };
        // From the server: an ID outside the rule never reaches the form.
        if let Some(problem) = crate::ids::id_problem(&instance).or(crate::ids::id_problem(&backup))
        {
            self.notice = Some(format!("Cannot open: this ID {problem}"));
            return Update::redraw();
        }
        let Some(profile) = group else {
            return Update::none();
        };
        let mut effects = match self.land_on(profile, now) {
            Ok(effects) => effects,
            Err(effects) => return Update::with(effects),
        };
        let slot = self.slot_mut();
        slot.instance = TextField::id(&instance);
        slot.backup = TextField::id(&backup);
        effects.extend(self.submit(now));
        Update::with(effects)
    }
}

/// Find: its text takes the keys while typing, and its search's spinner
/// ticks.
impl Layer for FindView {
    const PLACE: Context = Context::Find;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        app.find_key(key, now)
    }

    fn paste(app: &mut App, text: &str, now: Instant) -> Update {
        app.find_paste(text, now)
    }

    fn typing(&self) -> bool {
        self.typing
    }

    fn ticking(&self) -> bool {
        self.loading().is_some()
    }

    fn tick(&mut self, now: Instant) -> bool {
        if self.loading().is_none() {
            return false;
        }
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
                Text("type", "to find"),
                Keys(&[A::Pick], None),
                Keys(&[A::Down, A::Up], Some("move")),
                Keys(&[A::KeepFilter], None),
                Keys(&[A::Back], None),
            ];
        }
        vec![
            Keys(&[A::Pick], None),
            Keys(&[A::Down, A::Up], Some("move")),
            Keys(&[A::Filter], None),
            Keys(&[A::CopyId], None),
            Keys(&[A::Back], None),
        ]
    }
}

#[cfg(test)]
mod tests;

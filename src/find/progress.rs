//! A search's results as plain data, grouped by profile: what `find`
//! prints and what the TUI's Find overlay can hold and draw.

use std::sync::Arc;

use super::{Event, Found, Loaded, Query};
use crate::api;

/// Where one profile's listing is.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Waiting for a free turn.
    Waiting,
    /// Listing: rows read so far and the total the server claims.
    Loading {
        scanned: usize,
        total: Option<u64>,
    },
    Done {
        loaded: Arc<Loaded>,
        reused: bool,
    },
    Failed {
        error: api::Error,
    },
}

/// One profile's part of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileProgress {
    pub profile: String,
    pub region: String,
    pub state: State,
    /// Its matches: newest first once done, in arrival order before.
    pub matches: Vec<Found>,
}

/// Every profile of one search, in the order they were given.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    query: Query,
    pub profiles: Vec<ProfileProgress>,
}

impl Progress {
    /// A search of `profiles` (name, region) for `query`, none started.
    pub fn new(query: Query, profiles: impl IntoIterator<Item = (String, String)>) -> Progress {
        let profiles = profiles
            .into_iter()
            .map(|(profile, region)| ProfileProgress {
                profile,
                region,
                state: State::Waiting,
                matches: Vec::new(),
            })
            .collect();
        Progress { query, profiles }
    }

    /// The query the matches are for.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Takes one event in; one about a profile not in the search is ignored.
    pub fn apply(&mut self, event: Event) {
        let query = &self.query;
        let Some(slot) = self
            .profiles
            .iter_mut()
            .find(|p| p.profile == event.profile())
        else {
            return;
        };
        match event {
            Event::Started { .. } => {
                slot.state = State::Loading {
                    scanned: 0,
                    total: None,
                };
                slot.matches.clear();
            }
            Event::Page {
                scanned,
                total,
                matches,
                ..
            } => {
                slot.state = State::Loading { scanned, total };
                // The query may have narrowed since the search started.
                slot.matches
                    .extend(matches.into_iter().filter(|f| f.matches(query)));
            }
            Event::Done { loaded, reused, .. } => {
                slot.matches = loaded.matching(query);
                slot.state = State::Done { loaded, reused };
            }
            Event::Failed { error, .. } => slot.state = State::Failed { error },
        }
    }

    /// Narrows (or widens) to `query` without a request. False when some
    /// profile's answer is incomplete for it (still loading, or failed,
    /// with a query that is not a narrowing): search again to fill it in.
    pub fn narrow(&mut self, query: Query) -> bool {
        let narrows = query.narrows(&self.query);
        let mut complete = true;
        for slot in &mut self.profiles {
            match &slot.state {
                State::Done { loaded, .. } => slot.matches = loaded.matching(&query),
                _ if narrows => slot.matches.retain(|f| f.matches(&query)),
                State::Waiting => {}
                State::Loading { .. } | State::Failed { .. } => complete = false,
            }
        }
        self.query = query;
        complete
    }

    /// True when every profile is done or failed.
    pub fn finished(&self) -> bool {
        self.profiles
            .iter()
            .all(|p| matches!(p.state, State::Done { .. } | State::Failed { .. }))
    }

    /// Matches over all profiles.
    pub fn match_count(&self) -> usize {
        self.profiles.iter().map(|p| p.matches.len()).sum()
    }

    /// Every match, grouped by profile in the search's order.
    pub fn results(&self) -> impl Iterator<Item = &Found> {
        self.profiles.iter().flat_map(|p| p.matches.iter())
    }

    /// The profiles that failed, with why.
    pub fn failures(&self) -> impl Iterator<Item = (&ProfileProgress, &api::Error)> {
        self.profiles.iter().filter_map(|p| match &p.state {
            State::Failed { error } => Some((p, error)),
            _ => None,
        })
    }
}

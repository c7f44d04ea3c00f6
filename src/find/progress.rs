//! A search's results as plain data, grouped by profile: what `find`
//! prints and what the TUI's Find overlay can hold and draw.

use std::sync::Arc;

use super::{Event, Found, Loaded, Query};
use crate::api;
use crate::fleet::ProfileId;

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
    /// Who it is; events are matched by this.
    pub id: ProfileId,
    /// Its name, for people.
    pub profile: String,
    pub region: String,
    pub state: State,
    /// Its matches: newest first once done, in arrival order before.
    pub matches: Vec<Arc<Found>>,
}

/// Every profile of one search, in the order they were given.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    query: Query,
    pub profiles: Vec<ProfileProgress>,
}

impl Progress {
    /// A search of `profiles` (identity, name, region) for `query`, none
    /// started.
    pub fn new(
        query: Query,
        profiles: impl IntoIterator<Item = (ProfileId, String, String)>,
    ) -> Progress {
        let profiles = profiles
            .into_iter()
            .map(|(id, profile, region)| ProfileProgress {
                id,
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
        let Some(slot) = self.profiles.iter_mut().find(|p| p.id == event.profile()) else {
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
        self.profiles
            .iter()
            .flat_map(|p| p.matches.iter().map(|f| &**f))
    }

    /// The profiles that failed, with why.
    pub fn failures(&self) -> impl Iterator<Item = (&ProfileProgress, &api::Error)> {
        self.profiles.iter().filter_map(|p| match &p.state {
            State::Failed { error } => Some((p, error)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::api::ListStop;

    fn found(profile: &str, id: &str, name: &str) -> Found {
        Found {
            profile: profile.into(),
            backup_id: Some(id.into()),
            backup_name: Some(name.into()),
            ..Found::default()
        }
    }

    /// Profiles a, b, c are 0, 1, 2; any other name is none of them.
    fn id(name: &str) -> ProfileId {
        ProfileId(
            ["a", "b", "c"]
                .iter()
                .position(|n| *n == name)
                .unwrap_or(99),
        )
    }

    fn q(text: &str) -> Query {
        Query::parse(text).unwrap()
    }

    fn page(profile: &str, scanned: usize, matches: Vec<Found>) -> Event {
        Event::Page {
            profile: id(profile),
            scanned,
            total: Some(4),
            matches: matches.into_iter().map(Arc::new).collect(),
        }
    }

    fn started(profile: &str) -> Event {
        Event::Started {
            profile: id(profile),
        }
    }

    fn stopped() -> api::Error {
        api::Error::ListStopped {
            reason: ListStop::Deadline(std::time::Duration::from_secs(120)),
            rows: 2,
            url: "http://x/v3/p/backups".into(),
        }
    }

    #[test]
    fn events_land_in_their_profile_in_the_search_order() {
        let names = ["a", "b", "c"].map(|n| (id(n), n.to_string(), "r".to_string()));
        let mut p = Progress::new(q("orders"), names);
        p.apply(started("c"));
        p.apply(page("c", 2, vec![found("c", "c1", "orders-1")]));
        p.apply(started("a"));
        p.apply(page("a", 2, vec![found("a", "a1", "orders-9")]));
        p.apply(started("zzz"));
        assert_eq!(
            p.profiles[2].state,
            State::Loading {
                scanned: 2,
                total: Some(4)
            }
        );
        assert_eq!(p.profiles[1].state, State::Waiting);
        let ids: Vec<_> = p.results().filter_map(|f| f.backup_id.clone()).collect();
        assert_eq!(ids, ["a1", "c1"], "grouped by profile, not by arrival");
        // A failure is its own profile's; the others go on.
        p.apply(Event::Failed {
            profile: id("c"),
            error: stopped(),
        });
        let failed: Vec<_> = p.failures().map(|(f, _)| f.profile.as_str()).collect();
        assert_eq!(failed, ["c"]);
        assert_eq!(p.match_count(), 2, "its matches so far stay");
        assert!(!p.finished());
        let rows = vec![found("a", "a2", "orders-2"), found("a", "a1", "orders-9")];
        let loaded = Loaded::new("a".into(), "r".into(), rows, None, None, Instant::now());
        p.apply(Event::Done {
            profile: id("a"),
            loaded: Arc::new(loaded),
            reused: false,
        });
        assert_eq!(p.profiles[0].matches.len(), 2, "all of them once done");
        p.apply(started("b"));
        p.apply(Event::Failed {
            profile: id("b"),
            error: stopped(),
        });
        assert!(p.finished());
    }

    #[test]
    fn narrowing_while_loading_filters_and_widening_asks_for_a_new_search() {
        let names = ["a", "b"].map(|n| (id(n), n.to_string(), "r".to_string()));
        let mut p = Progress::new(q("orders"), names);
        let rows = vec![found("a", "a1", "orders-1"), found("a", "a2", "orders-2")];
        let loaded = Loaded::new("a".into(), "r".into(), rows, None, None, Instant::now());
        p.apply(Event::Done {
            profile: id("a"),
            loaded: Arc::new(loaded),
            reused: true,
        });
        p.apply(started("b"));
        p.apply(page(
            "b",
            2,
            vec![found("b", "b1", "orders-1"), found("b", "b2", "orders-2")],
        ));
        assert!(p.narrow(q("orders-1")), "a narrowing is complete");
        assert_eq!(p.match_count(), 2);
        assert_eq!(p.query(), &q("orders-1"));
        // Later pages are held to the narrower query too.
        p.apply(page("b", 4, vec![found("b", "b3", "orders-3")]));
        assert_eq!(p.match_count(), 2);
        // Wider again: a is done and answers at once, b cannot.
        assert!(!p.narrow(q("orders")));
        assert_eq!(p.profiles[0].matches.len(), 2);
    }
}

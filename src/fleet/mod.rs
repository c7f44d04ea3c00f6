//! Work over many profiles at once: one fan-out (a concurrency limit,
//! events per profile, cancellation by dropping) and one cache of loaded
//! listings with one freshness rule, both keyed by [`ProfileId`].
//!
//! Below `find`, `tui` (and the coming fleet health view), above `api`:
//! Find, the pickers and anything else that lists many profiles go
//! through here, so they share one limit, one identity and one cache.

mod cache;
mod fan_out;

pub use cache::{FRESH_FOR, Listing, ListingCache, is_fresh};
pub use fan_out::{Event, PARALLEL, Report, fan_out};

use crate::api::DdmClient;

/// A profile of this run: its place in the launch's list of profiles.
/// Names are for people; this is what events, messages, effects and the
/// cache are keyed by, so two profiles can never be mixed up by a name
/// written twice, and an answer always lands in its own profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileId(pub usize);

impl ProfileId {
    /// Its place in the launch's list (the TUI's slots are in that order).
    pub fn index(self) -> usize {
        self.0
    }
}

/// One profile to work on, with the client of its own credentials.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: ProfileId,
    /// The profile's name, for results and messages.
    pub profile: String,
    pub region: String,
    pub client: DdmClient,
}

//! The search: every profile listed at once (at most [`PARALLEL`]), each
//! with its own client, its progress streamed as [`Event`]s.
//!
//! Cancelling is dropping: the search is one future; drop it (or abort the
//! task running it) and no request or event follows.

use std::sync::Arc;
use std::time::Instant;

use futures_util::stream::{self, StreamExt};

use super::{Found, Loaded, Query, found};
use crate::api::{self, DdmClient, ListLimit};

/// Profiles listed at the same time; the rest wait for a free turn.
pub const PARALLEL: usize = 4;

/// One profile to search, with the client of its own credentials.
#[derive(Debug, Clone)]
pub struct Source {
    pub profile: String,
    pub region: String,
    pub client: DdmClient,
}

/// What a search tells its caller, per profile, as it happens. Every
/// profile gets `Started`, any number of `Page`s, then `Done` or `Failed`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Its turn came: its listing starts now.
    Started { profile: String },
    /// A page arrived: rows read so far, the total the server claims, and
    /// the matches in this page only (earlier pages' were sent before).
    Page {
        profile: String,
        scanned: usize,
        total: Option<u64>,
        matches: Vec<Found>,
    },
    /// Every row was read: all of them, to narrow or reuse later.
    /// `reused` when they came from the caller instead of the server.
    Done {
        profile: String,
        loaded: Arc<Loaded>,
        reused: bool,
    },
    /// The listing failed; matches already sent stay valid.
    Failed { profile: String, error: api::Error },
}

impl Event {
    /// The profile the event is about.
    pub fn profile(&self) -> &str {
        match self {
            Event::Started { profile }
            | Event::Page { profile, .. }
            | Event::Done { profile, .. }
            | Event::Failed { profile, .. } => profile,
        }
    }
}

/// Searches `sources` for `query`, reading at most `limit` rows from each.
/// `reuse` holds rows loaded before (the TUI keeps them per profile): a
/// profile's own, younger than [`super::REUSE_FOR`], are searched instead
/// of listing again. Returns when every profile is done or failed.
pub async fn search<E>(
    sources: Vec<Source>,
    query: Query,
    limit: ListLimit,
    reuse: Vec<Arc<Loaded>>,
    on_event: E,
) where
    E: Fn(Event) + Send + Sync,
{
    let (query, reuse, on_event) = (&query, &reuse, &on_event);
    // Made up front (a future does nothing until polled, and at most
    // PARALLEL are): a stream `map`ping a closure over borrowed sources
    // would make the whole search lose `Send` to a higher-ranked lifetime,
    // and the TUI spawns it.
    let each: Vec<_> = sources
        .iter()
        .map(|source| one(source, query, limit, reuse, on_event))
        .collect();
    stream::iter(each)
        .buffer_unordered(PARALLEL)
        .for_each(|()| async {})
        .await;
}

async fn one<E>(
    source: &Source,
    query: &Query,
    limit: ListLimit,
    reuse: &[Arc<Loaded>],
    on_event: &E,
) where
    E: Fn(Event) + Send + Sync,
{
    let profile = &source.profile;
    on_event(Event::Started {
        profile: profile.clone(),
    });
    let now = Instant::now();
    let recent = reuse
        .iter()
        .find(|l| &l.profile == profile && l.is_fresh(now));
    if let Some(loaded) = recent.cloned() {
        on_event(Event::Page {
            profile: profile.clone(),
            scanned: loaded.rows().len(),
            total: loaded.total,
            matches: loaded
                .matching(query)
                .iter()
                .map(|f| Found::clone(f))
                .collect(),
        });
        on_event(Event::Done {
            profile: profile.clone(),
            loaded,
            reused: true,
        });
        return;
    }
    let mut rows: Vec<Found> = Vec::new();
    let listed = source
        .client
        .list_project_backups_each(limit, &mut |page| {
            let start = rows.len();
            rows.extend(page.rows.iter().map(|r| found(profile, &source.region, r)));
            let matches = rows[start..]
                .iter()
                .filter(|row| row.matches(query))
                .cloned()
                .collect();
            on_event(Event::Page {
                profile: profile.clone(),
                scanned: page.scanned,
                total: page.total,
                matches,
            });
        })
        .await;
    match listed {
        Ok(listing) => {
            // Newest first, undated (or unreadable) last. By the time, not
            // its text: the server may write two offsets in one list.
            rows.sort_by_cached_key(|r| {
                std::cmp::Reverse(r.created.as_deref().and_then(crate::api::parse_api_time))
            });
            let loaded = Loaded::new(
                profile.clone(),
                source.region.clone(),
                rows,
                listing.total,
                listing.truncated,
                Instant::now(),
            );
            on_event(Event::Done {
                profile: profile.clone(),
                loaded: Arc::new(loaded),
                reused: false,
            });
        }
        Err(error) => on_event(Event::Failed {
            profile: profile.clone(),
            error,
        }),
    }
}

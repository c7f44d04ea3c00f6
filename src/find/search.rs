//! The search: every profile listed at once (at most [`PARALLEL`]), each
//! with its own client, its progress streamed as [`Event`]s.
//!
//! Cancelling is dropping: the search is one future; drop it (or abort the
//! task running it) and no request or event follows.

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use futures_util::stream::{self, StreamExt};

use super::{Cut, Found, Keep, Limits, Loaded, Query, found};
use crate::api::{self, DdmClient};

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
    /// the matches in this page only (earlier pages' were sent before),
    /// shared with the rows the search keeps.
    Page {
        profile: String,
        scanned: usize,
        total: Option<u64>,
        matches: Vec<Arc<Found>>,
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

/// The bytes one search may still keep, shared by its profiles.
#[derive(Debug)]
struct Budget {
    left: AtomicUsize,
}

impl Budget {
    /// Takes `cost` bytes if that many are left.
    fn take(&self, cost: usize) -> bool {
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(cost)
            })
            .is_ok()
    }

    /// Counts `cost` bytes already kept, even past the budget.
    fn spend(&self, cost: usize) {
        let _ = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                Some(left.saturating_sub(cost))
            });
    }
}

/// Searches `sources` for `query`, reading at most `limits.rows` rows
/// from each and keeping at most `limits.bytes` over all of them (a
/// profile that finds the budget spent ends its listing there, marked
/// [`Cut::Memory`]). `reuse` holds rows loaded before (the TUI keeps them
/// per profile): a profile's own, younger than [`super::REUSE_FOR`], are
/// searched instead of listing again, and count against the budget.
/// Returns when every profile is done or failed.
pub async fn search<E>(
    sources: Vec<Source>,
    query: Query,
    limits: Limits,
    reuse: Vec<Arc<Loaded>>,
    on_event: E,
) where
    E: Fn(Event) + Send + Sync,
{
    let budget = Budget {
        left: AtomicUsize::new(limits.bytes),
    };
    let (query, reuse, on_event, budget) = (&query, &reuse, &on_event, &budget);
    // Made up front (a future does nothing until polled, and at most
    // PARALLEL are): a stream `map`ping a closure over borrowed sources
    // would make the whole search lose `Send` to a higher-ranked lifetime,
    // and the TUI spawns it.
    let each: Vec<_> = sources
        .iter()
        .map(|source| one(source, query, limits, budget, reuse, on_event))
        .collect();
    stream::iter(each)
        .buffer_unordered(PARALLEL)
        .for_each(|()| async {})
        .await;
}

async fn one<E>(
    source: &Source,
    query: &Query,
    limits: Limits,
    budget: &Budget,
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
        budget.spend(loaded.cost());
        on_event(Event::Page {
            profile: profile.clone(),
            scanned: loaded.rows().len(),
            total: loaded.total,
            matches: loaded.matching(query),
        });
        on_event(Event::Done {
            profile: profile.clone(),
            loaded,
            reused: true,
        });
        return;
    }
    let mut rows: Vec<Arc<Found>> = Vec::new();
    let mut searched = 0usize;
    let mut spent = false;
    let listed = source
        .client
        .visit_project_backups(limits.rows, &mut |page| {
            let start = rows.len();
            for row in page.rows {
                let row = found(profile, &source.region, row);
                let matched = row.matches(query);
                if limits.keep == Keep::Matches && !matched {
                    searched += 1;
                    continue;
                }
                if !budget.take(row.cost(limits.keep)) {
                    spent = true;
                    break;
                }
                searched += 1;
                rows.push(Arc::new(row));
            }
            let matches = match limits.keep {
                Keep::Matches => rows[start..].to_vec(),
                Keep::Everything => rows[start..]
                    .iter()
                    .filter(|row| row.matches(query))
                    .cloned()
                    .collect(),
            };
            on_event(Event::Page {
                profile: profile.clone(),
                scanned: page.scanned,
                total: page.total,
                matches,
            });
            if spent {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .await;
    match listed {
        Ok(visited) => {
            // Newest first, undated (or unreadable) last. By the time, not
            // its text: the server may write two offsets in one list.
            rows.sort_by_cached_key(|r| {
                std::cmp::Reverse(r.created.as_ref().and_then(crate::api::SentTime::at))
            });
            let cut = if spent {
                Some(Cut::Memory(limits.bytes))
            } else if visited.truncated {
                Some(Cut::Rows(limits.rows.max_rows))
            } else {
                None
            };
            let loaded = Loaded::shared(
                profile.clone(),
                source.region.clone(),
                rows,
                limits.keep,
                searched,
                visited.total,
                cut,
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

//! The search: every profile listed through the fleet fan-out (at most
//! [`PARALLEL`] at once), each with its own client, its progress streamed
//! as [`Event`]s.
//!
//! Cancelling is dropping: the search is one future; drop it (or abort the
//! task running it) and no request or event follows.

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::{Cut, Found, Keep, Limits, Loaded, Query, found};
use crate::api;
use crate::fleet::{self, ProfileId, Report};

pub use crate::fleet::{PARALLEL, Source};

/// What a search tells its caller, per profile, as it happens. Every
/// profile gets `Started`, any number of `Page`s, then `Done` or `Failed`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Its turn came: its listing starts now.
    Started { profile: ProfileId },
    /// A page arrived: rows read so far, the total the server claims, and
    /// the matches in this page only (earlier pages' were sent before),
    /// shared with the rows the search keeps.
    Page {
        profile: ProfileId,
        scanned: usize,
        total: Option<u64>,
        matches: Vec<Arc<Found>>,
    },
    /// Every row was read: all of them, to narrow or reuse later.
    /// `reused` when they came from the caller instead of the server.
    Done {
        profile: ProfileId,
        loaded: Arc<Loaded>,
        reused: bool,
    },
    /// The listing failed; matches already sent stay valid.
    Failed {
        profile: ProfileId,
        error: api::Error,
    },
}

impl Event {
    /// The profile the event is about.
    pub fn profile(&self) -> ProfileId {
        match self {
            Event::Started { profile }
            | Event::Page { profile, .. }
            | Event::Done { profile, .. }
            | Event::Failed { profile, .. } => *profile,
        }
    }
}

/// A page as the fan-out carries it (see [`Event::Page`]).
struct Page {
    scanned: usize,
    total: Option<u64>,
    matches: Vec<Arc<Found>>,
}

/// A profile's end as the fan-out carries it (see [`Event::Done`]).
struct Finished {
    loaded: Arc<Loaded>,
    reused: bool,
}

impl From<fleet::Event<Page, Finished>> for Event {
    fn from(event: fleet::Event<Page, Finished>) -> Event {
        match event {
            fleet::Event::Started { profile } => Event::Started { profile },
            fleet::Event::Progress { profile, progress } => Event::Page {
                profile,
                scanned: progress.scanned,
                total: progress.total,
                matches: progress.matches,
            },
            fleet::Event::Done { profile, value } => Event::Done {
                profile,
                loaded: value.loaded,
                reused: value.reused,
            },
            fleet::Event::Failed { profile, error } => Event::Failed { profile, error },
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
/// in its listing cache): a profile's own, still fresh
/// ([`fleet::is_fresh`]), are searched instead of listing again, and count
/// against the budget. Returns when every profile is done or failed.
pub async fn search<E>(
    sources: Vec<Source>,
    query: Query,
    limits: Limits,
    reuse: Vec<(ProfileId, Arc<Loaded>)>,
    on_event: E,
) where
    E: Fn(Event) + Send + Sync,
{
    let budget = Budget {
        left: AtomicUsize::new(limits.bytes),
    };
    let (query, reuse, budget) = (&query, &reuse, &budget);
    let forward = |event: fleet::Event<Page, Finished>| on_event(event.into());
    fleet::fan_out(
        &sources,
        PARALLEL,
        |source, report| one(source, query, limits, budget, reuse, report),
        &forward,
    )
    .await;
}

async fn one(
    source: &Source,
    query: &Query,
    limits: Limits,
    budget: &Budget,
    reuse: &[(ProfileId, Arc<Loaded>)],
    report: Report<'_, Page, Finished>,
) -> Result<Finished, api::Error> {
    let profile = &source.profile;
    let now = Instant::now();
    let recent = reuse
        .iter()
        .find(|(id, l)| *id == source.id && l.is_fresh(now));
    if let Some((_, loaded)) = recent {
        budget.spend(loaded.cost());
        report.progress(Page {
            scanned: loaded.rows().len(),
            total: loaded.total,
            matches: loaded.matching(query),
        });
        return Ok(Finished {
            loaded: loaded.clone(),
            reused: true,
        });
    }
    let mut rows: Vec<Arc<Found>> = Vec::new();
    let mut searched = 0usize;
    let mut spent = false;
    let visited = source
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
            report.progress(Page {
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
        .await?;
    // Newest first, undated (or unreadable) last. By the time, not its
    // text: the server may write two offsets in one list.
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
    Ok(Finished {
        loaded: Arc::new(loaded),
        reused: false,
    })
}

//! The fan-out: the same work for many profiles, at most `limit` at a
//! time, each profile's progress told as [`Event`]s as it happens.
//!
//! Cancelling is dropping: the fan-out is one future; drop it (or abort
//! the task running it) and no request or event follows.

use std::future::Future;

use futures_util::stream::{self, StreamExt};

use super::{ProfileId, Source};
use crate::api;

/// Profiles worked on at the same time, unless a caller says otherwise;
/// the rest wait for a free turn. Four keeps a fleet quick without
/// looking like a flood to any one gateway.
pub const PARALLEL: usize = 4;

/// What a fan-out tells its caller, per profile. Every profile gets
/// `Started` (when its turn comes), any number of `Progress`, then `Done`
/// or `Failed`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<P, T> {
    Started {
        profile: ProfileId,
    },
    /// Whatever the work reports on its way (a page, a count).
    Progress {
        profile: ProfileId,
        progress: P,
    },
    Done {
        profile: ProfileId,
        value: T,
    },
    Failed {
        profile: ProfileId,
        error: api::Error,
    },
}

impl<P, T> Event<P, T> {
    /// The profile the event is about.
    pub fn profile(&self) -> ProfileId {
        match self {
            Event::Started { profile }
            | Event::Progress { profile, .. }
            | Event::Done { profile, .. }
            | Event::Failed { profile, .. } => *profile,
        }
    }
}

/// How one profile's work tells its progress.
pub struct Report<'a, P, T> {
    profile: ProfileId,
    sink: &'a (dyn Fn(Event<P, T>) + Sync),
}

impl<P, T> Report<'_, P, T> {
    /// Sends `progress` as this profile's [`Event::Progress`].
    pub fn progress(&self, progress: P) {
        (self.sink)(Event::Progress {
            profile: self.profile,
            progress,
        });
    }

    /// The profile being worked on.
    pub fn profile(&self) -> ProfileId {
        self.profile
    }
}

/// Runs `work` for every source, at most `limit` (at least one) at a time,
/// telling `on_event` as each starts, reports and ends. A failure is its
/// own profile's: the others go on. Returns when every profile is done or
/// failed.
pub async fn fan_out<'a, P, T, W, F, E>(
    sources: &'a [Source],
    limit: usize,
    work: W,
    on_event: &'a E,
) where
    P: 'a,
    T: 'a,
    W: Fn(&'a Source, Report<'a, P, T>) -> F,
    F: Future<Output = Result<T, api::Error>> + 'a,
    E: Fn(Event<P, T>) + Sync,
{
    // Made up front (a future does nothing until polled, and at most
    // `limit` are): a stream `map`ping a closure over borrowed sources
    // would make the whole fan-out lose `Send` to a higher-ranked
    // lifetime, and the TUI spawns it.
    let each: Vec<_> = sources
        .iter()
        .map(|source| one(source, &work, on_event))
        .collect();
    stream::iter(each)
        .buffer_unordered(limit.max(1))
        .for_each(|()| async {})
        .await;
}

async fn one<'a, P, T, W, F, E>(source: &'a Source, work: &W, on_event: &'a E)
where
    P: 'a,
    T: 'a,
    W: Fn(&'a Source, Report<'a, P, T>) -> F,
    F: Future<Output = Result<T, api::Error>> + 'a,
    E: Fn(Event<P, T>) + Sync,
{
    let profile = source.id;
    on_event(Event::Started { profile });
    let report = Report {
        profile,
        sink: on_event,
    };
    match work(source, report).await {
        Ok(value) => on_event(Event::Done { profile, value }),
        Err(error) => on_event(Event::Failed { profile, error }),
    }
}

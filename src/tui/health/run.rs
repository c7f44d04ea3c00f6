//! The Health view's work for the effect runner: a check (after its
//! refresh wait, if any) as one task whose news go to the loop, and the
//! listing `R` needs to find an instance's newest normal backup.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tokio::sync::mpsc::UnboundedSender;

use crate::api::{self, BackupRow, BackupStatus, DdmClient, ListLimit};
use crate::fleet::{Event, Source};
use crate::health::{Plan, Thresholds};

use super::super::msg::Msg;
use super::News;

/// One check: the profiles with a client (and their thresholds), and the
/// failures of those without one, told as their events.
pub struct Check {
    pub generation: u64,
    pub wait: Option<Duration>,
    pub sources: Vec<Source>,
    pub limits: Vec<Arc<Thresholds>>,
    pub unusable: Vec<Event<crate::health::Progress, crate::health::Checked>>,
    pub zone: TimeZone,
}

impl Check {
    /// Waits (a refresh), then checks every source, sending each piece of
    /// news to `tx` as it happens; returns the last, `Ended`. Cancelling
    /// is dropping (aborting the task): the wait or the calls stop there.
    pub async fn run(self, tx: UnboundedSender<Msg>) -> Msg {
        let Check {
            generation,
            wait,
            sources,
            limits,
            unusable,
            zone,
        } = self;
        if let Some(wait) = wait {
            tokio::time::sleep(wait).await;
        }
        let send = move |news: News| {
            // The loop may be gone (quitting); nothing to tell then.
            let _ = tx.send(Msg::Health { generation, news });
        };
        let at = Timestamp::now();
        send(News::Began { at });
        for event in unusable {
            send(News::Event(event));
        }
        let plan = Plan {
            sources,
            limits,
            only: Vec::new(),
            now: at,
            zone,
        };
        if !plan.sources.is_empty() {
            crate::health::collect(&plan, &|event| send(News::Event(event))).await;
        }
        Msg::Health {
            generation,
            news: News::Ended {
                at: Timestamp::now(),
            },
        }
    }
}

/// The newest `normal` backup of `instance`, from its listing (as the
/// backup picker reads it), or `None` when it has none now.
pub async fn newest_normal(
    client: &DdmClient,
    instance: &str,
) -> Result<Option<BackupRow>, api::Error> {
    let limit = ListLimit {
        max_rows: super::super::picker::PICKER_CAP,
    };
    let listing = client.list_backups(instance, limit).await?;
    // Newest first already; a status is read by what it means.
    Ok(listing.rows.into_iter().find(|row| {
        row.status
            .as_ref()
            .is_some_and(|s| matches!(s.kind(), BackupStatus::Normal))
    }))
}

//! The fleet fan-out itself, with work that is not Find's: never more
//! profiles at once than its limit, every profile's events in order, and
//! an aborted fan-out asks for nothing more.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ddm_backups::api::{DdmClient, ListLimit};
use ddm_backups::config::{AuthConfig, Profile, SecretSource};
use ddm_backups::demo;
use ddm_backups::fleet::{self, Event, ProfileId, Source};
use ddm_backups::secret::Secret;
use tokio::sync::mpsc;

use super::find::{listed_project, page};
use super::server::{Hostile, response};

/// Profile `i`, a token profile with project `i` on `url`.
fn source(url: &str, i: usize) -> Source {
    let profile = Profile {
        name: format!("p{i}"),
        project_id: Some(format!("{i:032x}")),
        auth: AuthConfig::Token(SecretSource::Inline(Secret::new("tok".into()))),
        ..demo::profile_at(url, "tok", Duration::from_secs(20))
    };
    Source {
        id: ProfileId(i),
        profile: profile.name.clone(),
        region: profile.region.clone(),
        client: DdmClient::new(&profile).expect("client"),
    }
}

/// Serves 30 backups in every project, each answer after `delay`.
fn server(delay: Duration) -> Hostile {
    Hostile::start(move |head| match listed_project(head) {
        Some(p) => {
            // The server's one thread sleeps: every answer waits.
            std::thread::sleep(delay);
            page(head, &format!("p{}", &p[28..]), 30)
        }
        None => response(404, &[], b"{}"),
    })
}

/// The fan-out's events for one profile: its backups counted, one
/// `Progress` before the request.
type Counted = Event<(), usize>;

/// Runs a fan-out of `count` profiles at most `limit` at once, each
/// listing its backups; the most that were in flight together, and
/// every event.
async fn run(count: usize, limit: usize) -> (usize, Vec<Counted>) {
    let server = server(Duration::ZERO);
    let sources: Vec<Source> = (0..count).map(|i| source(&server.url, i)).collect();
    let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let send = move |e: Counted| {
        let _ = tx.send(e);
    };
    fleet::fan_out(
        &sources,
        limit,
        |source, report| {
            let (now, most) = (&now, &most);
            async move {
                let open = now.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(open, Ordering::SeqCst);
                report.progress(());
                let listed = source
                    .client
                    .list_project_backups(ListLimit { max_rows: 100 })
                    .await;
                now.fetch_sub(1, Ordering::SeqCst);
                listed.map(|l| l.rows.len())
            }
        },
        &send,
    )
    .await;
    drop(send);
    let mut events = Vec::new();
    while let Some(e) = rx.recv().await {
        events.push(e);
    }
    (most.load(Ordering::SeqCst), events)
}

#[tokio::test]
async fn never_more_profiles_at_once_than_the_limit_and_every_one_in_order() {
    for limit in [1, 3, fleet::PARALLEL] {
        let (most, events) = run(10, limit).await;
        // Every turn is taken (each request waits on the network), and
        // no more.
        assert_eq!(most, limit, "limit {limit}");
        for i in 0..10 {
            let mine: Vec<&Counted> = events
                .iter()
                .filter(|e| e.profile() == ProfileId(i))
                .collect();
            assert!(
                matches!(
                    mine.as_slice(),
                    [
                        Event::Started { .. },
                        Event::Progress { .. },
                        Event::Done { value: 30, .. }
                    ]
                ),
                "limit {limit}, profile {i}: {mine:?}"
            );
        }
    }
}

#[tokio::test]
async fn an_aborted_fan_out_starts_no_more_profiles_and_sends_no_more_requests() {
    let server = server(Duration::from_millis(400));
    let sources: Vec<Source> = (0..6).map(|i| source(&server.url, i)).collect();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        let send = move |e: Counted| {
            let _ = tx.send(e);
        };
        fleet::fan_out(
            &sources,
            2,
            |source, _report| async move {
                let listed = source
                    .client
                    .list_project_backups(ListLimit { max_rows: 100 })
                    .await;
                listed.map(|l| l.rows.len())
            },
            &send,
        )
        .await;
    });
    // Both turns taken: abort while their requests wait on the server.
    let mut seen = Vec::new();
    while let Some(e) = rx.recv().await {
        seen.push(e);
        if seen.len() == 2 {
            break;
        }
    }
    task.abort();
    assert!(task.await.is_err_and(|e| e.is_cancelled()));
    // The sender went with the task: whatever was queued, then the end.
    while let Some(e) = rx.recv().await {
        seen.push(e);
    }
    let started: Vec<ProfileId> = seen
        .iter()
        .filter(|e| matches!(e, Event::Started { .. }))
        .map(Event::profile)
        .collect();
    assert_eq!(started, [ProfileId(0), ProfileId(1)], "{seen:?}");
    assert!(
        !seen.iter().any(|e| matches!(e, Event::Done { .. })),
        "{seen:?}"
    );
    // Requests already on the wire still reach the (blocked) server: at
    // most one per profile started. Then nothing more.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let settled = server.hits();
    assert!(settled <= 2, "{settled} requests");
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(server.hits(), settled);
}

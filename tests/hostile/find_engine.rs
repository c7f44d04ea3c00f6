//! The search engine itself over loopback: events per profile in order, at
//! most four profiles at a time, reuse of recent rows, cancellation by
//! abort (no event after it), and timings with 8 profiles × 2,000 rows.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ddm_backups::api::DdmClient;
use ddm_backups::config::{AuthConfig, Profile, SecretSource};
use ddm_backups::demo;
use ddm_backups::find::{self, Event, Loaded, Progress, Query, Source, State};
use ddm_backups::fleet::{self, ProfileId};
use ddm_backups::secret::Secret;
use tokio::sync::mpsc;

use super::find::{listed_project, page};
use super::server::{Hostile, response};

/// Profile `id` (named `name`), a token profile for `project` on `url`.
fn source(url: &str, id: usize, name: &str, project: &str) -> Source {
    let profile = Profile {
        name: name.into(),
        project_id: Some(project.into()),
        auth: AuthConfig::Token(SecretSource::Inline(Secret::new("tok".into()))),
        ..demo::profile_at(url, "tok", Duration::from_secs(20))
    };
    Source {
        id: ProfileId(id),
        profile: name.into(),
        region: profile.region.clone(),
        client: DdmClient::new(&profile).expect("client"),
    }
}

/// Project i of a test: 32 hex characters.
fn project(i: usize) -> String {
    format!("{i:032x}")
}

/// Serves `rows` backups in every project; the project of `slow_project`
/// takes `delay` for every page after its first.
fn server(rows: usize, slow: Option<(String, Duration)>) -> Hostile {
    Hostile::start(move |head| match listed_project(head) {
        Some(p) => {
            if let Some((slow, delay)) = &slow
                && p == slow
                && head.query("offset") != Some("0")
            {
                // The server's one thread sleeps: every answer waits.
                std::thread::sleep(*delay);
            }
            page(head, &format!("p{}", &p[28..]), rows)
        }
        None => response(404, &[], b"{}"),
    })
}

type Events = mpsc::UnboundedReceiver<(Instant, Event)>;

/// Starts a search in its own task; events arrive on the receiver.
fn start(
    sources: Vec<Source>,
    text: &str,
    reuse: Vec<(ProfileId, Arc<Loaded>)>,
) -> (tokio::task::JoinHandle<()>, Events) {
    start_with(sources, text, reuse, find::Limits::TUI)
}

/// [`start`] within `limits`.
fn start_with(
    sources: Vec<Source>,
    text: &str,
    reuse: Vec<(ProfileId, Arc<Loaded>)>,
    limits: find::Limits,
) -> (tokio::task::JoinHandle<()>, Events) {
    let (tx, rx) = mpsc::unbounded_channel();
    let query = Query::parse(text).expect("query");
    let task = tokio::spawn(find::search(sources, query, limits, reuse, move |event| {
        let _ = tx.send((Instant::now(), event));
    }));
    (task, rx)
}

async fn all(mut rx: Events) -> Vec<Event> {
    let mut events = Vec::new();
    while let Some((_, e)) = rx.recv().await {
        events.push(e);
    }
    events
}

#[tokio::test]
async fn each_profile_streams_started_pages_then_done_at_most_four_at_once() {
    let server = server(300, None);
    let sources: Vec<Source> = (0..6)
        .map(|i| source(&server.url, i, &format!("p{i}"), &project(i)))
        .collect();
    let (task, rx) = start(sources, "orders-2", Vec::new());
    task.await.expect("search");
    let events = all(rx).await;
    let mut open = 0usize;
    let mut most_open = 0;
    let mut progress = Progress::new(
        Query::parse("orders-2").unwrap(),
        (0..6).map(|i| (ProfileId(i), format!("p{i}"), "cn-north-4".to_string())),
    );
    for e in &events {
        match e {
            Event::Started { .. } => open += 1,
            Event::Done { .. } | Event::Failed { .. } => open -= 1,
            Event::Page { .. } => {}
        }
        most_open = most_open.max(open);
        progress.apply(e.clone());
    }
    assert_eq!(most_open, find::PARALLEL, "four at a time, no more");
    for i in 0..6 {
        let mine: Vec<&Event> = events
            .iter()
            .filter(|e| e.profile() == ProfileId(i))
            .collect();
        assert!(matches!(mine[0], Event::Started { .. }), "{mine:?}");
        // 300 rows: pages of 128, 128 and 44, scanned counts rising.
        let scanned: Vec<usize> = mine
            .iter()
            .filter_map(|e| match e {
                Event::Page { scanned, .. } => Some(*scanned),
                _ => None,
            })
            .collect();
        assert_eq!(scanned, [128, 256, 300]);
        assert!(matches!(
            mine.last(),
            Some(Event::Done { reused: false, .. })
        ));
    }
    assert!(progress.finished());
    // orders-2, orders-20..29, orders-200..299 in each of six profiles.
    assert_eq!(progress.match_count(), 6 * 111);
    // Narrowing the loaded rows needs no request.
    let hits = server.hits();
    assert!(progress.narrow(Query::parse("orders-29").unwrap()));
    assert_eq!(progress.match_count(), 6 * 11);
    assert!(progress.narrow(Query::parse("p0000-000").unwrap()));
    assert_eq!(progress.match_count(), 100, "an ID prefix in one profile");
    assert_eq!(server.hits(), hits);
}

#[tokio::test]
async fn a_failing_profile_fails_alone_and_recent_rows_are_reused() {
    let server = Hostile::start(|head| match listed_project(head) {
        Some(p) if p == project(1) => response(503, &[], b"down"),
        Some(_) => page(head, "ok", 50),
        None => response(404, &[], b"{}"),
    });
    let sources = || {
        (0..3)
            .map(|i| source(&server.url, i, &format!("p{i}"), &project(i)))
            .collect::<Vec<_>>()
    };
    let (task, rx) = start(sources(), "orders", Vec::new());
    task.await.expect("search");
    let events = all(rx).await;
    let failed: Vec<ProfileId> = events
        .iter()
        .filter_map(|e| match e {
            Event::Failed { profile, error } => {
                assert_eq!(error.status(), Some(503));
                Some(*profile)
            }
            _ => None,
        })
        .collect();
    assert_eq!(failed, [ProfileId(1)]);
    let loaded: Vec<(ProfileId, Arc<Loaded>)> = events
        .iter()
        .filter_map(|e| match e {
            Event::Done {
                profile, loaded, ..
            } => Some((*profile, loaded.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(loaded.len(), 2);
    // Fresh rows stand in for a listing; a stale one does not.
    let mut stale = (*loaded[1].1).clone();
    stale.at = Instant::now()
        .checked_sub(fleet::FRESH_FOR + Duration::from_secs(1))
        .unwrap_or(stale.at);
    let before = server.hits();
    let (task, rx) = start(
        sources(),
        "orders",
        vec![loaded[0].clone(), (loaded[1].0, Arc::new(stale))],
    );
    task.await.expect("search");
    let events = all(rx).await;
    let reused: Vec<ProfileId> = events
        .iter()
        .filter_map(|e| match e {
            Event::Done {
                profile,
                reused: true,
                ..
            } => Some(*profile),
            _ => None,
        })
        .collect();
    assert_eq!(reused, [loaded[0].0]);
    // p1 (failing, with its retries) and the stale one were asked again.
    assert!(server.hits() > before);
}

#[tokio::test]
async fn an_aborted_search_sends_no_more_events_and_no_more_requests() {
    let slow = project(1);
    let server = server(1000, Some((slow.clone(), Duration::from_millis(700))));
    let sources = vec![
        source(&server.url, 0, "fast", &project(0)),
        source(&server.url, 1, "slow", &slow),
    ];
    let (task, mut rx) = start(sources, "orders", Vec::new());
    // Wait for the slow profile's first page, then cancel.
    let mut seen = Vec::new();
    while let Some((_, e)) = rx.recv().await {
        let first_slow_page = matches!(&e, Event::Page { profile, .. } if *profile == ProfileId(1));
        seen.push(e);
        if first_slow_page {
            break;
        }
    }
    task.abort();
    assert!(task.await.is_err_and(|e| e.is_cancelled()));
    let hits = server.hits();
    // The sender went with the task: whatever is queued, then the end.
    let rest = all(rx).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        rest.iter()
            .chain(&seen)
            .all(|e| !matches!(e, Event::Done { profile, .. } | Event::Failed { profile, .. } if *profile == ProfileId(1))),
        "{rest:?}"
    );
    // Requests already on the wire still reach the (blocked) server: at
    // most one per profile. Then nothing more.
    let settled = server.hits();
    assert!(settled <= hits + 2, "{settled} after {hits}");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(server.hits(), settled);
}

/// Runs a search of 12 profiles × 2,000 rows within `limits` to its end.
async fn finished(limits: find::Limits, text: &str) -> Progress {
    let server = server(2000, None);
    let names: Vec<String> = (0..12).map(|i| format!("p{i:02}")).collect();
    let sources: Vec<Source> = names
        .iter()
        .enumerate()
        .map(|(i, name)| source(&server.url, i, name, &project(i)))
        .collect();
    let (task, rx) = start_with(sources, text, Vec::new(), limits);
    task.await.expect("search");
    let mut progress = Progress::new(
        Query::parse(text).unwrap(),
        names
            .into_iter()
            .enumerate()
            .map(|(i, n)| (ProfileId(i), n, String::new())),
    );
    for e in all(rx).await {
        progress.apply(e);
    }
    progress
}

fn loaded(progress: &Progress) -> Vec<&Loaded> {
    progress
        .profiles
        .iter()
        .map(|p| match &p.state {
            State::Done { loaded, .. } => &**loaded,
            other => panic!("{}: {other:?}", p.profile),
        })
        .collect()
}

#[tokio::test]
async fn every_row_kept_stays_within_one_budget_for_all_profiles() {
    const BUDGET: usize = 2 * 1024 * 1024;
    let limits = find::Limits {
        bytes: BUDGET,
        ..find::Limits::TUI
    };
    let progress = finished(limits, "orders").await;
    let loaded = loaded(&progress);
    let kept: usize = loaded.iter().map(|l| l.cost()).sum();
    assert!(kept <= BUDGET, "{kept} bytes kept");
    let cut: Vec<_> = loaded
        .iter()
        .filter(|l| l.cut == Some(find::Cut::Memory(BUDGET)))
        .map(|l| l.profile.as_str())
        .collect();
    // 2,000 rows cost about 0.8 MiB here: two or three profiles' worth
    // fit, shared by the four listed at once.
    assert!(cut.len() >= 8, "{cut:?}");
    assert!(
        kept > BUDGET / 10 * 9,
        "the budget is used: {kept} bytes kept"
    );
    // What was kept is still searched and shown: each match is a kept row.
    assert_eq!(
        progress.match_count(),
        loaded.iter().map(|l| l.rows().len()).sum::<usize>()
    );
}

#[tokio::test]
async fn keeping_only_matches_reads_every_row_and_keeps_few() {
    let limits = find::Limits {
        bytes: 2 * 1024 * 1024,
        ..find::Limits::HEADLESS
    };
    let progress = finished(limits, "orders-19").await;
    for l in loaded(&progress) {
        assert_eq!(l.cut, None, "{}", l.profile);
        assert_eq!((l.searched, l.rows().len()), (2000, 111), "{}", l.profile);
        assert!(
            !l.is_fresh(Instant::now()),
            "a partial listing is never reused"
        );
    }
    assert_eq!(progress.match_count(), 12 * 111);
}

#[test]
fn a_search_reads_as_many_rows_as_a_picker() {
    assert_eq!(find::LIMIT.max_rows, ddm_backups::tui::picker::PICKER_CAP);
}

/// Not a test of speed (no timed asserts): prints the time to the first
/// match and to the end with 8 profiles × 2,000 backups on loopback.
#[tokio::test]
async fn timings_with_8_profiles_of_2000_backups() {
    let server = server(2000, None);
    let sources: Vec<Source> = (0..8)
        .map(|i| source(&server.url, i, &format!("p{i}"), &project(i)))
        .collect();
    let started = Instant::now();
    let (task, rx) = start(sources, "orders-19", Vec::new());
    task.await.expect("search");
    let whole = started.elapsed();
    let mut rx = rx;
    let mut first = None;
    let mut progress = Progress::new(
        Query::parse("orders-19").unwrap(),
        (0..8).map(|i| (ProfileId(i), format!("p{i}"), String::new())),
    );
    while let Some((at, e)) = rx.recv().await {
        if first.is_none() && matches!(&e, Event::Page { matches, .. } if !matches.is_empty()) {
            first = Some(at.duration_since(started));
        }
        progress.apply(e);
    }
    assert!(
        progress
            .profiles
            .iter()
            .all(|p| matches!(&p.state, State::Done { loaded, .. } if loaded.rows().len() == 2000))
    );
    // 19, 190..199, 1900..1999 in each.
    assert_eq!(progress.match_count(), 8 * 111);
    eprintln!(
        "find over 8 × 2,000 on loopback: first match after {first:?}, all done after {whole:?}"
    );
}

//! The fleet health check over loopback: every demo profile listed through
//! its own credentials, every instance judged, each named fleet instance
//! in the state the demo built it for, at a pinned clock and at the real
//! one.

use std::sync::{Arc, Mutex};

use ddm_backups::api::DdmClient;
use ddm_backups::demo::{self, DemoServer};
use ddm_backups::fleet::{Event, ProfileId, Source};
use ddm_backups::health::{self, Plan, Progress, State, Thresholds};
use jiff::Timestamp;
use jiff::tz::TimeZone;

fn plan(running: &demo::RunningDemo, now: Timestamp) -> Plan {
    let sources: Vec<Source> = demo::profiles_for(running)
        .into_iter()
        .enumerate()
        .map(|(at, p)| Source {
            id: ProfileId(at),
            client: DdmClient::new(&p).expect("client"),
            profile: p.name,
            region: p.region,
        })
        .collect();
    Plan {
        limits: sources
            .iter()
            .map(|_| Arc::new(Thresholds::default()))
            .collect(),
        sources,
        only: Vec::new(),
        now,
        zone: TimeZone::UTC,
    }
}

/// The state a fleet instance's `shows` begins with.
fn meant(shows: &str) -> State {
    match shows.split([':', ';', ',']).next() {
        Some("ok") => State::Ok,
        Some("warning") => State::Warning,
        Some("critical") => State::Critical,
        Some("unknown") => State::Unknown,
        other => panic!("{shows:?} names no state ({other:?})"),
    }
}

async fn every_fleet_instance_is_in_its_state_at(pinned: Option<Timestamp>) {
    let mut builder = DemoServer::builder();
    if let Some(at) = pinned {
        builder = builder.now(at);
    }
    let running = builder.bind().await.expect("demo");
    let now = pinned.unwrap_or_else(Timestamp::now);
    let report = health::check(&plan(&running, now)).await;
    assert_eq!(report.profiles.len(), 2);
    assert!(
        report.profiles.iter().all(|p| p.error.is_none()),
        "{:?}",
        report.profiles
    );
    let mut seen = 0;
    for instance in demo::fleet_catalogue() {
        let found = report
            .instances
            .iter()
            .find(|i| i.instance_id == instance.instance_id)
            .unwrap_or_else(|| panic!("{} not judged", instance.instance_id));
        assert_eq!(found.instance_name, instance.name);
        assert_eq!(
            found.verdict.state,
            meant(instance.shows),
            "{} ({}) at {now}: {:?}",
            instance.instance_id,
            instance.shows,
            found.verdict.findings
        );
        seen += 1;
    }
    assert!(seen >= 10, "{seen}");
    // Worst first.
    let states: Vec<State> = report.instances.iter().map(|i| i.verdict.state).collect();
    let mut sorted = states.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(states, sorted);
}

#[tokio::test]
async fn every_fleet_instance_is_judged_as_the_demo_means_at_a_pinned_clock() {
    // A Sunday after midnight UTC (before the 02:00 backups), and a
    // midday: the daily schedule's two sides.
    for at in [
        "2026-03-08T00:30:00Z",
        "2026-03-08T12:00:00Z",
        "2026-12-31T23:59:00Z",
    ] {
        every_fleet_instance_is_judged_at(at.parse().unwrap()).await;
    }
}

async fn every_fleet_instance_is_judged_at(at: Timestamp) {
    every_fleet_instance_is_in_its_state_at(Some(at)).await;
}

#[tokio::test]
async fn every_fleet_instance_is_judged_as_the_demo_means_now() {
    every_fleet_instance_is_in_its_state_at(None).await;
}

/// The stream the Health view draws from: each profile starts, lists, then
/// judges each instance once, then ends; and dropping the check stops it.
#[tokio::test]
async fn instances_stream_per_profile_and_a_dropped_check_says_no_more() {
    let running = demo::DemoServer::builder()
        .now("2026-03-08T12:00:00Z".parse().unwrap())
        .bind()
        .await
        .expect("demo");
    let plan = plan(&running, "2026-03-08T12:00:00Z".parse().unwrap());
    let events: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let record = |e: Event<Progress, health::Checked>| {
        let line = match e {
            Event::Started { profile } => format!("{} started", profile.0),
            Event::Progress {
                profile,
                progress: Progress::Listed { instances },
            } => format!("{} listed {instances}", profile.0),
            Event::Progress {
                profile,
                progress: Progress::Judged(i),
            } => format!("{} judged {}", profile.0, i.instance_id),
            Event::Done { profile, value } => format!("{} done {}", profile.0, value.instances),
            Event::Failed { profile, error } => format!("{} failed {error}", profile.0),
        };
        events.lock().unwrap().push(line);
    };
    health::collect(&plan, &record).await;
    let events = events.into_inner().unwrap();
    for profile in ["0", "1"] {
        let mine: Vec<&String> = events.iter().filter(|l| l.starts_with(profile)).collect();
        assert_eq!(mine[0], &format!("{profile} started"));
        let listed: usize = mine[1]
            .strip_prefix(&format!("{profile} listed "))
            .expect("listed second")
            .parse()
            .unwrap();
        let judged = mine.iter().filter(|l| l.contains(" judged ")).count();
        assert_eq!(judged, listed, "{mine:?}");
        assert_eq!(mine.last().unwrap(), &&format!("{profile} done {listed}"));
    }

    // Dropped after its first judged instance: nothing follows.
    let count = Mutex::new(0usize);
    let (first, rx) = tokio::sync::oneshot::channel::<()>();
    let first = Mutex::new(Some(first));
    let on = |e: Event<Progress, health::Checked>| {
        *count.lock().unwrap() += 1;
        if matches!(
            e,
            Event::Progress {
                progress: Progress::Judged(_),
                ..
            }
        ) && let Some(tx) = first.lock().unwrap().take()
        {
            let _ = tx.send(());
        }
    };
    tokio::select! {
        () = health::collect(&plan, &on) => panic!("finished before it was dropped"),
        _ = rx => {}
    }
    let at_drop = *count.lock().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(*count.lock().unwrap(), at_drop);
    assert!(at_drop < events.len(), "{at_drop} of {}", events.len());
}

//! The effects runner on its own: cancelling aborts the task, a task that
//! panics is reported, and work for a profile without a client fails with
//! a message instead of never ending.

use std::time::Duration;

use tokio::sync::mpsc::{self, UnboundedReceiver};

use super::*;
use crate::demo::{self, DemoServer, Reply};
use crate::tui::app::Lookup;
use crate::tui::msg::Query;
use crate::tui::test_support::*;

fn runner(app: &App, clients: Vec<Option<DdmClient>>) -> (Effects, UnboundedReceiver<Msg>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (Effects::new(app, clients, tx, None, None), rx)
}

/// The next message the runner sends, within 10 s.
async fn next(rx: &mut UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a message within 10 s")
        .expect("the runner still holds its sender")
}

fn fetch(generation: u64, backup: &str) -> Effect {
    Effect::Fetch {
        profile: crate::fleet::ProfileId(0),
        generation,
        query: Query {
            instance: "demo-in09".into(),
            backup: backup.into(),
        },
    }
}

#[tokio::test]
async fn cancel_aborts_the_lookups_task_and_no_answer_comes_for_it() {
    // The request reaches the server, which never answers it.
    let running = DemoServer::builder()
        .route("never-br09", |_, _| {
            Reply::json(200, b"{}".to_vec()).delay(Duration::from_secs(3600))
        })
        .bind()
        .await
        .expect("demo endpoint");
    let client = DdmClient::new(&demo::profile_for(&running)).expect("demo client");
    let (mut effects, mut rx) = runner(&app(), vec![Some(client)]);
    effects.run(vec![fetch(1, "never-br09")], &mut |_| {});
    let task = effects.tasks.get(&1).cloned().expect("the lookup's task");
    for _ in 0..400 {
        if running.hits("never-br09") == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(running.hits("never-br09"), 1, "the request was in flight");

    effects.run(vec![Effect::Cancel { generation: 1 }], &mut |_| {});
    assert!(!effects.tasks.contains_key(&1), "the runner forgot it");
    for _ in 0..400 {
        if task.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(task.is_finished(), "the task was aborted, not left waiting");

    // A later lookup's answer is the first message: nothing came for 1.
    effects.run(vec![fetch(2, "nodes-br09")], &mut |_| {});
    match next(&mut rx).await {
        Msg::Fetched {
            generation: 2,
            result: Ok(_),
            ..
        } => {}
        other => panic!("expected lookup 2's answer, got {other:?}"),
    }
    assert!(rx.try_recv().is_err(), "nothing else was sent");
}

/// A lookup with a bug in it.
async fn crash() -> Msg {
    panic!("a bug in a lookup")
}

#[tokio::test]
async fn a_task_that_panics_is_reported_as_a_crash_naming_its_generation() {
    let (mut effects, mut rx) = runner(&app(), vec![None]);
    effects.spawn(7, crash());
    assert_eq!(next(&mut rx).await, Msg::Crashed("task 7 panicked".into()));
    // The app ends on it rather than showing "Fetching…" forever.
    let (mut a, _) = submitted();
    assert_eq!(
        send(&mut a, Msg::Crashed("task 1 panicked".into())).effects,
        vec![Effect::Quit]
    );
}

#[tokio::test]
async fn a_lookup_in_a_profile_without_a_client_fails_and_says_why() {
    let (mut a, update) = submitted();
    a.profiles[0].problem = Some("cannot read CA file /etc/ddm/ca.pem".into());
    let (mut effects, mut rx) = runner(&a, vec![None]);
    assert!(
        update
            .effects
            .iter()
            .any(|e| matches!(e, Effect::Fetch { generation: 1, .. })),
        "{update:?}"
    );
    effects.run(update.effects, &mut |_| {});
    let msg = next(&mut rx).await;
    match &msg {
        Msg::Fetched {
            generation: 1,
            result: Err(e),
            ..
        } => assert_eq!(
            e.to_string(),
            "profile demo cannot be used: cannot read CA file /etc/ddm/ca.pem"
        ),
        other => panic!("expected a failed lookup 1, got {other:?}"),
    }
    send(&mut a, msg);
    assert!(
        matches!(a.slot().lookup, Lookup::Failed { .. }),
        "the lookup ended: {:?}",
        a.slot().lookup
    );
    let terminal = draw(&mut a, 120, 24);
    let shown = screen(terminal.backend().buffer());
    assert!(shown.contains("profile demo cannot be used"), "{shown}");
}

#[tokio::test]
async fn a_listing_in_a_profile_without_a_client_fails_and_says_so() {
    let (mut effects, mut rx) = runner(&app(), vec![None]);
    effects.run(
        vec![Effect::List {
            profile: crate::fleet::ProfileId(0),
            generation: 3,
            kind: PickerKind::Instances,
        }],
        &mut |_| {},
    );
    match next(&mut rx).await {
        Msg::ListDone {
            profile: crate::fleet::ProfileId(0),
            generation: 3,
            result: Err(e),
        } => assert_eq!(e.to_string(), "profile demo has no client"),
        other => panic!("expected a failed listing 3, got {other:?}"),
    }
    assert!(effects.tasks.is_empty(), "no task was started");
}

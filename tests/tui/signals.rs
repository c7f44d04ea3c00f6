//! The event loop's signal path, without a terminal: a signal number fed
//! into the loop's signal stream ends it at once with that signal, whatever
//! is queued or in flight, and the exit code is 128 + the number. Ctrl-C
//! typed as a key stays a plain quit (exit 0). The real binary in a real
//! terminal (the guard restoring it) is checked by hand in tmux.

use std::io;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::api::DdmClient;
use ddm_backups::demo;
use ddm_backups::tui::event_loop::Ending;
use ddm_backups::tui::test_support::Harness;

const SIGHUP: i32 = 1;
const SIGINT: i32 = 2;
const SIGTERM: i32 = 15;

/// A client for `base_url`; nothing is sent unless a lookup starts.
fn client(base_url: &str) -> DdmClient {
    let profile = demo::profile_at(base_url, demo::DEMO_TOKEN, Duration::from_secs(30));
    DdmClient::new(&profile).expect("client")
}

/// The loop on an 80x24 TestBackend, fed events and signals through the
/// harness's channels.
fn start(client: DdmClient) -> Harness {
    Harness::start(client, 80, 24)
}

fn key(c: char) -> io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

#[test]
fn exit_codes_are_128_plus_the_signal_and_0_for_a_quit() {
    assert_eq!(Ending::Signal(SIGTERM).exit_code(), 143);
    assert_eq!(Ending::Signal(SIGHUP).exit_code(), 129);
    assert_eq!(Ending::Signal(SIGINT).exit_code(), 130);
    assert_eq!(Ending::Quit.exit_code(), 0);
}

#[tokio::test]
async fn each_signal_ends_an_idle_loop_with_its_number() {
    for number in [SIGTERM, SIGHUP, SIGINT] {
        let h = start(client("http://127.0.0.1:9/"));
        tokio::time::sleep(Duration::from_millis(20)).await;
        h.signals.send(number).expect("the loop is running");
        let (ending, _) = h.ended().await;
        assert_eq!(ending, Ending::Signal(number));
    }
}

#[tokio::test]
async fn ctrl_c_typed_as_a_key_is_a_plain_quit() {
    let h = start(client("http://127.0.0.1:9/"));
    h.events
        .send(Ok(Event::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        ))))
        .expect("the loop is running");
    let (ending, _) = h.ended().await;
    assert_eq!((ending, ending.exit_code()), (Ending::Quit, 0));
}

#[tokio::test]
async fn a_signal_wins_over_queued_keys() {
    let h = start(client("http://127.0.0.1:9/"));
    // Both are waiting before the loop first looks: the signal goes first,
    // so not one of the queued keys reaches the form.
    for _ in 0..10_000 {
        h.events.send(key('x')).expect("the loop is running");
    }
    h.signals.send(SIGTERM).expect("the loop is running");
    let (ending, app) = h.ended().await;
    assert_eq!(ending, Ending::Signal(SIGTERM));
    assert_eq!(
        app.slot().instance.value(),
        "",
        "no key was handled after the signal"
    );
}

#[tokio::test]
async fn a_signal_ends_the_loop_while_a_lookup_hangs() {
    // A listener nobody accepts on: the connection waits in the backlog and
    // the lookup never gets an answer.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", silent.local_addr().expect("addr"));
    let h = start(client(&url));
    for c in "demo-in09".chars() {
        h.events.send(key(c)).expect("the loop is running");
    }
    h.events
        .send(Ok(Event::Key(KeyEvent::new(
            KeyCode::Tab,
            KeyModifiers::NONE,
        ))))
        .expect("the loop is running");
    for c in "nodes-br09".chars() {
        h.events.send(key(c)).expect("the loop is running");
    }
    h.events
        .send(Ok(Event::Key(KeyEvent::new(
            KeyCode::Enter,
            KeyModifiers::NONE,
        ))))
        .expect("the loop is running");
    tokio::time::sleep(Duration::from_millis(200)).await;
    h.signals.send(SIGHUP).expect("the loop is running");
    let (ending, app) = h.ended().await;
    assert_eq!(ending, Ending::Signal(SIGHUP));
    assert!(
        app.busy(),
        "the lookup was still in flight: {:?}",
        app.slot().lookup
    );
}

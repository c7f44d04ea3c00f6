//! Regression test for a frozen UI: crossterm's `EventStream` keeps the
//! first waker it is polled with until an event arrives, so a loop that ever
//! polls it with a no-op waker (`now_or_never`) never hears the next key.
//! This stream behaves the same way; the loop must still see every key.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::demo;
use ddm_backups::tui::event_loop::run_loop;
use ddm_backups::tui::test_support::{app, screen};
use futures_util::{Stream, stream};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[derive(Default)]
struct Shared {
    queue: VecDeque<Event>,
    /// Like crossterm: set once per wait, replaced only after it fired.
    waker: Option<Waker>,
}

#[derive(Clone, Default)]
struct FirstWakerStream(Arc<Mutex<Shared>>);

impl FirstWakerStream {
    fn push(&self, event: Event) {
        let waker = {
            let mut shared = self.0.lock().unwrap();
            shared.queue.push_back(event);
            shared.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Stream for FirstWakerStream {
    type Item = io::Result<Event>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut shared = self.0.lock().unwrap();
        if let Some(event) = shared.queue.pop_front() {
            return Poll::Ready(Some(Ok(event)));
        }
        if shared.waker.is_none() {
            shared.waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

#[tokio::test]
async fn keys_typed_one_by_one_all_arrive() {
    let running = demo::DemoServer::builder().bind().await.unwrap();
    let client = ddm_backups::api::DdmClient::new(&demo::profile_for(&running)).unwrap();
    let events = FirstWakerStream::default();
    let feeder = events.clone();
    let loaded = Arc::new(AtomicBool::new(false));
    let seen = loaded.clone();
    let ui = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let mut app = app();
        run_loop(
            &mut terminal,
            &mut app,
            client,
            events,
            stream::pending(),
            move |_, buffer: &ratatui::buffer::Buffer| {
                if screen(buffer).contains("rds-orders-shard-05") {
                    seen.store(true, Ordering::SeqCst);
                }
            },
        )
        .await
        .map(|_| app)
    });
    // One key at a time with pauses, as a person types: each key finds the
    // loop asleep on the stream.
    for c in "demo-in09".chars() {
        feeder.push(key(KeyCode::Char(c)));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    feeder.push(key(KeyCode::Tab));
    tokio::time::sleep(Duration::from_millis(5)).await;
    for c in "nodes-br09".chars() {
        feeder.push(key(KeyCode::Char(c)));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    feeder.push(key(KeyCode::Enter));
    // Give a loaded machine up to 10 s to answer and draw.
    for _ in 0..400 {
        if loaded.load(Ordering::SeqCst) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    feeder.push(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    let app = tokio::time::timeout(Duration::from_secs(10), ui)
        .await
        .expect("the loop heard Ctrl-C")
        .unwrap()
        .unwrap();
    let debug = format!("{app:?}");
    assert!(
        debug.contains("rds-orders-shard-05"),
        "the lookup ran and loaded: {debug:.400}"
    );
}

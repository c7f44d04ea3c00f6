//! The real event loop on a TestBackend, driven by crossterm events and
//! signal numbers through channels: the tests of whole sessions share it.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::stream;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::screen;
use crate::api::DdmClient;
use crate::history::HistoryStore;
use crate::tui::App;
use crate::tui::event_loop::{Ending, Observer, Services, run_loop_observed};
use crate::tui::password::PasswordBridge;

/// How long a test waits for a frame or for the loop to end.
const PATIENCE: Duration = Duration::from_secs(10);

/// Counts frames and wake-ups, and passes frames on as text.
struct Watch {
    frames: mpsc::UnboundedSender<String>,
    draws: Arc<AtomicUsize>,
    wakes: Arc<AtomicUsize>,
}

impl Observer for Watch {
    fn drawn(&mut self, _: &App, buffer: &Buffer) {
        self.draws.fetch_add(1, Ordering::SeqCst);
        // The test may have stopped reading frames; that is its business.
        let _ = self.frames.send(screen(buffer));
    }

    fn woke(&mut self) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

/// What a session starts with: the app, a client per profile, a history
/// file, a password bridge and the terminal's size.
pub struct Setup {
    /// The app as the loop starts with it.
    pub app: App,
    pub clients: Vec<Option<DdmClient>>,
    pub history: Option<HistoryStore>,
    pub password: Option<PasswordBridge>,
    pub width: u16,
    pub height: u16,
}

impl Setup {
    /// The shared `app()` with one profile using `client`, on 80x24.
    pub fn new(client: DdmClient) -> Setup {
        Setup {
            app: super::app(),
            clients: vec![Some(client)],
            history: None,
            password: None,
            width: 80,
            height: 24,
        }
    }
}

/// A running loop: where to send events and signals, where frames come
/// out, how many frames were drawn and wake-ups seen, what was copied, and
/// the task (which returns how the loop ended and the final app).
pub struct Harness {
    pub events: mpsc::UnboundedSender<io::Result<Event>>,
    pub signals: mpsc::UnboundedSender<i32>,
    pub frames: mpsc::UnboundedReceiver<String>,
    pub draws: Arc<AtomicUsize>,
    pub wakes: Arc<AtomicUsize>,
    pub copies: Arc<Mutex<Vec<String>>>,
    /// Bells rung so far.
    pub bells: Arc<AtomicUsize>,
    pub task: JoinHandle<io::Result<(Ending, App)>>,
    /// The newest frame read so far.
    pub last: String,
    /// Every frame read so far, oldest first.
    pub seen: Vec<String>,
}

impl Harness {
    /// The shared `app()` with one profile using `client`.
    pub fn start(client: DdmClient, width: u16, height: u16) -> Harness {
        Harness::launch(Setup {
            width,
            height,
            ..Setup::new(client)
        })
    }

    /// A session of `app` with a client per profile and a history file.
    pub fn start_with(
        app: App,
        clients: Vec<Option<DdmClient>>,
        history: Option<HistoryStore>,
        width: u16,
        height: u16,
    ) -> Harness {
        Harness::launch(Setup {
            app,
            clients,
            history,
            password: None,
            width,
            height,
        })
    }

    /// Starts the loop as `setup` says.
    pub fn launch(setup: Setup) -> Harness {
        let Setup {
            app,
            clients,
            history,
            password,
            width,
            height,
        } = setup;
        let (events, mut event_rx) = mpsc::unbounded_channel();
        let (signals, mut signal_rx) = mpsc::unbounded_channel();
        let (frame_tx, frames) = mpsc::unbounded_channel();
        let draws = Arc::new(AtomicUsize::new(0));
        let wakes = Arc::new(AtomicUsize::new(0));
        let copies = Arc::new(Mutex::new(Vec::new()));
        let copied = copies.clone();
        let bells = Arc::new(AtomicUsize::new(0));
        let rung = bells.clone();
        let watch = Watch {
            frames: frame_tx,
            draws: draws.clone(),
            wakes: wakes.clone(),
        };
        let task = tokio::spawn(async move {
            let events = stream::poll_fn(move |cx| event_rx.poll_recv(cx));
            let signals = stream::poll_fn(move |cx| signal_rx.poll_recv(cx));
            let mut terminal =
                Terminal::new(TestBackend::new(width, height)).map_err(io::Error::other)?;
            let mut app = app;
            let copy = move |text: &str| {
                if let Ok(mut all) = copied.lock() {
                    all.push(text.to_string());
                }
            };
            let services = Services {
                clients,
                history,
                copy,
                password,
                bell: Box::new(move || {
                    rung.fetch_add(1, Ordering::SeqCst);
                }),
            };
            let ending =
                run_loop_observed(&mut terminal, &mut app, services, events, signals, watch)
                    .await?;
            Ok((ending, app))
        });
        Harness {
            events,
            signals,
            frames,
            draws,
            wakes,
            copies,
            bells,
            task,
            last: String::new(),
            seen: Vec::new(),
        }
    }

    /// Sends a terminal event.
    pub fn send(&self, event: Event) {
        self.events.send(Ok(event)).expect("the loop is running");
    }

    /// Presses a key without modifiers.
    pub fn key(&self, code: KeyCode) {
        self.send(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// Presses Ctrl and a character.
    pub fn ctrl(&self, c: char) {
        self.send(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    /// Types `s` one key at a time.
    pub fn type_str(&self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Fills the form in and presses Enter.
    pub fn look_up(&self, instance: &str, backup: &str) {
        self.type_str(instance);
        self.key(KeyCode::Tab);
        self.type_str(backup);
        self.key(KeyCode::Enter);
    }

    fn keep(&mut self, frame: String) {
        self.last.clone_from(&frame);
        self.seen.push(frame);
    }

    /// Reads every frame drawn so far into `last` and `seen`.
    pub fn drain(&mut self) {
        while let Ok(frame) = self.frames.try_recv() {
            self.keep(frame);
        }
    }

    /// How many frames drawn so far contain `text`.
    pub fn count(&mut self, text: &str) -> usize {
        self.drain();
        self.seen.iter().filter(|f| f.contains(text)).count()
    }

    /// Waits (real time, up to 10 s) for a frame containing `text`.
    pub async fn wait_for(&mut self, text: &str) -> String {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if self.last.contains(text) {
                return self.last.clone();
            }
            match tokio::time::timeout_at(deadline, self.frames.recv()).await {
                Ok(Some(frame)) => self.keep(frame),
                Ok(None) => panic!("the loop ended before showing {text:?}:\n{}", self.last),
                Err(_) => panic!(
                    "no frame showed {text:?} in 10 s; last frame:\n{}",
                    self.last
                ),
            }
        }
    }

    /// Waits for the loop to end on its own (a signal, the end of the event
    /// stream, a quit already sent).
    pub async fn ended(self) -> (Ending, App) {
        tokio::time::timeout(PATIENCE, self.task)
            .await
            .expect("the loop ended")
            .expect("the loop did not panic")
            .expect("the loop ended without error")
    }

    /// Quits with Ctrl-C; the final app and every frame drawn, oldest first.
    pub async fn finish(mut self) -> (App, Vec<String>) {
        self.ctrl('c');
        let (ending, app) = tokio::time::timeout(PATIENCE, &mut self.task)
            .await
            .expect("the loop quits on Ctrl-C")
            .expect("the loop did not panic")
            .expect("the loop ended without error");
        assert_eq!(ending, Ending::Quit, "Ctrl-C is a quit");
        self.drain();
        (app, self.seen)
    }

    /// Quits with Ctrl-C; the final app.
    pub async fn quit(self) -> App {
        self.finish().await.0
    }
}

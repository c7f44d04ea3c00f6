//! The real event loop on a TestBackend, driven by crossterm events through
//! a channel: the tests of whole sessions share it.

#![allow(dead_code)]

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::api::DdmClient;
use ddm_backups::demo;
use ddm_backups::history::HistoryStore;
use ddm_backups::tui::event_loop::{Observer, Services, run_loop_observed};
use ddm_backups::tui::{App, HeaderInfo, HelpInfo};
use futures_util::stream;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The screen as text, one line per row.
pub fn screen(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let mut out = String::new();
    for (i, cell) in buffer.content().iter().enumerate() {
        out.push_str(cell.symbol());
        if (i + 1) % width == 0 {
            out.push('\n');
        }
    }
    out
}

pub fn app() -> App {
    let header = HeaderInfo {
        version: "test".into(),
        profile: "demo".into(),
        region: demo::DEMO_REGION.into(),
        endpoint_host: "127.0.0.1".into(),
    };
    App::new(header, HelpInfo::default(), None, None)
}

/// Counts frames and wake-ups, and passes frames on as text.
struct Watch {
    frames: mpsc::UnboundedSender<String>,
    draws: Arc<AtomicUsize>,
    wakes: Arc<AtomicUsize>,
}

impl Observer for Watch {
    fn drawn(&mut self, _: &App, buffer: &Buffer) {
        self.draws.fetch_add(1, Ordering::SeqCst);
        let _ = self.frames.send(screen(buffer));
    }

    fn woke(&mut self) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

/// A running loop: where to send events, where frames come out, how many
/// frames were drawn and wake-ups seen, and the task (which returns the
/// final app).
pub struct Harness {
    pub events: mpsc::UnboundedSender<io::Result<Event>>,
    pub frames: mpsc::UnboundedReceiver<String>,
    pub draws: Arc<AtomicUsize>,
    pub wakes: Arc<AtomicUsize>,
    pub copies: Arc<Mutex<Vec<String>>>,
    pub task: JoinHandle<io::Result<App>>,
    pub last: String,
}

impl Harness {
    pub fn start(client: DdmClient, width: u16, height: u16) -> Harness {
        Harness::start_with(app(), vec![Some(client)], None, width, height)
    }

    /// A session of `app` with a client per profile and a history file.
    pub fn start_with(
        app: App,
        clients: Vec<Option<DdmClient>>,
        history: Option<HistoryStore>,
        width: u16,
        height: u16,
    ) -> Harness {
        let (events, rx) = mpsc::unbounded_channel();
        let (frame_tx, frames) = mpsc::unbounded_channel();
        let draws = Arc::new(AtomicUsize::new(0));
        let wakes = Arc::new(AtomicUsize::new(0));
        let copies = Arc::new(Mutex::new(Vec::new()));
        let copied = copies.clone();
        let watch = Watch {
            frames: frame_tx,
            draws: draws.clone(),
            wakes: wakes.clone(),
        };
        let task = tokio::spawn(async move {
            let mut rx = rx;
            let events = stream::poll_fn(move |cx| rx.poll_recv(cx));
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
                password: None,
            };
            run_loop_observed(
                &mut terminal,
                &mut app,
                services,
                events,
                stream::pending(),
                watch,
            )
            .await?;
            Ok(app)
        });
        Harness {
            events,
            frames,
            draws,
            wakes,
            copies,
            task,
            last: String::new(),
        }
    }

    pub fn send(&self, event: Event) {
        self.events.send(Ok(event)).expect("the loop is running");
    }

    pub fn key(&self, code: KeyCode) {
        self.send(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn type_str(&self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn look_up(&self, instance: &str, backup: &str) {
        self.type_str(instance);
        self.key(KeyCode::Tab);
        self.type_str(backup);
        self.key(KeyCode::Enter);
    }

    /// Waits (real time, up to 10 s) for a frame containing `text`.
    pub async fn wait_for(&mut self, text: &str) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if self.last.contains(text) {
                return self.last.clone();
            }
            match tokio::time::timeout_at(deadline, self.frames.recv()).await {
                Ok(Some(frame)) => self.last = frame,
                Ok(None) => panic!("the loop ended before showing {text:?}:\n{}", self.last),
                Err(_) => panic!(
                    "no frame showed {text:?} in 10 s; last frame:\n{}",
                    self.last
                ),
            }
        }
    }

    pub async fn quit(self) -> App {
        self.send(Event::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        )));
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the loop quits on Ctrl-C")
            .expect("the loop did not panic")
            .expect("the loop ended without error")
    }
}

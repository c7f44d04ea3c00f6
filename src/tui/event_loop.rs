//! The loop: one biased `select!` over signals, internal messages and
//! terminal events; a spinner interval only while a lookup is in flight; a
//! frame only when something changed. Generic over the event source and
//! the backend, so tests drive it with a channel and a `TestBackend`.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyEventKind};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc;
use tokio::time::{Interval, MissedTickBehavior};

use crate::api::DdmClient;
use crate::history::HistoryStore;

use super::app::App;
use super::effects::Effects;
use super::msg::Msg;
use super::password::PasswordBridge;
use super::ui;

/// The spinner's frame time while a lookup runs.
pub const TICK: Duration = Duration::from_millis(100);

/// Terminal events handled per frame at most, so a flood (a paste without
/// bracketed paste, key repeat) costs one frame, not one per key.
const COALESCE: usize = 64;

fn backend_error<E: std::error::Error + Send + Sync + 'static>(e: E) -> io::Error {
    io::Error::other(e)
}

/// What a terminal event means to the app; `None` for events it ignores.
fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

/// Waits for the next spinner beat, or forever when there is no spinner.
async fn next_tick(ticker: &mut Option<Interval>) {
    match ticker {
        Some(interval) => {
            interval.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// The future's value if it is ready right now, else `None`. It polls with
/// the task's own waker: an event stream may keep the first waker it sees
/// (crossterm's `EventStream` does), so polling it with a no-op waker
/// (`now_or_never`) would lose the wake-up for the next key and freeze the UI.
async fn ready_now<T>(future: impl Future<Output = T>) -> Option<T> {
    tokio::select! {
        biased;
        value = future => Some(value),
        () = std::future::ready(()) => None,
    }
}

/// Clears the whole screen and forgets the previous frame, so the next draw
/// repaints every cell. Not `Terminal::clear`: that asks the terminal for the
/// cursor position, and the reply races crossterm's event reader (seen as a
/// "cursor position could not be read" failure on a tmux resize).
fn full_clear<B>(terminal: &mut Terminal<B>) -> io::Result<()>
where
    B: Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let area = terminal.size().map_err(backend_error)?.into();
    terminal.resize(area).map_err(backend_error)
}

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The user quit (`q`, Ctrl-C as a key) or the terminal went away.
    Quit,
    /// A signal (its number) ended the app: SIGTERM, SIGHUP, or a SIGINT
    /// sent with `kill` (Ctrl-C in raw mode is a key, not a signal).
    Signal(i32),
}

impl Ending {
    /// The process exit code: 0 after a quit, 128 + the number after a
    /// signal, as a shell reports a process the signal killed, so a
    /// supervisor or script can tell the two apart.
    pub fn exit_code(self) -> i32 {
        match self {
            Ending::Quit => 0,
            Ending::Signal(number) => 128 + number,
        }
    }
}

/// Sees what the loop does; tests read frames and count wake-ups with it.
pub trait Observer {
    /// A frame was drawn.
    fn drawn(&mut self, app: &App, buffer: &Buffer);
    /// The loop woke up (a signal, a message, an event or a tick).
    fn woke(&mut self) {}
}

/// An observer that looks at nothing.
pub struct Unobserved;

impl Observer for Unobserved {
    fn drawn(&mut self, _: &App, _: &Buffer) {}
}

/// An observer that only looks at frames.
struct Frames<F>(F);

impl<F: FnMut(&App, &Buffer)> Observer for Frames<F> {
    fn drawn(&mut self, app: &App, buffer: &Buffer) {
        (self.0)(app, buffer);
    }
}

/// Runs the app until it quits or `signals` yields a signal number.
/// `after_draw` sees every frame drawn (tests read the buffer and count
/// frames through it).
pub async fn run_loop<B, E, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    client: DdmClient,
    events: E,
    signals: S,
    after_draw: impl FnMut(&App, &Buffer),
) -> io::Result<Ending>
where
    B: Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
    E: Stream<Item = io::Result<Event>> + Unpin,
    S: Stream<Item = i32> + Unpin,
{
    let services = Services {
        clients: vec![Some(client)],
        copy: |_: &str| {},
        password: None,
        history: None,
        bell: Box::new(|| {}),
    };
    run_loop_observed(terminal, app, services, events, signals, Frames(after_draw)).await
}

/// What the loop's effects act on.
pub struct Services<C: FnMut(&str)> {
    /// Make the lookups: one client per profile of `App::profiles`
    /// (`None` for a profile that cannot be used).
    pub clients: Vec<Option<DdmClient>>,
    /// Puts copied text (`y`) on the clipboard.
    pub copy: C,
    /// Turns a lookup's password request into the masked popup.
    pub password: Option<PasswordBridge>,
    /// Where the lookup history is kept; `None` keeps it in memory only.
    pub history: Option<HistoryStore>,
    /// Rings the terminal's bell when a watch ends.
    pub bell: Box<dyn FnMut() + Send>,
}

/// [`run_loop`], with an observer that also sees every wake-up, and the
/// clipboard and password prompt wired in.
pub async fn run_loop_observed<B, E, S, C>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    services: Services<C>,
    mut events: E,
    mut signals: S,
    mut observer: impl Observer,
) -> io::Result<Ending>
where
    B: Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
    E: Stream<Item = io::Result<Event>> + Unpin,
    S: Stream<Item = i32> + Unpin,
    C: FnMut(&str),
{
    let Services {
        clients,
        mut copy,
        password,
        history,
        bell,
    } = services;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut effects = Effects::new(app, clients, tx, password, history).with_bell(bell);
    let size = terminal.size().map_err(backend_error)?;
    let now = Instant::now();
    app.update(
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
        now,
    );
    if effects.run(app.start(now), &mut copy) {
        return Ok(Ending::Quit);
    }
    full_clear(terminal)?;
    let frame = terminal
        .draw(|f| ui::render(f, app))
        .map_err(backend_error)?;
    observer.drawn(app, frame.buffer);

    let mut ticker: Option<Interval> = None;
    loop {
        // The spinner's interval exists only while something is in flight:
        // an idle app must not wake up.
        match (app.ticking(), ticker.is_some()) {
            (true, false) => {
                let mut interval =
                    tokio::time::interval_at(tokio::time::Instant::now() + TICK, TICK);
                interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
                ticker = Some(interval);
            }
            (false, true) => ticker = None,
            _ => {}
        }
        let first = tokio::select! {
            biased;
            // Checked first and acted on at once: an exit must win over a
            // queue of keys or answers, and nothing the app does may stop it.
            Some(number) = signals.next() => {
                observer.woke();
                effects.abort_all();
                return Ok(Ending::Signal(number));
            }
            Some(msg) = rx.recv() => Some(msg),
            event = events.next() => match event {
                Some(Ok(event)) => to_msg(event),
                Some(Err(e)) => return Err(e),
                // The terminal went away: nothing more can be typed.
                None => Some(Msg::Shutdown),
            },
            () = next_tick(&mut ticker) => Some(Msg::Tick),
        };
        observer.woke();
        let Some(first) = first else {
            continue;
        };

        let mut batch = vec![first];
        while let Ok(msg) = rx.try_recv() {
            batch.push(msg);
        }
        while batch.len() < COALESCE {
            match ready_now(events.next()).await {
                Some(Some(Ok(event))) => batch.extend(to_msg(event)),
                Some(Some(Err(e))) => return Err(e),
                Some(None) => batch.push(Msg::Shutdown),
                None => break,
            }
            if matches!(batch.last(), Some(Msg::Shutdown)) {
                break;
            }
        }

        let mut redraw = false;
        let mut resized = false;
        let mut quit = false;
        for msg in batch {
            if let Msg::Fetched { generation, .. }
            | Msg::ListDone { generation, .. }
            | Msg::Watched { generation, .. }
            | Msg::Readiness { generation, .. }
            | Msg::FindEnded { generation }
            | Msg::NewestBackup { generation, .. }
            | Msg::Health {
                generation,
                news: super::health::News::Ended { .. },
            } = &msg
            {
                effects.finished(*generation);
            }
            if let Msg::Crashed(what) = msg {
                effects.abort_all();
                return Err(io::Error::other(format!("internal error: {what}")));
            }
            resized |= matches!(msg, Msg::Resize { .. });
            let update = app.update(msg, Instant::now());
            redraw |= update.redraw;
            quit |= effects.run(update.effects, &mut copy);
            if quit {
                break;
            }
        }
        if quit {
            break;
        }
        if resized {
            // After a tmux re-attach the terminal and ratatui's buffer can
            // disagree; a clear makes the next frame repaint every cell.
            full_clear(terminal)?;
        }
        if redraw {
            let frame = terminal
                .draw(|f| ui::render(f, app))
                .map_err(backend_error)?;
            observer.drawn(app, frame.buffer);
        }
    }
    effects.abort_all();
    Ok(Ending::Quit)
}

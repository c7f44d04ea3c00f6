//! The interactive app: an Elm-style loop (`msg` -> `App::update` ->
//! effects), rendering as a pure function of state, and one place that sets
//! the terminal up and restores it.

pub mod act;
pub mod app;
mod browse;
pub mod clipboard;
pub mod effects;
pub mod event_loop;
pub mod find;
pub mod health;
pub mod input;
mod key_event;
mod keys;
pub mod layout;
mod list_keys;
pub mod listings;
mod lookup;
pub mod messages;
pub mod msg;
pub mod overlay;
pub mod password;
pub mod paste_clean;
pub mod picker;
pub mod profiles;
pub mod readiness;
pub mod recent;
pub mod rows;
pub mod slot;
pub mod terminal;
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod test_support;
pub mod text;
pub mod theme;
pub mod tmux_buffer;
pub mod tmux_notify;
pub mod tty_input;
pub mod ui;
mod update;
pub mod watch;
pub mod zone;

use std::io::{self, Write};
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{Signal, SignalKind, signal};

use crate::api::DdmClient;

pub use app::{App, DemoRow, HeaderInfo, HelpInfo};

/// One profile the app can show, with its client or why it has none.
pub struct LaunchProfile {
    pub info: profiles::ProfileInfo,
    pub client: Option<DdmClient>,
}

impl LaunchProfile {
    /// From a config profile and the outcome of building its client.
    pub fn new(profile: &crate::config::Profile, client: Result<DdmClient, String>) -> Self {
        let (client, problem) = match client {
            Ok(client) => (Some(client), None),
            Err(problem) => (None, Some(problem)),
        };
        LaunchProfile {
            info: profiles::ProfileInfo {
                name: profile.name.clone(),
                region: profile.region.clone(),
                endpoint_host: profile.endpoint_host(),
                auth: profile.auth.kind().to_string(),
                problem,
                health: health::thresholds_for(profile),
            },
            client,
        }
    }
}

/// What `main` knows when it starts the app.
pub struct Launch {
    /// Every profile (at least one); `active` is shown first and must have
    /// a client.
    pub profiles: Vec<LaunchProfile>,
    pub active: usize,
    /// From `--instance`.
    pub instance: Option<String>,
    /// From `--backup`.
    pub backup: Option<String>,
    pub mouse: bool,
    /// The user's `[theme]` colours.
    pub theme: crate::config::ThemeColors,
    /// The bindings in force (the config's `[keys]` over the defaults).
    pub keys: crate::keymap::Keymap,
    /// Shown in the help overlay.
    pub log_file: Option<PathBuf>,
    /// Under `--demo`, the demo backups the help overlay and the empty
    /// screen suggest; empty otherwise.
    pub demo_backups: Vec<DemoRow>,
    /// Where the lookup history lives; `None` keeps none.
    pub history: Option<crate::history::HistoryStore>,
    /// The bridge the client's authenticator asks for passwords through
    /// (the same one given to it as its prompt), if any.
    pub password: Option<password::PasswordBridge>,
    /// How often the Health view's check runs again (`[health] refresh`);
    /// `None`: only when asked.
    pub health_refresh: Option<std::time::Duration>,
}

/// The app's starting state for a launch (NO_COLOR read here, once).
pub fn initial_app(launch: &Launch) -> App {
    let active = launch.profiles.get(launch.active).map(|p| &p.info);
    let header = HeaderInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        profile: active.map(|p| p.name.clone()).unwrap_or_default(),
        region: active.map(|p| p.region.clone()).unwrap_or_default(),
        endpoint_host: active.map(|p| p.endpoint_host.clone()).unwrap_or_default(),
    };
    let help = HelpInfo {
        version: crate::version::line(),
        log_file: launch.log_file.as_ref().map(|p| p.display().to_string()),
        demo: launch.demo_backups.clone(),
    };
    let mut app = App::new(
        header,
        help,
        launch.instance.as_deref(),
        launch.backup.as_deref(),
    );
    app.set_profiles(
        launch.profiles.iter().map(|p| p.info.clone()).collect(),
        launch.active,
    );
    app.theme = theme::Theme::with_colors(&launch.theme, theme::color_from_env());
    app.keys = launch.keys.clone();
    app.health_refresh = launch.health_refresh;
    app.in_tmux = clipboard::in_tmux();
    app.zone = zone::operator_zone();
    // The messages' times count from here until the first answer renews
    // it; kept in UTC, shown in the operator's zone when drawn.
    app.messages
        .set_anchor(std::time::Instant::now(), jiff::Timestamp::now());
    app
}

/// How long the start waits for the history file.
const HISTORY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs the interactive app until the user quits or a signal ends it; sets
/// up and always restores the terminal before returning how it ended.
pub async fn run(launch: Launch) -> io::Result<event_loop::Ending> {
    let mut app = initial_app(&launch);
    // Read before the terminal is taken, so the form starts with the last
    // IDs this profile used. On a blocking thread: its lock can wait on
    // another pane, and a wait beyond a moment is not worth the operator's.
    if let Some(store) = launch.history.clone() {
        let read = tokio::task::spawn_blocking(move || store.load());
        match tokio::time::timeout(HISTORY_WAIT, read).await {
            Ok(Ok(Ok(loaded))) => app.restore_history(loaded),
            Ok(Ok(Err(e))) => {
                tracing::warn!(error = %e, "history not read");
                app.notice = Some(format!("History not read: {e}"));
            }
            Ok(Err(e)) => tracing::error!(error = %e, "reading the history panicked"),
            Err(_) => {
                tracing::warn!("history still locked after {HISTORY_WAIT:?}; starting without it");
                app.notice = Some("History busy (another pane?); Ctrl-R reads it again".into());
            }
        }
    }
    let clients = launch.profiles.into_iter().map(|p| p.client).collect();
    let signals = Signals::new()?;
    let guard = terminal::TerminalGuard::enter(launch.mouse)?;
    let in_tmux = app.in_tmux;
    let result = async {
        let events = tty_input::TtyEvents::open()?;
        let mut term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        let services = event_loop::Services {
            clients,
            copy: move |text: &str| copy_text(text, in_tmux),
            password: launch.password,
            history: launch.history,
            bell: Box::new(terminal::bell),
        };
        event_loop::run_loop_observed(
            &mut term,
            &mut app,
            services,
            events,
            signals,
            event_loop::Unobserved,
        )
        .await
    }
    .await;
    drop(guard);
    if let Err(e) = &result {
        tracing::error!(error = %e, "the interactive app failed");
    }
    result
}

/// Writes the OSC 52 sequence for `text` (wrapped for tmux when inside it).
/// The loop calls it on its own thread, so the sequence cannot land in the
/// middle of a frame; the effects runner loads tmux's buffer itself, and
/// has passed `text` through `clipboard::check` before either.
fn copy_text(text: &str, in_tmux: bool) {
    let mut out = io::stdout();
    let written = out
        .write_all(clipboard::osc52_for(text, in_tmux).as_bytes())
        .and_then(|()| out.flush());
    if let Err(e) = written {
        tracing::warn!(error = %e, "writing OSC 52 failed");
    }
}

/// SIGTERM, SIGHUP and SIGINT as one stream of signal numbers: tmux
/// kill-pane and a closed SSH session must restore the terminal like a quit
/// does, and the exit code must still say which signal it was.
struct Signals {
    watched: [(Signal, i32); 3],
}

impl Signals {
    fn new() -> io::Result<Self> {
        let watch = |kind: SignalKind| signal(kind).map(|s| (s, kind.as_raw_value()));
        Ok(Signals {
            watched: [
                watch(SignalKind::terminate())?,
                watch(SignalKind::hangup())?,
                watch(SignalKind::interrupt())?,
            ],
        })
    }
}

impl Stream for Signals {
    type Item = i32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<i32>> {
        for (sig, number) in &mut self.watched {
            if let Poll::Ready(got) = sig.poll_recv(cx) {
                return Poll::Ready(got.map(|()| *number));
            }
        }
        Poll::Pending
    }
}

#[cfg(test)]
#[path = "layering_tests.rs"]
mod layering_tests;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::demo;

    fn launch(demo_mode: bool) -> Launch {
        let profile = demo::profile_at(
            "http://127.0.0.1:9/",
            demo::DEMO_TOKEN,
            Duration::from_secs(20),
        );
        Launch {
            profiles: vec![LaunchProfile::new(
                &profile,
                DdmClient::new(&profile).map_err(|e| e.to_string()),
            )],
            active: 0,
            instance: Some("demo-in09".into()),
            backup: None,
            mouse: false,
            theme: crate::config::ThemeColors::default(),
            keys: crate::keymap::Keymap::default(),
            log_file: Some(PathBuf::from("/tmp/ddm-backups.log")),
            demo_backups: if demo_mode {
                vec![DemoRow {
                    instance: "demo-in09".into(),
                    backup: "nodes-br09".into(),
                    shows: "six nodes".into(),
                }]
            } else {
                Vec::new()
            },
            password: None,
            history: None,
            health_refresh: None,
        }
    }

    #[test]
    fn the_launch_fills_the_header_the_form_and_the_help() {
        let app = initial_app(&launch(true));
        assert_eq!(app.profile().endpoint_host, "127.0.0.1:9");
        assert_eq!(app.slot().instance.value(), "demo-in09");
        assert_eq!(app.slot().backup.value(), "");
        assert_eq!(app.help.log_file.as_deref(), Some("/tmp/ddm-backups.log"));
        assert_eq!(app.help.demo.len(), 1);
        assert!(app.help.demo.iter().any(|r| r.backup == "nodes-br09"));
    }

    #[test]
    fn outside_the_demo_the_help_lists_no_demo_backups() {
        assert!(initial_app(&launch(false)).help.demo.is_empty());
    }
}

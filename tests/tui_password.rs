//! Password auth inside the TUI: the lookup asks, a masked popup appears,
//! the typed password signs in at the demo IAM, and no frame ever shows it.
//! Also greps every frame of an AK/SK session for the secret key.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ddm_backups::api::DdmClient;
use ddm_backups::auth::AuthOptions;
use ddm_backups::config::{AuthConfig, Profile, SecretSource};
use ddm_backups::demo::{self, DemoServer, RunningDemo};
use ddm_backups::secret::Secret;
use ddm_backups::tui::event_loop::{Observer, Services, run_loop_observed};
use ddm_backups::tui::password::PasswordBridge;
use ddm_backups::tui::{App, HeaderInfo, HelpInfo};
use futures_util::stream;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc;

/// Keeps the text of every frame drawn.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Observer for Recorder {
    fn drawn(&mut self, _: &App, buffer: &Buffer) {
        let text: String = buffer.content().iter().map(|c| c.symbol()).collect();
        self.0.lock().unwrap().push(text);
    }
}

impl Recorder {
    fn last(&self) -> String {
        self.0.lock().unwrap().last().cloned().unwrap_or_default()
    }

    fn all(&self) -> String {
        self.0.lock().unwrap().concat()
    }

    fn count(&self, needle: &str) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|f| f.contains(needle))
            .count()
    }

    async fn wait_for(&self, needle: &str) {
        for _ in 0..200 {
            if self.last().contains(needle) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "never saw {needle:?} on screen; last frame:\n{}",
            self.last()
        );
    }
}

fn header() -> HeaderInfo {
    HeaderInfo {
        version: "test".into(),
        profile: "demo".into(),
        region: demo::DEMO_REGION.into(),
        endpoint_host: "127.0.0.1".into(),
    }
}

struct Session {
    events: mpsc::UnboundedSender<io::Result<Event>>,
    frames: Recorder,
    task: tokio::task::JoinHandle<io::Result<ddm_backups::tui::event_loop::Ending>>,
}

impl Session {
    fn start(client: DdmClient, password: Option<PasswordBridge>) -> Session {
        let (events, mut rx) = mpsc::unbounded_channel();
        let frames = Recorder::default();
        let observer = frames.clone();
        let task = tokio::spawn(async move {
            let mut terminal =
                Terminal::new(TestBackend::new(100, 30)).map_err(io::Error::other)?;
            let mut app = App::new(header(), HelpInfo::default(), None, None);
            let services = Services {
                clients: vec![Some(client)],
                history: None,
                copy: |_: &str| {},
                password,
            };
            let events = stream::poll_fn(move |cx| rx.poll_recv(cx));
            run_loop_observed(
                &mut terminal,
                &mut app,
                services,
                events,
                stream::pending(),
                observer,
            )
            .await
        });
        Session {
            events,
            frames,
            task,
        }
    }

    fn key(&self, code: KeyCode) {
        self.events
            .send(Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))))
            .unwrap();
    }

    fn type_str(&self, s: &str) {
        s.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    async fn quit(self) -> String {
        self.events
            .send(Ok(Event::Key(KeyEvent::new(
                KeyCode::Char('c'),
                KeyModifiers::CONTROL,
            ))))
            .unwrap();
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        self.frames.all()
    }
}

/// Password auth with no source in the config: the operator is asked.
fn password_profile(running: &RunningDemo) -> Profile {
    let mut profile = demo::profile_for(running);
    profile.auth = AuthConfig::Password {
        domain: demo::DEMO_DOMAIN.into(),
        user: demo::DEMO_USER.into(),
        password: None,
    };
    profile
}

/// A bridge for the popup, and client options that ask through it.
fn asking(cache: &tempfile::TempDir) -> (PasswordBridge, AuthOptions) {
    let bridge = PasswordBridge::default();
    let options = AuthOptions {
        prompt: Some(Arc::new(bridge.clone())),
        cache_dir: Some(cache.path().to_path_buf()),
    };
    (bridge, options)
}

#[tokio::test]
async fn the_password_is_asked_in_a_masked_popup_and_signs_in() {
    let running = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (bridge, options) = asking(&cache);
    let profile = password_profile(&running);
    let client = DdmClient::with_options(&profile, options).unwrap();
    let session = Session::start(client, Some(bridge));

    session.type_str("demo-in09");
    session.key(KeyCode::Tab);
    session.type_str("nodes-br09");
    session.key(KeyCode::Enter);
    session.frames.wait_for("IAM sign-in").await;
    assert!(
        session
            .frames
            .last()
            .contains("Password for IAM user demo-user in account demo-account")
    );
    session.type_str(demo::DEMO_PASSWORD);
    session.frames.wait_for("••••").await;
    session.key(KeyCode::Enter);
    session.frames.wait_for("rds-orders-shard-05").await;
    assert_eq!(running.service().iam_calls(), 1);

    // A second lookup reuses the token: no popup, no sign-in.
    let loaded_frames = session.frames.count("✓ 200 OK");
    session.key(KeyCode::Char('r'));
    for _ in 0..200 {
        if session.frames.count("✓ 200 OK") > loaded_frames {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        session.frames.count("✓ 200 OK") > loaded_frames,
        "the reload finished"
    );
    assert_eq!(running.service().hits("nodes-br09"), 2);
    assert_eq!(running.service().iam_calls(), 1);
    let all = session.quit().await;
    assert!(
        !all.contains(demo::DEMO_PASSWORD),
        "the password reached the screen"
    );
    assert!(
        !all.contains("demo-iam-token-"),
        "the token reached the screen"
    );
}

#[tokio::test]
async fn refusing_the_password_fails_the_lookup_with_a_clear_message() {
    let running = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (bridge, options) = asking(&cache);
    let profile = password_profile(&running);
    let session = Session::start(
        DdmClient::with_options(&profile, options).unwrap(),
        Some(bridge),
    );
    session.type_str("demo-in09");
    session.key(KeyCode::Tab);
    session.type_str("nodes-br09");
    session.key(KeyCode::Enter);
    session.frames.wait_for("IAM sign-in").await;
    session.key(KeyCode::Esc);
    session.frames.wait_for("no password was given").await;
    assert_eq!(running.service().iam_calls(), 0);
    session.quit().await;
}

#[tokio::test]
async fn an_aksk_session_never_draws_a_secret() {
    let running = DemoServer::builder().bind().await.unwrap();
    let mut profile = demo::profile_for(&running);
    let inline = |v: &str| SecretSource::Inline(Secret::new(v.into()));
    profile.auth = AuthConfig::AkSk {
        ak: inline(demo::DEMO_AK),
        sk: inline(demo::DEMO_SK),
        security_token: Some(inline(demo::DEMO_SECURITY_TOKEN)),
    };
    let session = Session::start(DdmClient::new(&profile).unwrap(), None);
    let clear = || {
        session
            .events
            .send(Ok(Event::Key(KeyEvent::new(
                KeyCode::Char('u'),
                KeyModifiers::CONTROL,
            ))))
            .unwrap()
    };
    for (round, backup) in ["nodes-br09", "e401-br09"].into_iter().enumerate() {
        if round > 0 {
            // From the list, Tab goes back to the form.
            session.key(KeyCode::Tab);
        }
        clear();
        session.type_str("demo-in09");
        session.key(KeyCode::Tab);
        clear();
        session.type_str(backup);
        session.key(KeyCode::Enter);
        session
            .frames
            .wait_for(if round == 0 {
                "rds-orders-shard-00"
            } else {
                "401 Unauthorized"
            })
            .await;
        session.key(KeyCode::Char('e'));
        if round == 1 {
            session.frames.wait_for("Last error").await;
        }
        session.key(KeyCode::Esc);
    }
    let all = session.quit().await;
    assert!(all.contains("rds-orders-shard-00"), "the lookup worked");
    assert!(all.contains("401 Unauthorized"), "the error was drawn too");
    for secret in [demo::DEMO_SK, demo::DEMO_SECURITY_TOKEN, "Signature="] {
        assert!(!all.contains(secret), "{secret} reached the screen");
    }
}

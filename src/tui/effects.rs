//! Runs the app's effects: each lookup is a task keyed by its generation, so
//! cancelling or superseding one aborts exactly that task.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use jiff::Timestamp;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::api::{self, BackupRow, DdmClient, InstanceRow, ListLimit, PageRead};
use crate::auth::AuthError;
use crate::export;
use crate::fleet::ProfileId;
use crate::history::{self, HistoryStore};

use super::app::App;
use super::msg::{Effect, Msg, SaveProblem};
use super::password::PasswordBridge;
use super::picker::{PICKER_CAP, PickRow, PickerKind};

/// The lookups in flight and where their answers go.
pub struct Effects {
    /// One client per profile (`None`: that profile cannot be used). Each
    /// lookup or listing names its profile, so one started before a switch
    /// still uses the client it was started with.
    clients: Vec<Option<DdmClient>>,
    /// Per profile, why it has no client, for the error of work asked of it.
    unusable: Vec<String>,
    tx: UnboundedSender<Msg>,
    tasks: HashMap<u64, AbortHandle>,
    /// Inside tmux: copies also go to tmux's paste buffer.
    tmux_buffer: bool,
    /// The history file, if the app keeps one.
    history: Option<HistoryStore>,
    /// Where typed passwords go (password auth without a configured source).
    password: Option<PasswordBridge>,
    /// Rings the terminal's bell (the terminal layer writes it).
    bell: Box<dyn FnMut() + Send>,
}

impl Effects {
    /// The runner for `app` (its profiles and whether it runs
    /// inside tmux).
    pub fn new(
        app: &App,
        clients: Vec<Option<DdmClient>>,
        tx: UnboundedSender<Msg>,
        password: Option<PasswordBridge>,
        history: Option<HistoryStore>,
    ) -> Self {
        if let Some(bridge) = &password {
            bridge.attach(tx.clone());
        }
        Effects {
            tmux_buffer: app.in_tmux,
            password,
            history,
            clients,
            unusable: app
                .profiles
                .iter()
                .map(|p| match &p.problem {
                    Some(problem) => format!("profile {} cannot be used: {problem}", p.name),
                    None => format!("profile {} has no client", p.name),
                })
                .collect(),
            tx,
            tasks: HashMap::new(),
            bell: Box::new(|| {}),
        }
    }

    /// Rings the bell with `bell` (by default it rings nowhere).
    pub fn with_bell(mut self, bell: impl FnMut() + Send + 'static) -> Self {
        self.bell = Box::new(bell);
        self
    }

    /// Runs `effects`; true when one of them asks to quit. `copy` puts
    /// text on the clipboard.
    pub fn run(&mut self, effects: Vec<Effect>, copy: &mut dyn FnMut(&str)) -> bool {
        let mut quit = false;
        for effect in effects {
            match effect {
                Effect::Fetch {
                    profile,
                    generation,
                    query,
                } => {
                    let client = match self.client(profile) {
                        Ok(client) => client,
                        Err(missing) => {
                            // Unanswered, the lookup would spin forever.
                            let _ = self.tx.send(Msg::Fetched {
                                profile,
                                generation,
                                result: Err(missing),
                                clock: wall_clock(),
                            });
                            continue;
                        }
                    };
                    self.spawn(generation, async move {
                        let result = client.show_backup(&query.instance, &query.backup).await;
                        Msg::Fetched {
                            profile,
                            generation,
                            result,
                            clock: wall_clock(),
                        }
                    });
                }
                Effect::List {
                    profile,
                    generation,
                    kind,
                } => {
                    let client = match self.client(profile) {
                        Ok(client) => client,
                        Err(missing) => {
                            let _ = self.tx.send(Msg::ListDone {
                                profile,
                                generation,
                                result: Err(missing),
                            });
                            continue;
                        }
                    };
                    let tx = self.tx.clone();
                    self.spawn(generation, async move {
                        let result = list(&client, kind, profile, generation, &tx).await;
                        Msg::ListDone {
                            profile,
                            generation,
                            result,
                        }
                    });
                }
                Effect::WatchAfter {
                    profile,
                    generation,
                    wait,
                    query,
                } => {
                    let client = self.client(profile);
                    // One task for the wait and the call: cancelling the
                    // watch aborts whichever it is in.
                    self.spawn(generation, async move {
                        tokio::time::sleep(wait).await;
                        let result = match client {
                            Ok(client) => {
                                crate::readiness::find_row(&client, &query.instance, &query.backup)
                                    .await
                            }
                            Err(missing) => Err(missing),
                        };
                        Msg::Watched {
                            profile,
                            generation,
                            result,
                            clock: wall_clock(),
                        }
                    });
                }
                Effect::Alert(text) => {
                    // On this thread, like a copy: a BEL inside a frame's
                    // bytes would be harmless, but this keeps writes in order.
                    (self.bell)();
                    if self.tmux_buffer {
                        tokio::task::spawn_blocking(move || {
                            if let Err(e) = super::tmux_notify::display_message(&text) {
                                tracing::warn!(error = %e, "tmux display-message failed");
                            }
                        });
                    }
                }
                Effect::Readiness {
                    profile,
                    generation,
                    ask,
                } => {
                    let client = match self.client(profile) {
                        Ok(client) => client,
                        Err(missing) => {
                            let answer = super::readiness::Answer::failed(ask.call(), missing);
                            let _ = self.tx.send(Msg::Readiness {
                                profile,
                                generation,
                                answer,
                            });
                            continue;
                        }
                    };
                    self.spawn(generation, async move {
                        let answer = ask.run(&client).await;
                        Msg::Readiness {
                            profile,
                            generation,
                            answer,
                        }
                    });
                }
                Effect::Find {
                    generation,
                    query,
                    profiles,
                    reuse,
                } => self.find(generation, *query, profiles, reuse),
                Effect::HealthCheck {
                    generation,
                    wait,
                    sources,
                    zone,
                } => self.health(generation, wait, sources, zone),
                Effect::NewestBackup {
                    profile,
                    generation,
                    instance,
                } => {
                    let client = self.client(profile);
                    self.spawn(generation, async move {
                        let result = match client {
                            Ok(client) => {
                                super::health::run::newest_normal(&client, &instance).await
                            }
                            Err(missing) => Err(missing),
                        };
                        Msg::NewestBackup {
                            profile,
                            generation,
                            result,
                        }
                    });
                }
                Effect::Cancel { generation } => {
                    if let Some(task) = self.tasks.remove(&generation) {
                        task.abort();
                        tracing::info!(generation, "lookup cancelled");
                    }
                }
                Effect::Remember(entry) => {
                    if let Some(store) = self.history.clone() {
                        self.file_work("History not saved", move || store.record(entry));
                    }
                }
                Effect::LoadHistory => {
                    if let Some(store) = self.history.clone() {
                        self.file_work("History not read", move || store.load());
                    }
                }
                Effect::Save {
                    path,
                    contents,
                    overwrite,
                } => {
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let how = if overwrite {
                            export::Overwrite::Allow
                        } else {
                            export::Overwrite::Refuse
                        };
                        let result =
                            export::save(&path, contents.as_bytes(), how).map_err(|e| match e {
                                export::SaveError::Exists { path } => SaveProblem::Exists(path),
                                other => SaveProblem::Failed(other.to_string()),
                            });
                        if let Ok(written) = &result {
                            tracing::info!(path = %written.display(), "backup saved");
                        }
                        let _ = tx.send(Msg::Saved(result));
                    });
                }
                Effect::Copy(text) => {
                    // The last guard before the terminal and tmux: `App`
                    // already checked, so a refusal here is only logged.
                    if let Err(refused) = super::clipboard::check(&text) {
                        tracing::warn!(%refused, "not copying");
                        continue;
                    }
                    // OSC 52 on this thread: it must not land inside a frame.
                    copy(&text);
                    if self.tmux_buffer {
                        let tx = self.tx.clone();
                        tokio::task::spawn_blocking(move || {
                            if let Err(e) = super::tmux_buffer::load_tmux_buffer(&text) {
                                tracing::warn!(error = %e, "loading the tmux buffer failed");
                                let _ = tx.send(Msg::CopyProblem(format!(
                                    "Sent by OSC 52 only: tmux's buffer was not loaded ({e})"
                                )));
                            }
                        });
                    }
                }
                Effect::AnswerPassword(typed) => {
                    if let Some(bridge) = &self.password {
                        bridge.answer(typed);
                    }
                }
                Effect::Quit => quit = true,
            }
        }
        quit
    }

    /// Starts a Find search. A profile without a client fails at once
    /// (with why), like any other profile's failure; the rest are searched
    /// in one task, so cancelling it stops every profile's listing.
    fn find(
        &mut self,
        generation: u64,
        query: crate::find::Query,
        profiles: Vec<super::msg::FindSource>,
        reuse: Vec<(crate::fleet::ProfileId, std::sync::Arc<crate::find::Loaded>)>,
    ) {
        let mut sources = Vec::new();
        let mut failed = Vec::new();
        for p in profiles {
            match self.client(p.profile) {
                Ok(client) => sources.push(crate::find::Source {
                    id: p.profile,
                    profile: p.name,
                    region: p.region,
                    client,
                }),
                Err(error) => failed.push(crate::find::Event::Failed {
                    profile: p.profile,
                    error,
                }),
            }
        }
        for event in failed {
            let _ = self.tx.send(Msg::Find { generation, event });
        }
        let tx = self.tx.clone();
        self.spawn(generation, async move {
            let send = move |event| {
                // The loop may be gone (quitting); nothing to tell then.
                let _ = tx.send(Msg::Find { generation, event });
            };
            crate::find::search(sources, query, crate::find::Limits::TUI, reuse, send).await;
            Msg::FindEnded { generation }
        });
    }

    /// Starts a health check (after `wait`, for a refresh). A profile
    /// without a client fails in it at once (with why), like any other
    /// profile's failure; the rest are checked in one task, so cancelling
    /// it stops the wait or every profile's calls.
    fn health(
        &mut self,
        generation: u64,
        wait: Option<std::time::Duration>,
        sources: Vec<super::msg::HealthSource>,
        zone: jiff::tz::TimeZone,
    ) {
        let mut check = super::health::run::Check {
            generation,
            wait,
            sources: Vec::new(),
            limits: Vec::new(),
            unusable: Vec::new(),
            zone,
        };
        for s in sources {
            match self.client(s.profile) {
                Ok(client) => {
                    check.sources.push(crate::fleet::Source {
                        id: s.profile,
                        profile: s.name,
                        region: s.region,
                        client,
                    });
                    check.limits.push(s.limits);
                }
                Err(error) => check.unusable.push(crate::fleet::Event::Failed {
                    profile: s.profile,
                    error,
                }),
            }
        }
        let tx = self.tx.clone();
        self.spawn(generation, check.run(tx));
    }

    /// Profile `profile`'s client. The app never switches to a profile
    /// without one, so a missing one is a bug: it is logged, and the work
    /// fails with an error naming the profile rather than never ending.
    fn client(&self, profile: ProfileId) -> Result<DdmClient, api::Error> {
        let at = profile.index();
        self.clients.get(at).cloned().flatten().ok_or_else(|| {
            tracing::error!(profile = at, "no client for this profile");
            let why = self
                .unusable
                .get(at)
                .cloned()
                .unwrap_or_else(|| format!("profile number {} does not exist", at + 1));
            // Nothing was sent, as with missing credentials.
            api::Error::Auth(AuthError::Credentials(why))
        })
    }

    /// Reads or writes the history on a blocking thread: taking its lock
    /// can wait on another pane, and the UI must not.
    /// A failure comes back as `failed: <why>` for the status bar.
    fn file_work(
        &self,
        failed: &'static str,
        work: impl FnOnce() -> Result<history::Loaded, history::HistoryError> + Send + 'static,
    ) {
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let result = work().map_err(|e| {
                tracing::warn!(error = %e, "{failed}");
                format!("{failed}: {e}")
            });
            let _ = tx.send(Msg::History(result));
        });
    }

    /// Runs `task` for `generation`; its message goes to the loop. A panic
    /// is a bug; without the catch the lookup would stay "Fetching…"
    /// forever. The panic hook has already restored the terminal, so the
    /// loop ends.
    fn spawn(&mut self, generation: u64, task: impl Future<Output = Msg> + Send + 'static) {
        let tx = self.tx.clone();
        let handle = tokio::spawn(async move {
            let msg = match AssertUnwindSafe(task).catch_unwind().await {
                Ok(msg) => msg,
                Err(_) => Msg::Crashed(format!("task {generation} panicked")),
            };
            // The loop may be gone (quitting); nothing to tell then.
            let _ = tx.send(msg);
        });
        self.tasks.insert(generation, handle.abort_handle());
    }

    /// Forgets a lookup whose answer arrived.
    pub fn finished(&mut self, generation: u64) {
        self.tasks.remove(&generation);
    }

    /// Aborts every lookup (on quit).
    pub fn abort_all(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.abort();
        }
    }
}

impl Drop for Effects {
    fn drop(&mut self) {
        self.abort_all();
    }
}

/// Reads a picker's rows, sending each page to the loop as it arrives;
/// `Ok(true)` when the cap stopped it.
async fn list(
    client: &DdmClient,
    kind: PickerKind,
    profile: crate::fleet::ProfileId,
    generation: u64,
    tx: &UnboundedSender<Msg>,
) -> Result<bool, crate::api::Error> {
    let limit = ListLimit {
        max_rows: PICKER_CAP,
    };
    let send = |rows: Vec<PickRow>, scanned, total| {
        let _ = tx.send(Msg::ListPage {
            profile,
            generation,
            rows,
            scanned,
            total,
        });
    };
    let listing = match kind {
        PickerKind::Instances => {
            let mut on_page = |page: PageRead<'_, InstanceRow>| {
                send(
                    page.rows.iter().map(PickRow::from).collect(),
                    page.scanned,
                    page.total,
                )
            };
            client
                .list_instances_each(limit, &mut on_page)
                .await?
                .truncated
        }
        PickerKind::Backups { instance_id } => {
            let mut on_page = |page: PageRead<'_, BackupRow>| {
                send(
                    page.rows.iter().map(PickRow::from).collect(),
                    page.scanned,
                    page.total,
                )
            };
            client
                .list_backups_each(&instance_id, limit, &mut on_page)
                .await?
                .truncated
        }
    };
    Ok(listing)
}

/// The instant now, for "fetched 14:02:31" and the history; `update`
/// shows it in the app's zone, whose rules at that instant apply, so a
/// DST change mid-session is kept.
fn wall_clock() -> Timestamp {
    Timestamp::now()
}

#[cfg(test)]
#[path = "effects_tests.rs"]
mod tests;

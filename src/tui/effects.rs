//! Runs the app's effects: each lookup is a task keyed by its generation, so
//! cancelling or superseding one aborts exactly that task.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use time::{OffsetDateTime, UtcOffset};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::api::DdmClient;

use super::msg::{Effect, Msg};
use super::password::PasswordBridge;

/// The lookups in flight and where their answers go.
pub struct Effects {
    client: DdmClient,
    tx: UnboundedSender<Msg>,
    tasks: HashMap<u64, AbortHandle>,
    /// Where typed passwords go (password auth without a configured source).
    password: Option<PasswordBridge>,
    /// The local offset found at start. Reading it later can fail once the
    /// process has other threads (the time crate refuses, for soundness),
    /// and a wrong clock in the status bar would mislead more than UTC.
    offset: UtcOffset,
}

impl Effects {
    pub fn new(
        client: DdmClient,
        tx: UnboundedSender<Msg>,
        password: Option<PasswordBridge>,
    ) -> Self {
        if let Some(bridge) = &password {
            bridge.attach(tx.clone());
        }
        Effects {
            password,
            client,
            tx,
            tasks: HashMap::new(),
            offset: UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC),
        }
    }

    /// Runs `effects`; true when one of them asks to quit. `copy` puts
    /// text on the clipboard.
    pub fn run(&mut self, effects: Vec<Effect>, copy: &mut dyn FnMut(&str)) -> bool {
        let mut quit = false;
        for effect in effects {
            match effect {
                Effect::Fetch { generation, query } => {
                    let client = self.client.clone();
                    let tx = self.tx.clone();
                    let offset = self.offset;
                    let task = tokio::spawn(async move {
                        let lookup = client.show_backup(&query.instance, &query.backup);
                        // A panic here is a bug; without this the lookup
                        // would stay "Fetching…" forever. The panic hook has
                        // already restored the terminal, so the loop ends.
                        let msg = match AssertUnwindSafe(lookup).catch_unwind().await {
                            Ok(result) => Msg::Fetched {
                                generation,
                                result,
                                clock: wall_clock(offset),
                            },
                            Err(_) => Msg::Crashed(format!("lookup {generation} panicked")),
                        };
                        // The loop may be gone (quitting); nothing to tell then.
                        let _ = tx.send(msg);
                    });
                    self.tasks.insert(generation, task.abort_handle());
                }
                Effect::Cancel { generation } => {
                    if let Some(task) = self.tasks.remove(&generation) {
                        task.abort();
                        tracing::info!(generation, "lookup cancelled");
                    }
                }
                Effect::Copy(text) => copy(&text),
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

/// The local time of day now, for "fetched 14:02:31".
fn wall_clock(fallback: UtcOffset) -> time::Time {
    OffsetDateTime::now_local()
        .unwrap_or_else(|_| OffsetDateTime::now_utc().to_offset(fallback))
        .time()
}

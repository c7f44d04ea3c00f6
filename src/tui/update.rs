//! `App::update`: which handler each message goes to, and the status bar
//! messages it leaves behind for the messages overlay.

use std::time::Instant;

use super::app::{App, Lookup};
use super::msg::{Effect, Msg, Update};
use super::overlay::{Kind, Overlay};
use super::password::PasswordAsk;

impl App {
    /// Applies one message; `now` is the monotonic time it arrived. What
    /// the status bar says afterwards, when it changed, is kept for the
    /// messages overlay.
    pub fn update(&mut self, msg: Msg, now: Instant) -> Update {
        let before = super::layout::status::message(self);
        // A key takes the notice away first, so a notice after one is new
        // even when it says the same again (a second copy).
        let key = matches!(&msg, Msg::Key(k) if k.kind != crossterm::event::KeyEventKind::Release);
        let update = self.apply(msg, now);
        if let Some((text, outcome)) = super::layout::status::logged(self)
            && (before.as_ref() != Some(&text) || key && self.notice.is_some())
        {
            if outcome {
                self.messages.record_outcome(text, now);
            } else {
                self.messages.record(text, now);
            }
        }
        update
    }

    fn apply(&mut self, msg: Msg, now: Instant) -> Update {
        match msg {
            Msg::Key(key) => self.on_key(key, now),
            Msg::Paste(text) => self.on_paste(&text, now),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Resize { width, height } => {
                self.width = width;
                self.height = height;
                let rows = self.list_rows();
                // Every profile's list, so a switch needs no fixing up.
                for slot in &mut self.slots {
                    slot.nodes.scroll_into_view(rows);
                }
                // Every overlay open, in front or not, keeps its selection
                // in sight.
                let open: Vec<Kind> = self.overlays.iter().map(Overlay::kind).collect();
                for kind in open {
                    kind.resized(self);
                }
                Update::redraw()
            }
            Msg::Tick => {
                let mut redraw = false;
                // Only the shown profile's spinner is on screen.
                if let Lookup::Loading { now: last, .. } = &mut self.slot_mut().lookup {
                    *last = now;
                    redraw = true;
                }
                // Every overlay's: one in front of a picker still loading
                // shows the picker's count in the status bar.
                for overlay in self.overlays.iter_mut() {
                    redraw |= overlay.tick(now);
                }
                Update {
                    effects: Vec::new(),
                    redraw,
                }
            }
            Msg::Fetched {
                profile,
                generation,
                result,
                clock,
            } => {
                // An answer carries the wall clock: the messages' times
                // count from it. A stale answer changes nothing at all.
                // (Slots are in the launch's order, as profile identities are.)
                let current = self.slots.get(profile.index()).is_some_and(|s| {
                    matches!(s.lookup, Lookup::Loading { generation: g, .. } if g == generation)
                });
                if current {
                    self.messages.set_anchor(now, clock);
                }
                let mut update = self.on_fetched(profile, generation, result, clock);
                if current {
                    update.effects.extend(self.watch_shown(profile, now));
                }
                update
            }
            Msg::Watched {
                profile,
                generation,
                result,
                clock,
            } => self.on_watched(profile, generation, result, clock, now),
            Msg::ListPage {
                profile,
                generation,
                rows,
                scanned,
                total,
            } => self.on_list_page(profile, generation, rows, scanned, total),
            Msg::ListDone {
                profile,
                generation,
                result,
            } => self.on_list_done(profile, generation, result, now),
            Msg::Readiness {
                profile,
                generation,
                answer,
            } => self.on_readiness(profile, generation, answer, now),
            Msg::Find { generation, event } => {
                let searching = self.overlays.find().and_then(|v| v.loading());
                let update = self.on_find(generation, event);
                // A search that just ended is a message for the log, once:
                // narrowing the results afterwards asks nothing new.
                if let Some(view) = self.overlays.find()
                    && searching.is_some()
                    && view.loading().is_none()
                    && view.generation == searching
                {
                    let said = format!(
                        "{} · {:?}",
                        view.title(),
                        crate::terminal_text::sanitize(view.text.value())
                    );
                    self.messages.record(said, now);
                }
                update
            }
            // The search's events all came before; only its task ends.
            Msg::FindEnded { .. } => Update::none(),
            Msg::Health { generation, news } => self.on_health(generation, news, now),
            Msg::NewestBackup {
                profile,
                generation,
                result,
            } => self.on_newest_backup(profile, generation, result, now),
            Msg::History(loaded) => self.on_history(loaded),
            Msg::Saved(result) => self.on_saved(result),
            Msg::CopyProblem(problem) => {
                self.notice = Some(problem);
                Update::redraw()
            }
            // A question from a lookup or listing already cancelled has
            // nobody to answer to. A watch's check may ask too: dropped,
            // its question would hold the watch forever; so may a health
            // check with its view closed, which would never end and so
            // never refresh again.
            Msg::PasswordWanted { .. }
                if !self.any_busy()
                    && !self.ticking()
                    && !self.any_watching()
                    && self.fleet.loading().is_none() =>
            {
                Update::none()
            }
            Msg::PasswordWanted { question } => {
                self.overlays
                    .push(Overlay::Password(PasswordAsk::new(question)));
                Update::redraw()
            }
            Msg::Shutdown | Msg::Crashed(_) => Update::with(vec![Effect::Quit]),
        }
    }
}

//! The status bar's messages, kept so a cut or vanished one can be read
//! whole later (like vim's `:messages`). Plain data: the times come from
//! the loop through `Msg`s and an anchor, never from a clock read here.

use std::collections::VecDeque;
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

/// How many messages are kept; older ones are dropped first.
pub const KEPT: usize = 100;

/// One status message and when it appeared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// `None` before the loop has given the app a wall-clock time.
    pub at: Option<Timestamp>,
    pub text: String,
}

/// A wall-clock time and the monotonic instant it was true at. Keys carry
/// only an `Instant`; with an anchor their wall time follows without a
/// clock read. Every lookup's answer renews it, so a suspended laptop's
/// drift lasts only until the next answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub mono: Instant,
    pub wall: Timestamp,
}

/// The last `KEPT` messages, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Messages {
    kept: VecDeque<Message>,
    anchor: Option<Anchor>,
    /// The last outcome kept: the status bar shows it again after each
    /// notice, which is not a new message.
    last_outcome: Option<String>,
}

impl Messages {
    /// From now on, `mono` is `wall`.
    pub fn set_anchor(&mut self, mono: Instant, wall: Timestamp) {
        self.anchor = Some(Anchor { mono, wall });
    }

    /// The wall-clock time at `now`, when an anchor is known.
    pub fn wall_at(&self, now: Instant) -> Option<Timestamp> {
        let a = self.anchor?;
        // An instant before the anchor (a message queued before an answer)
        // counts back from it.
        match now.checked_duration_since(a.mono) {
            Some(after) => a
                .wall
                .checked_add(SignedDuration::try_from(after).ok()?)
                .ok(),
            None => {
                let before = a.mono.saturating_duration_since(now);
                a.wall
                    .checked_sub(SignedDuration::try_from(before).ok()?)
                    .ok()
            }
        }
    }

    /// Keeps `text` as shown at `now`, dropping the oldest beyond `KEPT`.
    pub fn record(&mut self, text: String, now: Instant) {
        let at = self.wall_at(now);
        if self.kept.len() == KEPT {
            self.kept.pop_front();
        }
        self.kept.push_back(Message { at, text });
    }

    /// Keeps how a lookup or listing ended, unless it is the outcome kept
    /// last (shown again once a notice went away).
    pub fn record_outcome(&mut self, text: String, now: Instant) {
        if self.last_outcome.as_ref() == Some(&text) {
            return;
        }
        self.last_outcome = Some(text.clone());
        self.record(text, now);
    }

    /// Newest first: what the overlay lists.
    pub fn newest_first(&self) -> impl Iterator<Item = &Message> {
        self.kept.iter().rev()
    }

    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn only_the_last_hundred_are_kept_newest_first() {
        let mut m = Messages::default();
        let t = Instant::now();
        for i in 0..150 {
            m.record(format!("m{i}"), t);
        }
        assert_eq!(m.len(), KEPT);
        let texts: Vec<&str> = m.newest_first().map(|x| x.text.as_str()).collect();
        assert_eq!(texts.first(), Some(&"m149"));
        assert_eq!(texts.last(), Some(&"m50"));
    }

    #[test]
    fn times_follow_the_anchor_both_ways() {
        let mut m = Messages::default();
        let t = Instant::now() + Duration::from_secs(100);
        assert_eq!(m.wall_at(t), None);
        let at = |text: &str| text.parse::<Timestamp>().unwrap();
        let wall = at("2026-11-29T14:00:00Z");
        m.set_anchor(t, wall);
        assert_eq!(
            m.wall_at(t + Duration::from_secs(90)),
            Some(at("2026-11-29T14:01:30Z"))
        );
        assert_eq!(
            m.wall_at(t - Duration::from_secs(30)),
            Some(at("2026-11-29T13:59:30Z"))
        );
    }
}

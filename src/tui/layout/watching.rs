//! The status bar while a backup is watched, and after the watch ended.
//! The line changes only when a check ends: it names the clock time of
//! the next check rather than counting down, so nothing is drawn between
//! checks.

use ratatui::text::Span;

use crate::keymap::{Action, Context};
use crate::shown::status::Role;
use crate::shown::time::clock;

use super::super::app::{App, Lookup};
use super::super::text;
use super::super::theme::Theme;
use super::super::watch::{Outcome, Watching};

/// The watch's line and, when it is a message to keep, its words for the
/// log, when the shown profile's watch has something to say. A lookup in
/// flight or failed says more, so it keeps the status bar. A running
/// watch is logged as what it watches (and its failing check), not once
/// per check: its next check time changes at every check.
pub fn line(app: &App, theme: Theme) -> Option<(Vec<Span<'static>>, Option<String>)> {
    let slot = app.slot();
    if matches!(slot.lookup, Lookup::Loading { .. } | Lookup::Failed { .. }) {
        return None;
    }
    match &slot.watch {
        Watching::Off => None,
        Watching::On(w) => {
            // The anchor turns the monotonic due time into the operator's
            // clock without a clock read while drawing.
            let at = app
                .messages
                .wall_at(w.due)
                .map(|t| clock(super::super::zone::wall_time(t, &app.zone)));
            let next = match at {
                Some(at) => format!("next check at {at} ({} s wait)", w.wait.as_secs()),
                None => format!("next check in {} s", w.wait.as_secs()),
            };
            let mut spans = vec![
                Span::styled("◷", theme.key()),
                Span::raw(format!(" watching {} · {next}", w.query.backup)),
            ];
            if let Some(e) = &w.last_error {
                spans.push(Span::styled(
                    format!(
                        " · check failed ({} of {}): {}",
                        w.failures,
                        super::super::watch::MAX_FAILURES,
                        text::sanitize(&e.short_line())
                    ),
                    theme.warn(),
                ));
            }
            // Only on the main screen: in an overlay the key closes that.
            let stop = app
                .keys
                .keys_at(Context::List, false, Action::Back)
                .first()
                .copied();
            if let Some(key) = stop.filter(|_| app.overlays.top().is_none()) {
                spans.push(Span::styled(format!(" · {key} stops"), theme.dim()));
            }
            let mut log = format!("◷ watching {}", w.query.backup);
            if let Some(e) = &w.last_error {
                log.push_str(&format!(
                    " · check failed ({} of {}): {}",
                    w.failures,
                    super::super::watch::MAX_FAILURES,
                    text::sanitize(&e.short_line())
                ));
            }
            Some((spans, Some(log)))
        }
        Watching::Ended(end) => {
            // A status the watch ended on is marked and coloured as every
            // screen shows it; an end that is no status (gone, given up,
            // another word) only warns.
            let (mark, style) = match &end.outcome {
                Outcome::Normal => (Role::Ok.glyph(), theme.status(Role::Ok)),
                Outcome::Failed => (Role::Bad.glyph(), theme.status(Role::Bad)),
                _ => ("»", theme.warn()),
            };
            let sentence = text::sanitize(&end.outcome.sentence(&end.backup));
            let line = format!("{mark} {sentence} · {}", clock(end.at));
            Some((vec![Span::styled(line.clone(), style)], Some(line)))
        }
    }
}

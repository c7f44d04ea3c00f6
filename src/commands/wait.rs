//! `ddm-backups wait`: re-reads a backup's list row on the watch schedule
//! (5 s doubling to 60 s) while it is `creating`, through failed checks
//! (honouring a server's Retry-After) until three fail in a row. Exit 0
//! when it is `normal`; 1 on `createfail`, any other status, a missing row,
//! three failed checks or the timeout. stdout gets the last status read (one word, so
//! `status=$(ddm-backups wait ...)` can tell `createfail` from a timeout's
//! `creating`), or nothing when no row was read; stderr gets progress
//! (only on a terminal) and always one final line.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use tokio::time::Instant;

use super::{EXIT_LOOKUP, EXIT_USAGE, Failure, say, target};
use crate::cli::{GlobalArgs, WaitArgs};
use crate::output;
use crate::readiness::find_row;
use crate::readiness::watch::{Backoff, MAX_FAILURES, Progress};
use crate::terminal_text::{escape, sanitize};

pub async fn run(global: &GlobalArgs, args: WaitArgs) -> Result<(), Failure> {
    let target = target::for_backup(global, &args.instance, &args.backup).await?;
    let started = Instant::now();
    // --timeout is at most a week, so this cannot overflow; if a clock
    // could not add it, waiting with no deadline would be the wrong answer.
    let deadline = started
        .checked_add(args.timeout)
        .ok_or_else(|| Failure::usage(format!("error: cannot wait {}", span(args.timeout))))?;
    let show_progress = std::io::stderr().is_terminal();
    let backup = &args.backup;
    let mut backoff = Backoff::default();
    let mut seen = Seen::default();
    // Each check is bounded by the deadline too: the timeout is a promise
    // about the whole wait, slow answers included. The one exception is the
    // check made at the deadline itself, which gets a short grace.
    let mut check_until = deadline;
    loop {
        let checked = tokio::time::timeout_at(
            check_until,
            find_row(&target.client, &args.instance, backup),
        )
        .await;
        // What the server asked for before the next request, if anything.
        let mut asked_wait = None;
        match checked {
            Err(_) => return seen.timed_out(backup, args.timeout),
            // Nothing was sent (bad credentials, a bad ID): no later check
            // can go better.
            Ok(Err(e)) if e.exit_code() == EXIT_USAGE => {
                return seen.ended(output::error_line(&e));
            }
            Ok(Err(e)) => {
                // One failed check says nothing about the backup (a 500, a
                // throttle, a slow gateway); the watch goes on, as the TUI's
                // does, until too many fail in a row.
                seen.failures += 1;
                if seen.failures >= MAX_FAILURES {
                    let message = format!(
                        "{} ({MAX_FAILURES} checks failed in a row)",
                        output::error_line(&e)
                    );
                    return seen.ended(message);
                }
                asked_wait = e.asked_wait();
                seen.last_error = Some(e);
            }
            Ok(Ok(None)) => {
                return seen.ended(format!(
                    "error: {backup} is not in the backup list of {}",
                    args.instance
                ));
            }
            Ok(Ok(Some(row))) => {
                seen.failures = 0;
                seen.last_error = None;
                // Escaped, not cleaned: "normal\u{200b}" is not `normal`,
                // and the message that says so must not print it as `normal`.
                let status = row.status.as_ref().map(|s| escape(s.sent()).into_owned());
                let waited = span(started.elapsed());
                match Progress::of(row.status.as_ref()) {
                    Progress::Normal => {
                        print_status("normal")?;
                        say(&format!("{backup} is normal (waited {waited})"));
                        return Ok(());
                    }
                    Progress::Failed => {
                        print_status("createfail")?;
                        return Err(lookup(format!(
                            "error: {backup} is createfail: the backup was not made (waited {waited})"
                        )));
                    }
                    Progress::Other(raw) => {
                        let Some(status) = status.filter(|_| !sanitize(&raw).trim().is_empty())
                        else {
                            return Err(lookup(no_status(backup, &raw)));
                        };
                        print_status(&status)?;
                        return Err(lookup(format!(
                            "error: {backup} is {status}, neither creating nor normal; nothing to wait for"
                        )));
                    }
                    Progress::Creating => seen.status = status,
                }
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || check_until > deadline {
            return seen.timed_out(backup, args.timeout);
        }
        // Never sleep past the deadline. A pause cut short by it ends in
        // one last check, so a backup done in those final seconds is seen
        // as done rather than reported as a timeout. A server's Retry-After
        // longer than the schedule's step is honoured, up to that deadline.
        let step = backoff.next_wait();
        let pause = asked_wait.map_or(step, |w| w.max(step)).min(left);
        if show_progress {
            let now = match &seen.last_error {
                Some(e) => format!("{backup}: the check failed ({})", e.short_line()),
                None => format!("{backup} is creating"),
            };
            say(&format!("{now} · next check in {}", span(pause)));
        }
        tokio::time::sleep(pause).await;
        if Instant::now() >= deadline {
            // (Should the clock not reach that far, the check ends at once.)
            check_until = Instant::now()
                .checked_add(LAST_CHECK_GRACE)
                .unwrap_or(deadline);
        }
    }
}

/// What the checks so far have read: the last status, and the failures
/// since the last answer.
#[derive(Default)]
struct Seen {
    /// The last status read (cleaned), printed on stdout however the wait
    /// ends: a script must not lose `creating` to a later failure.
    status: Option<String>,
    /// Checks failed in a row, and the last one's error.
    failures: u32,
    last_error: Option<crate::api::Error>,
}

impl Seen {
    /// Ends the wait with `message` (exit 1), after the last status read.
    fn ended(&self, message: String) -> Result<(), Failure> {
        if let Some(status) = &self.status {
            print_status(status)?;
        }
        Err(lookup(message))
    }

    fn timed_out(&self, backup: &str, timeout: Duration) -> Result<(), Failure> {
        let after = span(timeout);
        let message = match (&self.status, &self.last_error) {
            (Some(status), None) => {
                format!("error: timed out after {after}: {backup} is still {status}")
            }
            (Some(status), Some(e)) => format!(
                "error: timed out after {after}: {backup} was {status} at the last answer; \
                 the last check failed: {}",
                e.status_line()
            ),
            (None, None) => {
                format!("error: timed out after {after} before the backup list answered")
            }
            (None, Some(e)) => format!(
                "error: timed out after {after} before the backup list answered; \
                 the last check failed: {}",
                e.status_line()
            ),
        };
        self.ended(message)
    }
}

/// Why a row gives nothing to print on stdout. A status made only of what
/// a terminal obeys is not "no status": it is named, escaped, on stderr.
fn no_status(backup: &str, raw: &str) -> String {
    if raw.trim().is_empty() {
        return format!("error: {backup}'s list row has no status; nothing to wait for");
    }
    // Only the first few: the field may be 4 KB of them.
    let shown: String = raw.chars().take(16).flat_map(char::escape_debug).collect();
    format!(
        "error: {backup}'s status is only control or invisible characters (\"{shown}\"); \
         nothing to wait for"
    )
}

/// How long the check made at the deadline may take. Without a grace a
/// check started there would always time out before its answer.
const LAST_CHECK_GRACE: Duration = Duration::from_secs(10);

fn lookup(message: String) -> Failure {
    Failure {
        code: EXIT_LOOKUP,
        message,
    }
}

/// The status word on stdout; a reader that went away is not an error.
fn print_status(status: &str) -> Result<(), Failure> {
    super::print(|out| writeln!(out, "{status}"))
}

/// A duration as people say it, to the nearest second: `45 s`,
/// `30 min`, `2 h`, `1 min 30 s`.
fn span(d: Duration) -> String {
    let secs = (d.as_millis() + 500) / 1000;
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, 0) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invisible_status_is_named_escaped() {
        assert_eq!(
            no_status("b1", " "),
            "error: b1's list row has no status; nothing to wait for"
        );
        let said = no_status("b1", "\u{202e}\u{200b}");
        assert_eq!(
            said,
            "error: b1's status is only control or invisible characters \
             (\"\\u{202e}\\u{200b}\"); nothing to wait for"
        );
        assert!(said.chars().all(|c| !crate::terminal_text::is_unsafe(c)));
    }

    #[test]
    fn spans_read_as_people_say_them() {
        let s = Duration::from_secs;
        assert_eq!(span(s(2)), "2 s");
        assert_eq!(span(Duration::from_millis(4_200)), "4 s");
        assert_eq!(span(Duration::from_millis(4_600)), "5 s");
        assert_eq!(span(s(0)), "0 s");
        assert_eq!(span(s(1800)), "30 min");
        assert_eq!(span(s(90)), "1 min 30 s");
        assert_eq!(span(s(7200)), "2 h");
        assert_eq!(span(s(5400)), "1 h 30 min");
    }
}

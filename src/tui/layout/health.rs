//! The Health view in words: a row's cells (state, ages, the sparkline of
//! sizes and the latest size's change), each profile's line, the title,
//! the status line, the footer that explains the selected row, and the
//! days a chart draws. `ui::health` draws what this says.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::style::Style;
use ratatui::text::Span;

use crate::health::{Outcome, State};
use crate::shown;

use super::super::app::App;
use super::super::find::{grouped, skipped};
use super::super::health::{ProfileCheck, ProfileState, Row};
use super::super::text;
use super::super::theme::Theme;
use super::status::{duration, spinner};
use super::table::Column;
use crate::shown::time::clock;

pub use super::health_sizes::{
    BLOCKS, Day, FAILED, MAKING, MISSED, change, days, eighths, latest, sparkline,
};

/// The rows' columns, left out by rank as the screen narrows, what the
/// rest of the view already says first: the ID (the footer), the counts
/// (the state and the footer), the latest size (the sparkline), then the
/// profile, which stays longer than the ID because one deployment in two
/// regions has one name twice and the profile is what tells those rows
/// apart; the sparkline and the newest good backup's age last. The state and the name say which row
/// it is and always stay, the state as a glyph and a word; an ID is
/// whole or left out.
pub const COLUMNS: [Column; 11] = [
    Column::fixed("STATE", 10),
    Column::flex("INSTANCE", 8, 18).cut_middle(8),
    Column::fixed("ID", 36).drop(9),
    Column::fixed("PROFILE", 24).cut(14).drop(5),
    Column::fixed("NEWEST", 19).drop(4),
    Column::fixed("GOOD", 9).right().drop(1),
    Column::fixed("FAIL", 4).right().drop(8),
    Column::fixed("MISS", 4).right().drop(7),
    Column::fixed("LAG", 9).right().drop(3),
    Column::fixed("SIZES", 31).drop(2),
    Column::fixed("LATEST", 16).drop(6),
];

/// Lines the profiles' progress lines may take of the view's inner
/// height: a fifth, at least one.
pub fn profile_room(inner: u16) -> usize {
    usize::from((inner / 5).max(1))
}

/// Lines the footer may take of `rest` (the rows, their heading and the
/// footer under them).
pub fn footer_room(rest: u16) -> usize {
    match rest {
        0..=3 => 0,
        4..=7 => 1,
        8..=11 => 2,
        12..=19 => 4,
        _ => 6,
    }
}

/// Rows of instances the view shows at the least on a `width` x `height`
/// screen, with its profile lines and footer at their largest: what a
/// page moves, so paging never passes a row the operator did not see.
pub fn page_rows(width: u16, height: u16) -> usize {
    let Some(areas) = super::areas(ratatui::layout::Rect::new(0, 0, width, height)) else {
        return 1;
    };
    // The view's border.
    let inner = areas.browser.height.saturating_sub(2);
    let profiles = u16::try_from(profile_room(inner)).unwrap_or(u16::MAX);
    let rest = inner.saturating_sub(profiles);
    // The heading, then the footer.
    usize::from(rest)
        .saturating_sub(1 + footer_room(rest))
        .max(1)
}

/// Where the state and the sparkline are in [`COLUMNS`].
pub const STATE: usize = 0;
pub const SIZES: usize = 9;

/// A state's glyph: its meaning without colour.
pub fn glyph(state: State) -> &'static str {
    match state {
        State::Critical => "✗",
        State::Unknown => "?",
        State::Warning => "!",
        State::Ok => "✓",
    }
}

/// `✗ CRITICAL`: the glyph and the word.
pub fn state_cell(state: State) -> String {
    format!("{} {}", glyph(state), state.word())
}

/// How a state looks: the colours the statuses use.
pub fn state_style(state: State, theme: Theme) -> Style {
    use shown::status::Role;
    theme.status(match state {
        State::Critical => Role::Bad,
        State::Unknown | State::Warning => Role::Busy,
        State::Ok => Role::Ok,
    })
}

/// A backup outcome as the statuses show it: its role and word.
fn outcome(o: Outcome) -> (shown::status::Role, &'static str) {
    use shown::status::Role;
    match o {
        Outcome::Normal => (Role::Ok, "normal"),
        Outcome::Failed => (Role::Bad, "createfail"),
        Outcome::InProgress => (Role::Busy, "creating"),
        Outcome::Other => (Role::Busy, "other"),
    }
}

/// An instance's name as the view shows it: `(no name)` for a blank one
/// (the row, the footer and the chart say it alike).
pub fn shown_name(name: &str) -> &str {
    if name.trim().is_empty() {
        "(no name)"
    } else {
        name
    }
}

/// `31 h` from `from` to `at`.
fn age(from: Timestamp, at: Timestamp) -> String {
    crate::health::span(at.duration_since(from))
}

/// One row's cells, one per column of [`COLUMNS`], sanitized (names
/// and IDs came from a server).
pub fn cells(row: &Row, theme: Theme) -> Vec<(String, Style)> {
    let r = &row.report;
    let v = &r.verdict;
    let name = text::sanitize(shown_name(&r.instance_name));
    let newest = v.newest.map_or((String::new(), Style::new()), |b| {
        let (role, word) = outcome(b.outcome);
        (
            format!("{} {word} {}", role.glyph(), age(b.created, row.at)),
            theme.status(role),
        )
    });
    let good = v
        .last_good
        .map_or_else(|| "none".into(), |b| age(b.created, row.at));
    let lag = v
        .restore_lag
        .map_or_else(|| "none".into(), crate::health::span);
    let count = |n: usize| if n == 0 { "-".into() } else { n.to_string() };
    let bad = |n: usize| if n == 0 { Style::new() } else { theme.warn() };
    vec![
        (state_cell(v.state), state_style(v.state, theme)),
        (name, Style::new()),
        (text::sanitize(&r.instance_id), theme.dim()),
        (
            format!(
                "{}/{}",
                text::sanitize(&r.profile),
                text::sanitize(&r.region)
            ),
            theme.dim(),
        ),
        newest,
        (good, Style::new()),
        (count(v.failures), bad(v.failures)),
        (count(v.missed_days.len()), bad(v.missed_days.len())),
        (lag, Style::new()),
        (sparkline(r, row.at), Style::new()),
        (latest(r), Style::new()),
    ]
}

/// What a profile's line says after its name: its progress, its count,
/// or why it has none; and whether that is bad news.
pub fn profile_state(p: &ProfileCheck) -> (String, bool) {
    match &p.state {
        ProfileState::Waiting => ("waiting for a turn".into(), false),
        ProfileState::Listing => ("listing…".into(), false),
        ProfileState::Judging { judged, of } => (
            format!("{}/{} judged", grouped(*judged as u64), grouped(*of as u64)),
            false,
        ),
        ProfileState::Done {
            instances,
            took,
            truncated,
        } => {
            let noun = if *instances == 1 {
                "instance"
            } else {
                "instances"
            };
            let mut s = format!(
                "{} {noun} in {}",
                grouped(*instances as u64),
                duration(*took)
            );
            if *truncated {
                s.push_str(" · backup listing cut at its row limit: older backups not read");
            }
            (s, *truncated)
        }
        ProfileState::Failed(e) if skipped(e) => ("skipped (no password)".into(), true),
        ProfileState::Failed(e) => (e.short_line(), true),
    }
}

/// The title: how many instances are in each state (of the profile
/// shown, when one is chosen).
pub fn title(app: &App) -> String {
    let fleet = app.fleet();
    let profile = app.health().and_then(|v| v.profile);
    let counts = fleet.counts(profile);
    let mut title = format!(
        "Health · {} critical · {} unknown · {} warning · {} ok",
        counts.critical, counts.unknown, counts.warning, counts.ok,
    );
    if let Some(p) = profile.and_then(|p| app.profiles().get(p.index())) {
        title.push_str(&format!(" · {} only", text::sanitize(&p.name)));
    }
    let failed = fleet
        .profiles
        .iter()
        .filter(|p| matches!(p.state, ProfileState::Failed(_)))
        .count();
    if failed > 0 {
        let noun = if failed == 1 { "profile" } else { "profiles" };
        title.push_str(&format!(" · {failed} {noun} failed"));
    }
    title
}

/// The status bar while the view is in front: the check in flight, or
/// when the rows were judged and when the next check is.
pub fn status(app: &App, theme: Theme) -> Vec<Span<'static>> {
    let fleet = app.fleet();
    let wall = |t: Timestamp| clock(super::super::zone::wall_time(t, &app.zone));
    if fleet.loading().is_some() {
        let ended = fleet.profiles.iter().filter(|p| p.ended()).count();
        let spin = app
            .health()
            .and_then(|v| v.spin)
            .map_or("", |(started, now)| {
                spinner(now.saturating_duration_since(started))
            });
        return vec![
            Span::styled(spin.to_string(), theme.key()),
            Span::raw(format!(
                " checking: {ended} of {} profiles done · {} instances judged",
                fleet.profiles.len(),
                grouped(
                    fleet
                        .rows
                        .iter()
                        .filter(|r| r.check == fleet.checks)
                        .count() as u64
                )
            )),
        ];
    }
    let Some(at) = fleet.checked_at else {
        return vec![Span::raw("Starting the check…")];
    };
    let mut line = format!("checked at {}", wall(at));
    match fleet.due {
        Some(due) => line.push_str(&format!(" · next check at {}", wall(due))),
        None if app.health_refresh.is_none() => {
            let key = app
                .keys
                .keys_at(
                    crate::keymap::Context::Health,
                    false,
                    crate::keymap::Action::Reload,
                )
                .first()
                .map(|k| format!(" · {k} checks again"));
            line.push_str(&key.unwrap_or_default());
        }
        None => {}
    }
    vec![Span::styled(line, theme.dim())]
}

/// The selected row explained, one entry per line: the row whole, each
/// finding (which rule, its numbers and thresholds) with its state, then
/// the facts (newest normal backup, restorable time, expiry).
pub fn explain(row: &Row, zone: &TimeZone) -> Vec<(State, String)> {
    let r = &row.report;
    let v = &r.verdict;
    let name = shown_name(&r.instance_name);
    let mut lines = vec![(
        v.state,
        text::sanitize(&format!(
            "{name} ({}) · {} · {} · {}",
            r.instance_id,
            r.profile,
            r.region,
            v.state.word()
        )),
    )];
    for f in &v.findings {
        lines.push((
            f.state,
            format!("{} {}", glyph(f.state), text::sanitize(&f.text)),
        ));
    }
    let at = |t: Timestamp| shown::time::instant_minute(t, zone);
    let mut facts = Vec::new();
    if let Some(good) = v.last_good {
        facts.push(format!(
            "newest normal backup at {}, {} ago",
            at(good.created),
            age(good.created, row.at)
        ));
    }
    if let Some(latest) = v.restore_latest {
        facts.push(format!("restorable to {}", at(latest)));
    }
    if let Some(expiry) = v.expiry {
        facts.push(format!("oldest backup expires {}", at(expiry)));
    }
    if !facts.is_empty() {
        let mut said = facts.join("; ");
        if let Some(first) = said.get(..1) {
            said = first.to_uppercase() + &said[1..];
        }
        lines.push((State::Ok, said));
    }
    lines
}

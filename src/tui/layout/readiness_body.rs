//! The readiness view's lines, section by section: blockers, the backup,
//! the restore windows, the data nodes then and now, the targets. Each
//! section says on its own whether it is loading, failed or loaded, so a
//! failed call hides nothing else. Every server string is sanitized.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::api;
use crate::readiness::{Call, Part};

use super::super::app::App;
use super::super::readiness::{ReadinessView, Table, has_note};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;
use super::readiness_cells::{
    NODE_COLUMNS, TARGET_COLUMNS, node_cells, status_style, target_cells,
};
use super::status::spinner;

/// Windows listed before the rest are counted instead.
const MAX_WINDOWS: usize = 20;
/// Label column of the Backup section.
const LABEL: usize = 10;

/// The view's lines for an inner width: how many there are, the ones in
/// the window asked for (only a screenful is ever shown, and a table may
/// have 100,000 rows), and which are the selected row's: its own line,
/// then the note under it (an unavailable target's reason), both
/// inclusive.
pub struct Body {
    /// Lines `window.start..` up to the window's end or the last line.
    pub lines: Vec<Line<'static>>,
    pub total: usize,
    pub selected: Option<(usize, usize)>,
}

/// The view's lines at `width` cells; `roomy`: a blank line between
/// sections. Only lines in `window` (line indices) are built; the rest
/// are counted, a table's rows without visiting them.
pub fn body(
    app: &App,
    view: &ReadinessView,
    width: usize,
    roomy: bool,
    window: Range<usize>,
    theme: Theme,
) -> Body {
    let mut b = Builder {
        app,
        view,
        width,
        roomy,
        window,
        theme,
        at: 0,
        lines: Vec::new(),
        selected: None,
    };
    b.blockers();
    b.backup();
    b.windows();
    b.nodes();
    b.targets();
    Body {
        lines: b.lines,
        total: b.at,
        selected: b.selected,
    }
}

pub(super) struct Builder<'a> {
    app: &'a App,
    pub(super) view: &'a ReadinessView,
    pub(super) width: usize,
    roomy: bool,
    /// The lines that are built.
    pub(super) window: Range<usize>,
    pub(super) theme: Theme,
    /// The next line's index.
    pub(super) at: usize,
    /// The lines built: those in `window`.
    pub(super) lines: Vec<Line<'static>>,
    pub(super) selected: Option<(usize, usize)>,
}

impl Builder<'_> {
    pub(super) fn push(&mut self, spans: Vec<Span<'static>>) {
        if self.window.contains(&self.at) {
            self.lines.push(fit_spans(spans, self.width));
        }
        self.at += 1;
    }

    fn heading(&mut self, title: &str, extra: String) {
        if self.roomy && self.at > 0 {
            self.push(Vec::new());
        }
        let t = self.theme;
        self.push(vec![
            Span::styled(title.to_string(), t.title().patch(t.focus())),
            Span::styled(extra, t.dim()),
        ]);
    }

    /// `text` wrapped under an indent, every line in `style`.
    pub(super) fn wrapped(&mut self, indent: usize, text: &str, style: Style) {
        let room = self.width.saturating_sub(indent).max(8);
        for line in text::wrap(text, room) {
            self.push(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(line, style),
            ]);
        }
    }

    /// "⠋ loading …" for a section whose call is in flight.
    fn loading(&mut self, what: &str) {
        let t = self.theme;
        let elapsed = self.view.now.saturating_duration_since(self.view.started);
        self.push(vec![
            Span::raw("  "),
            Span::styled(spinner(elapsed), t.key()),
            Span::styled(format!(" {what}…"), t.dim()),
        ]);
    }

    /// A failed call: its name, then the error as the status bar says it
    /// (status, code, message, request id).
    fn failed(&mut self, call: Call, error: &api::Error) {
        let line = format!("✗ {}: {}", call.name(), error.short_line());
        self.wrapped(2, &line, self.theme.error());
    }

    /// The part's state when it is not loaded: true when it was drawn.
    fn not_ready<T>(&mut self, part: &Part<T>, call: Call, loading: &str) -> bool {
        match part {
            Part::Ready(_) => return false,
            Part::Loading => self.loading(loading),
            Part::Failed(e) => self.failed(call, e),
            Part::Skipped(why) => self.wrapped(2, &format!("not asked: {why}"), self.theme.dim()),
        }
        true
    }

    fn blockers(&mut self) {
        let t = self.theme;
        let blockers = self.view.blockers();
        // A failed call comes first, before anything that could read as a
        // pass: what it would have shown is missing.
        let incomplete = self.view.report.incomplete();
        if let Some(said) = &incomplete {
            self.wrapped(0, &format!("✗ {said}"), t.error().patch(t.title()));
        }
        if blockers.is_empty() {
            if self.view.report.settled() {
                let (said, style) = match incomplete {
                    Some(_) => ("Blockers: none in what loaded (not a verdict)", t.warn()),
                    None => ("No blockers found (facts to check, not a verdict)", t.ok()),
                };
                self.wrapped(0, said, style);
            }
            return;
        }
        let title = format!("Blockers ({})", blockers.len());
        let note = " · facts to check, not a verdict";
        if text::width(&title) + text::width(note) <= self.width {
            self.push(vec![
                Span::styled(title, t.error().patch(t.title())),
                Span::styled(note, t.dim()),
            ]);
        } else {
            self.push(vec![Span::styled(title, t.error().patch(t.title()))]);
            self.wrapped(2, "facts to check, not a verdict", t.dim());
        }
        for blocker in blockers {
            let room = self.width.saturating_sub(4).max(8);
            for (i, line) in text::wrap(&blocker.to_string(), room)
                .into_iter()
                .enumerate()
            {
                let mark = if i == 0 { "  ! " } else { "    " };
                self.push(vec![Span::styled(mark, t.error()), Span::raw(line)]);
            }
        }
    }

    fn field(&mut self, label: &str, value: &str, style: Style) {
        let room = self.width.saturating_sub(2 + LABEL).max(8);
        for (i, line) in text::wrap(value, room).into_iter().enumerate() {
            let label = if i == 0 { label } else { "" };
            self.push(vec![
                Span::styled(
                    format!("  {}", crate::cells::pad(label, LABEL)),
                    self.theme.dim(),
                ),
                Span::styled(line, style),
            ]);
        }
    }

    fn backup(&mut self) {
        let view = self.view;
        self.heading("Backup", String::new());
        let name = view.name().unwrap_or("(no name)");
        self.field(
            "Name",
            &format!("{name} ({})", view.report.backup_id),
            Style::new(),
        );
        if let Part::Ready(d) = &view.report.detail {
            let instance = match d.instance_name.trim() {
                "" => d.instance_id.clone(),
                name => format!("{name} ({})", d.instance_id),
            };
            self.field("Instance", &instance, Style::new());
        }
        self.not_ready(
            &view.report.detail,
            Call::ShowBackup,
            "loading the backup (ShowBackup)",
        );
        if self.not_ready(
            &view.report.row,
            Call::ListBackups,
            "finding its list row (ListBackups)",
        ) {
            return;
        }
        let Some(Some(row)) = view.report.row.ready() else {
            let said = "not in its instance's backup list: no status, type, date or size";
            self.wrapped(2, said, self.theme.warn());
            return;
        };
        // One line of facts: status first, coloured, the rest plain.
        // Escaped, not cleaned, as the blocker quotes it: "normal\u{200b}"
        // is neither shown nor coloured as normal.
        let status =
            crate::terminal_text::escape(row.status.as_ref().map_or("(none)", |s| s.sent()))
                .into_owned();
        let kind = api::backup_type_label(row.backup_type.as_deref().unwrap_or(""));
        let created = row.created.as_ref().map(|c| self.sent_time(c));
        let size = row.file_size.map(|s| crate::shown::size::bytes(s.bytes()));
        let mut rest = format!("type {}", text::sanitize(kind));
        if let Some(created) = created {
            rest.push_str(&format!(" · created {created}"));
        }
        if let Some(size) = size {
            rest.push_str(&format!(" · {size}"));
        }
        let t = self.theme;
        let room = self.width.saturating_sub(2 + LABEL);
        let lead = format!("{status} · ");
        if text::width(&lead) + text::width(&rest) <= room {
            self.push(vec![
                Span::styled(format!("  {}", crate::cells::pad("Status", LABEL)), t.dim()),
                Span::styled(status.clone(), status_style(&status, t)),
                Span::raw(format!(" · {rest}")),
            ]);
        } else {
            self.field("Status", &status, status_style(&status, t));
            self.field("", &rest, Style::new());
        }
    }

    /// An API time in the operator's zone, else as written.
    fn time(&self, at: &str) -> String {
        self.sent_time(&api::SentTime::parse(at))
    }

    /// A time in the operator's zone to the second (a detail view), else
    /// as written.
    fn sent_time(&self, at: &api::SentTime) -> String {
        text::sanitize(&crate::shown::time::sent_second(at, &self.app.zone))
    }

    fn windows(&mut self) {
        let view = self.view;
        self.heading("Restore windows", " (local time, newest first)".into());
        if self.not_ready(
            &view.report.windows,
            Call::Windows,
            "loading (restorable-time-interval)",
        ) {
            return;
        }
        let Some(w) = view.report.windows.ready() else {
            return;
        };
        if let Some(latest) = view.report.latest_restorable_time() {
            if view.latest_outside_windows() {
                // related-dn's word, not a time a restore can be asked at:
                // the nodes are compared at the newest window's end.
                let latest = format!(
                    "{} (related-dn's latest restorable time: outside every window)",
                    crate::shown::time::second(latest, &self.app.zone)
                );
                self.field("Latest", &latest, self.theme.warn());
            } else {
                let latest = format!(
                    "{} (latest restorable time)",
                    crate::shown::time::second(latest, &self.app.zone)
                );
                self.field("Latest", &latest, Style::new());
            }
        }
        let label = format!("  {}", crate::cells::pad("Windows", LABEL));
        // Already newest first (parse_windows sorts them once), so a frame
        // only walks the few it shows.
        let windows = &w.windows;
        if windows.is_empty() {
            self.wrapped(2, "no point-in-time window", self.theme.warn());
        }
        for (i, w) in windows.iter().take(MAX_WINDOWS).enumerate() {
            let side = |t: Option<&String>| t.map(|t| self.time(t)).unwrap_or("?".into());
            let from = side(w.start_time.as_ref());
            let to = side(w.end_time.as_ref());
            let lead = if i == 0 {
                label.clone()
            } else {
                " ".repeat(2 + LABEL)
            };
            let mut spans = vec![
                Span::styled(lead, self.theme.dim()),
                Span::raw(format!("{from} → {to}")),
            ];
            if w.is_inverted() {
                let note = " (ends before it starts: not counted)";
                spans.push(Span::styled(note, self.theme.warn()));
            }
            self.push(spans);
        }
        // The server's total counts the windows not read too (a blocker
        // says so): the rest are all but those shown.
        let total = w.total.map(|t| usize::try_from(t).unwrap_or(usize::MAX));
        let listed = total.unwrap_or(0).max(windows.len());
        let more = listed.saturating_sub(windows.len().min(MAX_WINDOWS));
        if more > 0 {
            self.wrapped(2, &format!("and {more} older windows"), self.theme.dim());
        }
    }

    fn nodes(&mut self) {
        let view = self.view;
        let at = view
            .report
            .restore_time()
            .map(|t| format!(" · now = {}", crate::shown::time::second(t, &self.app.zone)));
        self.heading("Data nodes, then and now", at.unwrap_or_default());
        self.not_ready(
            &view.report.detail,
            Call::ShowBackup,
            "loading the backup's nodes (ShowBackup)",
        );
        match &view.report.now {
            Part::Loading if view.report.windows.is_loading() => {
                self.loading("waiting for the restore windows")
            }
            now => {
                self.not_ready(now, Call::RelatedDn, "loading the nodes now (related-dn)");
            }
        }
        let lines = view.node_lines();
        if lines.is_empty() {
            if view.report.nodes().is_some() {
                self.wrapped(2, "no data nodes, then or now", self.theme.dim());
            }
            return;
        }
        if let Some(cut) = view.report.detail.ready().and_then(|d| d.nodes_cut) {
            let said = format!("the backup lists {cut} nodes; only the first are compared");
            self.wrapped(2, &said, self.theme.warn());
        }
        if let Some(short) = view.report.now.ready().and_then(|n| n.shortfall()) {
            let listed = short
                .listed
                .map_or_else(|| "more".to_string(), |l| l.to_string());
            let said = format!(
                "the instance lists {listed} nodes now; only {} were read, so a backup node \
                 missing from them is unknown, not gone",
                short.read
            );
            self.wrapped(2, &said, self.theme.warn());
        }
        let t = self.theme;
        let cells = |at: usize| lines.get(at).map(|l| node_cells(l, t)).unwrap_or_default();
        self.table(
            Table::Nodes,
            &NODE_COLUMNS,
            lines.len(),
            cells,
            |_| 0,
            |_| None,
        );
    }

    fn targets(&mut self) {
        let view = self.view;
        self.heading(
            "Targets",
            " · DDM instances that could take a restore".into(),
        );
        if self.not_ready(
            &view.report.targets,
            Call::Targets,
            "loading (restorable-instances)",
        ) {
            return;
        }
        let targets = view.targets();
        if targets.is_empty() {
            self.wrapped(
                2,
                "no DDM instance is listed as a restore target",
                self.theme.warn(),
            );
            return;
        }
        let t = self.theme;
        let cells = |at: usize| {
            targets
                .get(at)
                .map(|r| target_cells(r, t))
                .unwrap_or_default()
        };
        self.table(
            Table::Targets,
            &TARGET_COLUMNS,
            targets.len(),
            cells,
            |at| view.target_notes_before(at),
            |at| {
                let target = targets.get(at)?;
                has_note(target).then(|| {
                    let reason = target
                        .unavailable_reason
                        .as_deref()
                        .unwrap_or("no reason given");
                    format!("not available: {reason}")
                })
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Listing, RestoreTarget};
    use crate::tui::readiness::Answer;
    use crate::tui::test_support::*;

    #[test]
    fn only_the_lines_in_the_window_are_built_however_long_the_tables() {
        let mut a = readiness_loaded();
        press(&mut a, crossterm::event::KeyCode::Char('r'));
        let rows: Vec<RestoreTarget> = (0..100_000)
            .map(|i| RestoreTarget {
                instance_id: Some(format!("t{i}")),
                available: Some(false),
                unavailable_reason: Some("why".into()),
                ..RestoreTarget::default()
            })
            .collect();
        let listing = Listing {
            rows,
            total: None,
            truncated: false,
        };
        answer_readiness(&mut a, Answer::Targets(Ok(listing)));
        let view = a.readiness().expect("open");
        let whole = body(&a, view, 80, false, 0..usize::MAX, a.theme);
        assert_eq!(whole.lines.len(), whole.total);
        assert!(whole.total > 200_000, "{}", whole.total);
        for window in [
            0..0,
            0..30,
            100_000..100_030,
            whole.total - 5..whole.total + 30,
        ] {
            let part = body(&a, view, 80, false, window.clone(), a.theme);
            assert_eq!(part.total, whole.total);
            let expect = window.end.min(whole.total).saturating_sub(window.start);
            assert_eq!(part.lines.len(), expect, "{window:?}");
            // The same lines as the whole body has there.
            for (i, line) in part.lines.iter().enumerate() {
                assert_eq!(line, &whole.lines[window.start + i], "{window:?} line {i}");
            }
        }
    }
}

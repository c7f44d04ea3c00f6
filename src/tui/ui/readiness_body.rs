//! The readiness view's lines, section by section: blockers, the backup,
//! the restore windows, the data nodes then and now, the targets. Each
//! section says on its own whether it is loading, failed or loaded, so a
//! failed call hides nothing else. Every server string is sanitized.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::api::{self, RestoreTarget};
use crate::readiness::{Call, Coverage, Part};

use super::super::app::App;
use super::super::readiness::{NodeLine, ReadinessView, Table};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;
use super::status::spinner;
use super::table::{self, Column, GAP, MARK};

// What says which row it is (name, ID, coverage) stays; the engine,
// status and size give way first on a narrow screen (the footer shows
// them for the selected row).
const NODE_COLUMNS: [Column; 6] = [
    Column::flex("NAME", 8, 20).cut_middle(8),
    Column::fixed("ID", 36).cut_middle(13),
    Column::fixed("STATUS", 10).drop(2),
    Column::fixed("ENGINE", 16).drop(3),
    Column::fixed("SIZE", 9).right().drop(1),
    Column::fixed("COVERAGE", 17),
];

const TARGET_COLUMNS: [Column; 5] = [
    Column::flex("NAME", 8, 20).cut_middle(8),
    Column::fixed("ID", 36).cut_middle(13),
    Column::fixed("STATUS", 10).drop(2),
    Column::fixed("AVAILABLE", 9),
    Column::fixed("VPC", 16).drop(1),
];

/// Windows listed before the rest are counted instead.
const MAX_WINDOWS: usize = 20;
/// Label column of the Backup section.
const LABEL: usize = 10;

/// Every line of the view for an inner width, and which one is the
/// selected row.
pub struct Body {
    pub lines: Vec<Line<'static>>,
    pub selected: Option<usize>,
}

/// The view's lines at `width` cells.
/// `roomy`: a blank line between sections.
pub fn body(app: &App, view: &ReadinessView, width: usize, roomy: bool, theme: Theme) -> Body {
    let mut b = Builder {
        app,
        view,
        width,
        roomy,
        theme,
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
        selected: b.selected,
    }
}

struct Builder<'a> {
    app: &'a App,
    view: &'a ReadinessView,
    width: usize,
    roomy: bool,
    theme: Theme,
    lines: Vec<Line<'static>>,
    selected: Option<usize>,
}

impl Builder<'_> {
    fn push(&mut self, spans: Vec<Span<'static>>) {
        self.lines.push(fit_spans(spans, self.width));
    }

    fn heading(&mut self, title: &str, extra: String) {
        if self.roomy && !self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        let t = self.theme;
        self.push(vec![
            Span::styled(title.to_string(), t.title().patch(t.focus())),
            Span::styled(extra, t.dim()),
        ]);
    }

    /// `text` wrapped under an indent, every line in `style`.
    fn wrapped(&mut self, indent: usize, text: &str, style: Style) {
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
        let blockers = self.view.report.blockers();
        if blockers.is_empty() {
            if self.view.report.settled() {
                let failed = !self.view.report.failures().is_empty();
                let said = if failed {
                    "No blockers in what loaded (facts to check, not a verdict)"
                } else {
                    "No blockers found (facts to check, not a verdict)"
                };
                self.wrapped(0, said, if failed { t.warn() } else { t.ok() });
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
        let status = text::sanitize(row.status.as_deref().unwrap_or("(none)"));
        let kind = api::backup_type_label(row.backup_type.as_deref().unwrap_or(""));
        let created = row.created.as_deref().map(|c| self.time(c));
        let size = row.file_size.map(api::human_size);
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
        match api::parse_api_time(at) {
            Some(t) => self.local(t),
            None => text::sanitize(at),
        }
    }

    fn local(&self, t: time::OffsetDateTime) -> String {
        let t = super::super::zone::local(t, &self.app.zone);
        format!(
            "{}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
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
        let latest = view.report.latest_restorable_time();
        let latest = latest.map_or("none".into(), |t| self.local(t));
        self.field(
            "Latest",
            &format!("{latest} (latest restorable time)"),
            Style::new(),
        );
        let label = format!("  {}", crate::cells::pad("Windows", LABEL));
        let mut windows: Vec<_> = w.windows.iter().collect();
        // Newest first whatever the server's order; unreadable ends last.
        windows.sort_by_key(|w| std::cmp::Reverse(w.end()));
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
            self.push(vec![
                Span::styled(lead, self.theme.dim()),
                Span::raw(format!("{from} → {to}")),
            ]);
        }
        let more = windows.len().saturating_sub(MAX_WINDOWS) + w.windows_cut.unwrap_or(0);
        if more > 0 {
            self.wrapped(2, &format!("and {more} older windows"), self.theme.dim());
        }
    }

    fn nodes(&mut self) {
        let view = self.view;
        let at = view
            .report
            .restore_time()
            .map(|t| format!(" · now = {}", self.local(t)));
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
        let t = self.theme;
        let rows: Vec<Vec<(String, Style)>> = lines.iter().map(|l| node_cells(l, t)).collect();
        self.table(Table::Nodes, &NODE_COLUMNS, rows, |_| None);
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
        let rows: Vec<_> = targets.iter().map(|r| target_cells(r, t)).collect();
        self.table(Table::Targets, &TARGET_COLUMNS, rows, |at| {
            let target = targets.get(at)?;
            (target.available == Some(false)).then(|| {
                let reason = target
                    .unavailable_reason
                    .as_deref()
                    .unwrap_or("no reason given");
                format!("not available: {reason}")
            })
        });
    }

    /// A table: its heading, then each row (and, under a row, the note
    /// `under` gives it), the selected one marked when the keys act here.
    fn table(
        &mut self,
        which: Table,
        columns: &[Column],
        rows: Vec<Vec<(String, Style)>>,
        under: impl Fn(usize) -> Option<String>,
    ) {
        let t = self.theme;
        let fitted = fit_columns(columns, &rows);
        let shown = table::layout(&fitted, self.width);
        let mut head = vec![Span::raw(" ".repeat(MARK))];
        for &(i, w) in &shown {
            let c = fitted[i];
            let cell = if c.right {
                format!("{:>w$}", text::fit(c.heading, w))
            } else {
                text::fit_pad(c.heading, w)
            };
            head.push(Span::styled(cell, t.title()));
            head.push(Span::raw(" ".repeat(GAP)));
        }
        self.push(head);
        let acting = self.view.acting() == Some(which);
        let selected = self.view.selected(which);
        for (at, cells) in rows.into_iter().enumerate() {
            let here = acting && at == selected;
            let row_style = if here { t.selected() } else { Style::new() };
            let mut spans = vec![Span::styled(if here { "▶ " } else { "  " }, row_style)];
            for &(i, w) in &shown {
                let c = fitted[i];
                let (value, style) = cells.get(i).cloned().unwrap_or_default();
                let cell = c.fit(&value, w);
                let pad = " ".repeat(w.saturating_sub(text::width(&cell)));
                let cell = if c.right { pad + &cell } else { cell + &pad };
                spans.push(Span::styled(cell, style.patch(row_style)));
                spans.push(Span::styled(" ".repeat(GAP), row_style));
            }
            if here {
                self.selected = Some(self.lines.len());
            }
            self.push(spans);
            if let Some(note) = under(at) {
                self.wrapped(4, &note, t.warn());
            }
        }
    }
}

/// Fixed columns shrink to what their cells hold (short demo IDs leave the
/// room to the names), never below their heading.
fn fit_columns(columns: &[Column], rows: &[Vec<(String, Style)>]) -> Vec<Column> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.flex {
                return *c;
            }
            let widest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|(v, _)| text::width(v))
                .max()
                .unwrap_or(0);
            let width = widest.max(text::width(c.heading)).min(c.width);
            Column {
                width,
                min: c.min.min(width),
                ..*c
            }
        })
        .collect()
}

/// Healthy green, failed red, anything else yellow.
pub fn status_style(status: &str, theme: Theme) -> Style {
    match status.to_ascii_lowercase().as_str() {
        "normal" | "running" | "active" | "available" => theme.ok(),
        "createfail" | "error" | "failed" | "abnormal" => theme.error(),
        "" | "(none)" => Style::new(),
        _ => theme.warn(),
    }
}

/// Bytes as people read them: `512 B`, else the KB-based units.
pub fn human_bytes(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        api::human_size(bytes as f64 / 1024.0)
    }
}

/// The words of a node's coverage (the colour only repeats them).
pub fn coverage_label(coverage: Option<Coverage>) -> &'static str {
    coverage.map_or("not compared", Coverage::label)
}

fn coverage_style(coverage: Option<Coverage>, theme: Theme) -> Style {
    match coverage {
        Some(Coverage::Both) => theme.ok(),
        Some(Coverage::BackupOnly) => theme.error(),
        Some(Coverage::Added) => theme.warn(),
        None => theme.dim(),
    }
}

/// `MySQL 8.0.28`, or whichever half is known.
pub fn engine(line: &NodeLine) -> String {
    [line.engine.as_deref(), line.version.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

fn node_cells(line: &NodeLine, theme: Theme) -> Vec<(String, Style)> {
    let clean = |s: Option<&str>| s.map(text::sanitize).unwrap_or_default();
    let status = clean(line.status.as_deref());
    vec![
        (
            line.name
                .as_deref()
                .map_or("(no name)".into(), text::sanitize),
            Style::new(),
        ),
        (text::sanitize(&line.id), theme.dim()),
        (status.clone(), status_style(&status, theme)),
        (text::sanitize(&engine(line)), Style::new()),
        (
            line.size_bytes.map(human_bytes).unwrap_or_default(),
            Style::new(),
        ),
        (
            coverage_label(line.coverage).into(),
            coverage_style(line.coverage, theme),
        ),
    ]
}

/// `yes`, `no` or `unknown` (the server may not say).
pub fn available(target: &RestoreTarget) -> &'static str {
    match target.available {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

fn target_cells(target: &RestoreTarget, theme: Theme) -> Vec<(String, Style)> {
    let clean = |s: Option<&str>| s.map(text::sanitize).unwrap_or_default();
    let status = clean(target.status.as_deref());
    let avail = match target.available {
        Some(true) => theme.ok(),
        Some(false) => theme.error(),
        None => theme.dim(),
    };
    vec![
        (
            target
                .instance_name
                .as_deref()
                .map_or("(no name)".into(), text::sanitize),
            Style::new(),
        ),
        (clean(target.instance_id.as_deref()), theme.dim()),
        (status.clone(), status_style(&status, theme)),
        (available(target).into(), avail),
        (clean(target.vpc_name.as_deref()), Style::new()),
    ]
}

//! The Find overlay: its text field, then every profile's header line
//! followed by its results. Only the lines on screen are built, so a
//! search with thousands of results draws as fast as one with ten.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::super::app::App;
use super::super::find::{Entry, FindView, header_state, skipped};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;
use super::status::spinner;
use super::table::{Column, GAP, MARK, draw_row, fit_to_rows, heading, layout};
use super::{Draw, Places};
use crate::cells::fit_around;
use crate::find::{Found, MIN_CHARS, Query, State};

// The backup's name and ID say which result it is and always stay; the
// instance's ID goes first on a narrow screen, its name after the status.
// IDs are whole or left out (the backup's is cut, in the middle, only when
// even the droppable columns are gone).
const COLUMNS: [Column; 6] = [
    Column::fixed("INSTANCE", 16).cut(8).drop(3),
    Column::fixed("INSTANCE ID", 36).cut_middle(36).drop(5),
    Column::flex("BACKUP", 10, 20).cut_middle(10),
    Column::fixed("BACKUP ID", 36).cut_middle(36),
    Column::fixed("STATUS", 10).drop(4),
    Column::fixed("CREATED", 16).drop(2),
];

// Where each is in `COLUMNS` (and in a row's cells).
const INSTANCE: usize = 0;
const INSTANCE_ID: usize = 1;
const BACKUP: usize = 2;
const BACKUP_ID: usize = 3;

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &FindView, theme: Theme) {
    frame.render_widget(Clear, area);
    let mut title = vec![Span::styled(format!(" ▸ {} ", view.title()), theme.focus())];
    if view.loading().is_some()
        && let Some((started, now)) = view.spin
    {
        let spin = spinner(now.saturating_duration_since(started));
        title.push(Span::styled(format!("{spin} "), theme.key()));
    }
    let mut block = Block::bordered()
        .border_style(theme.focus())
        .title(fit_spans(title, usize::from(area.width.saturating_sub(2))));
    let count = view.result_count();
    let bottom = format!(" {}/{} ", view.selected + 1, count);
    if count > 0 && text::width(&bottom) + 2 <= usize::from(area.width) {
        block = block.title_bottom(Line::styled(bottom, theme.dim()).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    field(frame, inner, view, theme);
    let rest = |skip: u16| Rect {
        y: inner.y + skip,
        height: inner.height.saturating_sub(skip),
        ..inner
    };
    if view.progress.is_none() {
        let hint = format!(
            "type at least {MIN_CHARS} characters: a backup ID or its start, or part of a backup or instance name"
        );
        let line = fit_spans(
            vec![Span::styled(hint, theme.dim())],
            usize::from(inner.width),
        );
        frame.render_widget(Paragraph::new(line), rest(1));
        return;
    }
    let whole = rest(2);
    if whole.height == 0 {
        return;
    }
    // The selected result whole under the rows, since its name or IDs may
    // be cut (or left out) in them.
    let footer = selected_whole(view, app)
        .map(|said| {
            let room = match whole.height {
                8.. => 2,
                4.. => 1,
                _ => 0,
            };
            text::wrap_in(&said, usize::from(whole.width), room)
        })
        .unwrap_or_default();
    let footer_height = u16::try_from(footer.len()).unwrap_or(0);
    let body = Rect {
        height: whole.height - footer_height,
        ..whole
    };
    let footer_area = Rect {
        y: body.bottom(),
        height: footer_height,
        ..whole
    };
    let lines: Vec<Line> = footer
        .into_iter()
        .map(|l| Line::styled(l, theme.key()))
        .collect();
    frame.render_widget(Paragraph::new(lines), footer_area);
    let rows = usize::from(body.height);
    let at = view.selected_line();
    let mut offset = (at + 1).saturating_sub(rows);
    // The selected result's group header, when it scrolled away, stays
    // pinned on the first line: which profile and region a result is in
    // must stay in view, whatever the height.
    let pinned = match view.selected_group() {
        Some((line, p)) if line < offset && rows >= 2 => {
            offset += 1;
            Some(Entry::Header(p))
        }
        _ => None,
    };
    let shown: Vec<Entry<'_>> = pinned
        .into_iter()
        .chain(view.entries().skip(offset))
        .take(rows)
        .collect();
    let found: Vec<&Found> = shown
        .iter()
        .filter_map(|e| match e {
            Entry::Result(_, f) => Some(*f),
            Entry::Header(_) => None,
        })
        .collect();
    let mut cells: Vec<Vec<(String, Style)>> = found.iter().map(|f| row(f, app, theme)).collect();
    let fitted = fit_to_rows(&COLUMNS, &cells);
    let widths = layout(&fitted, usize::from(inner.width));
    let marks: Vec<Vec<(u16, u16)>> = match view.progress.as_ref() {
        Some(p) => cells
            .iter_mut()
            .map(|r| cut_to_match(r, &fitted, &widths, p.query()))
            .collect(),
        None => Vec::new(),
    };
    let mut marks = marks.into_iter();
    heading(frame, rest(1), &fitted, &widths, theme);
    let buf = frame.buffer_mut();
    let mut cells = cells.into_iter();
    for (y, entry) in (body.y..body.bottom()).zip(shown) {
        match entry {
            Entry::Header(p) => {
                let (state, style) = match &p.state {
                    State::Failed { error } if skipped(error) => (header_state(p), theme.warn()),
                    State::Failed { .. } => (header_state(p), theme.error()),
                    _ => (header_state(p), theme.dim()),
                };
                let line = fit_spans(
                    vec![
                        Span::styled(text::sanitize(&p.profile), theme.title()),
                        Span::styled(format!(" · {}: ", text::sanitize(&p.region)), theme.dim()),
                        Span::styled(text::sanitize(&state), style),
                    ],
                    usize::from(body.width),
                );
                buf.set_line(body.x, y, &line, body.width);
            }
            Entry::Result(n, _) => {
                let values = cells.next().unwrap_or_default();
                let row = Rect {
                    y,
                    height: 1,
                    ..body
                };
                draw_row(
                    buf,
                    row,
                    &values,
                    &fitted,
                    &widths,
                    n == view.selected,
                    theme,
                );
                for (dx, cells) in marks.next().unwrap_or_default() {
                    let x = body.x.saturating_add(dx);
                    let cells = cells.min(body.right().saturating_sub(x));
                    buf.set_style(Rect::new(x, y, cells, 1), theme.matched());
                }
            }
        }
    }
    if count == 0 && view.loading().is_none() && at + 1 < rows {
        let y = body.y + (view.entries().count() as u16).min(body.height.saturating_sub(1));
        let line = fit_spans(
            vec![Span::styled(
                format!(
                    "Nothing matches \"{}\" in any profile. Esc closes.",
                    text::sanitize(view.text.value().trim())
                ),
                theme.dim(),
            )],
            usize::from(body.width),
        );
        buf.set_line(body.x, y, &line, body.width);
    }
}

/// Cuts the name cells of one result so the text `query` matched stays in
/// view (`…ddm-demo-orders-2025…`, never `Backup-ddm…27T020000` for
/// `orders`), and says where the matched text is drawn: (x from the row's
/// left, cells) for each shown cell holding it. Names match anywhere, IDs
/// by prefix (the match rule); a match that cannot be found in the shown
/// text (escaped for the screen) leaves the cell to its column's own cut.
fn cut_to_match(
    cells: &mut [(String, Style)],
    fitted: &[Column],
    widths: &[(usize, usize)],
    query: &Query,
) -> Vec<(u16, u16)> {
    let mut marks = Vec::new();
    let mut x = MARK;
    for &(i, w) in widths {
        let left = x;
        x += w + GAP;
        let Some((value, _)) = cells.get_mut(i) else {
            continue;
        };
        let (shown, at) = match i {
            INSTANCE | BACKUP => {
                let Some(at) = query.locate(value) else {
                    continue;
                };
                fit_around(value, w, at.start, at.len())
            }
            INSTANCE_ID | BACKUP_ID => {
                let Some(at) = query.locate_prefix(value) else {
                    continue;
                };
                let shown = fitted[i].fit(value, w);
                // A middle cut keeps the ID's head: marked as far as shown.
                let head = if shown == *value {
                    usize::MAX
                } else {
                    shown.chars().take_while(|c| *c != '…').count()
                };
                let at = at.start..at.end.min(head);
                (shown, (!at.is_empty()).then_some(at))
            }
            _ => continue,
        };
        if let Some(at) = at {
            let before: String = shown.chars().take(at.start).collect();
            let matched: String = shown.chars().skip(at.start).take(at.len()).collect();
            let dx = left + text::width(&before);
            if let (Ok(dx), Ok(cells)) = (u16::try_from(dx), u16::try_from(text::width(&matched))) {
                marks.push((dx, cells));
            }
        }
        *value = shown;
    }
    marks
}

/// Everything about the selected result, as one sentence.
fn selected_whole(view: &FindView, app: &App) -> Option<String> {
    let found = view.entries().find_map(|e| match e {
        Entry::Result(n, f) if n == view.selected => Some(f),
        _ => None,
    })?;
    let clean = |v: &Option<String>| text::sanitize(v.as_deref().unwrap_or("-"));
    // Where it lives first: on a short screen the footer has one line,
    // and the profile and region are what the rows never show.
    let mut parts = vec![
        format!(
            "{} · {}",
            text::sanitize(&found.profile),
            text::sanitize(&found.region)
        ),
        format!(
            "{} ({})",
            clean(&found.backup_name),
            clean(&found.backup_id)
        ),
        format!(
            "instance {} ({})",
            clean(&found.instance_name),
            clean(&found.instance_id)
        ),
    ];
    parts.extend(found.status.as_ref().map(|s| text::sanitize(s.sent())));
    parts.extend(found.created.as_ref().map(|c| created(Some(c), app)));
    Some(parts.join(" · "))
}

/// The text field on the first line, with the cursor while it has keys.
fn field(frame: &mut Frame, inner: Rect, view: &FindView, theme: Theme) {
    let label = "Find: ";
    let room = usize::from(inner.width).saturating_sub(label.len());
    let (shown, col) = view.text.view(room);
    let style = if view.typing {
        theme.key()
    } else {
        Style::new()
    };
    let line = fit_spans(
        vec![
            Span::styled(label, theme.title()),
            Span::styled(shown, style),
        ],
        usize::from(inner.width),
    );
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..inner });
    if view.typing {
        let x = usize::from(inner.x) + label.len() + col;
        let x = u16::try_from(x)
            .unwrap_or(u16::MAX)
            .min(inner.right().saturating_sub(1));
        frame.set_cursor_position((x, inner.y));
    }
}

/// One result's cells, sanitized (every value came from a server).
fn row(f: &Found, app: &App, theme: Theme) -> Vec<(String, Style)> {
    let clean = |v: &Option<String>| text::sanitize(v.as_deref().unwrap_or(""));
    let name = |v: &Option<String>| match v.as_deref() {
        Some(n) if !n.trim().is_empty() => text::sanitize(n),
        _ => "(no name)".into(),
    };
    let status = text::sanitize(f.status.as_ref().map_or("", |s| s.sent()));
    vec![
        (name(&f.instance_name), Style::new()),
        (clean(&f.instance_id), theme.dim()),
        (name(&f.backup_name), Style::new()),
        (clean(&f.backup_id), theme.dim()),
        (status.clone(), super::picker::status_style(&status, theme)),
        (created(f.created.as_ref(), app), Style::new()),
    ]
}

/// The creation time in the operator's zone, else as the server wrote it.
fn created(at: Option<&crate::api::SentTime>, app: &App) -> String {
    let Some(at) = at else {
        return String::new();
    };
    text::sanitize(&crate::shown::time::sent_minute(at, &app.zone))
}

impl Draw for FindView {
    fn draw(&self, frame: &mut Frame, at: &Places, app: &App, theme: Theme) {
        render(frame, at.browser, app, self, theme);
    }
}

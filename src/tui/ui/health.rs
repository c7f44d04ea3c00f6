//! The Health view: each profile's line (its progress or its error), the
//! rows worst first with their sparklines, and under them the selected
//! row explained. Only the rows on screen are built, so 800 instances
//! draw as fast as 8.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::super::app::App;
use super::super::health::{HealthView, ProfileCheck, ProfileState, Row};
use super::super::layout::health::{self as words, COLUMNS, FAILED, MISSED, SIZES, state_style};
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;
use super::status::spinner;
use super::table::{GAP, MARK, cut_apart, draw_row, fit_to_rows, heading, layout};
use super::{Draw, Places};
use crate::health::State;

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &HealthView, theme: Theme) {
    frame.render_widget(Clear, area);
    let (mut title, cursor) = super::table::title_with_filter(
        format!(" ▸ {}", words::title(app)),
        &view.filter,
        view.typing,
        area,
        theme,
    );
    if let Some((started, now)) = view.spin {
        title.push(Span::styled(
            format!(" {} ", spinner(now.saturating_duration_since(started))),
            theme.key(),
        ));
    } else {
        title.push(Span::raw(" "));
    }
    let fleet = app.fleet();
    let count = view.count(fleet);
    let mut block = Block::bordered()
        .border_style(theme.focus())
        .title(fit_spans(title, usize::from(area.width.saturating_sub(2))));
    let bottom = format!(" {}/{} ", (view.selected + 1).min(count), count);
    if count > 0 && text::width(&bottom) + 2 <= usize::from(area.width) {
        block = block.title_bottom(Line::styled(bottom, theme.dim()).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(x) = cursor {
        frame.set_cursor_position((x.min(area.right().saturating_sub(2)), area.y));
    }
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if view.chart {
        super::health_chart::render(frame, inner, app, view, theme);
        return;
    }
    let lines = profile_lines(app, view, inner, theme);
    let used = u16::try_from(lines.len()).unwrap_or(0);
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: used,
            ..inner
        },
    );
    let rest = Rect {
        y: inner.y + used,
        height: inner.height - used,
        ..inner
    };
    if rest.height == 0 {
        return;
    }
    if count == 0 {
        let said = if !fleet.rows.is_empty() {
            "No instance of the profile shown matches the filter"
        } else if fleet.loading().is_some() || fleet.generation.is_some() {
            "Checking: rows appear as each instance is judged"
        } else {
            "No instances in any profile"
        };
        let line = fit_spans(
            vec![Span::styled(said, theme.dim())],
            usize::from(rest.width),
        );
        frame.render_widget(Paragraph::new(line), rest);
        return;
    }
    let footer = view
        .selected_row(fleet)
        .map(|row| words::explain(row, &app.zone))
        .unwrap_or_default();
    // Lines the rows leave empty (few rows) let the footer say more.
    let spare = usize::from(rest.height)
        .saturating_sub(1 + words::footer_room(rest.height))
        .saturating_sub(count);
    let room = words::footer_room(rest.height) + spare;
    let footer = wrapped(&footer, usize::from(rest.width), room);
    let footer_height = u16::try_from(footer.len()).unwrap_or(0);
    let body = Rect {
        y: rest.y + 1,
        height: rest.height.saturating_sub(1 + footer_height),
        ..rest
    };
    let footer_area = Rect {
        y: body.bottom(),
        height: footer_height,
        ..rest
    };
    let footer: Vec<Line> = footer
        .into_iter()
        .enumerate()
        .map(|(n, (state, line))| {
            let style = if n == 0 {
                theme.key()
            } else {
                match state {
                    State::Ok => Style::new(),
                    other => state_style(other, theme),
                }
            };
            Line::styled(line, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(footer), footer_area);
    rows(frame, rest, body, app, view, theme);
}

/// The rows on screen with their heading (on `rest`'s first line).
fn rows(frame: &mut Frame, rest: Rect, body: Rect, app: &App, view: &HealthView, theme: Theme) {
    let fleet = app.fleet();
    let rows = usize::from(body.height);
    if rows == 0 {
        return;
    }
    let offset = (view.selected + 1).saturating_sub(rows);
    let shown: Vec<&Row> = view.shown(fleet).skip(offset).take(rows).collect();
    let mut cells: Vec<Vec<(String, Style)>> =
        shown.iter().map(|r| words::cells(r, theme)).collect();
    let fitted = fit_to_rows(&COLUMNS, &cells);
    let widths = layout(&fitted, usize::from(body.width));
    cut_apart(&mut cells, &fitted, &widths);
    heading(frame, rest, &fitted, &widths, theme);
    let sizes_x = column_x(&widths, SIZES);
    let buf = frame.buffer_mut();
    for (n, (y, values)) in (body.y..body.bottom()).zip(cells).enumerate() {
        let row = Rect {
            y,
            height: 1,
            ..body
        };
        let selected = offset + n == view.selected;
        let spark = values.get(SIZES).map(|(s, _)| s.clone());
        draw_row(buf, row, &values, &fitted, &widths, selected, theme);
        // The sparkline's marks in the colours of what they mean (their
        // characters say it without colour).
        if let (Some(x), Some(spark)) = (sizes_x, spark) {
            for (dx, c) in (0u16..).zip(spark.chars()) {
                let style = match c {
                    FAILED => theme.error(),
                    MISSED => theme.warn(),
                    _ => continue,
                };
                let at = body.x.saturating_add(x).saturating_add(dx);
                if at < body.right() {
                    buf[(at, y)].set_style(style);
                }
            }
        }
    }
}

/// Where column `column` starts in a row (cells from its left), if shown.
fn column_x(widths: &[(usize, usize)], column: usize) -> Option<u16> {
    let mut x = MARK;
    for &(i, w) in widths {
        if i == column {
            return u16::try_from(x).ok();
        }
        x += w + GAP;
    }
    None
}

/// The footer's entries wrapped at `width`, at most `room` lines (the
/// first entries first: the row, then its worst findings).
fn wrapped(entries: &[(State, String)], width: usize, room: usize) -> Vec<(State, String)> {
    let mut out = Vec::new();
    for (state, said) in entries {
        for line in text::wrap(said, width.max(2)) {
            if out.len() == room {
                if let Some((_, last)) = out.last_mut() {
                    *last = text::fit(&format!("{last} …"), width);
                }
                return out;
            }
            out.push((*state, line));
        }
    }
    out
}

/// Each profile's line: its name, region and progress or error (a
/// failure on two lines where there is room, so its request ID shows).
/// With more profiles than room, the ones with news (failed, cut, still
/// going) come first and the rest are counted on the last line.
fn profile_lines(app: &App, view: &HealthView, inner: Rect, theme: Theme) -> Vec<Line<'static>> {
    let fleet = app.fleet();
    let mut shown: Vec<&ProfileCheck> = fleet
        .profiles
        .iter()
        .filter(|p| view.profile.is_none_or(|id| p.id == id))
        .collect();
    if shown.is_empty() {
        return Vec::new();
    }
    let room = words::profile_room(inner.height);
    let news = |p: &ProfileCheck| match &p.state {
        ProfileState::Failed(_) => 0,
        ProfileState::Done {
            truncated: true, ..
        } => 1,
        ProfileState::Done { .. } => 3,
        _ => 2,
    };
    let whole = shown.len() <= room;
    if !whole {
        shown.sort_by_key(|p| (news(p), p.id));
    }
    let listed = if whole { shown.len() } else { room - 1 };
    let width = usize::from(inner.width);
    // Lines a failure may take: a second one only while every profile
    // listed still has its own.
    let mut spare = room.saturating_sub(listed + usize::from(!whole));
    let mut lines: Vec<Line<'static>> = Vec::new();
    for p in &shown[..listed] {
        let (state, bad) = words::profile_state(p);
        let style = if bad { theme.error() } else { theme.dim() };
        let (name, region) = (text::sanitize(&p.name), text::sanitize(&p.region));
        let head = format!("{name} · {region}: ");
        let wrapped = text::wrap(&format!("{head}{}", text::sanitize(&state)), width.max(2));
        if bad && wrapped.len() > 1 && spare > 0 {
            spare -= 1;
            let first = match wrapped[0].strip_prefix(head.as_str()) {
                Some(error) => Line::from(vec![
                    Span::styled(name, theme.title()),
                    Span::styled(format!(" · {region}: "), theme.dim()),
                    Span::styled(error.to_string(), style),
                ]),
                None => Line::styled(wrapped[0].clone(), style),
            };
            lines.push(first);
            let rest = wrapped[1..].join(" ");
            lines.push(fit_spans(vec![Span::styled(rest, style)], width));
            continue;
        }
        lines.push(fit_spans(
            vec![
                Span::styled(text::sanitize(&p.name), theme.title()),
                Span::styled(format!(" · {}: ", text::sanitize(&p.region)), theme.dim()),
                Span::styled(text::sanitize(&state), style),
            ],
            width,
        ));
    }
    if !whole {
        let rest = &shown[listed..];
        let count = |f: fn(&ProfileState) -> bool| rest.iter().filter(|p| f(&p.state)).count();
        let done = count(|s| matches!(s, ProfileState::Done { .. }));
        let failed = count(|s| matches!(s, ProfileState::Failed(_)));
        let going = rest.len() - done - failed;
        let mut parts = Vec::new();
        for (n, what) in [(failed, "failed"), (going, "checking"), (done, "done")] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        let more = if listed == 0 { "" } else { "more " };
        let said = format!("{} {more}profiles: {}", rest.len(), parts.join(" · "));
        let style = if failed > 0 {
            theme.error()
        } else {
            theme.dim()
        };
        lines.push(fit_spans(vec![Span::styled(said, style)], width));
    }
    lines
}

impl Draw for HealthView {
    fn draw(&self, frame: &mut Frame, at: &Places, app: &App, theme: Theme) {
        render(frame, at.browser, app, self, theme);
    }
}

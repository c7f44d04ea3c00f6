//! Popups: the help screen (every context's keys in force, from the
//! binding table), the whole last error, the node, the save prompt and
//! the password. Each is clamped to the screen and scrolls when its text
//! is taller than it; `layout::popup` says where and in what lines.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::super::act::SavePrompt;
use super::super::app::{App, Popup, PopupKind};
use super::super::layout::popup::{area_for, content, max_scroll, rect_for, width_for};
use super::super::password::PasswordAsk;
use super::super::text;
use super::super::theme::Theme;
use super::{Draw, Places, fit_spans};

/// Clears `area` and a column either side of it (inside the screen), so
/// no lone cell of what is under the popup (the last character of a
/// row) stands beside its border looking like part of it.
fn clear_with_margin(frame: &mut Frame, area: Rect) {
    let screen = frame.area();
    let left = area.x.saturating_sub(1).max(screen.x + 1).min(area.x);
    let right = (area.right() + 1)
        .min(screen.right().saturating_sub(1))
        .max(area.right());
    frame.render_widget(Clear, Rect::new(left, area.y, right - left, area.height));
}

/// The save prompt: where the backup's JSON goes, or whether to replace the
/// file that is there.
pub fn save(frame: &mut Frame, screen: Rect, prompt: &SavePrompt, theme: Theme) {
    let inner_width = usize::from(width_for(screen).saturating_sub(2));
    let label = "File: ";
    let (shown, col) = prompt
        .path
        .view(inner_width.saturating_sub(label.len() + 1).max(1));
    let mut lines = vec![
        fit_spans(
            vec![
                Span::styled(
                    format!("Backup {}", text::sanitize(&prompt.backup_id)),
                    theme.title(),
                ),
                Span::styled(
                    format!(", {} of JSON", super::super::act::size_of(&prompt.json)),
                    theme.dim(),
                ),
            ],
            inner_width,
        ),
        Line::from(vec![Span::raw(label), Span::styled(shown, theme.input())]),
    ];
    let keys = if prompt.pending {
        Span::styled("Saving…", theme.dim())
    } else if prompt.confirm.is_some() {
        Span::styled(
            "The file exists: y replaces it · any other key keeps it",
            theme.warn(),
        )
    } else {
        Span::styled("Enter saves · Esc cancels · ~/ is your home", theme.dim())
    };
    lines.push(fit_spans(vec![keys], inner_width));
    let area = area_for(screen, lines.len());
    let block = Block::bordered()
        .border_style(theme.focus())
        .title(Span::styled(" Save backup JSON ", theme.title()));
    clear_with_margin(frame, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
    if prompt.confirm.is_none() && !prompt.pending {
        let x = area.x + 1 + (label.len() + col) as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(2)), area.y + 2));
    }
}

/// The masked password popup: the question, a dot per typed character (at
/// most 32, so the length is not shown beyond that), and what the keys do.
pub fn password(frame: &mut Frame, screen: Rect, ask: &PasswordAsk, theme: Theme) {
    let inner_width = usize::from(width_for(screen).saturating_sub(2));
    let mut lines: Vec<Line<'static>> = text::wrap(&ask.question, inner_width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.title())))
        .collect();
    let dots = "•".repeat(ask.typed.char_count().min(32));
    lines.push(Line::from(vec![
        Span::raw("Password: "),
        Span::styled(dots, theme.focus()),
    ]));
    let keys = "Enter signs in · Esc cancels · shown as dots, never logged";
    let keys = text::wrap(keys, inner_width).into_iter();
    lines.extend(keys.map(|l| Line::from(Span::styled(l, theme.dim()))));
    let area = area_for(screen, lines.len());
    let block = Block::bordered()
        .border_style(theme.focus())
        .title(Span::styled(" IAM sign-in ", theme.title()));
    clear_with_margin(frame, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn render(frame: &mut Frame, screen: Rect, app: &App, open: Popup, theme: Theme) {
    let inner_width = usize::from(width_for(screen).saturating_sub(2));
    let lines = content(app, open.kind, inner_width, theme);
    let area = rect_for(app, open.kind, screen, lines.len());
    let title = match open.kind {
        PopupKind::Help => " Help · Esc closes ",
        PopupKind::Error => " Last error · Esc closes ",
        PopupKind::Node => " Related data node · Esc closes ",
        PopupKind::Messages => " Messages · Esc closes ",
        PopupKind::Backup => " Backup · Esc closes ",
        PopupKind::Row => " Selected row · Esc closes ",
    };
    let block = Block::bordered()
        .border_style(theme.focus())
        .title(Span::styled(title, theme.title()));
    let max = max_scroll(app, open.kind);
    let scroll = open.scroll.min(max);
    let block = if max > 0 {
        // Say there is more, and where we are in it.
        let shown = usize::from(scroll) + usize::from(area.height.saturating_sub(2));
        block.title_bottom(Span::styled(
            format!(
                " {}/{} · j/k PgDn scroll ",
                shown.min(lines.len()),
                lines.len()
            ),
            theme.dim(),
        ))
    } else {
        block
    };
    clear_with_margin(frame, area);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)).block(block), area);
}

impl Draw for Popup {
    fn draw(&self, frame: &mut Frame, at: &Places, app: &App, theme: Theme) {
        render(frame, at.above, app, *self, theme);
    }
}

impl Draw for SavePrompt {
    fn draw(&self, frame: &mut Frame, at: &Places, _app: &App, theme: Theme) {
        save(frame, at.above, self, theme);
    }
}

impl Draw for PasswordAsk {
    fn draw(&self, frame: &mut Frame, at: &Places, _app: &App, theme: Theme) {
        password(frame, at.above, self, theme);
    }
}

//! The related data nodes: a titled, filtered, scrolled list. Only the rows
//! on screen are built, so 10,000 nodes cost no more than 20.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::super::app::{App, Focus, Lookup};
use super::super::layout::Areas;
use super::super::text;
use super::super::theme::Theme;
use super::fit_spans;

/// Real IDs are 36 characters.
const ID_MAX: usize = 36;

/// The widths of the name and ID columns for rows `width` wide (after the
/// two-cell marker and the two-cell gap).
fn columns(width: usize) -> (usize, usize) {
    let avail = width.saturating_sub(4);
    let id = ID_MAX.min(avail / 2);
    (avail - id, id)
}

pub fn render(frame: &mut Frame, areas: &Areas, app: &App, theme: Theme) {
    let focused = matches!(app.focus, Focus::List | Focus::Filter) && app.popup.is_none();
    let border = if focused { theme.focus() } else { theme.dim() };
    let borders = if areas.roomy {
        Borders::ALL
    } else {
        Borders::TOP
    };
    let marker = if focused { "▸ " } else { "" };
    let count = if app.nodes.filter().is_empty() {
        format!("{}", app.nodes.total())
    } else {
        format!("{} of {}", app.nodes.shown(), app.nodes.total())
    };
    let mut title = vec![Span::styled(
        format!(" {marker}Related data nodes ({count}) "),
        if focused {
            theme.focus()
        } else {
            theme.title()
        },
    )];
    let filtering = app.focus == Focus::Filter && app.popup.is_none();
    if filtering || !app.filter.value().is_empty() {
        let (shown, _) = app.filter.view(usize::from(areas.list.width / 3));
        title.push(Span::styled(format!(" /{shown} "), theme.key()));
    }
    // The filter text starts after the first title span and " /".
    let filter_x = areas.list.x as usize + 1 + text::width(&title[0].content) + 2;
    let block = Block::default()
        .borders(borders)
        .border_style(border)
        .title(fit_spans(
            title,
            usize::from(areas.list.width.saturating_sub(2)),
        ));
    frame.render_widget(block, areas.list);
    if filtering {
        let (_, col) = app.filter.view(usize::from(areas.list.width / 3));
        let x = (filter_x + col).min(usize::from(areas.list.right().saturating_sub(2)));
        frame.set_cursor_position((x as u16, areas.list.y));
    }

    let rows = areas.list_rows;
    let (name_w, id_w) = columns(usize::from(rows.width));
    if let Some(heading) = areas.list_heading {
        let line = format!("  {}  {}", text::fit_pad("NAME", name_w), "ID");
        frame.render_widget(Paragraph::new(Line::styled(line, theme.title())), heading);
    }
    if let Some(message) = empty_message(app) {
        let style = theme.dim();
        frame.render_widget(
            Paragraph::new(fit_spans(
                vec![Span::styled(message, style)],
                usize::from(rows.width),
            )),
            Rect {
                height: 1.min(rows.height),
                ..rows
            },
        );
        return;
    }
    let lines: Vec<Line> = app
        .nodes
        .window(usize::from(rows.height))
        .map(|(pos, node)| {
            let selected = pos == app.nodes.selected();
            let (mark, style) = match (selected, focused) {
                (true, true) => ("▶ ", theme.selected()),
                (true, false) => ("▶ ", theme.title()),
                (false, _) => ("  ", Style::new()),
            };
            let name = if node.instance_name.is_empty() {
                "(no name)"
            } else {
                &node.instance_name
            };
            let row = format!(
                "{mark}{}  {}",
                text::fit_pad(name, name_w),
                text::fit_pad(&node.instance_id, id_w)
            );
            Line::styled(row, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows);
}

fn empty_message(app: &App) -> Option<String> {
    if app.shown.is_none() {
        let message = match app.lookup {
            Lookup::Loading { .. } => "Waiting for the answer…",
            Lookup::Failed { .. } => "No nodes: the lookup failed (e shows the whole error).",
            _ => "Nodes appear here after a lookup.",
        };
        return Some(message.into());
    }
    if app.nodes.total() == 0 {
        return Some("This backup has no related data nodes.".into());
    }
    if app.nodes.shown() == 0 {
        return Some(format!(
            "No node matches \"{}\". Esc clears the filter.",
            text::sanitize(app.filter.value())
        ));
    }
    None
}

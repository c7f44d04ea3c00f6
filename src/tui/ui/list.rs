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
/// two-cell marker and the two-cell gap). The name column is as wide as the
/// longest name on screen, so on a wide terminal the IDs sit beside the names
/// rather than at the far edge.
fn columns(width: usize, longest_name: usize) -> (usize, usize) {
    let avail = width.saturating_sub(4);
    let id = ID_MAX.min(avail / 2);
    let name = (avail - id).min(longest_name.max(MIN_NAME));
    (name, id)
}

/// The NAME heading's width, so the column never gets narrower than it.
const MIN_NAME: usize = 12;

pub fn render(frame: &mut Frame, areas: &Areas, app: &App, theme: Theme) {
    let focused = matches!(app.slot().focus, Focus::List | Focus::Filter) && !app.covered();
    let border = if focused {
        theme.focus()
    } else {
        theme.border()
    };
    let borders = if areas.roomy {
        Borders::ALL
    } else {
        Borders::TOP
    };
    let marker = if focused { "▸ " } else { "" };
    let mut count = if app.slot().nodes.filter().is_empty() {
        format!("{}", app.slot().nodes.total())
    } else {
        format!(
            "{} of {}",
            app.slot().nodes.shown(),
            app.slot().nodes.total()
        )
    };
    // A list cut by api::MAX_NODES says so rather than pass for all of them.
    if let Some(sent) = app.slot().shown.as_ref().and_then(|s| s.nodes_cut) {
        count.push_str(&format!("; cut from {sent}"));
    }
    let mut title = vec![Span::styled(
        format!(" {marker}Related data nodes ({count}) "),
        if focused {
            theme.focus()
        } else {
            theme.title()
        },
    )];
    let filtering = app.slot().focus == Focus::Filter && !app.covered();
    if filtering || !app.slot().filter.value().is_empty() {
        let (shown, _) = app.slot().filter.view(usize::from(areas.list.width / 3));
        title.push(Span::styled(format!(" /{shown} "), theme.key()));
    }
    // The filter text starts after the first title span and " /".
    let filter_x = areas.list.x as usize + 1 + text::width(&title[0].content) + 2;
    let mut block = Block::default()
        .borders(borders)
        .border_style(border)
        .title(fit_spans(
            title,
            usize::from(areas.list.width.saturating_sub(2)),
        ));
    // Where the selection is, for lists longer than the screen.
    if areas.roomy && app.slot().nodes.shown() > usize::from(areas.list_rows.height) {
        block = block.title_bottom(
            Line::styled(
                format!(
                    " {}/{} ",
                    app.slot().nodes.selected() + 1,
                    app.slot().nodes.shown()
                ),
                theme.dim(),
            )
            .right_aligned(),
        );
    }
    frame.render_widget(block, areas.list);
    if filtering {
        let (_, col) = app.slot().filter.view(usize::from(areas.list.width / 3));
        let x = (filter_x + col).min(usize::from(areas.list.right().saturating_sub(2)));
        frame.set_cursor_position((x as u16, areas.list.y));
    }

    let rows = areas.list_rows;
    let longest = app
        .slot()
        .nodes
        .window(usize::from(rows.height))
        .map(|(_, n)| text::width(&n.instance_name))
        .max()
        .unwrap_or(0);
    let (name_w, id_w) = columns(usize::from(rows.width), longest);
    if let Some(message) = empty_message(app) {
        // No heading over an empty list: the message takes its place.
        let first = areas.list_heading.unwrap_or(Rect {
            height: 1.min(rows.height),
            ..rows
        });
        let line = fit_spans(
            vec![Span::styled(message, theme.dim())],
            usize::from(first.width),
        );
        frame.render_widget(Paragraph::new(line), first);
        return;
    }
    if let Some(heading) = areas.list_heading {
        let line = format!("  {}  {}", text::fit_pad("NAME", name_w), "ID");
        frame.render_widget(Paragraph::new(Line::styled(line, theme.title())), heading);
    }
    // Rows are written straight into the buffer: a Paragraph would walk every
    // padding space as a grapheme, and this is the one widget that fills the
    // screen (see benches/tui.rs).
    // What the rows on screen share at either end of their names and IDs,
    // so a cut keeps what tells them apart (`…shard-05`, `…0e2din01`).
    let window = || app.slot().nodes.window(usize::from(rows.height));
    let names: Vec<&str> = window().map(|(_, n)| n.instance_name.as_str()).collect();
    let ids: Vec<&str> = window().map(|(_, n)| n.instance_id.as_str()).collect();
    let (name_pre, name_suf) = crate::cells::common_affixes(&names);
    let (id_pre, id_suf) = crate::cells::common_affixes(&ids);
    let buf = frame.buffer_mut();
    let name_x = rows.x + 2;
    let id_x = name_x + (name_w + 2) as u16;
    for (row, (pos, node)) in
        (rows.y..rows.bottom()).zip(app.slot().nodes.window(usize::from(rows.height)))
    {
        let selected = pos == app.slot().nodes.selected();
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
        if selected {
            buf.set_style(Rect::new(rows.x, row, rows.width, 1), style);
        }
        buf.set_stringn(rows.x, row, mark, 2, style);
        let name = crate::cells::fit_distinct(&text::sanitize(name), name_w, name_pre, name_suf);
        let id = text::sanitize(&node.instance_id);
        let id = crate::cells::fit_distinct(&id, id_w, id_pre, id_suf);
        buf.set_stringn(name_x, row, name, name_w, style);
        buf.set_stringn(id_x, row, id, id_w, style);
    }
    footer(frame, areas, app, theme);
}

/// The selected node whole under the rows (its name and ID may be cut in
/// the row), as the pickers show theirs. Rows the list leaves empty (a
/// short list) give it more lines, so it is whole wherever it can be.
fn footer(frame: &mut Frame, areas: &Areas, app: &App, theme: Theme) {
    let Some(area) = areas.list_footer else {
        return;
    };
    let nodes = &app.slot().nodes;
    let Some(node) = nodes.selected_item() else {
        return;
    };
    let name = if node.instance_name.is_empty() {
        "(no name)"
    } else {
        &node.instance_name
    };
    let said = format!(
        "{} · {}",
        text::sanitize(name),
        text::sanitize(&node.instance_id)
    );
    let shown = u16::try_from(nodes.window(usize::from(areas.list_rows.height)).count())
        .unwrap_or(u16::MAX);
    let spare = areas.list_rows.height.saturating_sub(shown);
    let wanted = super::table::wanted_lines(&said, usize::from(area.width).max(2));
    // As many lines as the text wants (it sits on the bottom border), up
    // to the footer's own and the empty rows'.
    let lines = wanted.clamp(1, area.height + spare);
    let area = Rect {
        y: area.bottom() - lines,
        height: lines,
        ..area
    };
    super::table::draw_whole_row(frame, area, &said, theme);
}

fn empty_message(app: &App) -> Option<String> {
    if app.slot().shown.is_none() {
        let message = match app.slot().lookup {
            Lookup::Loading { .. } => "Waiting for the answer…",
            Lookup::Failed { .. } => "No nodes: the lookup failed (e shows the whole error).",
            _ => "Nodes appear here after a lookup.",
        };
        return Some(message.into());
    }
    if app.slot().nodes.total() == 0 {
        return Some("This backup has no related data nodes.".into());
    }
    if app.slot().nodes.shown() == 0 {
        return Some(format!(
            "No node matches \"{}\". Esc clears the filter.",
            text::sanitize(app.slot().filter.value())
        ));
    }
    None
}

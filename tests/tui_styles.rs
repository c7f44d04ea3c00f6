//! Styles that carry meaning, asserted on the buffer (a text snapshot drops
//! them): errors, the selection, the focused field, and NO_COLOR.

mod tui_common;

use crossterm::event::KeyCode;
use ddm_backups::tui::App;
use ddm_backups::tui::layout;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier};
use tui_common::*;

fn buffer(app: &mut App, width: u16, height: u16) -> (Buffer, Option<Position>) {
    let mut terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer().clone();
    let cursor = terminal
        .backend()
        .cursor_visible()
        .then(|| terminal.get_cursor_position().expect("test backend"));
    (buffer, cursor)
}

fn areas(width: u16, height: u16) -> layout::Areas {
    layout::areas(Rect::new(0, 0, width, height)).expect("big enough")
}

/// The first cell of row `y` whose symbol is `symbol`.
fn find(buffer: &Buffer, y: u16, symbol: &str) -> Position {
    (0..buffer.area.width)
        .map(|x| Position::new(x, y))
        .find(|&p| buffer[p].symbol() == symbol)
        .unwrap_or_else(|| panic!("no {symbol:?} on row {y}"))
}

fn failed(color: bool) -> App {
    let mut a = submitted("demo-in09", "e404-br09");
    a.color = color;
    answer(
        &mut a,
        Err(api_error(404, "DBS.280238", "The backup does not exist.")),
    );
    a
}

#[test]
fn errors_are_red_and_bold_in_the_status_bar() {
    let (buf, _) = buffer(&mut failed(true), 80, 24);
    let cell = &buf[find(&buf, areas(80, 24).status.y, "✗")];
    assert_eq!(cell.fg, Color::Red);
    assert!(cell.modifier.contains(Modifier::BOLD));
}

#[test]
fn under_no_color_errors_stay_bold_and_marked() {
    let (buf, _) = buffer(&mut failed(false), 80, 24);
    let cell = &buf[find(&buf, areas(80, 24).status.y, "✗")];
    assert_eq!(cell.fg, Color::Reset);
    assert!(cell.modifier.contains(Modifier::BOLD));
}

#[test]
fn an_invalid_field_is_marked_in_the_error_style() {
    let mut a = app();
    type_str(&mut a, "a/b");
    let (buf, _) = buffer(&mut a, 80, 24);
    let cell = &buf[find(&buf, areas(80, 24).instance_row.y, "✗")];
    assert_eq!(cell.fg, Color::Red);
    assert!(cell.modifier.contains(Modifier::BOLD));
}

#[test]
fn the_selected_row_is_reversed_and_marked() {
    let mut a = loaded(nodes_detail(10));
    key(&mut a, KeyCode::Char('j'));
    key(&mut a, KeyCode::Char('j'));
    let rows = areas(80, 24).list_rows;
    let (buf, _) = buffer(&mut a, 80, 24);
    let selected_y = rows.y + 2;
    let marker = find(&buf, selected_y, "▶");
    for x in marker.x..rows.right() {
        let cell = &buf[(x, selected_y)];
        assert!(cell.modifier.contains(Modifier::REVERSED), "x={x}");
        assert!(cell.modifier.contains(Modifier::BOLD), "x={x}");
    }
    let other = &buf[(rows.x + 3, rows.y)];
    assert!(!other.modifier.contains(Modifier::REVERSED));
}

#[test]
fn the_focused_field_is_bold_marked_and_holds_the_cursor() {
    let mut a = app();
    type_str(&mut a, "demo");
    let row = areas(80, 24).instance_row;
    let (buf, cursor) = buffer(&mut a, 80, 24);
    let marker = find(&buf, row.y, "▸");
    assert!(buf[marker].modifier.contains(Modifier::BOLD));
    assert_eq!(buf[marker].fg, Color::Cyan);
    let label = &buf[(marker.x + 2, row.y)];
    assert_eq!(label.symbol(), "I");
    assert!(label.modifier.contains(Modifier::BOLD));
    // The cursor sits after "demo" in the input box.
    let input_x = row.x + layout::LABEL_WIDTH;
    assert_eq!(cursor, Some(Position::new(input_x + 4, row.y)));
    assert!(
        buf[(input_x, row.y)]
            .modifier
            .contains(Modifier::UNDERLINED)
    );
    // The other field is neither marked nor bold.
    let other = areas(80, 24).backup_row;
    assert!(
        !buf[(other.x + 2, other.y)]
            .modifier
            .contains(Modifier::BOLD)
    );
}

#[test]
fn no_cursor_when_the_list_has_focus() {
    let (_, cursor) = buffer(&mut loaded(example_detail()), 80, 24);
    assert_eq!(cursor, None);
}

#[test]
fn no_color_means_no_colour_anywhere() {
    let mut states = vec![app(), failed(false), loaded(nodes_detail(10))];
    let mut help = app();
    help.focus = ddm_backups::tui::app::Focus::List;
    key(&mut help, KeyCode::Char('?'));
    states.push(help);
    for mut a in states {
        a.color = false;
        let (buf, _) = buffer(&mut a, 80, 24);
        for cell in buf.content() {
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "{:?}",
                cell.symbol()
            );
        }
    }
}

//! Styles that carry meaning, asserted on the buffer (a text snapshot drops
//! them): errors, the selection, the focused field, and NO_COLOR.

use crossterm::event::KeyCode;
use ddm_backups::config::{ColorSpec, Role, ThemeColors};
use ddm_backups::tui::App;
use ddm_backups::tui::layout;
use ddm_backups::tui::test_support::*;
use ddm_backups::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier};

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
    let mut a = submitted_with("demo-in09", "e404-br09");
    a.theme = Theme::new(color);
    answer(
        &mut a,
        Err(api_error_with(
            404,
            "DBS.280238",
            "The backup does not exist.",
        )),
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
    let mut a = loaded_with(nodes_detail(10));
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Char('j'));
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
    let (_, cursor) = buffer(&mut loaded_with(example_detail()), 80, 24);
    assert_eq!(cursor, None);
}

#[test]
fn no_color_means_no_colour_anywhere() {
    let mut states = vec![app(), failed(false), loaded_with(nodes_detail(10))];
    let mut help = app();
    help.slot_mut().focus = ddm_backups::tui::app::Focus::List;
    press(&mut help, KeyCode::Char('?'));
    states.push(help);
    for mut a in states {
        a.theme = Theme::new(false);
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

#[test]
fn a_users_colours_reach_the_cells_of_their_roles() {
    let user = ThemeColors::default()
        .with(Role::Error, ColorSpec::Rgb(0xd7, 0x00, 0x5f))
        .with(Role::Selection, ColorSpec::Indexed(31))
        .with(Role::Border, ColorSpec::Ansi(4));
    let mut a = failed(true);
    a.theme = Theme::with_colors(&user, true);
    let (buf, _) = buffer(&mut a, 80, 24);
    let cell = &buf[find(&buf, areas(80, 24).status.y, "✗")];
    assert_eq!(cell.fg, Color::Rgb(0xd7, 0x00, 0x5f));
    assert!(cell.modifier.contains(Modifier::BOLD), "still bold");
    // The form has no focus after a lookup: its border is a border's colour.
    let form_top = areas(80, 24).instance_row.y - 1;
    assert_eq!(buf[(0, form_top)].symbol(), "┌");
    assert_eq!(buf[(0, form_top)].fg, Color::Blue);

    let mut a = loaded_with(nodes_detail(10));
    a.theme = Theme::with_colors(&user, true);
    press(&mut a, KeyCode::Char('j'));
    let rows = areas(80, 24).list_rows;
    let (buf, _) = buffer(&mut a, 80, 24);
    let marker = find(&buf, rows.y + 1, "▶");
    for x in marker.x..rows.right() {
        let cell = &buf[(x, rows.y + 1)];
        assert_eq!(cell.fg, Color::Indexed(31), "x={x}");
        assert!(cell.modifier.contains(Modifier::REVERSED), "x={x}");
    }
}

#[test]
fn no_color_wins_over_a_users_colours() {
    let user = Role::ALL.iter().fold(ThemeColors::default(), |t, &r| {
        t.with(r, ColorSpec::Rgb(0x12, 0x34, 0x56))
    });
    let mut a = failed(true);
    a.theme = Theme::with_colors(&user, false);
    let (buf, _) = buffer(&mut a, 80, 24);
    for cell in buf.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
    let cell = &buf[find(&buf, areas(80, 24).status.y, "✗")];
    assert!(cell.modifier.contains(Modifier::BOLD));
}

#[test]
fn secondary_text_is_faint_default_text_not_dark_grey() {
    // The hint line's descriptions are dim text that must still be read.
    let (buf, _) = buffer(&mut app(), 80, 24);
    let hint = areas(80, 24).hint;
    let mut dim_cells = 0;
    for x in hint.x..hint.right() {
        let cell = &buf[(x, hint.y)];
        assert_ne!(cell.fg, Color::DarkGray, "x={x}");
        assert_ne!(cell.fg, Color::Indexed(8), "x={x}");
        if cell.modifier.contains(Modifier::DIM) && cell.symbol() != " " {
            assert_eq!(cell.fg, Color::Reset, "x={x}");
            dim_cells += 1;
        }
    }
    assert!(dim_cells > 0, "the hints have dim text");
}

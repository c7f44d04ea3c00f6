//! Where everything goes on screen, and in what words: the layout layer
//! between the state and the drawing. `App` uses it to know how many list
//! rows a page is, what a mouse click hit, how far a popup or the
//! readiness view scrolls and what the status bar says; `ui` draws what it
//! lays out. It never imports `ui`, so state and drawing do not import
//! each other.

pub mod detail;
pub mod health;
mod health_sizes;
pub mod popup;
pub mod readiness;
pub mod readiness_body;
mod readiness_cells;
pub mod status;
pub mod table;
mod watching;

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::text;

/// The smallest terminal the app draws in; below it a notice asks for more.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Below this height the form and detail pane drop their borders.
const ROOMY_HEIGHT: u16 = 20;

/// Width of the field labels ("Instance ID ").
pub const LABEL_WIDTH: u16 = 14;

/// The screen's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// The form block, border included when `roomy`.
    pub form: Rect,
    pub instance_row: Rect,
    pub backup_row: Rect,
    pub detail: Rect,
    /// The node list block, border included.
    pub list: Rect,
    /// The rows of nodes inside the list block.
    pub list_rows: Rect,
    /// The column heading row, when there is room for one.
    pub list_heading: Option<Rect>,
    /// Under the rows, the selected node whole (its name and ID may be
    /// cut in its row), when there is room for one.
    pub list_footer: Option<Rect>,
    pub status: Rect,
    pub hint: Rect,
    /// Borders and headings are drawn (tall enough).
    pub roomy: bool,
    /// Where pickers and the history open: everything between the header
    /// and the status bar.
    pub browser: Rect,
    /// The rows of a picker inside `browser` (under its border and heading).
    pub browser_rows: Rect,
}

fn row(area: Rect, y: u16) -> Rect {
    Rect::new(area.x, y, area.width, 1)
}

/// Lines of text the detail pane always has room for.
pub const DETAIL_LINES: u16 = 4;

/// Rows the node list keeps when the detail pane grows into it.
const KEPT_LIST_ROWS: u16 = 5;

/// True when a screen this tall draws borders and headings.
pub fn is_roomy(height: u16) -> bool {
    height >= ROOMY_HEIGHT
}

/// The layout for a screen of `area` with a detail pane of
/// `DETAIL_LINES`, or `None` when it is too small.
pub fn areas(area: Rect) -> Option<Areas> {
    areas_with(area, DETAIL_LINES)
}

/// The layout when the detail pane's text wants `detail_lines` lines: it
/// gets more than `DETAIL_LINES` only while the list keeps
/// `KEPT_LIST_ROWS` rows, so a long name wraps where there is room and is
/// opened whole (`d`) where there is not.
pub fn areas_with(area: Rect, detail_lines: u16) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let roomy = is_roomy(area.height);
    let (form_h, base_detail) = if roomy { (4, 6) } else { (2, 4) };
    // Rows the list has with the smallest detail pane: the rest of the
    // screen under the header, form and detail, less the status and hint
    // rows and the list's own border and heading (or title line).
    let list_chrome = if roomy { 3 } else { 1 };
    let base_rows = area
        .height
        .saturating_sub(1 + form_h + base_detail + 2 + list_chrome);
    let grow = detail_lines
        .saturating_sub(DETAIL_LINES)
        .min(base_rows.saturating_sub(KEPT_LIST_ROWS));
    let detail_h = base_detail + grow;
    let x = area.x;
    let w = area.width;
    let mut y = area.y;
    let header = Rect::new(x, y, w, 1);
    y += 1;
    let form = Rect::new(x, y, w, form_h);
    y += form_h;
    let detail = Rect::new(x, y, w, detail_h);
    y += detail_h;
    let bottom = area.y + area.height;
    let list = Rect::new(x, y, w, bottom - 2 - y);
    let status = Rect::new(x, bottom - 2, w, 1);
    let hint = Rect::new(x, bottom - 1, w, 1);

    let form_inner = if roomy {
        Rect::new(x + 1, form.y + 1, w - 2, 2)
    } else {
        form
    };
    // Roomy: a full border and a column heading; compact: only the title line.
    let (list_rows, list_heading, list_footer) = if roomy {
        let inner = Rect::new(x + 1, list.y + 1, w - 2, list.height.saturating_sub(2));
        let heading = row(inner, inner.y);
        let below = inner.height.saturating_sub(1);
        let footer = node_footer_lines(below);
        let rows = Rect::new(inner.x, inner.y + 1, inner.width, below - footer);
        let footer = (footer > 0).then(|| Rect::new(inner.x, rows.bottom(), inner.width, footer));
        (rows, Some(heading), footer)
    } else {
        (
            Rect::new(x, list.y + 1, w, list.height.saturating_sub(1)),
            None,
            None,
        )
    };
    Some(Areas {
        header,
        form,
        instance_row: row(form_inner, form_inner.y),
        backup_row: row(form_inner, form_inner.y + 1),
        detail,
        list,
        list_rows,
        list_heading,
        list_footer,
        status,
        hint,
        roomy,
        browser: Rect::new(x, area.y + 1, w, area.height - 3),
        // The border, then a heading row; the footer under the rows.
        browser_rows: Rect::new(
            x + 1,
            area.y + 3,
            w - 2,
            area.height - 6 - footer_lines(area.height - 6),
        ),
    })
}

/// Where popups and the switcher may open on `screen`: everything above
/// the status bar and the hint line, which stay readable under them.
pub fn overlay_area(screen: Rect) -> Rect {
    Rect::new(
        screen.x,
        screen.y,
        screen.width,
        screen.height.saturating_sub(2),
    )
}

/// How many list rows fit on a screen of this size (at least 1, so paging
/// always moves).
pub fn list_rows(width: u16, height: u16) -> usize {
    list_rows_with(width, height, DETAIL_LINES)
}

/// How many list rows fit beside a detail pane wanting `detail_lines`.
pub fn list_rows_with(width: u16, height: u16, detail_lines: u16) -> usize {
    areas_with(Rect::new(0, 0, width, height), detail_lines)
        .map_or(1, |a| usize::from(a.list_rows.height).max(1))
}

/// Lines a picker or the history gives, under its rows, to the selected
/// row whole (its cells may be cut or left out): two where there is room.
pub fn footer_lines(rows_and_footer: u16) -> u16 {
    if rows_and_footer >= 8 { 2 } else { 1 }
}

/// Lines the node list gives its footer out of `rows_and_footer`: none
/// where rows are scarce (the compact layout keeps every row, and Enter
/// shows a node whole), one on an 80x24 screen, two where there is room.
fn node_footer_lines(rows_and_footer: u16) -> u16 {
    match rows_and_footer {
        12.. => 2,
        6.. => 1,
        _ => 0,
    }
}

/// How many picker rows fit on a screen of this size (at least 1).
pub fn browser_rows(width: u16, height: u16) -> usize {
    areas(Rect::new(0, 0, width, height)).map_or(1, |a| usize::from(a.browser_rows.height).max(1))
}

/// Cuts styled spans to `width` cells, ending in `…` when something was cut.
pub fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let w = text::width(&span.content);
        if used + w <= width {
            used += w;
            out.push(span);
            continue;
        }
        let room = width - used;
        if room > 0 {
            out.push(Span::styled(text::fit(&span.content, room), span.style));
        }
        break;
    }
    Line::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_fits_at_every_size_from_the_minimum() {
        for w in MIN_WIDTH..=220 {
            for h in MIN_HEIGHT..=70 {
                let screen = Rect::new(0, 0, w, h);
                let a = areas(screen).expect("big enough");
                for r in [
                    a.header,
                    a.form,
                    a.detail,
                    a.list,
                    a.list_rows,
                    a.status,
                    a.hint,
                    a.browser,
                    a.browser_rows,
                ] {
                    assert!(
                        screen.contains(r.as_position()) || r.area() == 0,
                        "{w}x{h} {r:?}"
                    );
                    assert!(r.bottom() <= h && r.right() <= w, "{w}x{h} {r:?}");
                }
                assert!(a.list_rows.height >= 2, "{w}x{h}");
                assert!(a.browser_rows.bottom() < a.status.y, "{w}x{h}");
                assert!(a.browser_rows.height >= 5, "{w}x{h}");
            }
        }
    }

    #[test]
    fn too_small_screens_have_no_layout() {
        assert!(areas(Rect::new(0, 0, MIN_WIDTH - 1, 30)).is_none());
        assert!(areas(Rect::new(0, 0, 100, MIN_HEIGHT - 1)).is_none());
    }

    #[test]
    fn at_80x24_the_list_shows_seven_rows_and_a_footer() {
        assert_eq!(list_rows(80, 24), 7);
        let a = areas(Rect::new(0, 0, 80, 24)).expect("big enough");
        assert_eq!(
            a.list_footer.map(|f| (f.y, f.height)),
            Some((a.list_rows.bottom(), 1))
        );
        assert!(areas(Rect::new(0, 0, 40, 12)).is_some_and(|a| a.list_footer.is_none()));
    }

    #[test]
    fn the_detail_pane_grows_only_while_the_list_keeps_five_rows() {
        // Seven rows and a footer line; five rows and no footer.
        assert_eq!(list_rows_with(80, 24, 5), 6);
        assert_eq!(list_rows_with(80, 24, 12), 5);
        assert_eq!(list_rows_with(40, 12, 12), 2);
        assert_eq!(list_rows_with(120, 60, 12), 34);
        for w in [40, 80, 200] {
            for h in MIN_HEIGHT..=60 {
                let a = areas_with(Rect::new(0, 0, w, h), 12).expect("big enough");
                assert!(a.list_rows.height >= 2, "{w}x{h}");
                assert_eq!(a.status.y, h - 2, "{w}x{h}");
            }
        }
    }
}

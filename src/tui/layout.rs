//! Where everything goes on screen. `App` uses it too (to know how many
//! list rows a page is, and what a mouse click hit), so it is a pure
//! function of the terminal size.

use ratatui::layout::Rect;

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

/// The layout for a screen of `area`, or `None` when it is too small.
pub fn areas(area: Rect) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let roomy = area.height >= ROOMY_HEIGHT;
    let (form_h, detail_h) = if roomy { (4, 6) } else { (2, 4) };
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
    let (list_rows, list_heading) = if roomy {
        let inner = Rect::new(x + 1, list.y + 1, w - 2, list.height.saturating_sub(2));
        let heading = row(inner, inner.y);
        let rows = Rect::new(
            inner.x,
            inner.y + 1,
            inner.width,
            inner.height.saturating_sub(1),
        );
        (rows, Some(heading))
    } else {
        (
            Rect::new(x, list.y + 1, w, list.height.saturating_sub(1)),
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
        status,
        hint,
        roomy,
        browser: Rect::new(x, area.y + 1, w, area.height - 3),
        // The border, then a heading row.
        browser_rows: Rect::new(x + 1, area.y + 3, w - 2, area.height - 6),
    })
}

/// How many list rows fit on a screen of this size (at least 1, so paging
/// always moves).
pub fn list_rows(width: u16, height: u16) -> usize {
    areas(Rect::new(0, 0, width, height)).map_or(1, |a| usize::from(a.list_rows.height).max(1))
}

/// How many picker rows fit on a screen of this size (at least 1).
pub fn browser_rows(width: u16, height: u16) -> usize {
    areas(Rect::new(0, 0, width, height)).map_or(1, |a| usize::from(a.browser_rows.height).max(1))
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
                assert!(a.browser_rows.height >= 6, "{w}x{h}");
            }
        }
    }

    #[test]
    fn too_small_screens_have_no_layout() {
        assert!(areas(Rect::new(0, 0, MIN_WIDTH - 1, 30)).is_none());
        assert!(areas(Rect::new(0, 0, 100, MIN_HEIGHT - 1)).is_none());
    }

    #[test]
    fn at_80x24_the_list_shows_eight_rows() {
        assert_eq!(list_rows(80, 24), 8);
    }
}

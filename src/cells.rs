//! Text measured in terminal cells, for headless tables: CJK and emoji take
//! two cells, so byte or char counts would break the columns. Callers pass
//! text already made safe by [`crate::terminal_text`].

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` cells, ending in `…` when cut, so a cut value
/// never looks like a different whole one.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        // One cell stays free for the ellipsis.
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` cut to at most `max` cells by taking out its middle, marked with `…`:
/// names that share a prefix (`Backup-ddm-…`) differ at their end, often
/// a timestamp, so both ends stay.
pub fn fit_middle(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max < 3 {
        return fit(s, max);
    }
    let room = max - 1;
    let tail_room = room / 2;
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > tail_room {
            break;
        }
        tail.push(c);
        used += w;
    }
    // The head takes what the tail left, so a wide character at the cut
    // does not waste a cell on either side.
    let head = fit(s, max - used);
    let head = head.strip_suffix('…').unwrap_or(&head);
    let mut out = String::from(head);
    out.push('…');
    out.extend(tail.iter().rev());
    out
}

/// `s` padded with spaces to `cells` cells (never cut).
pub fn pad(s: &str, cells: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(width(s))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_count_cells_and_are_marked() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdef", 5), "abcd…");
        assert_eq!(fit("订单库订单库", 6), "订单…");
        assert_eq!(width(&fit("订单库订单库", 6)), 5);
        assert_eq!(fit("🚀🚀🚀", 4), "🚀…");
        assert_eq!(fit("abc", 1), "…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(pad("订单", 6), "订单  ");
        assert_eq!(
            fit_middle("Backup-ddm-demo-e400-br09", 25),
            "Backup-ddm-demo-e400-br09"
        );
        assert_eq!(fit_middle("Backup-ddm-demo-e400-br09", 13), "Backup…0-br09");
        assert_eq!(fit_middle("订单库订单库订单库", 9), "订单…单库");
        assert!(width(&fit_middle("订单库订单库订单库", 8)) <= 8);
        assert_eq!(fit_middle("abcdef", 2), "a…");
        assert_eq!(pad("abcdef", 3), "abcdef");
    }
}

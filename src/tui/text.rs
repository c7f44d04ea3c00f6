//! Making strings from the API safe to draw: no control or bidi characters,
//! and widths measured in terminal cells so CJK and emoji never push the
//! layout out of shape.

use unicode_width::UnicodeWidthChar;

pub use crate::terminal_text::sanitize;

pub use crate::cells::width;

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Sanitizes `s` and cuts it to at most `max` cells, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    crate::cells::fit(&sanitize(s), max)
}

/// `s` cut to at most `max` cells with no `…` of its own (the caller
/// adds a marker that says more).
pub fn cut(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in sanitize(s).chars() {
        let w = char_width(c);
        if used + w > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

/// Like [`fit`], then padded with spaces to exactly `cells` cells, so columns
/// line up even when a wide character did not fit.
pub fn fit_pad(s: &str, cells: usize) -> String {
    let mut out = fit(s, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// Wraps `s` into lines of at most `max` cells, breaking at spaces when it
/// can and inside a word only when the word alone is too long.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let clean = sanitize(s);
    let max = max.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in clean.split(' ') {
        let w = width(word);
        let gap = usize::from(!line.is_empty());
        if used + gap + w <= max {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + w;
            continue;
        }
        if w <= max {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
            used = w;
            continue;
        }
        // A word wider than a line (a URL) is cut into line-sized pieces,
        // starting on the current line.
        if gap == 1 && used + 1 < max {
            line.push(' ');
            used += 1;
        }
        for c in word.chars() {
            let cw = char_width(c);
            if used + cw > max {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `s` wrapped to `width` in at most `room` lines, the last cut with `…`
/// when the rest does not fit: a footer that says a selected row whole
/// wherever it has room.
pub fn wrap_in(s: &str, width: usize, room: usize) -> Vec<String> {
    if room == 0 || width == 0 {
        return Vec::new();
    }
    let mut lines = wrap(s, width.max(2));
    if lines.len() > room {
        let rest = lines[room - 1..].join(" ");
        lines.truncate(room - 1);
        lines.push(fit(&rest, width));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_never_reach_the_screen() {
        assert_eq!(sanitize("a\x1b[31mb"), "a[31mb");
        assert_eq!(sanitize("a\nb\tc"), "a b c");
        assert_eq!(sanitize("x\u{202E}y\u{200B}z"), "xyz");
        assert_eq!(sanitize("plain"), "plain");
    }

    #[test]
    fn fitting_counts_cells_not_bytes() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdef", 5), "abcd…");
        assert_eq!(fit("订单库订单库", 6), "订单…");
        assert_eq!(width(&fit("订单库订单库", 6)), 5);
        assert_eq!(fit("🚀🚀🚀", 4), "🚀…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("abc", 1), "…");
    }

    #[test]
    fn cutting_leaves_room_for_the_callers_marker() {
        assert_eq!(cut("abcdef", 4), "abcd");
        assert_eq!(cut("订单库", 5), "订单");
        assert_eq!(cut("ab", 5), "ab");
        assert_eq!(cut("a\u{1b}b", 5), "ab");
    }

    #[test]
    fn padding_fills_the_gap_a_wide_character_leaves() {
        let s = fit_pad("订单库订单库", 6);
        assert_eq!(width(&s), 6);
        assert_eq!(fit_pad("ab", 4), "ab  ");
    }

    #[test]
    fn wrapping_keeps_every_line_within_the_width() {
        let lines = wrap("订单库订单库abc", 5);
        assert!(lines.iter().all(|l| width(l) <= 5), "{lines:?}");
        assert_eq!(lines.concat(), "订单库订单库abc");
        assert_eq!(
            wrap("the backup does not exist", 12),
            ["the backup", "does not", "exist"]
        );
        assert_eq!(wrap("", 5), vec![String::new()]);
    }
}

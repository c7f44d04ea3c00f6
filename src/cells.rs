//! Text measured in terminal cells, for headless tables: CJK and emoji take
//! two cells, so byte or char counts would break the columns. Callers pass
//! text already made safe by [`crate::terminal_text`].

use std::ops::Range;

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

/// How many characters all of `values` share at their start and at their
/// end (the end never overlapping the start), for [`fit_distinct`]. Fewer
/// than two values share nothing: there is nothing to tell apart.
pub fn common_affixes(values: &[&str]) -> (usize, usize) {
    let Some((first, rest)) = values.split_first() else {
        return (0, 0);
    };
    if rest.is_empty() {
        return (0, 0);
    }
    let shortest = values.iter().map(|v| v.chars().count()).min().unwrap_or(0);
    let prefix = rest.iter().fold(shortest, |n, v| {
        first
            .chars()
            .zip(v.chars())
            .take(n)
            .take_while(|(a, b)| a == b)
            .count()
    });
    let suffix = rest.iter().fold(shortest - prefix, |n, v| {
        first
            .chars()
            .rev()
            .zip(v.chars().rev())
            .take(n)
            .take_while(|(a, b)| a == b)
            .count()
    });
    (prefix, suffix)
}

/// `s` cut to at most `max` cells keeping the part that tells it apart
/// from its neighbours: the characters after the `prefix` and before the
/// `suffix` every row shares (see [`common_affixes`]), widened with as
/// much of what surrounds them as fits, suffix first (a shared timestamp
/// tail reads better than a shared name head). Cut sides are marked `…`:
/// `…shard-05` rather than `rds-or…rd-05` on every row. When that part
/// does not fit, the shared start is dropped and the rest cut in its
/// middle (`…orde…tore`); with nothing shared it is [`fit_middle`].
pub fn fit_distinct(s: &str, max: usize, prefix: usize, suffix: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let cell = |c: &char| UnicodeWidthChar::width(*c).unwrap_or(0);
    let (mut start, mut end) = (prefix.min(chars.len()), chars.len().saturating_sub(suffix));
    if start >= end {
        return fit_middle(s, max);
    }
    let marks = |start: usize, end: usize| usize::from(start > 0) + usize::from(end < chars.len());
    let mut used: usize = chars[start..end].iter().map(cell).sum();
    if used + marks(start, end) > max {
        // Too long to keep whole: drop the shared start at least, and cut
        // the rest in its middle.
        if start == 0 || max < 4 {
            return fit_middle(s, max);
        }
        let rest: String = chars[start..].iter().collect();
        return format!("…{}", fit_middle(&rest, max - 1));
    }
    loop {
        let mut grew = false;
        // One character of the tail, then one of the head, while they fit
        // with their marks.
        if end < chars.len() {
            let w = cell(&chars[end]);
            if used + w + marks(start, end + 1) <= max {
                used += w;
                end += 1;
                grew = true;
            }
        }
        if start > 0 {
            let w = cell(&chars[start - 1]);
            if used + w + marks(start - 1, end) <= max {
                used += w;
                start -= 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// `s` cut to at most `max` cells keeping its characters `start..start +
/// len` (a search's match) in view, with its whole end when that fits,
/// widened with what surrounds them, one character after then one before,
/// so the word searched for is never the part cut away
/// (`…-demo-orders-20250…` for `orders`). Also returns
/// where those characters stand in the cut text (a char range), for
/// marking. When they do not fit with their marks, or are not in `s`,
/// it is [`fit_middle`] and nothing is marked.
pub fn fit_around(s: &str, max: usize, start: usize, len: usize) -> (String, Option<Range<usize>>) {
    let chars: Vec<char> = s.chars().collect();
    let end = start.saturating_add(len);
    if len == 0 || end > chars.len() {
        return (fit_middle(s, max), None);
    }
    if width(s) <= max {
        return (s.to_string(), Some(start..end));
    }
    let cell = |c: &char| UnicodeWidthChar::width(*c).unwrap_or(0);
    let marks = |from: usize, to: usize| usize::from(from > 0) + usize::from(to < chars.len());
    let mut used: usize = chars[start..end].iter().map(cell).sum();
    if used + marks(start, end) > max {
        return (fit_middle(s, max), None);
    }
    let (mut from, mut to) = (start, end);
    // A whole end is kept when it fits: names that share their start
    // differ at their end (a timestamp), so the rows stay apart
    // (`…ddm-orders-202505`, not `…-ddm-orders-2025…` on every row).
    let tail: usize = chars[end..].iter().map(cell).sum();
    if used + tail + marks(start, chars.len()) <= max {
        used += tail;
        to = chars.len();
    }
    loop {
        let mut grew = false;
        if to < chars.len() {
            let w = cell(&chars[to]);
            if used + w + marks(from, to + 1) <= max {
                used += w;
                to += 1;
                grew = true;
            }
        }
        if from > 0 {
            let w = cell(&chars[from - 1]);
            if used + w + marks(from - 1, to) <= max {
                used += w;
                from -= 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let mut out = String::new();
    let lead = usize::from(from > 0);
    if from > 0 {
        out.push('…');
    }
    out.extend(&chars[from..to]);
    if to < chars.len() {
        out.push('…');
    }
    let at = lead + start - from;
    (out, Some(at..at + len))
}

/// `s` padded with spaces to `cells` cells (never cut).
pub fn pad(s: &str, cells: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(width(s))));
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_distinct_cut_keeps_what_tells_rows_apart() {
        let names = [
            "rds-orders-shard-03",
            "rds-orders-shard-04",
            "rds-orders-shard-05",
        ];
        let (p, s) = common_affixes(&names);
        assert_eq!((p, s), (18, 0));
        // The plain middle cut reads the same for every row.
        assert_eq!(fit_middle(names[2], 9), "rds-…d-05");
        assert_eq!(fit_distinct(names[2], 9, p, s), "…shard-05");
        let backups = [
            "Backup-ddm-demo-orders-20250628T020000",
            "Backup-ddm-demo-orders-20250627T020000",
        ];
        let (p, s) = common_affixes(&backups);
        assert_eq!(fit_distinct(backups[0], 16, p, s), "…20250628T020000");
        assert_eq!(fit_distinct(backups[1], 16, p, s), "…20250627T020000");
        // Fits whole, or nothing shared: as before.
        assert_eq!(fit_distinct("short", 9, 2, 2), "short");
        assert_eq!(
            fit_distinct(backups[0], 16, 0, 0),
            fit_middle(backups[0], 16)
        );
        // The distinct part alone is too wide: the shared start goes, the
        // rest is cut in its middle.
        let (p, s) = common_affixes(&["a-0000000000-z", "a-1111111111-z"]);
        assert_eq!(fit_distinct("a-0000000000-z", 6, p, s), "…00…-z");
        let (p, s) = common_affixes(&["ddm-orders-restore", "ddm-legacy-reports"]);
        assert_eq!(fit_distinct("ddm-orders-restore", 10, p, s), "…orde…tore");
        // Wide characters count two cells.
        let (p, s) = common_affixes(&["订单订单-01", "订单订单-02"]);
        let cut = fit_distinct("订单订单-02", 6, p, s);
        assert!(width(&cut) <= 6 && cut.ends_with("-02"), "{cut}");
        assert_eq!(common_affixes(&["only"]), (0, 0));
        assert_eq!(common_affixes(&["same", "same"]), (4, 0));
    }

    use super::*;

    #[test]
    fn a_cut_around_a_match_keeps_it_in_view() {
        let name = "Backup-ddm-demo-orders-20250627T020000";
        // The middle cut loses the very word searched for.
        assert!(!fit_middle(name, 20).contains("orders"));
        let (cut, mark) = fit_around(name, 20, 16, 6);
        assert_eq!(cut, "…-demo-orders-20250…");
        assert_eq!(width(&cut), 20);
        let mark = mark.unwrap();
        let marked: String = cut.chars().skip(mark.start).take(mark.len()).collect();
        assert_eq!(marked, "orders");
        // The whole end when it fits with the match: rows stay apart.
        let (cut, mark) = fit_around("Backup-ddm-orders-202505", 18, 11, 6);
        assert_eq!((cut.as_str(), mark), ("…ddm-orders-202505", Some(5..11)));
        // At the start or the end, only one side is cut.
        let (cut, mark) = fit_around(name, 12, 0, 6);
        assert_eq!((cut.as_str(), mark), ("Backup-ddm-…", Some(0..6)));
        let (cut, mark) = fit_around(name, 10, 32, 6);
        assert_eq!((cut.as_str(), mark), ("…27T020000", Some(4..10)));
        // Whole when it fits; the middle cut when the match cannot fit.
        assert_eq!(
            fit_around("ddm-orders", 16, 4, 6),
            ("ddm-orders".into(), Some(4..10))
        );
        assert_eq!(fit_around(name, 6, 16, 6), (fit_middle(name, 6), None));
        assert_eq!(fit_around(name, 20, 40, 6), (fit_middle(name, 20), None));
        assert_eq!(fit_around(name, 20, 3, 0), (fit_middle(name, 20), None));
        // Wide characters count two cells.
        let (cut, mark) = fit_around("订单订单订单-orders-订单订单", 12, 7, 6);
        assert!(width(&cut) <= 12 && cut.contains("orders"), "{cut}");
        assert!(mark.is_some());
    }

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

//! A filtered, scrolled, selectable list: the related nodes, the pickers
//! and the history all use it. Plain data, so `App` can own it and tests
//! can read it.

use std::cmp::Ordering;

use crate::api::RelatedDataNode;
use crate::keymap::Action;

/// What the filter matches a row by (name and ID, usually).
pub trait Keyed {
    /// The text the filter searches; lower-cased once, when the row arrives.
    fn key(&self) -> String;
}

impl Keyed for RelatedDataNode {
    fn key(&self) -> String {
        format!("{}\u{0}{}", self.instance_name, self.instance_id)
    }
}

/// The nodes of the shown backup.
pub type NodeList = Rows<RelatedDataNode>;

/// Rows, filtered and scrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows<T> {
    items: Vec<T>,
    /// Lower-cased key per row, built once so each keystroke of the
    /// filter is a plain substring scan.
    keys: Vec<String>,
    filter: String,
    /// Indexes into `items` that pass the filter, in order.
    visible: Vec<usize>,
    /// Position in `visible`.
    selected: usize,
    /// First visible row on screen.
    offset: usize,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            items: Vec::new(),
            keys: Vec::new(),
            filter: String::new(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
        }
    }
}

impl<T: Keyed> Rows<T> {
    /// A list of `items` with no filter and the first row selected.
    pub fn new(items: Vec<T>) -> Self {
        let mut rows = Rows::default();
        rows.extend(items);
        rows
    }

    /// Adds rows at the end (a page that just arrived); the filter applies
    /// to them and the selection stays where it was.
    pub fn extend(&mut self, items: Vec<T>) {
        let needle = self.filter.trim().to_lowercase();
        for item in items {
            let key = item.key().to_lowercase();
            if needle.is_empty() || key.contains(&needle) {
                self.visible.push(self.items.len());
            }
            self.keys.push(key);
            self.items.push(item);
        }
    }
}

impl<T: Keyed + Clone> Rows<T> {
    /// Puts `row` in place of every row `pred` picks (a newer copy of the
    /// same row): order, filter and selection stay as they are.
    pub fn replace(&mut self, mut pred: impl FnMut(&T) -> bool, row: &T) {
        for (item, key) in self.items.iter_mut().zip(&mut self.keys) {
            if pred(item) {
                *item = row.clone();
                *key = row.key().to_lowercase();
            }
        }
    }
}

impl<T> Rows<T> {
    /// Sorts every row by `cmp` (stable); the selection stays on the same
    /// row and the view follows it.
    pub fn sort_by(&mut self, mut cmp: impl FnMut(&T, &T) -> Ordering, rows: usize) {
        let keep = self.visible.get(self.selected).copied();
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        order.sort_by(|&a, &b| cmp(&self.items[a], &self.items[b]));
        // `order[new] = old`; move items and keys into the new order.
        let mut items: Vec<Option<T>> = std::mem::take(&mut self.items)
            .into_iter()
            .map(Some)
            .collect();
        let mut keys = std::mem::take(&mut self.keys);
        let mut new_of_old = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of_old[old] = new;
            if let Some(item) = items[old].take() {
                self.items.push(item);
            }
            self.keys.push(std::mem::take(&mut keys[old]));
        }
        self.visible = filter_indexes(&self.keys, &self.filter);
        self.selected = keep
            .and_then(|old| {
                let new = new_of_old[old];
                self.visible.iter().position(|&i| i == new)
            })
            .unwrap_or(0);
        self.scroll_into_view(rows);
    }

    /// The position among the shown rows of the first that `pred` accepts.
    pub fn find(&self, mut pred: impl FnMut(&T) -> bool) -> Option<usize> {
        self.visible.iter().position(|&i| pred(&self.items[i]))
    }

    /// Every row in order, filtered or not.
    pub fn all(&self) -> &[T] {
        &self.items
    }

    /// How many rows there are, filtered or not.
    pub fn total(&self) -> usize {
        self.items.len()
    }

    /// How many rows pass the filter.
    pub fn shown(&self) -> usize {
        self.visible.len()
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The position of the selection among the shown rows.
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The selected row, when any row is shown.
    pub fn selected_item(&self) -> Option<&T> {
        self.visible.get(self.selected).map(|&i| &self.items[i])
    }

    /// The shown rows from `offset`, at most `rows` of them.
    pub fn window(&self, rows: usize) -> impl Iterator<Item = (usize, &T)> {
        self.visible
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(rows)
            .map(|(pos, &i)| (pos, &self.items[i]))
    }

    /// Applies a filter (case-insensitive, on name or ID). The selection
    /// stays on the same node when it still passes, else goes to the top.
    pub fn set_filter(&mut self, filter: &str, rows: usize) {
        let keep = self.visible.get(self.selected).copied();
        self.filter = filter.to_string();
        self.visible = filter_indexes(&self.keys, filter);
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.offset = 0;
        self.scroll_into_view(rows);
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll_into_view(rows);
    }

    /// Carries out a movement action (`j`/`k`, pages, half pages, first,
    /// last) in a view `rows` tall; false when `action` is not one, so the
    /// caller handles it. One mapping for every list: the nodes, their
    /// filter, the pickers and the history.
    pub fn steer(&mut self, action: Option<Action>, rows: usize) -> bool {
        let page = rows.saturating_sub(1).max(1) as isize;
        let half = (rows as isize / 2).max(1);
        match action {
            Some(Action::Down) => self.move_by(1, rows),
            Some(Action::Up) => self.move_by(-1, rows),
            Some(Action::PageDown) => self.move_by(page, rows),
            Some(Action::PageUp) => self.move_by(-page, rows),
            Some(Action::HalfPageDown) => self.move_by(half, rows),
            Some(Action::HalfPageUp) => self.move_by(-half, rows),
            Some(Action::First) => self.select(0, rows),
            Some(Action::Last) => self.select(usize::MAX, rows),
            _ => return false,
        }
        true
    }

    /// Selects the shown row at `pos`, clamped.
    pub fn select(&mut self, pos: usize, rows: usize) {
        self.selected = pos.min(self.visible.len().saturating_sub(1));
        self.scroll_into_view(rows);
    }

    /// Scrolls the view by `delta` rows without moving past either end,
    /// dragging the selection along when it would leave the view.
    pub fn scroll_by(&mut self, delta: isize, rows: usize) {
        let max_offset = self.visible.len().saturating_sub(rows.max(1));
        self.offset = self.offset.saturating_add_signed(delta).min(max_offset);
        if rows > 0 {
            self.selected = self
                .selected
                .clamp(self.offset, self.offset + rows - 1)
                .min(self.visible.len().saturating_sub(1));
        }
    }

    /// Keeps the selection inside a view `rows` tall; called after every
    /// move and on resize.
    pub fn scroll_into_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        // A taller view should not leave empty rows under a scrolled list.
        let max_offset = self.visible.len().saturating_sub(rows);
        self.offset = self.offset.min(max_offset);
    }
}

/// The indexes of the keys containing `filter`, case-insensitively. Public
/// for the per-keystroke benchmark.
pub fn filter_indexes(keys: &[String], filter: &str) -> Vec<usize> {
    let needle = filter.trim().to_lowercase();
    if needle.is_empty() {
        return (0..keys.len()).collect();
    }
    keys.iter()
        .enumerate()
        .filter(|(_, k)| k.contains(&needle))
        .map(|(i, _)| i)
        .collect()
}

/// Where a movement action (`j`/`k`, pages, half pages, first, last)
/// takes a selection at `at` among `count` rows, `page` of which fit;
/// `None` when `action` is not one. For the views that keep a bare index
/// rather than a [`Rows`]: Find, Health and the profile switcher.
pub fn moved(at: usize, action: Option<Action>, page: usize, count: usize) -> Option<usize> {
    let last = count.saturating_sub(1);
    let page = page.max(1);
    let to = match action {
        Some(Action::Down) => at.saturating_add(1),
        Some(Action::Up) => at.saturating_sub(1),
        Some(Action::PageDown) => at.saturating_add(page),
        Some(Action::PageUp) => at.saturating_sub(page),
        Some(Action::HalfPageDown) => at.saturating_add(page / 2),
        Some(Action::HalfPageUp) => at.saturating_sub(page / 2),
        Some(Action::First) => 0,
        Some(Action::Last) => last,
        _ => return None,
    };
    Some(to.min(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(n: usize) -> NodeList {
        NodeList::new(
            (0..n)
                .map(|i| RelatedDataNode {
                    instance_id: format!("id{i:02}in01"),
                    instance_name: format!("Node_{i:02}"),
                })
                .collect(),
        )
    }

    #[test]
    fn moving_clamps_and_keeps_the_selection_in_view() {
        let mut l = nodes(20);
        l.move_by(-1, 5);
        assert_eq!((l.selected(), l.offset()), (0, 0));
        l.move_by(7, 5);
        assert_eq!((l.selected(), l.offset()), (7, 3));
        l.move_by(100, 5);
        assert_eq!((l.selected(), l.offset()), (19, 15));
        l.move_by(-17, 5);
        assert_eq!((l.selected(), l.offset()), (2, 2));
    }

    #[test]
    fn filter_matches_name_or_id_ignoring_case() {
        let mut l = nodes(20);
        l.set_filter("NODE_1", 5);
        assert_eq!(l.shown(), 10);
        l.set_filter("id03", 5);
        assert_eq!(l.shown(), 1);
        assert_eq!(
            l.selected_item().map(|n| n.instance_name.as_str()),
            Some("Node_03")
        );
        l.set_filter("nothing", 5);
        assert_eq!((l.shown(), l.selected_item()), (0, None));
        l.set_filter("", 5);
        assert_eq!(l.shown(), 20);
    }

    #[test]
    fn the_filter_keeps_the_selected_node_when_it_still_matches() {
        let mut l = nodes(20);
        l.select(15, 5);
        l.set_filter("node_1", 5);
        assert_eq!(
            l.selected_item().map(|n| n.instance_name.as_str()),
            Some("Node_15")
        );
    }

    #[test]
    fn an_empty_list_ignores_moves() {
        let mut l = nodes(0);
        l.move_by(3, 5);
        l.scroll_by(3, 5);
        assert_eq!((l.selected(), l.offset(), l.selected_item()), (0, 0, None));
    }

    #[test]
    fn scrolling_drags_the_selection_along() {
        let mut l = nodes(20);
        l.scroll_by(3, 5);
        assert_eq!((l.selected(), l.offset()), (3, 3));
        l.scroll_by(100, 5);
        assert_eq!(l.offset(), 15);
    }

    #[test]
    fn the_window_starts_at_the_offset() {
        let mut l = nodes(10);
        l.move_by(6, 3);
        let rows: Vec<usize> = l.window(3).map(|(pos, _)| pos).collect();
        assert_eq!(rows, [4, 5, 6]);
    }

    #[test]
    fn pages_added_later_pass_through_the_filter() {
        let mut l = nodes(5);
        l.set_filter("node_1", 3);
        assert_eq!(l.shown(), 0);
        l.extend(
            (10..13)
                .map(|i| RelatedDataNode {
                    instance_id: format!("id{i}in01"),
                    instance_name: format!("Node_{i}"),
                })
                .collect(),
        );
        assert_eq!((l.total(), l.shown()), (8, 3));
    }

    #[test]
    fn sorting_keeps_the_selected_row_and_the_filter() {
        let mut l = nodes(10);
        l.set_filter("node_0", 3);
        l.select(2, 3);
        assert_eq!(
            l.selected_item().map(|n| n.instance_name.as_str()),
            Some("Node_02")
        );
        l.sort_by(|a, b| b.instance_name.cmp(&a.instance_name), 3);
        assert_eq!(l.all()[0].instance_name, "Node_09");
        assert_eq!(
            l.selected_item().map(|n| n.instance_name.as_str()),
            Some("Node_02")
        );
        assert_eq!(l.selected(), 7);
        assert_eq!(l.offset(), 5);
    }
}

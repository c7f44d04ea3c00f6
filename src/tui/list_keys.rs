//! The keys every filterable overlay list shares (the pickers and the
//! history): moving, and typing a filter after `/`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};

use super::input::{Pasted, TextField};
use super::rows::{Keyed, Rows};

/// Rows the mouse wheel scrolls per notch.
pub const WHEEL_ROWS: isize = 3;

/// A list with a filter that is typed into after `/`.
pub struct FilteredList<'a, T> {
    pub rows: &'a mut Rows<T>,
    pub filter: &'a mut TextField,
    /// The filter takes the keys.
    pub typing: &'a mut bool,
}

impl<T: Keyed> FilteredList<'_, T> {
    /// Handles `key` if it moves, filters or clears the filter; `Some`
    /// says whether anything changed, `None` leaves the key to the caller
    /// (Enter, Esc with no filter, commands).
    pub fn key(&mut self, key: KeyEvent, view: usize) -> Option<bool> {
        let before = (self.rows.selected(), self.rows.offset());
        let page = view.saturating_sub(1).max(1) as isize;
        let half = (view as isize / 2).max(1);
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Down => self.rows.move_by(1, view),
            KeyCode::Up => self.rows.move_by(-1, view),
            KeyCode::PageDown => self.rows.move_by(page, view),
            KeyCode::PageUp => self.rows.move_by(-page, view),
            KeyCode::Esc if *self.typing || !self.filter.value().is_empty() => {
                self.filter.clear();
                *self.typing = false;
                self.rows.set_filter("", view);
                return Some(true);
            }
            KeyCode::Enter | KeyCode::Esc => return None,
            KeyCode::Tab if *self.typing => {
                *self.typing = false;
                return Some(true);
            }
            _ if *self.typing => {
                if !self.filter.handle_key(key) {
                    return Some(false);
                }
                self.rows.set_filter(self.filter.value(), view);
                return Some(true);
            }
            KeyCode::Char('j') => self.rows.move_by(1, view),
            KeyCode::Char('k') => self.rows.move_by(-1, view),
            KeyCode::Char('d') if ctrl => self.rows.move_by(half, view),
            KeyCode::Char('u') if ctrl => self.rows.move_by(-half, view),
            KeyCode::Home | KeyCode::Char('g') => self.rows.select(0, view),
            KeyCode::End | KeyCode::Char('G') => self.rows.select(usize::MAX, view),
            KeyCode::Char('/') => {
                *self.typing = true;
                return Some(true);
            }
            _ => return None,
        }
        Some(before != (self.rows.selected(), self.rows.offset()))
    }

    /// The mouse (with `--mouse`): the wheel scrolls, a click on a row
    /// (`clicked`, counted from the top of the view) selects it. True when
    /// something changed.
    pub fn mouse(&mut self, kind: MouseEventKind, clicked: Option<usize>, view: usize) -> bool {
        let before = (self.rows.selected(), self.rows.offset());
        match kind {
            MouseEventKind::ScrollDown => self.rows.scroll_by(WHEEL_ROWS, view),
            MouseEventKind::ScrollUp => self.rows.scroll_by(-WHEEL_ROWS, view),
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(row) = clicked {
                    let pos = self.rows.offset() + row;
                    if pos < self.rows.shown() {
                        self.rows.select(pos, view);
                    }
                }
            }
            _ => {}
        }
        before != (self.rows.selected(), self.rows.offset())
    }

    /// A paste goes into the filter.
    pub fn paste(&mut self, text: &str, view: usize) -> Pasted {
        *self.typing = true;
        let pasted = self.filter.paste(text);
        self.rows.set_filter(self.filter.value(), view);
        pasted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RelatedDataNode;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn moving_filtering_and_what_is_left_to_the_caller() {
        let mut rows = Rows::new(
            (0..30)
                .map(|i| RelatedDataNode {
                    instance_id: format!("id{i:02}"),
                    instance_name: format!("name{i:02}"),
                })
                .collect(),
        );
        let mut filter = TextField::default();
        let mut typing = false;
        let mut list = FilteredList {
            rows: &mut rows,
            filter: &mut filter,
            typing: &mut typing,
        };
        assert_eq!(list.key(key(KeyCode::Char('j')), 10), Some(true));
        assert_eq!(list.key(key(KeyCode::Char('k')), 10), Some(true));
        assert_eq!(list.key(key(KeyCode::Char('k')), 10), Some(false));
        assert_eq!(list.key(key(KeyCode::Char('G')), 10), Some(true));
        assert_eq!(list.rows.selected(), 29);
        assert_eq!(list.key(key(KeyCode::Enter), 10), None);
        assert_eq!(list.key(key(KeyCode::Esc), 10), None);
        assert_eq!(list.key(key(KeyCode::Char('y')), 10), None);
        assert_eq!(list.key(key(KeyCode::Char('/')), 10), Some(true));
        // Typing: letters filter, j included.
        for c in "id2".chars() {
            list.key(key(KeyCode::Char(c)), 10);
        }
        assert_eq!(list.rows.shown(), 10);
        assert_eq!(list.key(key(KeyCode::Enter), 10), None, "Enter picks");
        assert_eq!(list.key(key(KeyCode::Esc), 10), Some(true));
        assert_eq!((list.rows.shown(), *list.typing), (30, false));
        list.paste("name05", 10);
        assert_eq!(list.rows.shown(), 1);
    }
}

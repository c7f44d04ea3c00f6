//! The keys every filterable overlay list shares (the pickers and the
//! history): moving, and typing a filter after `/`.

use crossterm::event::{MouseButton, MouseEventKind};

use crate::keymap::{Action, KeySpec};

use super::input::TextField;
use super::paste_clean::Pasted;
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
    /// Handles `action` (or the typed `key`) if it moves, filters or
    /// clears the filter; `Some` says whether anything changed, `None`
    /// leaves it to the caller (picking, closing, commands, keys that work
    /// anywhere).
    pub fn key(&mut self, action: Option<Action>, key: KeySpec, view: usize) -> Option<bool> {
        let before = (self.rows.selected(), self.rows.offset());
        match action {
            _ if self.rows.steer(action, view) => {}
            Some(Action::Back) if *self.typing || !self.filter.value().is_empty() => {
                self.filter.clear();
                *self.typing = false;
                self.rows.set_filter("", view);
                return Some(true);
            }
            Some(Action::KeepFilter) if *self.typing => {
                *self.typing = false;
                return Some(true);
            }
            // `/` starts a new filter, as in vim and less: typing after a
            // kept one would otherwise search for both run together.
            Some(Action::Filter) if !*self.typing => {
                self.filter.clear();
                self.rows.set_filter("", view);
                *self.typing = true;
                return Some(true);
            }
            _ if *self.typing => {
                if !self.filter.apply(action, key) {
                    return None;
                }
                self.rows.set_filter(self.filter.value(), view);
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
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::api::RelatedDataNode;
    use crate::keymap::{Context, Keymap};

    fn key(code: KeyCode) -> KeySpec {
        crate::tui::key_event::spec_of(&KeyEvent::new(code, KeyModifiers::NONE))
            .expect("a key the table can name")
    }

    /// A key as a picker sends it: looked up in the picker's chain.
    fn press(list: &mut FilteredList<'_, RelatedDataNode>, code: KeyCode) -> Option<bool> {
        let spec = key(code);
        let action = Keymap::default().action(Context::Picker, *list.typing, spec);
        list.key(action, spec, 10)
    }

    fn thirty_rows() -> Rows<RelatedDataNode> {
        Rows::new(
            (0..30)
                .map(|i| RelatedDataNode {
                    instance_id: format!("id{i:02}"),
                    instance_name: format!("name{i:02}"),
                })
                .collect(),
        )
    }

    #[test]
    fn moving_filtering_and_what_is_left_to_the_caller() {
        let mut rows = thirty_rows();
        let mut filter = TextField::default();
        let mut typing = false;
        let mut list = FilteredList {
            rows: &mut rows,
            filter: &mut filter,
            typing: &mut typing,
        };
        assert_eq!(press(&mut list, KeyCode::Char('j')), Some(true));
        assert_eq!(press(&mut list, KeyCode::Char('k')), Some(true));
        assert_eq!(press(&mut list, KeyCode::Char('k')), Some(false));
        assert_eq!(press(&mut list, KeyCode::Char('G')), Some(true));
        assert_eq!(list.rows.selected(), 29);
        assert_eq!(press(&mut list, KeyCode::Enter), None);
        assert_eq!(press(&mut list, KeyCode::Esc), None);
        assert_eq!(press(&mut list, KeyCode::Char('y')), None);
        assert_eq!(press(&mut list, KeyCode::Char('/')), Some(true));
        // Typing: letters filter, j included.
        for c in "id2".chars() {
            press(&mut list, KeyCode::Char(c));
        }
        assert_eq!(list.rows.shown(), 10);
        assert_eq!(press(&mut list, KeyCode::Enter), None, "Enter picks");
        assert_eq!(press(&mut list, KeyCode::Esc), Some(true));
        assert_eq!((list.rows.shown(), *list.typing), (30, false));
        list.paste("name05", 10);
        assert_eq!(list.rows.shown(), 1);
    }

    #[test]
    fn slash_starts_a_new_filter_instead_of_adding_to_the_kept_one() {
        let mut rows = thirty_rows();
        let mut filter = TextField::default();
        let mut typing = false;
        let mut list = FilteredList {
            rows: &mut rows,
            filter: &mut filter,
            typing: &mut typing,
        };
        press(&mut list, KeyCode::Char('/'));
        for c in "name1".chars() {
            press(&mut list, KeyCode::Char(c));
        }
        press(&mut list, KeyCode::Tab);
        assert_eq!((list.rows.shown(), *list.typing), (10, false));
        press(&mut list, KeyCode::Char('/'));
        assert_eq!(list.filter.value(), "");
        assert_eq!(
            list.rows.shown(),
            30,
            "the old filter is no longer in force"
        );
        for c in "id2".chars() {
            press(&mut list, KeyCode::Char(c));
        }
        assert_eq!((list.filter.value(), list.rows.shown()), ("id2", 10));
    }
}

//! The overlays (pickers, history, the profile switcher, popups, the save
//! prompt, the password popup) in one ordered stack. The top one takes the
//! keys, the paste and the mouse and says what the hint line shows;
//! drawing goes bottom-up; Esc pops. Their order is the order they were
//! opened in, so which one is in front is decided here and nowhere else.

use super::act::SavePrompt;
use super::app::{Popup, PopupKind};
use super::find::FindView;
use super::password::PasswordAsk;
use super::picker::Picker;
use super::readiness::ReadinessView;
use super::recent::HistoryView;

/// One open overlay with its state.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Picker(Picker),
    History(HistoryView),
    /// The profile switcher, on this row.
    Profiles(usize),
    Popup(Popup),
    Save(SavePrompt),
    Password(PasswordAsk),
    /// Boxed: it is several times the size of the others.
    Readiness(Box<ReadinessView>),
    /// Boxed for the same reason.
    Find(Box<FindView>),
}

/// Which overlay, without its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Picker,
    History,
    Profiles,
    Popup,
    Save,
    Password,
    Readiness,
    Find,
}

impl Overlay {
    pub fn kind(&self) -> Kind {
        match self {
            Overlay::Picker(_) => Kind::Picker,
            Overlay::History(_) => Kind::History,
            Overlay::Profiles(_) => Kind::Profiles,
            Overlay::Popup(_) => Kind::Popup,
            Overlay::Save(_) => Kind::Save,
            Overlay::Password(_) => Kind::Password,
            Overlay::Readiness(_) => Kind::Readiness,
            Overlay::Find(_) => Kind::Find,
        }
    }
}

/// The open overlays, bottom first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlays(Vec<Overlay>);

macro_rules! find {
    ($get:ident, $get_mut:ident, $variant:ident, $ty:ty) => {
        /// The open one of this kind, wherever it is in the stack.
        pub fn $get(&self) -> Option<&$ty> {
            self.0.iter().rev().find_map(|o| match o {
                Overlay::$variant(x) => Some(x),
                _ => None,
            })
        }

        /// The open one of this kind, to change.
        pub fn $get_mut(&mut self) -> Option<&mut $ty> {
            self.0.iter_mut().rev().find_map(|o| match o {
                Overlay::$variant(x) => Some(x),
                _ => None,
            })
        }
    };
}

impl Overlays {
    /// Opens `overlay` in front of the others. One of the same kind is
    /// replaced (closed first), so no kind is ever open twice.
    pub fn push(&mut self, overlay: Overlay) {
        self.remove(overlay.kind());
        self.0.push(overlay);
    }

    /// The overlay in front.
    pub fn top(&self) -> Option<&Overlay> {
        self.0.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.0.last_mut()
    }

    /// Closes the overlay in front.
    pub fn pop(&mut self) -> Option<Overlay> {
        self.0.pop()
    }

    /// Closes the overlay of `kind`, wherever it is.
    pub fn remove(&mut self, kind: Kind) -> Option<Overlay> {
        let at = self.0.iter().position(|o| o.kind() == kind)?;
        Some(self.0.remove(at))
    }

    /// True when `kind` is open.
    pub fn has(&self, kind: Kind) -> bool {
        self.0.iter().any(|o| o.kind() == kind)
    }

    /// True when nothing is open.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Bottom first: the drawing order.
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.0.iter()
    }

    /// Every open overlay, to close them all.
    pub fn take_all(&mut self) -> Vec<Overlay> {
        std::mem::take(&mut self.0)
    }

    find!(picker, picker_mut, Picker, Picker);
    find!(history, history_mut, History, HistoryView);
    find!(save, save_mut, Save, SavePrompt);
    find!(password, password_mut, Password, PasswordAsk);

    /// The open readiness view.
    pub fn readiness(&self) -> Option<&ReadinessView> {
        self.0.iter().rev().find_map(|o| match o {
            Overlay::Readiness(x) => Some(x.as_ref()),
            _ => None,
        })
    }

    /// The open readiness view, to change.
    pub fn readiness_mut(&mut self) -> Option<&mut ReadinessView> {
        self.0.iter_mut().rev().find_map(|o| match o {
            Overlay::Readiness(x) => Some(x.as_mut()),
            _ => None,
        })
    }

    /// The open Find overlay.
    pub fn find(&self) -> Option<&FindView> {
        self.0.iter().rev().find_map(|o| match o {
            Overlay::Find(x) => Some(x.as_ref()),
            _ => None,
        })
    }

    /// The open Find overlay, to change.
    pub fn find_mut(&mut self) -> Option<&mut FindView> {
        self.0.iter_mut().rev().find_map(|o| match o {
            Overlay::Find(x) => Some(x.as_mut()),
            _ => None,
        })
    }

    /// The open popup.
    pub fn popup(&self) -> Option<Popup> {
        self.0.iter().rev().find_map(|o| match o {
            Overlay::Popup(p) => Some(*p),
            _ => None,
        })
    }

    /// The profile switcher's row, when it is open.
    pub fn switcher(&self) -> Option<usize> {
        self.0.iter().rev().find_map(|o| match o {
            Overlay::Profiles(at) => Some(*at),
            _ => None,
        })
    }

    /// True when the popup in front is of `kind`.
    pub fn top_popup_is(&self, kind: PopupKind) -> bool {
        matches!(self.top(), Some(Overlay::Popup(p)) if p.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn popup(kind: PopupKind) -> Overlay {
        Overlay::Popup(Popup { kind, scroll: 0 })
    }

    #[test]
    fn the_last_opened_is_in_front_and_a_kind_is_open_once() {
        let mut s = Overlays::default();
        s.push(Overlay::Profiles(0));
        s.push(popup(PopupKind::Help));
        assert_eq!(s.top().map(Overlay::kind), Some(Kind::Popup));
        s.push(popup(PopupKind::Error));
        let kinds: Vec<Kind> = s.iter().map(Overlay::kind).collect();
        assert_eq!(kinds, [Kind::Profiles, Kind::Popup]);
        assert!(s.top_popup_is(PopupKind::Error));
        s.pop();
        assert_eq!(s.switcher(), Some(0));
        assert!(s.remove(Kind::Profiles).is_some());
        assert!(s.is_empty());
    }
}

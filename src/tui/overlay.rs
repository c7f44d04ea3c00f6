//! The overlays (pickers, history, the profile switcher, popups, the save
//! prompt, the password popup, readiness, Find, Health) in one ordered
//! stack. The
//! top one takes the keys, the paste and the mouse and says what the hint
//! line shows; drawing goes bottom-up; Esc pops. Their order is the order
//! they were opened in, so which one is in front is decided here and
//! nowhere else.
//!
//! Each overlay is one shape: its state implements [`Layer`] (keys, paste,
//! mouse, ticks, hints, its status line) beside its own code, and `ui`
//! draws it with `ui::Draw`. The dispatch is generated from the one list
//! in [`registry!`], so a new overlay is its own files plus a line there.

use std::time::Instant;

use crossterm::event::MouseEventKind;

use crate::keymap::{Action, Context, KeySpec};

use super::app::{App, Popup, PopupKind};
use super::find::FindView;
use super::layout::status::Said;
use super::msg::Update;
use super::password::PasswordAsk;
use super::picker::Picker;
use super::profiles::Switcher;
use super::readiness::ReadinessView;
use super::recent::HistoryView;
use super::theme::Theme;

use super::act::SavePrompt;

/// Every overlay, once: its name and the type of its state. The enum, the
/// kinds, the typed lookups and every dispatch below (and the drawing's in
/// `ui`) are generated from this list by the macro handed to it.
macro_rules! registry {
    ($then:ident) => {
        $then! {
            Picker($crate::tui::picker::Picker),
            History($crate::tui::recent::HistoryView),
            /// The profile switcher.
            Profiles($crate::tui::profiles::Switcher),
            Popup($crate::tui::app::Popup),
            Save($crate::tui::act::SavePrompt),
            Password($crate::tui::password::PasswordAsk),
            /// Boxed: it is several times the size of the others.
            Readiness(Box<$crate::tui::readiness::ReadinessView>),
            /// Boxed for the same reason.
            Find(Box<$crate::tui::find::FindView>),
            /// Boxed: its filter and spinner make it large too.
            Health(Box<$crate::tui::health::HealthView>),
        }
    };
}
pub(crate) use registry;

/// One hint on the hint line: the first key in force of each action
/// (joined by `/`) and the label of the first, unless another is given;
/// or a fixed text. An overlay lists its own beside its keys, so a hint
/// cannot promise a key that does nothing there.
pub enum Hint {
    Keys(&'static [Action], Option<&'static str>),
    Text(&'static str, &'static str),
}

/// What an overlay does while it is open, written once beside its state.
/// The functions without `self` act on the whole app (they open and close
/// overlays, set notices, hand out generations); they are called only
/// while this overlay is the one in front (or, for `resized`, open).
pub trait Layer {
    /// Where the binding table looks its keys and the hints' labels up.
    const PLACE: Context;

    /// A key, while it is in front.
    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update;

    /// A bracketed paste, while it is in front: by default it goes nowhere.
    fn paste(_app: &mut App, _text: &str, _now: Instant) -> Update {
        Update::none()
    }

    /// The mouse while it is in front; `clicked` is the row of the
    /// browser's rows it was on. True when that changed what is drawn.
    fn mouse(_app: &mut App, _kind: MouseEventKind, _clicked: Option<usize>) -> bool {
        false
    }

    /// The screen changed size: what it selects stays in sight.
    fn resized(_app: &mut App) {}

    /// True while one of its text fields has the cursor, so a character
    /// key is text.
    fn typing(&self) -> bool {
        false
    }

    /// True while it waits on the network: its spinner needs ticks.
    fn ticking(&self) -> bool {
        false
    }

    /// The spinner's beat; true when that changed what is drawn.
    fn tick(&mut self, _now: Instant) -> bool {
        false
    }

    /// The hint line while it is in front.
    fn hints(&self, app: &App) -> Vec<Hint>;

    /// What the status bar says while it is open (`on_top`: in front);
    /// `None` leaves the bar to what is under it.
    fn status(&self, _app: &App, _on_top: bool, _theme: Theme) -> Option<Said> {
        None
    }
}

/// A boxed overlay is the overlay.
impl<T: Layer> Layer for Box<T> {
    const PLACE: Context = T::PLACE;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        T::key(app, key, now)
    }

    fn paste(app: &mut App, text: &str, now: Instant) -> Update {
        T::paste(app, text, now)
    }

    fn mouse(app: &mut App, kind: MouseEventKind, clicked: Option<usize>) -> bool {
        T::mouse(app, kind, clicked)
    }

    fn resized(app: &mut App) {
        T::resized(app)
    }

    fn typing(&self) -> bool {
        T::typing(self)
    }

    fn ticking(&self) -> bool {
        T::ticking(self)
    }

    fn tick(&mut self, now: Instant) -> bool {
        T::tick(self, now)
    }

    fn hints(&self, app: &App) -> Vec<Hint> {
        T::hints(self, app)
    }

    fn status(&self, app: &App, on_top: bool, theme: Theme) -> Option<Said> {
        T::status(self, app, on_top, theme)
    }
}

/// An overlay's state as one of the stack's: how to find it there.
pub trait Member: Sized {
    const KIND: Kind;
    fn of(overlay: &Overlay) -> Option<&Self>;
    fn of_mut(overlay: &mut Overlay) -> Option<&mut Self>;
}

macro_rules! define {
    ($($(#[$doc:meta])* $name:ident($ty:ty),)*) => {
        /// One open overlay with its state.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Overlay {
            $($(#[$doc])* $name($ty),)*
        }

        /// Which overlay, without its state.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Kind {
            $($name,)*
        }

        $(
            impl Member for $ty {
                const KIND: Kind = Kind::$name;

                fn of(overlay: &Overlay) -> Option<&Self> {
                    match overlay {
                        Overlay::$name(x) => Some(x),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }

                fn of_mut(overlay: &mut Overlay) -> Option<&mut Self> {
                    match overlay {
                        Overlay::$name(x) => Some(x),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }

            impl From<$ty> for Overlay {
                fn from(x: $ty) -> Self {
                    Overlay::$name(x)
                }
            }
        )*

        impl Overlay {
            pub fn kind(&self) -> Kind {
                match self {
                    $(Overlay::$name(_) => Kind::$name,)*
                }
            }

            /// Where the binding table looks its keys up.
            pub fn place(&self) -> Context {
                match self {
                    $(Overlay::$name(_) => <$ty as Layer>::PLACE,)*
                }
            }

            /// See [`Layer::typing`].
            pub fn typing(&self) -> bool {
                match self {
                    $(Overlay::$name(x) => x.typing(),)*
                }
            }

            /// See [`Layer::ticking`].
            pub fn ticking(&self) -> bool {
                match self {
                    $(Overlay::$name(x) => x.ticking(),)*
                }
            }

            /// See [`Layer::tick`].
            pub fn tick(&mut self, now: Instant) -> bool {
                match self {
                    $(Overlay::$name(x) => x.tick(now),)*
                }
            }

            /// See [`Layer::hints`].
            pub fn hints(&self, app: &App) -> Vec<Hint> {
                match self {
                    $(Overlay::$name(x) => x.hints(app),)*
                }
            }

            /// See [`Layer::status`].
            pub fn status(&self, app: &App, on_top: bool, theme: Theme) -> Option<Said> {
                match self {
                    $(Overlay::$name(x) => x.status(app, on_top, theme),)*
                }
            }
        }

        impl Kind {
            /// See [`Layer::key`].
            pub(super) fn key(self, app: &mut App, key: KeySpec, now: Instant) -> Update {
                match self {
                    $(Kind::$name => <$ty as Layer>::key(app, key, now),)*
                }
            }

            /// See [`Layer::paste`].
            pub(super) fn paste(self, app: &mut App, text: &str, now: Instant) -> Update {
                match self {
                    $(Kind::$name => <$ty as Layer>::paste(app, text, now),)*
                }
            }

            /// See [`Layer::mouse`].
            pub(super) fn mouse(
                self,
                app: &mut App,
                kind: MouseEventKind,
                clicked: Option<usize>,
            ) -> bool {
                match self {
                    $(Kind::$name => <$ty as Layer>::mouse(app, kind, clicked),)*
                }
            }

            /// See [`Layer::resized`].
            pub(super) fn resized(self, app: &mut App) {
                match self {
                    $(Kind::$name => <$ty as Layer>::resized(app),)*
                }
            }
        }
    };
}

registry!(define);

/// The open overlays, bottom first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlays(Vec<Overlay>);

impl Overlays {
    /// Opens `overlay` in front of the others. One of the same kind is
    /// replaced (closed first), so no kind is ever open twice.
    pub fn push(&mut self, overlay: impl Into<Overlay>) {
        let overlay = overlay.into();
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
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Overlay> {
        self.0.iter()
    }

    /// Every open overlay, to change (a tick reaches them all).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Overlay> {
        self.0.iter_mut()
    }

    /// Every open overlay, to close them all.
    pub fn take_all(&mut self) -> Vec<Overlay> {
        std::mem::take(&mut self.0)
    }

    /// The open one of type `T`, wherever it is in the stack.
    pub fn get<T: Member>(&self) -> Option<&T> {
        self.0.iter().rev().find_map(T::of)
    }

    /// The open one of type `T`, to change.
    pub fn get_mut<T: Member>(&mut self) -> Option<&mut T> {
        self.0.iter_mut().rev().find_map(T::of_mut)
    }

    /// The open picker.
    pub fn picker(&self) -> Option<&Picker> {
        self.get()
    }

    pub fn picker_mut(&mut self) -> Option<&mut Picker> {
        self.get_mut()
    }

    /// The open history view.
    pub fn history(&self) -> Option<&HistoryView> {
        self.get()
    }

    pub fn history_mut(&mut self) -> Option<&mut HistoryView> {
        self.get_mut()
    }

    /// The open save prompt.
    pub fn save(&self) -> Option<&SavePrompt> {
        self.get()
    }

    pub fn save_mut(&mut self) -> Option<&mut SavePrompt> {
        self.get_mut()
    }

    /// The open password popup.
    pub fn password(&self) -> Option<&PasswordAsk> {
        self.get()
    }

    pub fn password_mut(&mut self) -> Option<&mut PasswordAsk> {
        self.get_mut()
    }

    /// The open readiness view.
    pub fn readiness(&self) -> Option<&ReadinessView> {
        self.get::<Box<ReadinessView>>().map(AsRef::as_ref)
    }

    /// The open readiness view, to change.
    pub fn readiness_mut(&mut self) -> Option<&mut ReadinessView> {
        self.get_mut::<Box<ReadinessView>>().map(AsMut::as_mut)
    }

    /// The open Find overlay.
    pub fn find(&self) -> Option<&FindView> {
        self.get::<Box<FindView>>().map(AsRef::as_ref)
    }

    /// The open Find overlay, to change.
    pub fn find_mut(&mut self) -> Option<&mut FindView> {
        self.get_mut::<Box<FindView>>().map(AsMut::as_mut)
    }

    /// The open popup.
    pub fn popup(&self) -> Option<Popup> {
        self.get().copied()
    }

    /// The profile switcher's row, when it is open.
    pub fn switcher(&self) -> Option<usize> {
        self.get::<Switcher>().map(|s| s.0)
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
        s.push(Switcher(0));
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

    #[test]
    fn each_overlay_is_found_by_its_type() {
        let mut s = Overlays::default();
        s.push(Switcher(2));
        s.push(Box::new(FindView::new()));
        s.push(popup(PopupKind::Messages));
        assert_eq!(s.get::<Switcher>(), Some(&Switcher(2)));
        assert!(s.find().is_some());
        assert!(s.get::<Picker>().is_none());
        assert_eq!(
            s.iter().map(Overlay::place).collect::<Vec<_>>(),
            [Context::Profiles, Context::Find, Context::Popup]
        );
    }
}

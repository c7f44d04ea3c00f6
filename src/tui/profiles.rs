//! Profile switching (`p`): each profile has its own slot (form, result,
//! selection, pickers, lookup in flight); switching shows another slot.

use std::time::Instant;

use crate::fleet::ProfileId;
use crate::keymap::{Action, Context, KeySpec};

use super::app::{App, Lookup};
use super::input::TextField;
use super::msg::{Effect, Update};
use super::overlay::{Hint, Kind, Layer, Overlay};

use Hint::{Keys, Text};

/// The open profile switcher, on this row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switcher(pub usize);

/// A profile as the switcher lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileInfo {
    pub name: String,
    pub region: String,
    pub endpoint_host: String,
    /// `token`, `password`, `aksk` or `sdk`.
    pub auth: String,
    /// Why this profile cannot be used (its client could not be built).
    pub problem: Option<String>,
    /// The thresholds its instances' health is judged by.
    pub health: std::sync::Arc<crate::health::Thresholds>,
}

impl App {
    /// `p`: opens the switcher on the current profile.
    pub(super) fn open_switcher(&mut self) -> Update {
        self.overlays.push(Switcher(self.active));
        Update::redraw()
    }

    /// Keys while the switcher is in front.
    pub(super) fn switcher_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let Some(at) = self.switcher() else {
            return Update::none();
        };
        let last = self.profiles.len().saturating_sub(1);
        let page = self.picker_rows().saturating_sub(1).max(1);
        let action = self.keys.action(Context::Profiles, false, key);
        let next = match super::rows::moved(at, action, page, self.profiles.len()) {
            Some(to) => to,
            None => match action {
                Some(Action::Back) => {
                    self.overlays.remove(Kind::Profiles);
                    return Update::redraw();
                }
                // The switcher lists the profiles in the launch's order, so a
                // row's place is its profile's identity.
                Some(Action::Switch) => return self.switch_to(ProfileId(at), now),
                // A digit picks the profile at that place, as in tmux's choosers.
                None if matches!(key.typed(), Some('1'..='9')) => {
                    let n = key
                        .typed()
                        .and_then(|c| c.to_digit(10))
                        .map_or(usize::MAX, |d| d as usize - 1);
                    if n > last {
                        return Update::none();
                    }
                    return self.switch_to(ProfileId(n), now);
                }
                other => return self.anywhere(other, now),
            },
        };
        if next == at {
            return Update::none();
        }
        if let Some(Overlay::Profiles(Switcher(row))) = self.overlays.top_mut() {
            *row = next;
        }
        Update::redraw()
    }

    /// Leaves every overlay for the main screen showing `profile`, where
    /// a Find result and a Health row land: whatever was open over it
    /// belonged to the screen being left. `Err` carries the effects when
    /// the profile could not be shown (it has a problem, or asks for a
    /// password first): the caller stops there.
    pub(super) fn land_on(
        &mut self,
        profile: ProfileId,
        now: Instant,
    ) -> Result<Vec<Effect>, Vec<Effect>> {
        let mut effects = self.close_health();
        effects.extend(self.close_find());
        effects.extend(self.close_picker());
        effects.extend(self.close_readiness());
        for kind in [Kind::History, Kind::Profiles, Kind::Popup] {
            self.overlays.remove(kind);
        }
        if profile != self.active_id() {
            effects.extend(self.switch_to(profile, now).effects);
            if self.active_id() != profile {
                return Err(effects);
            }
        }
        Ok(effects)
    }

    /// Shows profile `to`. Nothing is copied and nothing stops: the
    /// shown profile's lookup keeps running into its own slot, and `to`'s
    /// slot is shown as it was (a profile shown for the first time starts
    /// with the IDs its last lookup used, from the history).
    pub(super) fn switch_to(&mut self, to: ProfileId, now: Instant) -> Update {
        let Some(target) = self.profiles.get(to.index()).cloned() else {
            return Update::none();
        };
        if let Some(problem) = &target.problem {
            self.notice = Some(format!("Profile {} cannot be used: {problem}", target.name));
            return Update::redraw();
        }
        self.overlays.remove(Kind::Profiles);
        if to == self.active_id() {
            return Update::redraw();
        }
        // The switcher opens only from the list, so no picker is open; if
        // one ever were, it would be closed into this profile's cache.
        let effects = self.close_picker();
        let left = match self.slot().in_flight() {
            Some(query) => format!(
                " · {} keeps looking up {}",
                self.profile().name,
                query.backup
            ),
            None => String::new(),
        };
        self.active = to.index();
        let first_time = !self.slot().visited;
        let remembered = self.last_lookup_of(&target.name);
        let slot = self.slot_mut();
        if first_time && let Some((instance, backup)) = remembered {
            slot.instance = TextField::id(&instance);
            slot.backup = TextField::id(&backup);
        }
        slot.visited = true;
        // Its spinner stood still while it was out of sight.
        if let Lookup::Loading { now: last, .. } = &mut slot.lookup {
            *last = now;
        }
        let waiting = match slot.in_flight() {
            Some(query) => format!(" · still looking up {}", query.backup),
            None => String::new(),
        };
        self.notice = Some(format!(
            "Profile {} · {} · {} auth{waiting}{left}",
            target.name, target.region, target.auth
        ));
        Update::with(effects)
    }
}

/// The profile switcher (`p`).
impl Layer for Switcher {
    const PLACE: Context = Context::Profiles;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        app.switcher_key(key, now)
    }

    fn hints(&self, _app: &App) -> Vec<Hint> {
        use Action as A;
        vec![
            Keys(&[A::Switch], None),
            Text("1-9", "switch to"),
            Keys(&[A::Down, A::Up], Some("move")),
            Keys(&[A::Back], None),
        ]
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::test_support::*;

    fn two_profiles() -> App {
        let mut a = loaded(3);
        a.set_profiles(
            vec![
                profile_info("demo", "cn-north-4", "127.0.0.1:8080", "token"),
                profile_info("demo-eu", "eu-west-101", "127.0.0.1:8080", "aksk"),
                ProfileInfo {
                    problem: Some("cannot read CA file".into()),
                    ..profile_info(
                        "broken",
                        "cn-north-1",
                        "ddm.cn-north-1.myhuaweicloud.com",
                        "token",
                    )
                },
            ],
            0,
        );
        a
    }

    #[test]
    fn switching_keeps_each_profiles_screen_apart() {
        let mut a = two_profiles();
        send(&mut a, ch('j'));
        assert_eq!(a.slot().nodes.selected(), 1);
        send(&mut a, ch('p'));
        assert_eq!(a.switcher(), Some(0));
        send(&mut a, ch('j'));
        let u = send(&mut a, key(KeyCode::Enter));
        assert!(u.effects.is_empty(), "nothing stops, nothing starts");
        assert_eq!(a.profile().name, "demo-eu");
        assert_eq!(a.profile().region, "eu-west-101");
        assert!(a.slot().shown.is_none());
        assert_eq!(a.slot().instance.value(), "");
        assert_eq!(a.slot().lookup, Lookup::Idle);
        // Back: the first profile's backup and selection are still there.
        send(&mut a, ch('x'));
        send(&mut a, key(KeyCode::Esc));
        send(&mut a, ch('p'));
        let u = send(&mut a, ch('1'));
        assert!(u.effects.is_empty());
        assert_eq!(
            a.slot().shown.as_ref().map(|s| s.id.as_str()),
            Some("nodes-br09")
        );
        assert_eq!(a.slot().nodes.selected(), 1);
        assert_eq!(a.profile().name, "demo");
        // And the second one's typed text.
        send(&mut a, ch('p'));
        send(&mut a, ch('2'));
        assert_eq!(a.slot().instance.value(), "x");
    }

    #[test]
    fn a_profile_that_cannot_be_used_is_refused_with_its_reason() {
        let mut a = two_profiles();
        send(&mut a, ch('p'));
        let u = send(&mut a, ch('3'));
        assert!(u.effects.is_empty());
        assert_eq!(a.profile().name, "demo");
        assert!(
            a.notice
                .as_deref()
                .unwrap_or("")
                .contains("cannot read CA file")
        );
        assert!(a.switcher().is_some(), "the switcher stays open");
    }
}

//! Profile switching (`p`): each profile keeps its own form, result,
//! selection and pickers while another one is shown.

use std::time::Instant;

use crate::api;
use crate::keymap::{Action, Context, KeySpec};

use super::app::{App, BackupSummary, Focus, Lookup};
use super::input::TextField;
use super::msg::{Effect, Query, Update};
use super::overlay::{Kind, Overlay};
use super::picker::{PickRow, Picker};
use super::rows::NodeList;

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
}

/// One profile's share of the screen, parked while another is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    pub instance: TextField,
    pub backup: TextField,
    pub filter: TextField,
    pub focus: Focus,
    pub lookup: Lookup,
    pub shown: Option<BackupSummary>,
    pub nodes: NodeList,
    pub last_query: Option<Query>,
    pub last_error: Option<api::Error>,
    pub picker_cache: Vec<Picker>,
    pub picked: Option<PickRow>,
}

impl Workspace {
    /// A new profile's screen: the form holds `instance` and `backup`.
    pub fn fresh(instance: &str, backup: &str) -> Self {
        Workspace {
            instance: TextField::id(instance),
            backup: TextField::id(backup),
            filter: TextField::default(),
            focus: Focus::Instance,
            lookup: Lookup::Idle,
            shown: None,
            nodes: NodeList::default(),
            last_query: None,
            last_error: None,
            picker_cache: Vec::new(),
            picked: None,
        }
    }
}

impl App {
    /// Takes the shown profile's screen out of the app.
    fn park(&mut self) -> Workspace {
        Workspace {
            instance: std::mem::take(&mut self.instance),
            backup: std::mem::take(&mut self.backup),
            filter: std::mem::take(&mut self.filter),
            focus: self.focus,
            lookup: std::mem::replace(&mut self.lookup, Lookup::Idle),
            shown: self.shown.take(),
            nodes: std::mem::take(&mut self.nodes),
            last_query: self.last_query.take(),
            last_error: self.last_error.take(),
            picker_cache: std::mem::take(&mut self.picker_cache),
            picked: self.picked.take(),
        }
    }

    /// Puts a profile's screen back.
    fn unpark(&mut self, ws: Workspace) {
        self.instance = ws.instance;
        self.backup = ws.backup;
        self.filter = ws.filter;
        self.focus = ws.focus;
        self.lookup = ws.lookup;
        self.shown = ws.shown;
        self.nodes = ws.nodes;
        self.last_query = ws.last_query;
        self.last_error = ws.last_error;
        self.picker_cache = ws.picker_cache;
        self.picked = ws.picked;
        // The terminal may have been resized while it was parked.
        let rows = self.list_rows();
        self.nodes.scroll_into_view(rows);
    }

    /// `p`: opens the switcher on the current profile.
    pub(super) fn open_switcher(&mut self) -> Update {
        self.overlays.push(Overlay::Profiles(self.active));
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
        let next = match action {
            Some(Action::Back) => {
                self.overlays.remove(Kind::Profiles);
                return Update::redraw();
            }
            Some(Action::Switch) => return self.switch_to(at, now),
            Some(Action::Down) => (at + 1).min(last),
            Some(Action::Up) => at.saturating_sub(1),
            Some(Action::PageDown) => at.saturating_add(page).min(last),
            Some(Action::PageUp) => at.saturating_sub(page),
            Some(Action::HalfPageDown) => at.saturating_add(page / 2).min(last),
            Some(Action::HalfPageUp) => at.saturating_sub(page / 2),
            Some(Action::First) => 0,
            Some(Action::Last) => last,
            // A digit picks the profile at that place, as in tmux's choosers.
            None if matches!(key.typed(), Some('1'..='9')) => {
                let n = key
                    .typed()
                    .and_then(|c| c.to_digit(10))
                    .map_or(usize::MAX, |d| d as usize - 1);
                if n > last {
                    return Update::none();
                }
                return self.switch_to(n, now);
            }
            other => return self.anywhere(other),
        };
        if next == at {
            return Update::none();
        }
        if let Some(Overlay::Profiles(row)) = self.overlays.top_mut() {
            *row = next;
        }
        Update::redraw()
    }

    /// Shows profile `to`: what is in flight for the current one stops, its
    /// screen is parked, and `to`'s comes back (or starts with the last IDs
    /// it used).
    pub(super) fn switch_to(&mut self, to: usize, now: Instant) -> Update {
        let Some(target) = self.profiles.get(to).cloned() else {
            return Update::none();
        };
        if let Some(problem) = &target.problem {
            self.notice = Some(format!("Profile {} cannot be used: {problem}", target.name));
            return Update::redraw();
        }
        self.overlays.remove(Kind::Profiles);
        if to == self.active {
            return Update::redraw();
        }
        let mut effects = self.cancel(now);
        effects.extend(self.close_picker());
        let parked = self.park();
        if let Some(slot) = self.parked.get_mut(self.active) {
            *slot = Some(parked);
        }
        let next = match self.parked.get_mut(to).and_then(Option::take) {
            Some(ws) => ws,
            None => self.fresh_workspace(&target.name),
        };
        self.unpark(next);
        self.active = to;
        self.notice = Some(format!(
            "Profile {} · {} · {} auth",
            target.name, target.region, target.auth
        ));
        effects.push(Effect::UseProfile(to));
        Update::with(effects)
    }

    /// The screen of a profile shown for the first time: the form holds
    /// the IDs its last lookup used, from the history.
    fn fresh_workspace(&self, profile: &str) -> Workspace {
        match self.last_lookup_of(profile) {
            Some((instance, backup)) => Workspace::fresh(&instance, &backup),
            None => Workspace::fresh("", ""),
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::test_support::*;

    fn two_profiles() -> App {
        let mut a = loaded(3);
        a.profiles = vec![
            ProfileInfo {
                name: "demo".into(),
                region: "cn-north-4".into(),
                endpoint_host: "127.0.0.1:8080".into(),
                auth: "token".into(),
                problem: None,
            },
            ProfileInfo {
                name: "demo-eu".into(),
                region: "eu-west-101".into(),
                endpoint_host: "127.0.0.1:8080".into(),
                auth: "aksk".into(),
                problem: None,
            },
            ProfileInfo {
                name: "broken".into(),
                region: "cn-north-1".into(),
                endpoint_host: "ddm.cn-north-1.myhuaweicloud.com".into(),
                auth: "token".into(),
                problem: Some("cannot read CA file".into()),
            },
        ];
        a.parked = vec![None, None, None];
        a
    }

    #[test]
    fn switching_keeps_each_profiles_screen_apart() {
        let mut a = two_profiles();
        send(&mut a, ch('j'));
        assert_eq!(a.nodes.selected(), 1);
        send(&mut a, ch('p'));
        assert_eq!(a.switcher(), Some(0));
        send(&mut a, ch('j'));
        let u = send(&mut a, key(KeyCode::Enter));
        assert_eq!(u.effects, vec![Effect::UseProfile(1)]);
        assert_eq!(a.profile().name, "demo-eu");
        assert_eq!(a.profile().region, "eu-west-101");
        assert!(a.shown.is_none());
        assert_eq!(a.instance.value(), "");
        assert_eq!(a.lookup, Lookup::Idle);
        // Back: the first profile's backup and selection are still there.
        send(&mut a, ch('x'));
        send(&mut a, key(KeyCode::Esc));
        send(&mut a, ch('p'));
        let u = send(&mut a, ch('1'));
        assert_eq!(u.effects, vec![Effect::UseProfile(0)]);
        assert_eq!(a.shown.as_ref().map(|s| s.id.as_str()), Some("nodes-br09"));
        assert_eq!(a.nodes.selected(), 1);
        assert_eq!(a.profile().name, "demo");
        // And the second one's typed text.
        send(&mut a, ch('p'));
        send(&mut a, ch('2'));
        assert_eq!(a.instance.value(), "x");
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

    #[test]
    fn switching_away_cancels_the_lookup_in_flight() {
        let (mut a, _) = submitted();
        a.profiles = two_profiles().profiles;
        a.parked = vec![None, None, None];
        send(&mut a, ch('p'));
        let u = send(&mut a, ch('2'));
        assert_eq!(
            u.effects,
            vec![Effect::Cancel { generation: 1 }, Effect::UseProfile(1)]
        );
        // The new profile's form has the focus: Esc leaves it first.
        send(&mut a, key(KeyCode::Esc));
        send(&mut a, ch('p'));
        send(&mut a, ch('1'));
        assert!(matches!(a.lookup, Lookup::Cancelled { .. }));
        // Its late answer is dropped.
        let late = send(&mut a, fetched(1, ok("nodes-br09", 2)));
        assert!(!late.redraw);
    }
}

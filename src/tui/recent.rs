//! The lookup history in the app: recording each finished lookup, the
//! Ctrl-R view over it, and the last IDs a profile used. The file itself
//! is `crate::history`'s business; the loop reads and writes it off the
//! UI thread.

use std::time::Instant;

use crossterm::event::MouseEventKind;

use crate::api::{self, BackupDetail, Fetched};
use crate::history::{self, Entry, Outcome};
use crate::keymap::{Action, Context, KeySpec};

use super::act::Clip;
use super::app::App;
use super::input::TextField;
use super::list_keys::FilteredList;
use super::msg::{Effect, Query, Update};
use super::overlay::{Hint, Kind, Layer, Overlay};

use super::listings::Listed;
use super::picker::PickerKind;
use super::rows::{Keyed, Rows};
use super::slot::Slot;
use Hint::{Keys, Text};

impl Keyed for Entry {
    fn key(&self) -> String {
        format!(
            "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
            self.backup_name, self.backup_id, self.instance_name, self.instance_id, self.profile
        )
    }
}

/// The open history view.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryView {
    pub rows: Rows<Entry>,
    pub filter: TextField,
    /// The filter takes the keys.
    pub typing: bool,
}

impl App {
    /// How many history rows fit on screen now (the pickers' area).
    pub fn history_rows(&self) -> usize {
        self.picker_rows()
    }

    /// The IDs of `profile`'s last lookup, for a form that starts empty.
    pub fn last_lookup_of(&self, profile: &str) -> Option<(String, String)> {
        history::last_for(&self.history, profile)
            .map(|e| (e.instance_id.clone(), e.backup_id.clone()))
    }

    /// Ctrl-R: the history, newest first; the file is read again so other
    /// panes' lookups show up too.
    pub(super) fn open_history(&mut self) -> Update {
        // It replaces whatever was open.
        let mut effects = self.close_picker();
        effects.extend(self.close_readiness());
        for closed in self.overlays.take_all() {
            if let Overlay::Save(_) = closed {
                self.notice = Some("Not saved".into());
            }
        }
        self.overlays.push(Overlay::History(HistoryView {
            rows: Rows::new(self.history.clone()),
            filter: TextField::default(),
            typing: false,
        }));
        effects.push(Effect::LoadHistory);
        Update::with(effects)
    }

    /// The history read at launch: kept, and when the form is empty it
    /// starts with the last IDs this profile used.
    pub fn restore_history(&mut self, loaded: history::Loaded) {
        if let Some(warning) = loaded.warning {
            self.notice = Some(warning);
        }
        self.history = loaded.entries;
        if self.slot().instance.value().is_empty()
            && self.slot().backup.value().is_empty()
            && let Some((instance, backup)) = self.last_lookup_of(&self.profile().name)
        {
            let slot = self.slot_mut();
            slot.instance = TextField::id(&instance);
            slot.backup = TextField::id(&backup);
        }
    }

    /// The history as read or merged from the file. It is joined with what
    /// the app has (answers can arrive out of order; none may lose an
    /// entry).
    pub(super) fn on_history(&mut self, loaded: Result<history::Loaded, String>) -> Update {
        match loaded {
            Ok(loaded) => {
                if let Some(warning) = loaded.warning {
                    self.notice = Some(warning);
                }
                let joined = join(&loaded.entries, &self.history);
                if joined == self.history {
                    return Update {
                        effects: Vec::new(),
                        redraw: self.notice.is_some(),
                    };
                }
                self.history = joined;
                let view_rows = self.history_rows();
                if let Some(view) = self.overlays.history_mut() {
                    // A selection the operator moved stays on its entry; one
                    // still at the top stays at the top (the newest).
                    let keep = view
                        .rows
                        .selected_item()
                        .filter(|_| view.rows.selected() > 0)
                        .cloned();
                    view.rows = Rows::new(self.history.clone());
                    view.rows.set_filter(view.filter.value(), view_rows);
                    if let Some(keep) = keep {
                        let at = view.rows.find(|e| *e == keep);
                        view.rows.select(at.unwrap_or(0), view_rows);
                    }
                }
            }
            Err(problem) => self.notice = Some(problem),
        }
        Update::redraw()
    }

    /// What the history keeps of a lookup of `profile` that finished
    /// into `slot` (not always the shown one).
    pub(super) fn history_entry(
        &self,
        profile: &str,
        id: crate::fleet::ProfileId,
        slot: &Slot,
        query: Query,
        result: &Result<Fetched<BackupDetail>, api::Error>,
        clock: jiff::Timestamp,
    ) -> crate::history::Entry {
        let (instance_name, backup_name, outcome) = match result {
            Ok(f) => (
                f.value.instance_name.clone(),
                f.value.name.clone(),
                Outcome::Ok {
                    nodes: f.value.related_data_nodes.len(),
                },
            ),
            // A failed lookup keeps the names the pickers showed, if any.
            Err(error) => (
                self.listings
                    .of(id)
                    .filter_map(|(_, listed)| match listed {
                        Listed::Picker(p) if p.kind == PickerKind::Instances => Some(&**p),
                        _ => None,
                    })
                    .flat_map(|p| p.rows.all())
                    .find(|r| r.id == query.instance)
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                slot.picked
                    .as_ref()
                    .filter(|r| r.id == query.backup)
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                Outcome::Failed {
                    summary: error.short_line(),
                },
            ),
        };
        Entry {
            profile: profile.to_string(),
            instance_id: query.instance,
            instance_name,
            backup_id: query.backup,
            backup_name,
            at: Entry::timestamp(clock),
            outcome,
        }
    }

    /// Records a finished lookup: at once in memory, then in the file.
    pub(super) fn remember(&mut self, entry: Entry) -> Effect {
        self.history = join(std::slice::from_ref(&entry), &self.history);
        Effect::Remember(entry)
    }

    /// The history view's rows, filter and typing flag as one list.
    pub(super) fn history_list(&mut self) -> Option<FilteredList<'_, Entry>> {
        self.overlays.history_mut().map(|v| FilteredList {
            rows: &mut v.rows,
            filter: &mut v.filter,
            typing: &mut v.typing,
        })
    }

    /// Keys while the history is in front.
    pub(super) fn history_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let view_rows = self.history_rows();
        let typing = self.history_view().is_some_and(|v| v.typing);
        let action = self.keys.action(Context::History, typing, key);
        if let Some(redraw) = self
            .history_list()
            .and_then(|mut l| l.key(action, key, view_rows))
        {
            return Update {
                effects: Vec::new(),
                redraw,
            };
        }
        match action {
            Some(Action::Rerun) => self.rerun(now),
            Some(Action::Back) => {
                self.overlays.remove(Kind::History);
                Update::redraw()
            }
            Some(Action::CopyId) => {
                let id = self
                    .history_view()
                    .and_then(|v| v.rows.selected_item())
                    .map(|e| e.backup_id.clone());
                self.copy(Clip::Id, id, "backup ID", "No lookup selected to copy")
            }
            // A digit repeats the lookup at that place among the rows
            // shown, as the switcher's digits switch (typing: it filters).
            None if !typing && matches!(key.typed(), Some('1'..='9')) => {
                let at = key
                    .typed()
                    .and_then(|c| c.to_digit(10))
                    .map_or(usize::MAX, |d| d as usize - 1);
                let Some(view) = self.overlays.history_mut() else {
                    return Update::none();
                };
                if at >= view.rows.shown() {
                    return Update::none();
                }
                view.rows.select(at, view_rows);
                self.rerun(now)
            }
            other => self.anywhere(other, now),
        }
    }

    /// A paste while the history is open goes into its filter.
    pub(super) fn history_paste(&mut self, text: &str) -> Update {
        let view_rows = self.history_rows();
        match self.history_list() {
            Some(mut list) => {
                let pasted = list.paste(text, view_rows);
                self.pasted(pasted)
            }
            None => Update::none(),
        }
    }

    /// Enter in the history: the lookup again, in the profile it was made
    /// with.
    fn rerun(&mut self, now: Instant) -> Update {
        let Some(entry) = self
            .history_view()
            .and_then(|v| v.rows.selected_item())
            .cloned()
        else {
            self.notice = Some("No lookup selected".into());
            return Update::redraw();
        };
        let mut effects = Vec::new();
        if entry.profile != self.profile().name {
            let Some(index) = self.profiles.iter().position(|p| p.name == entry.profile) else {
                self.notice = Some(format!(
                    "Profile {} is not in this configuration; the lookup was not repeated",
                    entry.profile
                ));
                return Update::redraw();
            };
            let id = crate::fleet::ProfileId(index);
            let switched = self.switch_to(id, now);
            if self.active_id() != id {
                // Refused (the profile cannot be used); the notice says why.
                return switched;
            }
            effects.extend(switched.effects);
        }
        self.overlays.remove(Kind::History);
        let slot = self.slot_mut();
        slot.instance = TextField::id(&entry.instance_id);
        slot.backup = TextField::id(&entry.backup_id);
        // Checked like typed IDs: the file is not trusted.
        effects.extend(self.submit(now));
        Update::with(effects)
    }
}

/// Both histories in one, newest first: one entry per (profile, instance,
/// backup), the newest, at most `MAX_ENTRIES`.
fn join(a: &[Entry], b: &[Entry]) -> Vec<Entry> {
    history::newest_distinct(a.iter().chain(b).cloned().collect())
}

/// What a history row says about how the lookup ended.
pub fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok { nodes: 1 } => "✓ 1 node".into(),
        Outcome::Ok { nodes } => format!("✓ {nodes} nodes"),
        Outcome::Failed { summary } => format!("✗ {summary}"),
    }
}

/// The history view (Ctrl-R): a filtered list like the pickers'.
impl Layer for HistoryView {
    const PLACE: Context = Context::History;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        app.history_key(key, now)
    }

    fn paste(app: &mut App, text: &str, _now: Instant) -> Update {
        app.history_paste(text)
    }

    fn mouse(app: &mut App, kind: MouseEventKind, clicked: Option<usize>) -> bool {
        let view = app.picker_rows();
        app.history_list()
            .is_some_and(|mut l| l.mouse(kind, clicked, view))
    }

    fn resized(app: &mut App) {
        let view = app.picker_rows();
        if let Some(history) = app.overlays.history_mut() {
            history.rows.scroll_into_view(view);
        }
    }

    fn typing(&self) -> bool {
        self.typing
    }

    fn hints(&self, _app: &App) -> Vec<Hint> {
        use Action as A;
        if self.typing {
            return vec![
                Text("type", "to filter"),
                Keys(&[A::Rerun], Some("look up")),
                Keys(&[A::KeepFilter], None),
                Keys(&[A::Back], Some("clear")),
            ];
        }
        // With no row shown only the filter and closing act.
        if self.rows.shown() == 0 {
            return vec![Keys(&[A::Filter], None), Keys(&[A::Back], None)];
        }
        vec![
            Keys(&[A::Rerun], None),
            Text("1-9", "look up Nth"),
            Keys(&[A::Down, A::Up], Some("move")),
            Keys(&[A::Filter], None),
            Keys(&[A::CopyId], None),
            Keys(&[A::Back], None),
        ]
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::msg::Msg;
    use crate::tui::test_support::*;

    fn entry(profile: &str, backup: &str, at: &str) -> Entry {
        Entry {
            profile: profile.into(),
            instance_id: "demo-in09".into(),
            instance_name: String::new(),
            backup_id: backup.into(),
            backup_name: String::new(),
            at: at.into(),
            outcome: Outcome::Ok { nodes: 1 },
        }
    }

    #[test]
    fn a_finished_lookup_is_remembered_once_per_backup() {
        let (mut a, _) = submitted();
        let u = send(&mut a, fetched(1, ok("nodes-br09", 2)));
        let [Effect::Remember(e)] = &u.effects[..] else {
            panic!("{:?}", u.effects);
        };
        assert_eq!(e.at, "2026-11-27T14:02:31Z");
        assert_eq!(e.outcome, Outcome::Ok { nodes: 2 });
        assert_eq!(e.backup_name, "nodes-br09-name");
        send(&mut a, ch('r'));
        let u = send(&mut a, fetched(2, Err(api_error(404))));
        assert!(matches!(&u.effects[..], [Effect::Remember(e)]
            if matches!(&e.outcome, Outcome::Failed { summary } if summary.contains("404"))));
        assert_eq!(a.history.len(), 1, "the same backup keeps one entry");
    }

    #[test]
    fn answers_from_the_file_are_joined_not_replacing() {
        let mut a = app();
        a.history = vec![entry("demo", "mine-br09", "2026-11-27T10:00:00Z")];
        let other_pane = history::Loaded {
            entries: vec![entry("demo", "theirs-br09", "2026-11-27T09:00:00Z")],
            warning: None,
        };
        send(&mut a, Msg::History(Ok(other_pane)));
        let ids: Vec<&str> = a.history.iter().map(|e| e.backup_id.as_str()).collect();
        assert_eq!(ids, ["mine-br09", "theirs-br09"]);
        send(
            &mut a,
            Msg::History(Ok(history::Loaded {
                entries: Vec::new(),
                warning: Some("history.json was damaged; set aside".into()),
            })),
        );
        assert!(a.notice.as_deref().unwrap_or("").contains("damaged"));
        assert_eq!(a.history.len(), 2);
    }

    #[test]
    fn the_form_starts_with_the_profiles_last_ids_but_does_not_look_them_up() {
        let mut a = app();
        a.restore_history(history::Loaded {
            entries: vec![
                entry("other", "x-br09", "2026-11-27T11:00:00Z"),
                entry("demo", "nodes-br09", "2026-11-27T10:00:00Z"),
            ],
            warning: None,
        });
        assert_eq!(a.slot().backup.value(), "nodes-br09");
        assert!(a.start(Instant::now()).is_empty());
    }

    #[test]
    fn enter_in_the_history_repeats_the_lookup_and_filters_narrow_it() {
        let mut a = app();
        a.history = vec![
            entry("demo", "a-br09", "2026-11-27T11:00:00Z"),
            entry("demo", "b-br09", "2026-11-27T10:00:00Z"),
            entry("gone", "c-br09", "2026-11-27T09:00:00Z"),
        ];
        let u = send(&mut a, ctrl('r'));
        assert!(u.effects.contains(&Effect::LoadHistory));
        send(&mut a, ch('/'));
        type_str(&mut a, "c-br");
        send(&mut a, key(KeyCode::Enter));
        assert!(a.notice.as_deref().unwrap_or("").contains("Profile gone"));
        // Clearing the filter keeps the selection on c-br09; one up is b.
        send(&mut a, key(KeyCode::Esc));
        send(&mut a, ch('k'));
        let u = send(&mut a, key(KeyCode::Enter));
        assert!(a.history_view().is_none());
        assert!(
            u.effects
                .iter()
                .any(|e| matches!(e, Effect::Fetch { query, .. }
            if query.backup == "b-br09"))
        );
    }

    #[test]
    fn entries_from_another_pane_keep_the_view_on_the_newest_unless_moved() {
        let mut a = app();
        a.history = vec![entry("demo", "mine-br09", "2026-11-27T10:00:00Z")];
        send(&mut a, ctrl('r'));
        let newer = history::Loaded {
            entries: vec![entry("demo", "theirs-br09", "2026-11-27T11:00:00Z")],
            warning: None,
        };
        send(&mut a, Msg::History(Ok(newer)));
        let view = a.history_view().expect("open");
        assert_eq!(
            view.rows.selected_item().map(|e| e.backup_id.as_str()),
            Some("theirs-br09")
        );
        send(&mut a, ch('j'));
        let later = history::Loaded {
            entries: vec![entry("demo", "third-br09", "2026-11-27T12:00:00Z")],
            warning: None,
        };
        send(&mut a, Msg::History(Ok(later)));
        let view = a.history_view().expect("open");
        assert_eq!(
            view.rows.selected_item().map(|e| e.backup_id.as_str()),
            Some("mine-br09")
        );
    }
}

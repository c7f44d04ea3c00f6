//! Acting on the shown backup: copying IDs and the whole backup, saving it
//! to a file, and the related node's popup.

use std::path::PathBuf;
use std::time::Instant;

use crate::api::BackupDetail;
use crate::keymap::{Action, Context, KeySpec};
use crate::{export, ids, terminal_text};

use super::app::{App, PopupKind};
use super::clipboard;
use super::input::TextField;
use super::msg::{Effect, SaveProblem, Update};
use super::overlay::{Hint, Kind, Layer, Overlay};

use Hint::{Keys, Text};

/// The save prompt (`s`).
#[derive(Debug, Clone, PartialEq)]
pub struct SavePrompt {
    pub backup_id: String,
    /// The JSON, made when the prompt opened, so a lookup that ends
    /// meanwhile cannot change what is saved.
    pub json: String,
    pub path: TextField,
    /// This file exists: `y` replaces it (this path, even if the field
    /// changed), anything else goes back to the path.
    pub confirm: Option<PathBuf>,
    /// A save is running: keys wait for its answer.
    pub pending: bool,
}

/// What a copy holds, which decides the check it passes before it leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Clip {
    /// An ID: copied only when it passes the ID rule.
    Id,
    /// A name: copied through the terminal-safe filter.
    Name,
    /// JSON made by `output::write_json`, which escapes every unsafe character.
    Json,
}

impl App {
    /// The shown backup as `show --output json` prints it.
    pub fn backup_json(&self) -> Option<String> {
        let shown = self.slot().shown.as_ref()?;
        let detail = BackupDetail {
            id: shown.id.clone(),
            name: shown.name.clone(),
            instance_id: shown.instance_id.clone(),
            instance_name: shown.instance_name.clone(),
            related_data_nodes: self.slot().nodes.all().to_vec(),
            nodes_cut: shown.nodes_cut,
        };
        let mut out = Vec::new();
        crate::output::write_json(&mut out, &detail).ok()?;
        String::from_utf8(out).ok()
    }

    /// `y` in the list: the selected node's ID, else the backup's ID.
    pub(super) fn copy_id(&mut self) -> Update {
        if let Some(node) = self.slot().nodes.selected_item() {
            let id = node.instance_id.clone();
            return self.copy(Clip::Id, Some(id), "data node ID", "");
        }
        let id = self.slot().shown.as_ref().map(|s| s.id.clone());
        self.copy(
            Clip::Id,
            id,
            "backup ID",
            "Nothing to copy yet: look a backup up first",
        )
    }

    /// `Y`: the whole backup as JSON, unless it is too big for a terminal
    /// clipboard (then `s` saves it).
    pub(super) fn copy_backup(&mut self) -> Update {
        let Some(json) = self.backup_json() else {
            self.notice = Some("Nothing to copy yet: look a backup up first".into());
            return Update::redraw();
        };
        let what = format!("backup JSON ({} nodes)", self.slot().nodes.total());
        self.copy(Clip::Json, Some(json), &what, "")
    }

    /// Copies `text` (by OSC 52, and into tmux's buffer inside tmux) and
    /// says what was sent; text over the clipboard limit is not sent and
    /// `s` is suggested. `none` is the notice when there is nothing.
    ///
    /// Every copy ends up pasted somewhere, often a shell, and most of what
    /// is copied came from the server: an ID is copied only when it passes
    /// the ID rule, a name only after the terminal-safe filter, and JSON
    /// arrives already escaped by `output::write_json`.
    pub(super) fn copy(
        &mut self,
        kind: Clip,
        text: Option<String>,
        what: &str,
        none: &str,
    ) -> Update {
        let text = match kind {
            Clip::Name => text.map(|t| terminal_text::sanitize(&t)),
            Clip::Id | Clip::Json => text,
        };
        let Some(text) = text.filter(|t| !t.is_empty()) else {
            self.notice = Some(if none.is_empty() {
                format!("This {what} is empty: nothing to copy")
            } else {
                none.into()
            });
            return Update::redraw();
        };
        if kind == Clip::Id
            && let Some(problem) = ids::id_problem(&text)
        {
            self.notice = Some(format!("Not copied: this {what} {problem}"));
            return Update::redraw();
        }
        match clipboard::check(&text) {
            Ok(()) => {}
            Err(clipboard::Refused::TooLarge { .. }) => {
                self.notice = Some(format!(
                    "Not copied: the {what} is {}, over the {} clipboard limit · s saves the backup to a file",
                    size_of(&text),
                    crate::shown::size::bytes(crate::api::Bytes(clipboard::MAX_COPY_BYTES as u64)),
                ));
                return Update::redraw();
            }
            Err(refused @ clipboard::Refused::Unsafe { .. }) => {
                self.notice = Some(format!("The {what} was {refused}"));
                return Update::redraw();
            }
        }
        // An ID is shown as sent; anything longer by its size.
        let shown = if text.len() <= 80 && !text.contains('\n') {
            text.clone()
        } else {
            size_of(&text)
        };
        self.notice = Some(format!("Copied {what} {shown}{}", self.copy_route()));
        Update::with(vec![Effect::Copy(text)])
    }

    /// Where a copy goes, for the status bar.
    pub(super) fn copy_route(&self) -> &'static str {
        if self.in_tmux {
            " · via OSC 52 and the tmux buffer"
        } else {
            " · via OSC 52"
        }
    }

    /// `s`: asks where to save the shown backup.
    pub(super) fn open_save(&mut self) -> Update {
        let (Some(shown), Some(json)) = (self.slot().shown.as_ref(), self.backup_json()) else {
            self.notice = Some("Nothing to save yet: look a backup up first".into());
            return Update::redraw();
        };
        let path = export::default_path(&shown.id);
        let prompt = SavePrompt {
            backup_id: shown.id.clone(),
            json,
            path: TextField::new(&path.display().to_string()),
            confirm: None,
            pending: false,
        };
        self.overlays.push(Overlay::Save(prompt));
        Update::redraw()
    }

    /// Keys while the save prompt is in front.
    pub(super) fn save_key(&mut self, key: KeySpec, now: Instant) -> Update {
        let asking = self.save().is_some_and(|p| p.confirm.is_some());
        // While asking whether to replace, characters answer, not type.
        let action = self.keys.action(Context::Save, !asking, key);
        let Some(Overlay::Save(prompt)) = self.overlays.top_mut() else {
            return Update::none();
        };
        if prompt.pending {
            // Ctrl-R still leaves; the answer then goes to the status bar.
            if action == Some(Action::History) {
                return self.anywhere(action, now);
            }
            // The file is being written; what it answers decides what next.
            self.notice = Some("Saving…".into());
            return Update::redraw();
        }
        if let Some(existing) = prompt.confirm.take() {
            return match action {
                Some(Action::Replace) => {
                    prompt.pending = true;
                    Update::with(vec![save_effect(prompt, existing, true)])
                }
                _ => {
                    self.notice = Some("Not replaced: edit the path, or Esc".into());
                    Update::redraw()
                }
            };
        }
        match action {
            Some(Action::Back) => {
                self.overlays.remove(Kind::Save);
                self.notice = Some("Not saved".into());
                Update::redraw()
            }
            Some(Action::Submit) if prompt.path.value().trim().is_empty() => {
                self.notice = Some("Type a file name".into());
                Update::redraw()
            }
            Some(Action::Submit) => {
                prompt.pending = true;
                let path = PathBuf::from(prompt.path.value().trim());
                Update::with(vec![save_effect(prompt, path, false)])
            }
            _ if prompt.path.apply(action, key) => Update::redraw(),
            other => self.anywhere(other, now),
        }
    }

    /// The answer to a save.
    pub(super) fn on_saved(&mut self, result: Result<PathBuf, SaveProblem>) -> Update {
        let Some(prompt) = self.overlays.save_mut() else {
            // The prompt was closed (Ctrl-R) while the file was written.
            self.notice = Some(match result {
                Ok(path) => format!("Saved to {}", path.display()),
                Err(SaveProblem::Exists(path)) => {
                    format!("Not saved: {} exists", path.display())
                }
                Err(SaveProblem::Failed(why)) => format!("Not saved: {why}"),
            });
            return Update::redraw();
        };
        prompt.pending = false;
        match result {
            Ok(path) => {
                self.notice = Some(format!(
                    "Saved backup {} to {} ({})",
                    prompt.backup_id,
                    path.display(),
                    size_of(&prompt.json)
                ));
                self.overlays.remove(Kind::Save);
            }
            Err(SaveProblem::Exists(path)) => {
                self.notice = Some(format!("{} exists. Replace it? y/n", path.display()));
                prompt.confirm = Some(path);
            }
            Err(SaveProblem::Failed(why)) => {
                self.notice = Some(format!("Not saved: {why}"));
            }
        }
        Update::redraw()
    }

    /// Enter on a node: its fields in a popup with copy keys.
    pub(super) fn open_node(&mut self) -> Update {
        if self.slot().nodes.selected_item().is_none() {
            return Update::none();
        }
        self.open(PopupKind::Node)
    }

    /// The shown backup's fields whole, for when the detail pane had to
    /// cut one.
    pub(super) fn open_fields(&mut self) -> Update {
        if self.slot().shown.is_none() {
            self.notice = Some("No backup shown yet: look one up first".into());
            return Update::redraw();
        }
        self.open(PopupKind::Backup)
    }

    /// Copying the backup's ID or name in its fields popup.
    pub(super) fn fields_popup_key(&mut self, action: Action) -> Option<Update> {
        let shown = self.slot().shown.clone()?;
        match action {
            Action::CopyId => Some(self.copy(Clip::Id, Some(shown.id), "backup ID", "")),
            Action::CopyName => Some(self.copy(
                Clip::Name,
                Some(shown.name),
                "backup name",
                "This backup has no name to copy",
            )),
            _ => None,
        }
    }

    /// Copying the ID or the name in the node popup.
    pub(super) fn node_popup_key(&mut self, action: Action) -> Option<Update> {
        let node = self.slot().nodes.selected_item()?.clone();
        match action {
            Action::CopyId => Some(self.copy(Clip::Id, Some(node.instance_id), "data node ID", "")),
            Action::CopyName => Some(self.copy(
                Clip::Name,
                Some(node.instance_name),
                "data node name",
                "This node has no name to copy",
            )),
            _ => None,
        }
    }
}

/// A payload's size as people read it, on the one ladder (`512 B`).
pub fn size_of(text: &str) -> String {
    crate::shown::size::bytes(crate::api::Bytes(text.len() as u64))
}

fn save_effect(prompt: &SavePrompt, path: PathBuf, overwrite: bool) -> Effect {
    Effect::Save {
        path,
        contents: prompt.json.clone(),
        overwrite,
    }
}

/// The save prompt: a path to type, then, when the file is there, a
/// question that any key answers.
impl Layer for SavePrompt {
    const PLACE: Context = Context::Save;

    fn key(app: &mut App, key: KeySpec, now: Instant) -> Update {
        app.save_key(key, now)
    }

    fn paste(app: &mut App, text: &str, _now: Instant) -> Update {
        let Some(prompt) = app.overlays.save_mut() else {
            return Update::none();
        };
        let pasted = prompt.path.paste(text);
        app.pasted(pasted)
    }

    fn typing(&self) -> bool {
        self.confirm.is_none()
    }

    fn hints(&self, _app: &App) -> Vec<Hint> {
        use Action as A;
        if self.confirm.is_some() {
            return vec![
                Keys(&[A::Replace], None),
                Text("any key", "keep it"),
                Keys(&[A::Quit], None),
            ];
        }
        vec![
            Text("type", "the file name"),
            Keys(&[A::Submit], None),
            Keys(&[A::Back], None),
            Keys(&[A::DeleteToStart], None),
        ]
    }
}

#[cfg(test)]
#[path = "act_tests.rs"]
mod tests;

//! The Find overlay's state: the text typed, the search's progress and the
//! selected result. Plain data; `App` changes it in `find/mod.rs`.

use std::time::Instant;

use crate::api;
use crate::auth::AuthError;
use crate::find::{Cut, Found, ProfileProgress, Progress, State};
use crate::keymap::Action;

use super::super::input::TextField;

/// The open Find overlay.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindView {
    /// What is searched for.
    pub text: TextField,
    /// Keys go to the text (else they move in the results).
    pub typing: bool,
    /// The search whose events are taken; events of any other are late.
    pub generation: Option<u64>,
    /// The search's state; `None` while the text is too short.
    pub progress: Option<Progress>,
    /// The selected result, counted over all profiles' results.
    pub selected: usize,
    /// When the search started and the last tick, for the spinner.
    pub spin: Option<(Instant, Instant)>,
}

/// One line of the results: a profile's header or one of its results
/// (with its number among all results).
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    Header(&'a ProfileProgress),
    Result(usize, &'a Found),
}

impl FindView {
    /// An empty overlay, the text field taking the keys.
    pub fn new() -> FindView {
        FindView {
            text: TextField::default(),
            typing: true,
            generation: None,
            progress: None,
            selected: 0,
            spin: None,
        }
    }

    /// The generation of the search still loading, if any.
    pub fn loading(&self) -> Option<u64> {
        let progress = self.progress.as_ref()?;
        if progress.finished() {
            None
        } else {
            self.generation
        }
    }

    /// How many results there are, over all profiles.
    pub fn result_count(&self) -> usize {
        self.progress.as_ref().map_or(0, Progress::match_count)
    }

    /// The selected result.
    pub fn selected_result(&self) -> Option<&Found> {
        self.progress.as_ref()?.results().nth(self.selected)
    }

    /// Every line in order: each profile's header, then its results.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        let mut number = 0;
        self.progress
            .iter()
            .flat_map(|p| p.profiles.iter())
            .flat_map(move |p| {
                let first = number;
                number += p.matches.len();
                std::iter::once(Entry::Header(p)).chain(
                    p.matches
                        .iter()
                        .enumerate()
                        .map(move |(i, f)| Entry::Result(first + i, f)),
                )
            })
    }

    /// The line the selected result is on (headers counted).
    pub fn selected_line(&self) -> usize {
        let Some(progress) = &self.progress else {
            return 0;
        };
        let mut before = 0;
        for (headers, p) in progress.profiles.iter().enumerate() {
            if self.selected < before + p.matches.len() {
                return headers + 1 + self.selected;
            }
            before += p.matches.len();
        }
        progress.profiles.len() + self.selected
    }

    /// The line of the selected result's group header (headers counted)
    /// and its profile, or `None` when nothing is selected.
    pub fn selected_group(&self) -> Option<(usize, &ProfileProgress)> {
        let progress = self.progress.as_ref()?;
        let (mut line, mut before) = (0, 0);
        for p in &progress.profiles {
            if self.selected < before + p.matches.len() {
                return Some((line, p));
            }
            before += p.matches.len();
            line += 1 + p.matches.len();
        }
        None
    }

    /// Keeps the selection on a result after results came or went.
    pub fn clamp(&mut self) {
        self.selected = self.selected.min(self.result_count().saturating_sub(1));
    }

    /// A movement key over the results (headers are skipped: they are not
    /// counted); `page` is how many lines fit. False when it is not one.
    pub fn steer(&mut self, action: Option<Action>, page: usize) -> bool {
        match crate::tui::rows::moved(self.selected, action, page, self.result_count()) {
            Some(to) => {
                self.selected = to;
                true
            }
            None => false,
        }
    }

    /// The title: what is counted where.
    pub fn title(&self) -> String {
        let Some(progress) = &self.progress else {
            return "Find".into();
        };
        let count = progress.match_count();
        let profiles = progress
            .profiles
            .iter()
            .filter(|p| !p.matches.is_empty())
            .count();
        let noun = if count == 1 { "result" } else { "results" };
        let places = if profiles == 1 { "profile" } else { "profiles" };
        let mut title = format!(
            "Find · {} {noun} in {profiles} {places}",
            grouped(count as u64)
        );
        // A failed profile's line may be pages down: the title says so.
        let failed = progress.failures().count();
        if failed > 0 {
            title.push_str(&format!(" · {failed} failed or skipped"));
        }
        title
    }
}

/// What a profile's header says after its name and region: its progress,
/// what it found, or why it has nothing.
pub fn header_state(p: &ProfileProgress) -> String {
    match &p.state {
        State::Waiting => "waiting for a turn".into(),
        State::Loading {
            scanned,
            total: Some(total),
        } => format!("{} of {}", grouped(*scanned as u64), grouped(*total)),
        State::Loading { scanned, .. } => format!("{} loaded", grouped(*scanned as u64)),
        State::Done { loaded, reused } => {
            let mut s = format!(
                "{} found in {}",
                grouped(p.matches.len() as u64),
                grouped(loaded.searched as u64)
            );
            match loaded.cut {
                Some(Cut::Rows(cap)) => {
                    s.push_str(&format!(" (first {} only)", grouped(cap as u64)));
                }
                Some(Cut::Memory(_)) => s.push_str(" (cut: memory budget spent)"),
                None => {}
            }
            if *reused {
                s.push_str(" · loaded earlier");
            }
            s
        }
        State::Failed { error } if skipped(error) => "skipped (no password)".into(),
        State::Failed { error } => error.short_line(),
    }
}

/// A password popup dismissed with Esc: the profile was skipped, not
/// broken.
pub fn skipped(error: &api::Error) -> bool {
    matches!(error, api::Error::Auth(AuthError::Credentials(why)) if why.ends_with("no password was given"))
}

/// `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

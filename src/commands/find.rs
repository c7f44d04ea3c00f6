//! `ddm-backups find TEXT`: one search across every profile (or the named
//! ones), printed as a table or JSON once every profile has answered.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use super::prompt::TerminalPrompt;
use super::{EXIT_LOOKUP, Failure, say, target};
use crate::auth::PasswordPrompt;
use crate::cli::{FindArgs, GlobalArgs};
use crate::find::{self, Progress, Query, Source};
use crate::fleet::ProfileId;
use crate::output;
use crate::secret::Secret;

pub async fn run(global: &GlobalArgs, args: FindArgs) -> Result<(), Failure> {
    // Checked before any config is read or request made.
    let query = Query::parse(&args.text).map_err(|e| Failure::usage(format!("error: {e}")))?;
    // `--profile` before the subcommand is the global option; take both.
    let mut names = args.profile.clone();
    if let Some(name) = &global.profile
        && !names.contains(name)
    {
        names.insert(0, name.clone());
    }
    let prompt = Arc::new(OneAtATime::default());
    let set = target::resolve_many(global, &names, Some(prompt.clone()))
        .await
        .map_err(super::prefixed)?;
    let mut sources = Vec::new();
    let mut failed = Vec::new();
    for (at, (profile, client)) in set.profiles.into_iter().enumerate() {
        match client {
            Ok(client) => sources.push(Source {
                id: ProfileId(at),
                profile: profile.name,
                region: profile.region,
                client,
            }),
            Err(why) => failed.push(format!("{} ({}): {why}", profile.name, profile.region)),
        }
    }
    let progress = Mutex::new(Progress::new(
        query.clone(),
        sources
            .iter()
            .map(|s| (s.id, s.profile.clone(), s.region.clone())),
    ));
    let searched = sources.len();
    find::search(
        sources,
        query.clone(),
        find::Limits::HEADLESS,
        Vec::new(),
        |event| lock(&progress).apply(event),
    )
    .await;
    let progress = progress.into_inner().unwrap_or_else(|e| e.into_inner());
    // set.demo (the --demo endpoint) lived until every listing ended.
    drop(set.demo);
    let skipped = lock(&prompt.without_terminal).clone();
    let mut notes = Vec::new();
    for (p, error) in progress.failures() {
        if skipped.contains(&p.profile) {
            notes.push(format!(
                "note: skipped {} ({}): its password auth needs a terminal to ask on \
                 (or password_env / password_command)",
                p.profile, p.region
            ));
        } else {
            failed.push(format!(
                "{} ({}): {}",
                p.profile,
                p.region,
                error.status_line()
            ));
        }
    }
    // One note per skipped profile (a name may have been asked twice).
    let skipped_profiles = notes.len();
    // Borrowed, not cloned: a search may hold its whole memory budget.
    let rows: Vec<&find::Found> = progress.results().collect();
    print(&args, &rows)?;
    for note in notes {
        say(&note);
    }
    let cut = |which: fn(&find::Cut) -> bool| -> Vec<&str> {
        progress
            .profiles
            .iter()
            .filter(|p| {
                matches!(&p.state, find::State::Done { loaded, .. }
                    if loaded.cut.as_ref().is_some_and(which))
            })
            .map(|p| p.profile.as_str())
            .collect()
    };
    let capped = cut(|c| matches!(c, find::Cut::Rows(_)));
    if !capped.is_empty() {
        say(&format!(
            "note: searched only the first {} backups of {} (the pickers' cap)",
            find::LIMIT.max_rows,
            capped.join(", ")
        ));
    }
    let spent = cut(|c| matches!(c, find::Cut::Memory(_)));
    if !spent.is_empty() {
        say(&format!(
            "note: stopped reading {} when the search had kept {} MiB of matches \
             (its memory budget); name fewer profiles with --profile, or search \
             for something narrower",
            spent.join(", "),
            find::MEMORY_BUDGET / (1024 * 1024)
        ));
    }
    for line in &failed {
        say(&format!("error: {line}"));
    }
    if !failed.is_empty() {
        return Err(Failure {
            code: EXIT_LOOKUP,
            message: String::new(),
        });
    }
    if rows.is_empty() {
        // A skipped profile was not searched: the count says so.
        let searched = searched.saturating_sub(skipped_profiles);
        let also = if skipped_profiles == 0 {
            String::new()
        } else {
            format!(" ({skipped_profiles} skipped)")
        };
        return Err(Failure {
            code: EXIT_LOOKUP,
            message: format!(
                "note: no backup matches {:?} in {searched} profile{}{also}",
                query.text(),
                if searched == 1 { "" } else { "s" }
            ),
        });
    }
    Ok(())
}

fn print(args: &FindArgs, rows: &[&find::Found]) -> Result<(), Failure> {
    let text = super::wants_text(args.output);
    let width = super::list::table_width();
    let mut dropped = Vec::new();
    super::print(|out| match (text, rows.is_empty()) {
        // No header over nothing: stderr says why stdout is empty.
        (true, true) => Ok(()),
        (true, false) => {
            let zone = crate::shown::time::operator_zone();
            output::write_found(out, rows, &zone, width).map(|d| dropped = d)
        }
        (false, _) => output::write_json_rows(out, rows),
    })?;
    super::list::note_dropped(&dropped, width);
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The terminal prompt, one question at a time (up to four profiles may
/// need a password at once), remembering who could not be asked because
/// there is no terminal: those are skipped with a note, not failed.
#[derive(Default)]
struct OneAtATime {
    turn: tokio::sync::Mutex<()>,
    without_terminal: Mutex<Vec<String>>,
}

impl PasswordPrompt for OneAtATime {
    fn ask(
        &self,
        profile: &str,
        user: &str,
        domain: &str,
    ) -> Pin<Box<dyn Future<Output = Option<Secret>> + Send + '_>> {
        let (profile, user, domain) = (profile.to_string(), user.to_string(), domain.to_string());
        Box::pin(async move {
            if !super::prompt::has_terminal() {
                lock(&self.without_terminal).push(profile);
                return None;
            }
            let _turn = self.turn.lock().await;
            TerminalPrompt.ask(&profile, &user, &domain).await
        })
    }
}

//! `ddm-backups instances` and `ddm-backups backups`: the lists, headless.

use std::io::IsTerminal;

use super::{Failure, say, target};
use crate::api::{IdField, ListLimit, Listing, check_id};
use crate::cli::{BackupsArgs, GlobalArgs, ListArgs};
use crate::output;

fn limit(args: &ListArgs) -> ListLimit {
    if args.all {
        ListLimit::ALL
    } else {
        ListLimit {
            max_rows: args.limit as usize,
        }
    }
}

pub async fn instances(global: &GlobalArgs, args: ListArgs) -> Result<(), Failure> {
    let target = target::headless(global).await?;
    let listing = target
        .client
        .list_instances(limit(&args))
        .await
        .map_err(lookup_failed)?;
    let empty = "no DDM instances in this project".to_string();
    print(&args, &listing, output::write_instances, empty)
}

pub async fn backups(global: &GlobalArgs, args: BackupsArgs) -> Result<(), Failure> {
    check_id(IdField::Instance, &args.instance)
        .map_err(|e| Failure::usage(format!("error: {e}")))?;
    let target = target::headless(global).await?;
    // "Newest first" must hold whatever order the server pages in (the
    // demo's pages-in09 pages oldest first): read every page, then keep the
    // newest N of the sorted rows.
    let mut listing = target
        .client
        .list_backups(&args.instance, ListLimit::ALL)
        .await
        .map_err(lookup_failed)?;
    listing.keep_first(limit(&args.list).max_rows);
    let empty = format!("no backups of {} in this project", args.instance);
    let zone = crate::shown::time::operator_zone();
    let table =
        |out: &mut super::Out, rows: &[_], width| output::write_backups(out, rows, &zone, width);
    print(&args.list, &listing, table, empty)
}

fn lookup_failed(e: crate::api::Error) -> Failure {
    Failure {
        code: e.exit_code(),
        message: output::error_line(&e),
    }
}

fn print<T: serde::Serialize>(
    args: &ListArgs,
    listing: &Listing<T>,
    // A table's row writer: rows, width in cells, the columns it left out.
    table: impl Fn(&mut super::Out, &[T], usize) -> std::io::Result<output::Dropped>,
    empty: String,
) -> Result<(), Failure> {
    let text = super::wants_text(args.output);
    let width = table_width();
    let mut dropped = Vec::new();
    super::print(|out| match (text, listing.rows.is_empty()) {
        // A header over nothing reads like a broken table; stderr says why
        // stdout is empty, and a script counting lines counts none.
        (true, true) => Ok(()),
        (true, false) => table(out, &listing.rows, width).map(|d| dropped = d),
        (false, _) => output::write_json_rows(out, &listing.rows),
    })?;
    // Notes go to stderr, so a script reading stdout gets only the rows.
    if listing.rows.is_empty() {
        say(&format!("note: {empty}"));
    }
    note_dropped(&dropped, width);
    if listing.truncated {
        let shown = listing.rows.len();
        let of = listing
            .total
            .map_or_else(String::new, |t| format!(" of {t}"));
        say(&format!(
            "note: showed {shown}{of}; use --limit N or --all for more"
        ));
    }
    Ok(())
}

/// The width tables fit: `$COLUMNS` when set (so a script can ask for one),
/// else the terminal's when stdout is one. Piped with no `$COLUMNS`, nothing
/// is cut (as `ls` and `ps` do): a script or a pager gets every cell whole.
pub(super) fn table_width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0);
    let on_terminal = std::io::stdout().is_terminal();
    let from_terminal = || {
        on_terminal
            .then(crossterm::terminal::size)
            .and_then(Result::ok)
            .map(|(columns, _)| usize::from(columns))
            .filter(|c| *c > 0)
    };
    match from_env.or_else(from_terminal) {
        // A width past any real screen would only let a hostile row run on.
        Some(width) => width.min(1000),
        // A terminal that cannot say its size gets the classic width.
        None if on_terminal => 80,
        None => usize::MAX,
    }
}

/// Says on stderr which columns a text table left out to fit `width`, each
/// once (a report with two tables may leave out the same header twice).
pub(super) fn note_dropped(dropped: &[&str], width: usize) {
    let mut named: Vec<&str> = Vec::new();
    for header in dropped {
        if !named.contains(header) {
            named.push(header);
        }
    }
    if !named.is_empty() {
        say(&format!(
            "note: {} left out to fit {width} columns; --output json has every field",
            named.join(", ")
        ));
    }
}

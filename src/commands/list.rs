//! `ddm-backups instances` and `ddm-backups backups`: the lists, headless.

use std::sync::Arc;

use super::prompt::TerminalPrompt;
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
    let target = target::resolve(global, Some(Arc::new(TerminalPrompt)))
        .await
        .map_err(super::prefixed)?;
    let listing = target
        .client
        .list_instances(limit(&args))
        .await
        .map_err(lookup_failed)?;
    print(&args, &listing, output::write_instances)
}

pub async fn backups(global: &GlobalArgs, args: BackupsArgs) -> Result<(), Failure> {
    check_id(IdField::Instance, &args.instance)
        .map_err(|e| Failure::usage(format!("error: {e}")))?;
    let target = target::resolve(global, Some(Arc::new(TerminalPrompt)))
        .await
        .map_err(super::prefixed)?;
    let listing = target
        .client
        .list_backups(&args.instance, limit(&args.list))
        .await
        .map_err(lookup_failed)?;
    print(&args.list, &listing, output::write_backups)
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
    table: fn(&mut super::Out, &[T]) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let text = super::wants_text(args.output);
    super::print(|out| {
        if text {
            table(out, &listing.rows)
        } else {
            output::write_json_rows(out, &listing.rows)
        }
    })?;
    if listing.truncated {
        // On stderr, so a script reading stdout gets only the rows.
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

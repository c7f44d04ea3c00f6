//! `ddm-backups restore-check`: the readiness report, headless. The exit
//! code is the summary a script branches on: 0 no blockers, 3 blockers,
//! 1 a call failed (the report still prints what loaded), 2 usage.

use super::{EXIT_LOOKUP, Failure, say, target};
use crate::cli::{GlobalArgs, RestoreCheckArgs};
use crate::output;
use crate::readiness::{self, Readiness};

/// Exit code: every call answered and the report shows blockers.
pub const EXIT_BLOCKERS: i32 = 3;

pub async fn run(global: &GlobalArgs, args: RestoreCheckArgs) -> Result<(), Failure> {
    // IDs are checked before anything starts, so a bad one never reaches a server.
    let target = target::for_backup(global, &args.instance, &args.backup).await?;
    let report = readiness::load(&target.client, &args.instance, &args.backup).await;
    let text = super::wants_text(args.output);
    let zone = crate::shown::time::operator_zone();
    let width = super::list::table_width();
    let mut dropped = Vec::new();
    super::print(|out| {
        if text {
            output::readiness::write_text(out, &report, &zone, width).map(|d| dropped = d)
        } else {
            output::readiness::write_json(out, &report)
        }
    })?;
    super::list::note_dropped(&dropped, width);
    outcome(&report)
}

/// Failed calls first: a failed call may hide a blocker, so "none found"
/// would not be a fact. Each failure gets its own line on stderr, naming
/// the call as the report does.
fn outcome(report: &Readiness) -> Result<(), Failure> {
    let failures = report.failures();
    if !failures.is_empty() {
        for (call, e) in &failures {
            let line = output::error_line(e);
            let line = line.strip_prefix("error: ").unwrap_or(&line);
            say(&format!("error: {} failed: {line}", call.name()));
        }
        // A configuration problem (credentials) stays exit 2, as in `show`.
        let code = failures
            .iter()
            .map(|(_, e)| e.exit_code())
            .max()
            .unwrap_or(EXIT_LOOKUP);
        return Err(Failure {
            code,
            message: String::new(),
        });
    }
    if report.blockers().is_empty() {
        Ok(())
    } else {
        Err(Failure {
            code: EXIT_BLOCKERS,
            message: String::new(),
        })
    }
}

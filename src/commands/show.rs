//! `ddm-backups show`: one lookup, printed for a person or a script.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use super::prompt::TerminalPrompt;

use super::{EXIT_LOOKUP, Failure, target};
use crate::api::{IdField, check_id};
use crate::cli::{GlobalArgs, OutputFormat, ShowArgs};
use crate::{demo, output};

pub async fn run(global: &GlobalArgs, args: ShowArgs) -> Result<(), Failure> {
    let (instance, backup) = match (args.instance, args.backup) {
        (Some(i), Some(b)) => (i, b),
        (None, None) if global.demo => (
            demo::EXAMPLE_INSTANCE_ID.to_string(),
            demo::EXAMPLE_BACKUP_ID.to_string(),
        ),
        _ => {
            return Err(Failure::usage(
                "error: show needs both --instance ID and --backup ID",
            ));
        }
    };
    check_id(IdField::Instance, &instance).map_err(|e| Failure::usage(format!("error: {e}")))?;
    check_id(IdField::Backup, &backup).map_err(|e| Failure::usage(format!("error: {e}")))?;
    let target = target::resolve(global, Some(Arc::new(TerminalPrompt)))
        .await
        .map_err(super::prefixed)?;
    if let Some(warning) = &target.profile.endpoint_warning {
        super::say(&format!("warning: {warning}"));
    }
    let fetched = target
        .client
        .show_backup(&instance, &backup)
        .await
        .map_err(|e| Failure {
            code: e.exit_code(),
            message: output::error_line(&e),
        })?;
    let format = args.output.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Text
    } else {
        OutputFormat::Json
    });
    let mut stdout = std::io::stdout().lock();
    let written = match format {
        OutputFormat::Text => output::write_text(&mut stdout, &fetched.value),
        OutputFormat::Json => output::write_json(&mut stdout, &fetched.value),
    }
    .and_then(|()| stdout.flush());
    match written {
        Ok(()) => Ok(()),
        // The reader went away (`show | head`): nothing left to say to it.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            code: EXIT_LOOKUP,
            message: format!("error: cannot write the output: {e}"),
        }),
    }
}

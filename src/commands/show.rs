//! `ddm-backups show`: one lookup, printed for a person or a script.

use super::{Failure, target};
use crate::cli::{GlobalArgs, ShowArgs};
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
    let target = target::for_backup(global, &instance, &backup).await?;
    let fetched = target
        .client
        .show_backup(&instance, &backup)
        .await
        .map_err(|e| Failure {
            code: e.exit_code(),
            message: output::error_line(&e),
        })?;
    let text = super::wants_text(args.output);
    super::print(|out| {
        if text {
            output::write_text(out, &fetched.value)
        } else {
            output::write_json(out, &fetched.value)
        }
    })?;
    if let Some(sent) = fetched.value.nodes_cut {
        // On stderr, so a script reading stdout gets only the backup.
        super::say(&format!(
            "note: the server sent {sent} related data nodes; showed the first {}",
            fetched.value.related_data_nodes.len()
        ));
    }
    Ok(())
}

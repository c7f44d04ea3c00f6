//! The calls behind a readiness report, for callers that want them all
//! (`restore-check`) or one at a time (the TUI runs each as its own task).

use crate::api::ApiTime;

use super::{Part, Readiness};
use crate::api::{
    BackupRow, DdmClient, Error, ListLimit, ListStop, RelatedDataNodesAt, RestoreWindows,
};

/// The backup's ListBackups row, found by paging its instance's backups
/// with the picker's caps; `Ok(None)` when no row has its ID. A listing
/// cut at its cap without the row is an error: the row may lie past it.
pub async fn find_row(
    client: &DdmClient,
    instance_id: &str,
    backup_id: &str,
) -> Result<Option<BackupRow>, Error> {
    // Rows read, the instance's or not: a server that ignores the filter
    // fills the cap with other instances' rows.
    let mut read = 0;
    let listing = client
        .list_backups_each(instance_id, ListLimit::ALL, &mut |page| read = page.scanned)
        .await?;
    let row = listing
        .rows
        .into_iter()
        .find(|row| row.id.as_deref() == Some(backup_id));
    if row.is_none() && listing.truncated {
        return Err(Error::ListStopped {
            reason: ListStop::Unfound,
            rows: read,
            url: client.backups_url().to_string(),
        });
    }
    Ok(row)
}

/// The instance's data nodes at the end of the newest window, or why they
/// cannot be asked for.
pub async fn nodes_at(
    client: &DdmClient,
    instance_id: &str,
    at: ApiTime,
) -> Result<RelatedDataNodesAt, Error> {
    client.related_data_nodes_at(instance_id, at).await
}

/// Every section, the independent calls at once and related-dn once the
/// windows tell its restore time.
pub async fn load(client: &DdmClient, instance_id: &str, backup_id: &str) -> Readiness {
    let mut report = Readiness::new(instance_id, backup_id);
    let windows_then_nodes = async {
        let windows = client.restore_windows(instance_id).await;
        let latest = windows.as_ref().ok().and_then(RestoreWindows::latest);
        let now = match latest {
            Some(at) => Some(nodes_at(client, instance_id, at).await),
            None => None,
        };
        (windows, now)
    };
    let (detail, row, (windows, now), targets) = tokio::join!(
        client.show_backup(instance_id, backup_id),
        find_row(client, instance_id, backup_id),
        windows_then_nodes,
        client.restore_targets(instance_id, ListLimit::ALL),
    );
    report.detail = Part::from_result(detail.map(|f| f.value));
    report.row = Part::from_result(row);
    report.windows = Part::from_result(windows);
    report.now = match now {
        Some(result) => Part::from_result(result),
        None => Part::Skipped(report.why_no_nodes_call().unwrap_or(super::WINDOWS_FAILED)),
    };
    report.targets = Part::from_result(targets);
    report
}

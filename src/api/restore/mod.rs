//! The read-only restore calls of API.md section 3.1: the instance's
//! point-in-time windows, its data nodes at a restore time, the DDM
//! instances that could take a restore, and their data nodes. GET only:
//! the write calls (restore, delete) are never made by this client.
//! All four are read page by page (offset/limit) within one deadline and
//! byte budget, as the lists are; every string is cut to
//! [`crate::api::MAX_FIELD`] and every array bounded as it is read.

mod model;

use crate::api::ApiTime;

pub use model::{
    CurrentDataNode, MAX_RESTORE_ROWS, RelatedDataNodesAt, RestoreTarget, RestoreWindow,
    RestoreWindows, TargetDataNode, restore_time_param,
};
use model::{RELATED_DN_PAGE, TARGET_NODE_PAGE, TARGET_PAGE, WINDOW_PAGE};

use super::list::{ListLimit, Listing, PageRead};
use super::{DdmClient, Error};
use crate::ids::{IdField, check_id};

/// How many windows or nodes one answer reads, over all its pages.
const RESTORE_ROWS: ListLimit = ListLimit {
    max_rows: MAX_RESTORE_ROWS,
};

impl DdmClient {
    /// `/v3/{project}/instances/{instance}/backups/{name}`: the restore
    /// calls sit where ShowBackup has a backup ID (API.md 3.1).
    fn restore_segments<'a>(&'a self, instance_id: &'a str, name: &'a str) -> [&'a str; 6] {
        [
            "v3",
            self.auth.project_id(),
            "instances",
            instance_id,
            "backups",
            name,
        ]
    }

    /// The instance's point-in-time windows (`restorable-time-interval`),
    /// newest first. Paged, though the SDK sends no paging: the service's
    /// default page is 10, and a window past it may be the newest.
    pub async fn restore_windows(&self, instance_id: &str) -> Result<RestoreWindows, Error> {
        check_id(IdField::Instance, instance_id)?;
        let segments = self.restore_segments(instance_id, "restorable-time-interval");
        let all = |_: &RestoreWindow| true;
        let listing = self
            .list(&segments, &[], RESTORE_ROWS, WINDOW_PAGE, &all, &mut |_| {})
            .await?;
        let mut windows = RestoreWindows {
            windows: listing.rows,
            total: listing.total,
            truncated: listing.truncated,
        };
        windows.sort_newest_first();
        Ok(windows)
    }

    /// The instance's data nodes at `restore_time` (`related-dn`), with the
    /// latest restorable time. Paged like the windows: with the default
    /// page of 10, nodes 11 and up would otherwise look gone.
    pub async fn related_data_nodes_at(
        &self,
        instance_id: &str,
        restore_time: ApiTime,
    ) -> Result<RelatedDataNodesAt, Error> {
        check_id(IdField::Instance, instance_id)?;
        let segments = self.restore_segments(instance_id, "related-dn");
        let query = [("restore_time".to_string(), restore_time_param(restore_time))];
        let all = |_: &CurrentDataNode| true;
        // Every page carries it; the first one's is kept.
        let mut latest: Option<String> = None;
        let on_page = &mut |page: PageRead<'_, CurrentDataNode>| {
            if latest.is_none() {
                latest = page.extra.map(str::to_string);
            }
        };
        let listing = self
            .list(
                &segments,
                &query,
                RESTORE_ROWS,
                RELATED_DN_PAGE,
                &all,
                on_page,
            )
            .await?;
        Ok(RelatedDataNodesAt {
            nodes: listing.rows,
            latest_restorable_time: latest,
            total: listing.total,
            truncated: listing.truncated,
        })
    }

    /// The DDM instances that could take a restore of `instance_id`
    /// (`restorable-instances`), page by page up to `limit`.
    pub async fn restore_targets(
        &self,
        instance_id: &str,
        limit: ListLimit,
    ) -> Result<Listing<RestoreTarget>, Error> {
        check_id(IdField::Instance, instance_id)?;
        let segments = self.restore_segments(instance_id, "restorable-instances");
        let all = |_: &RestoreTarget| true;
        self.list(&segments, &[], limit, TARGET_PAGE, &all, &mut |_| {})
            .await
    }

    /// The data nodes of `target_instance_id` that could take
    /// `source_dn_instance_id`'s data at `restore_time`
    /// (`restorable-data-node`), page by page up to `limit`.
    pub async fn restore_target_nodes(
        &self,
        instance_id: &str,
        target_instance_id: &str,
        source_dn_instance_id: &str,
        restore_time: ApiTime,
        limit: ListLimit,
    ) -> Result<Listing<TargetDataNode>, Error> {
        check_id(IdField::Instance, instance_id)?;
        check_id(IdField::Instance, target_instance_id)?;
        check_id(IdField::Instance, source_dn_instance_id)?;
        let segments = self.restore_segments(instance_id, "restorable-data-node");
        let filter = [
            (
                "target_instance_id".to_string(),
                target_instance_id.to_string(),
            ),
            (
                "source_dn_instance_id".to_string(),
                source_dn_instance_id.to_string(),
            ),
            ("restore_time".to_string(), restore_time_param(restore_time)),
        ];
        let all = |_: &TargetDataNode| true;
        let on_page = &mut |_: PageRead<'_, TargetDataNode>| {};
        self.list(&segments, &filter, limit, TARGET_NODE_PAGE, &all, on_page)
            .await
    }
}

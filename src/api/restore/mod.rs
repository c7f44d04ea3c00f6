//! The read-only restore calls of API.md section 3.1: the instance's
//! point-in-time windows, its data nodes at a restore time, the DDM
//! instances that could take a restore, and their data nodes. GET only:
//! the write calls (restore, delete) are never made by this client.
//! Every string is cut to [`crate::api::MAX_FIELD`] and every array bounded as
//! it is read, as for the lists.

mod model;

use time::OffsetDateTime;

pub use model::{
    CurrentDataNode, MAX_RESTORE_ROWS, RelatedDataNodesAt, RestoreTarget, RestoreWindow,
    RestoreWindows, TargetDataNode, parse_related_dn, parse_windows, restore_time_param,
};
use model::{TARGET_NODE_PAGE, TARGET_PAGE};

use super::list::{ListLimit, Listing, PageRead};
use super::{DdmClient, Error, Fetched, ParseProblem, Within, decode};
use crate::ids::{IdField, check_id};

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

    /// One GET of a restore call with `query`, sorted and encoded as the
    /// AK/SK signature expects (the SDK's order does not matter: the
    /// signer sorts, and the wire carries the signed order).
    async fn restore_get<T>(
        &self,
        instance_id: &str,
        name: &'static str,
        query: &[(String, String)],
        parse: fn(&[u8]) -> Result<T, ParseProblem>,
    ) -> Result<Fetched<T>, Error> {
        let mut url = self
            .transport
            .url_for(&self.restore_segments(instance_id, name));
        if !query.is_empty() {
            url.set_query(Some(&crate::auth::signer::canonical_query(query)));
        }
        tracing::info!(%url, call = name, "restore call");
        let response = self.get(url, Within::default()).await.inspect_err(|e| {
            tracing::warn!(error = %e, call = name, request_id = e.request_id().unwrap_or("-"), "restore call failed");
        })?;
        let value = decode(&response, parse(&response.body))?;
        Ok(Fetched {
            value,
            status: response.status,
            elapsed: response.elapsed,
            request_id: response.request_id,
            attempts: response.attempts,
        })
    }

    /// The instance's point-in-time windows (`restorable-time-interval`),
    /// newest first. Sent without paging, as the SDK does.
    pub async fn restore_windows(
        &self,
        instance_id: &str,
    ) -> Result<Fetched<RestoreWindows>, Error> {
        check_id(IdField::Instance, instance_id)?;
        self.restore_get(instance_id, "restorable-time-interval", &[], parse_windows)
            .await
    }

    /// The instance's data nodes at `restore_time` (`related-dn`), with the
    /// latest restorable time.
    pub async fn related_data_nodes_at(
        &self,
        instance_id: &str,
        restore_time: OffsetDateTime,
    ) -> Result<Fetched<RelatedDataNodesAt>, Error> {
        check_id(IdField::Instance, instance_id)?;
        let query = [("restore_time".to_string(), restore_time_param(restore_time))];
        self.restore_get(instance_id, "related-dn", &query, parse_related_dn)
            .await
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
        restore_time: OffsetDateTime,
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

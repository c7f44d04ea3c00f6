//! DDM requests, typed models and typed errors. Nothing here knows about
//! terminals.

mod error;
pub mod list;
mod model;

use std::time::Duration;

use reqwest::Url;

pub use error::{Error, ErrorClass};
pub use list::{BackupRow, InstanceRow, ListLimit, Listing, PageRead, human_size};
pub use model::{BackupDetail, ParseProblem, RelatedDataNode, parse_backup};

use crate::auth::{AuthOptions, Authenticator};
use crate::config::{ConfigError, Profile};
use crate::http::{self, Outgoing, Transport};
pub use crate::ids::{IdField, IdProblem, InvalidId, check_id};

/// A successful answer with what the status bar shows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched<T> {
    pub value: T,
    pub status: u16,
    pub elapsed: Duration,
    pub request_id: Option<String>,
    pub attempts: u32,
}

/// A DDM client for one profile: its connection pool, project and
/// authenticator.
#[derive(Debug, Clone)]
pub struct DdmClient {
    transport: Transport,
    auth: Authenticator,
}

impl DdmClient {
    /// Builds the client a profile describes; credential and CA problems are
    /// configuration errors.
    pub fn new(profile: &Profile) -> Result<Self, ConfigError> {
        Self::with_options(profile, AuthOptions::default())
    }

    /// Like [`DdmClient::new`], with a password prompt or a cache folder.
    pub fn with_options(profile: &Profile, options: AuthOptions) -> Result<Self, ConfigError> {
        let transport = Transport::new(
            profile.endpoint.clone(),
            profile.timeout,
            profile.ca_file.as_deref(),
        )?;
        let auth = Authenticator::new(profile, &transport, options)?;
        Ok(DdmClient { transport, auth })
    }

    /// Replaces the transport's body cap (tests use small ones).
    #[doc(hidden)]
    pub fn with_body_cap(mut self, cap: usize) -> Self {
        self.transport = self.transport.with_body_cap(cap);
        self
    }

    /// The deadline of a lookup that starts now.
    pub fn deadline(&self) -> http::Deadline {
        self.transport.deadline()
    }

    /// The authenticator, for `config check`.
    pub fn authenticator(&self) -> &Authenticator {
        &self.auth
    }

    /// The ShowBackup URL for these IDs.
    pub fn backup_url(&self, instance_id: &str, backup_id: &str) -> Url {
        self.transport.url_for(&[
            "v3",
            self.auth.project_id(),
            "instances",
            instance_id,
            "backups",
            backup_id,
        ])
    }

    /// GETs `url` authorised; a 401 (in any body shape) with a renewable
    /// token renews it and tries once more, inside the same deadline.
    async fn get(&self, url: Url) -> Result<http::Response, Error> {
        // Typing a password or running a token command is not part of the
        // lookup's time budget.
        let mut deadline = self.transport.deadline();
        if self.auth.prepare().await? {
            deadline = self.transport.deadline();
        }
        let mut renewed = false;
        loop {
            let authorization = self.auth.authorize("GET", &url, &[], deadline).await?;
            let request = Outgoing::get(url.clone(), authorization.headers.clone());
            match self.transport.send(request, deadline).await {
                Err(e)
                    if e.status() == Some(401)
                        && !renewed
                        && self.auth.rejected(&authorization).await =>
                {
                    renewed = true;
                    // Renewing may need the operator (a refused cached token
                    // and no password yet): their time does not count either.
                    if self.auth.prepare().await? {
                        deadline = self.transport.deadline();
                    }
                }
                other => return other.map_err(Error::Http),
            }
        }
    }

    /// Looks a backup up (ShowBackup). IDs are checked before anything is sent.
    pub async fn show_backup(
        &self,
        instance_id: &str,
        backup_id: &str,
    ) -> Result<Fetched<BackupDetail>, Error> {
        check_id(IdField::Instance, instance_id)?;
        check_id(IdField::Backup, backup_id)?;
        let url = self.backup_url(instance_id, backup_id);
        tracing::info!(%url, "ShowBackup");
        let response = self.get(url).await.inspect_err(|e| {
            tracing::warn!(error = %e, request_id = e.request_id().unwrap_or("-"), "ShowBackup failed");
        })?;
        let value = decode(&response, parse_backup(&response.body))?;
        tracing::info!(
            status = response.status,
            elapsed_ms = response.elapsed.as_millis() as u64,
            nodes = value.related_data_nodes.len(),
            "ShowBackup done"
        );
        Ok(Fetched {
            value,
            status: response.status,
            elapsed: response.elapsed,
            request_id: response.request_id,
            attempts: response.attempts,
        })
    }

    /// The project's DDM instances, page by page up to `limit`.
    pub async fn list_instances(&self, limit: ListLimit) -> Result<Listing<InstanceRow>, Error> {
        self.list_instances_each(limit, &mut |_| {}).await
    }

    /// [`Self::list_instances`], telling `on_page` about every page as it
    /// arrives (the TUI shows rows while later pages load).
    pub async fn list_instances_each(
        &self,
        limit: ListLimit,
        on_page: &mut (dyn FnMut(PageRead<'_, InstanceRow>) + Send),
    ) -> Result<Listing<InstanceRow>, Error> {
        let project = self.auth.project_id().to_string();
        let rows_of = |page: list::InstancePage| (page.instances, page.total_record);
        let segments = ["v1", &project, "instances"];
        self.list(&segments, &[], limit, rows_of, |_| true, on_page)
            .await
    }

    /// The backups of `instance_id`, newest first. The server may ignore
    /// the instance filter (API.md section 2), so rows of other instances
    /// are dropped here too.
    pub async fn list_backups(
        &self,
        instance_id: &str,
        limit: ListLimit,
    ) -> Result<Listing<BackupRow>, Error> {
        self.list_backups_each(instance_id, limit, &mut |_| {})
            .await
    }

    /// [`Self::list_backups`], telling `on_page` about every page as it
    /// arrives. Each page's rows are in the server's order; only the
    /// final listing is sorted.
    pub async fn list_backups_each(
        &self,
        instance_id: &str,
        limit: ListLimit,
        on_page: &mut (dyn FnMut(PageRead<'_, BackupRow>) + Send),
    ) -> Result<Listing<BackupRow>, Error> {
        check_id(IdField::Instance, instance_id)?;
        let project = self.auth.project_id().to_string();
        let filter = [("instance_id".to_string(), instance_id.to_string())];
        let rows_of = |page: list::BackupPage| (page.backups, page.total);
        let ours = |row: &BackupRow| row.instance_id.as_deref() == Some(instance_id);
        let mut listing = self
            .list(
                &["v3", &project, "backups"],
                &filter,
                limit,
                rows_of,
                ours,
                on_page,
            )
            .await?;
        list::sort_newest_first(&mut listing.rows);
        Ok(listing)
    }

    /// Reads pages of `segments` until the server runs out, `limit` rows
    /// that `keep` accepts were found, or the claimed total is read. When
    /// `keep` drops rows, the server's total no longer counts what is shown
    /// and is not reported.
    async fn list<P, T>(
        &self,
        segments: &[&str],
        filter: &[(String, String)],
        limit: ListLimit,
        rows_of: impl Fn(P) -> (Vec<T>, Option<u64>),
        keep: impl Fn(&T) -> bool,
        on_page: &mut (dyn FnMut(PageRead<'_, T>) + Send),
    ) -> Result<Listing<T>, Error>
    where
        P: serde::de::DeserializeOwned,
    {
        let mut rows = Vec::new();
        let mut offset = 0usize;
        let mut total = None;
        let mut dropped = false;
        loop {
            let page_size = ListLimit::PAGE
                .min(limit.max_rows.saturating_sub(rows.len()))
                .max(1);
            let mut query = filter.to_vec();
            query.push(("offset".into(), offset.to_string()));
            query.push(("limit".into(), page_size.to_string()));
            let mut url = self.transport.url_for(segments);
            // Sorted and encoded as the AK/SK signature expects (%20, not +).
            url.set_query(Some(&crate::auth::signer::canonical_query(&query)));
            tracing::info!(%url, "list page");
            let response = self.get(url).await?;
            let page: Result<P, ParseProblem> =
                serde_json::from_slice(&response.body).map_err(|e| {
                    if e.is_syntax() || e.is_eof() {
                        ParseProblem::NotJson
                    } else {
                        ParseProblem::Shape(e.to_string())
                    }
                });
            let (page_rows, page_total) = rows_of(decode(&response, page)?);
            total = page_total.or(total);
            let got = page_rows.len();
            offset += got;
            let before = rows.len();
            let kept: Vec<T> = page_rows.into_iter().filter(|row| keep(row)).collect();
            dropped |= kept.len() < got;
            // A server that ignores `limit` must not push past the cap, not
            // even in the pages shown while loading.
            let room = limit.max_rows.saturating_sub(before);
            let overflow = kept.len() > room;
            rows.extend(kept.into_iter().take(room));
            on_page(PageRead {
                rows: &rows[before..],
                scanned: offset,
                total,
            });
            let done = got == 0 || got < page_size || total.is_some_and(|t| offset as u64 >= t);
            // A server that ignores both the filter and the offset would
            // otherwise be read for ever: rows read, kept or not, are capped.
            if done || rows.len() >= limit.max_rows || offset >= list::MAX_SCANNED {
                let truncated = !done || overflow;
                let total = if dropped { None } else { total };
                return Ok(Listing {
                    rows,
                    total,
                    truncated,
                });
            }
        }
    }
}

/// A parsed body, or the error that says why it could not be read.
fn decode<T>(response: &http::Response, parsed: Result<T, ParseProblem>) -> Result<T, Error> {
    match parsed {
        Ok(value) => Ok(value),
        Err(ParseProblem::NotJson) => Err(Error::Http(http::Error::NotJson {
            status: response.status,
            content_type: response.content_type.clone(),
            excerpt: http::excerpt(&response.body),
            request_id: response.request_id.clone(),
            url: response.url.clone(),
            attempts: response.attempts,
        })),
        Err(ParseProblem::Shape(detail)) => Err(Error::Shape {
            status: response.status,
            detail,
            request_id: response.request_id.clone(),
            url: response.url.clone(),
        }),
    }
}

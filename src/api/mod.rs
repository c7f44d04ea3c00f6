//! DDM requests, typed models and typed errors. Nothing here knows about
//! terminals.

mod api_time;
mod bounded;
mod capped;
mod error;
mod failover;
mod labels;
pub mod list;
mod model;
mod paging;
mod restore;
mod sent_time;
mod shape;
mod size;
mod status;

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::Url;

pub use api_time::ApiTime;
pub use capped::MAX_FIELD;
pub use error::{DECODE_DENIAL, Error, ErrorClass, ListStop};
pub use labels::{backup_type_label, parse_api_time};
pub use list::{BackupRow, InstanceRow, ListLimit, Listing, PageRead, Shortfall};
pub use model::{BackupDetail, MAX_NODES, ParseProblem, RelatedDataNode, parse_backup};
pub use paging::{LIST_BYTE_BUDGET, PageRows, Visited};
pub use restore::{
    CurrentDataNode, MAX_RESTORE_ROWS, RelatedDataNodesAt, RestoreTarget, RestoreWindow,
    RestoreWindows, TargetDataNode, restore_time_param,
};
pub use sent_time::SentTime;
pub use size::{Bytes, FileSize};
pub use status::{BackupStatus, Status};

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
    /// The profile's further endpoints, tried in order when the one at hand
    /// cannot be reached (see [`failover`]); empty for most profiles.
    fallbacks: Vec<Transport>,
    /// The endpoint that answered last (0 is `transport`), where the next
    /// request starts; shared by clones, as they share the pool.
    current: Arc<AtomicUsize>,
    auth: Authenticator,
    /// One deadline for all the pages of a listing.
    list_timeout: Duration,
}

/// Limits one request takes from a larger operation (a listing's pages).
#[derive(Debug, Clone, Copy, Default)]
struct Within {
    /// The request ends no later than this.
    until: Option<http::Deadline>,
    /// It reads no more body than this (the transport's cap still holds).
    body_cap: Option<usize>,
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
        let fallbacks = profile
            .fallback_endpoints
            .iter()
            .map(|endpoint| transport.with_endpoint(endpoint.clone()))
            .collect::<Result<_, _>>()?;
        let auth = Authenticator::new(profile, &transport, options)?;
        Ok(DdmClient {
            transport,
            fallbacks,
            current: Arc::default(),
            auth,
            list_timeout: profile.list_timeout,
        })
    }

    /// Replaces the transport's body cap (tests use small ones).
    #[doc(hidden)]
    pub fn with_body_cap(mut self, cap: usize) -> Self {
        self.transport = self.transport.with_body_cap(cap);
        self.fallbacks = self
            .fallbacks
            .into_iter()
            .map(|t| t.with_body_cap(cap))
            .collect();
        self
    }

    /// The transport of endpoint `at` (0 is the profile's first).
    fn transport_at(&self, at: usize) -> &Transport {
        at.checked_sub(1)
            .and_then(|i| self.fallbacks.get(i))
            .unwrap_or(&self.transport)
    }

    /// The deadline of a lookup that starts now.
    pub fn deadline(&self) -> http::Deadline {
        self.transport.deadline()
    }

    /// The authenticator, for `config check`.
    pub fn authenticator(&self) -> &Authenticator {
        &self.auth
    }

    /// The ListBackups URL (first page aside), for messages.
    pub fn backups_url(&self) -> Url {
        self.transport
            .url_for(&["v3", self.auth.project_id(), "backups"])
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
    /// token renews it and tries once more, inside the same deadline, which
    /// never ends later than `within.until`.
    async fn get(&self, url: Url, within: Within) -> Result<http::Response, Error> {
        let fresh = || match within.until {
            Some(outer) => self.transport.deadline().earliest(outer),
            None => self.transport.deadline(),
        };
        let body_cap = within.body_cap.unwrap_or(usize::MAX);
        // Typing a password or running a token command is not part of the
        // lookup's time budget.
        let mut deadline = fresh();
        if self.auth.prepare().await? {
            deadline = fresh();
        }
        let mut renewed = false;
        let mut route = failover::Route::new(
            1 + self.fallbacks.len(),
            self.current.load(Ordering::Relaxed),
        );
        loop {
            let transport = self.transport_at(route.at());
            // Callers build URLs on the first endpoint; signing needs the
            // host the request goes to.
            let url = failover::rebase(&url, self.transport.endpoint(), transport.endpoint());
            let authorization = self.auth.authorize("GET", &url, &[], deadline).await?;
            let request = Outgoing::get(url, authorization.headers.clone());
            match transport.send_capped(request, deadline, body_cap).await {
                Err(e)
                    if e.status() == Some(401)
                        && !renewed
                        && self.auth.rejected(&authorization).await =>
                {
                    renewed = true;
                    // Renewing may need the operator (a refused cached token
                    // and no password yet): their time does not count either.
                    if self.auth.prepare().await? {
                        deadline = fresh();
                    }
                }
                // Inside the same deadline: the timeout is a promise about
                // the whole lookup, whichever endpoint answers it.
                Err(e) if failover::unreachable(&e) && route.next(&e) => {
                    tracing::warn!(error = %e, "endpoint unreachable; trying the next");
                }
                other => {
                    self.current.store(route.settled(), Ordering::Relaxed);
                    return other.map_err(|e| Error::Http(route.explain(e)));
                }
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
        let response = self.get(url, Within::default()).await.inspect_err(|e| {
            tracing::warn!(error = %e, request_id = e.request_id().unwrap_or("-"), "ShowBackup failed");
        })?;
        let value = decode(&response, parse_backup(&response.body))?;
        same_backup(backup_id, &value, &response)?;
        same_instance(instance_id, &value, &response)?;
        tracing::info!(
            status = response.status,
            elapsed_ms = response.elapsed.as_millis() as u64,
            nodes = value.related_data_nodes.len(),
            nodes_sent = value.nodes_cut.unwrap_or(value.related_data_nodes.len()),
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
        let segments = ["v1", &project, "instances"];
        let all = |_: &InstanceRow| true;
        self.list(&segments, &[], limit, list::INSTANCE_PAGE, &all, on_page)
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
        let ours = |row: &BackupRow| row.instance_id.as_deref() == Some(instance_id);
        let mut listing = self
            .list(
                &["v3", &project, "backups"],
                &filter,
                limit,
                list::BACKUP_PAGE,
                &ours,
                on_page,
            )
            .await?;
        list::sort_newest_first(&mut listing.rows);
        Ok(listing)
    }
}

impl DdmClient {
    /// Every backup of the project, whatever its instance (ListBackups
    /// without the instance filter), newest first, with the picker's caps,
    /// deadline and byte budget. `find` searches these.
    pub async fn list_project_backups(
        &self,
        limit: ListLimit,
    ) -> Result<Listing<BackupRow>, Error> {
        self.list_project_backups_each(limit, &mut |_| {}).await
    }

    /// [`Self::list_project_backups`], telling `on_page` about every page
    /// as it arrives (in the server's order; only the final listing is
    /// sorted).
    pub async fn list_project_backups_each(
        &self,
        limit: ListLimit,
        on_page: &mut (dyn FnMut(PageRead<'_, BackupRow>) + Send),
    ) -> Result<Listing<BackupRow>, Error> {
        let project = self.auth.project_id().to_string();
        let all = |_: &BackupRow| true;
        let mut listing = self
            .list(
                &["v3", &project, "backups"],
                &[],
                limit,
                list::BACKUP_PAGE,
                &all,
                on_page,
            )
            .await?;
        list::sort_newest_first(&mut listing.rows);
        Ok(listing)
    }

    /// Every backup of the project as [`Self::list_project_backups`] reads
    /// them, handed over page by page and never kept here: for a caller
    /// (Find) that keeps only part of each row, or none. `on_page` may stop
    /// the listing; it then ends truncated.
    pub async fn visit_project_backups(
        &self,
        limit: ListLimit,
        on_page: &mut (dyn FnMut(PageRows<BackupRow>) -> ControlFlow<()> + Send),
    ) -> Result<Visited, Error> {
        let project = self.auth.project_id().to_string();
        let all = |_: &BackupRow| true;
        self.visit(
            &["v3", &project, "backups"],
            &[],
            limit,
            list::BACKUP_PAGE,
            &all,
            on_page,
        )
        .await
    }

    /// The profile's project ID, for messages and results.
    pub fn project_id(&self) -> &str {
        self.auth.project_id()
    }
}

/// ShowBackup's `id` must be the one asked for: a cache or proxy answering
/// with another backup must not have it shown (or acted on) as this one.
fn same_backup(asked: &str, detail: &BackupDetail, response: &http::Response) -> Result<(), Error> {
    if detail.id == asked {
        return Ok(());
    }
    Err(wrong_answer("backup", asked, &detail.id, response))
}

/// ShowBackup's `instance_id` must be the one asked for too: the same
/// backup ID under another instance is another instance's backup, and its
/// nodes compared with this instance's would mislead. An answer that names
/// no instance claims none and is kept.
fn same_instance(
    asked: &str,
    detail: &BackupDetail,
    response: &http::Response,
) -> Result<(), Error> {
    if detail.instance_id.is_empty() || detail.instance_id == asked {
        return Ok(());
    }
    Err(wrong_answer(
        "instance",
        asked,
        &detail.instance_id,
        response,
    ))
}

/// The error for a ShowBackup answer about another `what` (backup or
/// instance) than the one asked, logged with its request ID.
fn wrong_answer(
    what: &'static str,
    asked: &str,
    answered: &str,
    response: &http::Response,
) -> Error {
    tracing::warn!(
        request_id = response.request_id.as_deref().unwrap_or("-"),
        "ShowBackup answered with another {what} ID"
    );
    Error::WrongBackup {
        what,
        asked: one_line_id(asked),
        answered: one_line_id(answered),
        status: response.status,
        request_id: response.request_id.clone(),
        url: response.url.clone(),
    }
}

/// An ID (possibly from the server) fit for one line of a message: unsafe
/// characters escaped (so "b1\u{200b}" never reads as the asked "b1"), at
/// most 64 characters before escaping.
fn one_line_id(id: &str) -> String {
    const MAX_CHARS: usize = 64;
    // Cut the bytes first, so a 5 MiB "ID" is never scanned in full.
    let head = capped::cut(id, MAX_CHARS * 4);
    let mut shown = String::new();
    for (i, c) in head.chars().enumerate() {
        if i == MAX_CHARS {
            shown.push('…');
            return shown;
        }
        crate::terminal_text::push_escaped(&mut shown, c);
    }
    if head.len() < id.len() {
        shown.push('…');
    }
    shown
}

/// A parsed body, or the error that says why it could not be read.
fn decode<T>(response: &http::Response, parsed: Result<T, ParseProblem>) -> Result<T, Error> {
    match parsed {
        Ok(value) => Ok(value),
        Err(ParseProblem::NotJson) => Err(Error::Http(http::Error::NotJson {
            status: response.status,
            content_type: response.content_type.clone(),
            excerpt: http::excerpt(&response.body),
            title: http::html_title(&response.body, response.content_type.as_deref()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_messages_are_clean_and_short() {
        assert_eq!(one_line_id("b1br09"), "b1br09");
        assert_eq!(one_line_id("a\u{1b}[31m\nb"), "a\\u{1b}[31m\\nb");
        assert_eq!(one_line_id("b1\u{200b}"), "b1\\u{200b}");
        let long = one_line_id(&"x".repeat(5 * 1024 * 1024));
        assert_eq!(long, format!("{}…", "x".repeat(64)));
        let wide = one_line_id(&"界".repeat(70));
        assert_eq!(wide.chars().count(), 65);
        assert!(wide.ends_with('…'));
    }
}

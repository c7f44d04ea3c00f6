//! DDM requests, typed models and typed errors. Nothing here knows about
//! terminals.

mod error;
mod model;

use std::time::Duration;

use reqwest::Url;

pub use error::{Error, ErrorClass};
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
        let value = match parse_backup(&response.body) {
            Ok(value) => value,
            Err(ParseProblem::NotJson) => {
                return Err(Error::Http(http::Error::NotJson {
                    status: response.status,
                    content_type: response.content_type,
                    excerpt: http::excerpt(&response.body),
                    request_id: response.request_id,
                    url: response.url,
                    attempts: response.attempts,
                }));
            }
            Err(ParseProblem::Shape(detail)) => {
                return Err(Error::Shape {
                    status: response.status,
                    detail,
                    request_id: response.request_id,
                    url: response.url,
                });
            }
        };
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
}

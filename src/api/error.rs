//! The one error type of a lookup, and how it is put into words.

use crate::auth::AuthError;
use crate::http::{self, Attempts, NetworkKind};
use crate::ids::InvalidId;

/// Everything that can end a lookup without a backup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An ID failed its checks; nothing was sent.
    #[error(transparent)]
    InvalidId(#[from] InvalidId),
    #[error(transparent)]
    Http(#[from] http::Error),
    /// No usable credentials, or IAM would not give a token.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// JSON, but not the shape the API documents.
    #[error("HTTP {}, but the JSON is not in the documented shape: {detail}", http::status_text(*status))]
    Shape {
        status: u16,
        detail: String,
        request_id: Option<String>,
        url: String,
    },
    /// ShowBackup answered about another backup, or another instance,
    /// than the one asked for; it is never shown as the asked one. Both
    /// IDs are escaped and cut.
    #[error(
        "the server answered with {what} \"{answered}\" instead of the asked \"{asked}\"; it is not shown"
    )]
    WrongBackup {
        /// Which ID differs: `backup` or `instance`.
        what: &'static str,
        asked: String,
        answered: String,
        status: u16,
        request_id: Option<String>,
        url: String,
    },
    /// A listing ran out of its time or byte budget before its last page.
    #[error("stopped: {reason}, after {rows} rows")]
    ListStopped {
        reason: ListStop,
        /// Rows kept before it stopped (shown while loading, then dropped).
        rows: usize,
        /// The page being read when it stopped.
        url: String,
    },
}

/// How an identity-policy denial's `encoded_authorization_message` is
/// turned into words (Huawei's IAM5 API reference, "Decoding the
/// Authentication Failure Cause"); the popup and the CLI both say it.
pub const DECODE_DENIAL: &str = "an administrator can decode it with the STS API \
     POST /v5/decode-authorization-message {\"encoded_message\": \"…\"} \
     (permission sts::decodeAuthorizationMessage)";

/// Why a listing stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStop {
    /// All its pages together took longer than `list_timeout_secs`.
    Deadline(std::time::Duration),
    /// Its bodies together passed this many bytes.
    Budget(usize),
    /// It read rows up to its cap without the one it looked for: "not
    /// listed" would claim what was never read.
    Unfound,
}

impl std::fmt::Display for ListStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListStop::Deadline(after) => write!(
                f,
                "the listing did not end within its {} s deadline (list_timeout_secs)",
                after.as_secs()
            ),
            ListStop::Budget(bytes) => write!(
                f,
                "the listing's pages passed its {} MiB budget",
                bytes / (1024 * 1024)
            ),
            ListStop::Unfound => f.write_str("the backup was not found before the listing's cap"),
        }
    }
}

/// A coarse kind, for colours, titles and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    InvalidInput,
    /// Missing or unusable credentials; nothing was sent.
    Credentials,
    Auth,
    Permission,
    NotFound,
    Throttled,
    Rejected,
    Server,
    NotJson,
    Shape,
    /// The answer was about another backup, or another instance, than
    /// the one asked for.
    WrongBackup,
    Network,
    Timeout,
    TooLarge,
    Redirect,
    BodyRead,
}

/// The class of a transport error; a refused wait is classed by the answer
/// that asked for it (429 stays "throttled").
fn http_class(e: &http::Error) -> ErrorClass {
    match e {
        // A JSON body in no known shape says no more than its status.
        http::Error::Api { status, .. } | http::Error::UnknownShape { status, .. } => {
            match status {
                401 => ErrorClass::Auth,
                403 => ErrorClass::Permission,
                404 => ErrorClass::NotFound,
                429 => ErrorClass::Throttled,
                500..=599 => ErrorClass::Server,
                _ => ErrorClass::Rejected,
            }
        }
        http::Error::NotJson { .. } => ErrorClass::NotJson,
        http::Error::Network { .. } => ErrorClass::Network,
        http::Error::Timeout { .. } => ErrorClass::Timeout,
        http::Error::TooLarge { .. } => ErrorClass::TooLarge,
        http::Error::Redirect { .. } => ErrorClass::Redirect,
        http::Error::BodyRead { .. } => ErrorClass::BodyRead,
        http::Error::WaitTooLong { answer, .. } => http_class(answer),
    }
}

impl Error {
    /// 2 for bad input or missing credentials (nothing was sent), 1 for a
    /// failed lookup.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InvalidId(_) | Error::Auth(AuthError::Credentials(_)) => 2,
            _ => 1,
        }
    }

    /// The transport error underneath, from DDM or from IAM.
    fn http(&self) -> Option<&http::Error> {
        match self {
            Error::Http(e) | Error::Auth(AuthError::Iam(e)) => Some(e),
            _ => None,
        }
    }

    /// Which kind of failure this is.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::InvalidId(_) => ErrorClass::InvalidInput,
            Error::Auth(AuthError::Credentials(_)) => ErrorClass::Credentials,
            Error::Shape { .. } | Error::Auth(AuthError::IamResponse(_)) => ErrorClass::Shape,
            // It ran out of time waiting for another process.
            Error::Auth(AuthError::CacheBusy(_)) => ErrorClass::Timeout,
            Error::WrongBackup { .. } => ErrorClass::WrongBackup,
            Error::ListStopped {
                reason: ListStop::Deadline(_),
                ..
            } => ErrorClass::Timeout,
            Error::ListStopped {
                reason: ListStop::Budget(_) | ListStop::Unfound,
                ..
            } => ErrorClass::TooLarge,
            Error::Http(e) | Error::Auth(AuthError::Iam(e)) => http_class(e),
        }
    }

    /// How long the server asked to be left alone, when that was longer
    /// than the lookup could wait (its `Retry-After`); a caller that polls
    /// honours it before its next try.
    pub fn asked_wait(&self) -> Option<std::time::Duration> {
        match self.http() {
            Some(http::Error::WaitTooLong { wait, .. }) => Some(*wait),
            _ => None,
        }
    }

    /// How many tries the last request took (0 when nothing was sent).
    pub fn http_attempts(&self) -> u32 {
        self.http().map_or(0, http::Error::attempts)
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Shape { status, .. } | Error::WrongBackup { status, .. } => Some(*status),
            _ => self.http().and_then(http::Error::status),
        }
    }

    /// An identity-policy denial's encrypted reasons (a 403's
    /// `encoded_authorization_message`), when the body had them.
    pub fn encoded_authorization(&self) -> Option<&str> {
        self.http().and_then(http::Error::encoded_authorization)
    }

    /// The response's `X-Request-Id`, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Shape { request_id, .. } | Error::WrongBackup { request_id, .. } => {
                request_id.as_deref()
            }
            _ => self.http().and_then(http::Error::request_id),
        }
    }

    /// The request URL, when a request was made.
    pub fn url(&self) -> Option<&str> {
        match self {
            Error::Shape { url, .. }
            | Error::WrongBackup { url, .. }
            | Error::ListStopped { url, .. } => Some(url),
            _ => self.http().map(http::Error::url),
        }
    }

    /// Advice, when there is some.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Auth(AuthError::Iam(http::Error::Api { status: 401, .. })) => {
                Some("IAM refused the sign-in: check domain, user and password")
            }
            Error::Shape { .. } => {
                Some("check that endpoint is the DDM API; quote the request id to support")
            }
            Error::WrongBackup { .. } => Some(
                "the endpoint may be a cache or proxy answering for other requests: check endpoint",
            ),
            Error::ListStopped {
                reason: ListStop::Deadline(_),
                ..
            } => Some("raise list_timeout_secs in the profile, or ask for fewer rows (--limit N)"),
            Error::ListStopped {
                reason: ListStop::Budget(_),
                ..
            } => Some("the server sends unusually large rows: ask for fewer rows (--limit N)"),
            Error::ListStopped {
                reason: ListStop::Unfound,
                ..
            } => Some("the server may ignore the instance filter: check endpoint and instance"),
            _ => self.http().and_then(http::Error::hint),
        }
    }

    /// One line for a status bar or stderr: what happened, the request id and
    /// how many tries were made.
    pub fn status_line(&self) -> String {
        let mut line = self.to_string();
        if let Some(e) = self.http() {
            line.push_str(&Attempts(e.attempts()).to_string());
        }
        if let Some(id) = self.request_id() {
            line.push_str(&format!(" · request id {id}"));
        }
        line
    }

    /// The same facts, tighter, for a status bar that cuts at the screen's
    /// edge: status, code and message first, then the request id and tries.
    pub fn short_line(&self) -> String {
        let mut line = match self.http() {
            Some(http::Error::Api {
                status,
                code,
                message,
                ..
            }) => {
                // A 401 from IAM (a wrong password) and one from DDM (a
                // token it refused) need different fixes: say which spoke.
                let mut line = match self {
                    Error::Auth(AuthError::Iam(_)) => format!("IAM {}", http::status_text(*status)),
                    _ => http::status_text(*status),
                };
                if let Some(code) = code {
                    line.push_str(&format!(" {code}"));
                }
                if let Some(message) = message {
                    line.push_str(&format!(": {message}"));
                }
                line
            }
            // The status bar is tight: "200 OK, but the body …" says it.
            _ => {
                let line = self.to_string();
                match line.strip_prefix("HTTP ") {
                    Some(rest) => rest.to_string(),
                    None => line,
                }
            }
        };
        if let Some(id) = self.request_id() {
            line.push_str(&format!(" · request id {id}"));
        }
        if let Some(e) = self.http()
            && e.attempts() > 1
        {
            line.push_str(&format!(" · {} tries", e.attempts()));
        }
        line
    }

    /// Every fact worth showing in a popup or `show`'s error output, as
    /// labelled lines. Nothing here is secret: URLs carry only IDs.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![("Error", self.to_string())];
        if let Some(status) = self.status() {
            rows.push((
                "Status",
                format!(
                    "{} ({})",
                    http::status_text(status),
                    http::status_label(status)
                ),
            ));
        }
        if let Some(http::Error::Api { code, message, .. }) = self.http().map(http::Error::answered)
        {
            if let Some(code) = code {
                rows.push(("Code", code.clone()));
            }
            if let Some(message) = message {
                rows.push(("Message", message.clone()));
            }
        }
        if let Some(encoded) = self.encoded_authorization() {
            rows.push(("Denial, encoded", encoded.to_string()));
            rows.push(("Decode", DECODE_DENIAL.to_string()));
        }
        if let Some(http::Error::UnknownShape {
            content_type,
            excerpt,
            ..
        }) = self.http().map(http::Error::answered)
        {
            rows.push((
                "Content type",
                content_type.clone().unwrap_or_else(|| "none".into()),
            ));
            rows.push(("Body starts", excerpt.clone()));
        }
        if let Some(http::Error::NotJson {
            content_type,
            excerpt,
            title,
            ..
        }) = self.http().map(http::Error::answered)
        {
            rows.push((
                "Content type",
                content_type.clone().unwrap_or_else(|| "none".into()),
            ));
            if let Some(title) = title {
                rows.push(("Page title", title.to_string()));
            }
            // Cleaned and cut: the one place an HTML body's text is shown.
            rows.push(("Body starts", excerpt.clone()));
        }
        if let Some(http::Error::BodyRead { detail, .. }) = self.http() {
            rows.push(("Cause", detail.clone()));
        }
        if let Some(http::Error::Network { kind, .. }) = self.http() {
            let kind = match kind {
                NetworkKind::Dns => "DNS",
                NetworkKind::Refused => "connect",
                NetworkKind::Tls => "TLS",
                NetworkKind::Reset => "connection reset",
                NetworkKind::Other => "other",
            };
            rows.push(("Failure", kind.into()));
        }
        if let Some(id) = self.request_id() {
            rows.push(("Request ID", id.to_string()));
        }
        if let Some(url) = self.url() {
            // IAM sign-ins are POSTs; DDM lookups are GETs.
            let method = if matches!(self, Error::Auth(_)) {
                "POST"
            } else {
                "GET"
            };
            rows.push(("URL", format!("{method} {url}")));
        }
        if let Some(e) = self.http()
            && e.attempts() > 1
        {
            rows.push(("Tries", e.attempts().to_string()));
        }
        if let Some(hint) = self.hint() {
            rows.push(("Hint", hint.to_string()));
        }
        rows
    }
}

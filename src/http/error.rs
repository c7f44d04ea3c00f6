//! What can go wrong between sending a request and holding its body.

use std::fmt;
use std::time::Duration;

/// How a connection failed before any response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkKind {
    Dns,
    Refused,
    Tls,
    Reset,
    Other,
}

impl NetworkKind {
    fn describe(self) -> &'static str {
        match self {
            NetworkKind::Dns => "host name lookup failed",
            NetworkKind::Refused => "could not connect",
            NetworkKind::Tls => "TLS handshake failed",
            NetworkKind::Reset => "the connection was closed before a response",
            NetworkKind::Other => "network error",
        }
    }
}

/// A failed request. Every variant that saw a response keeps its
/// `X-Request-Id`, which operators quote to support.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The API answered with an error status and a body we could read.
    #[error("{}", api_line(*status, code.as_deref(), message.as_deref()))]
    Api {
        status: u16,
        code: Option<String>,
        message: Option<String>,
        request_id: Option<String>,
        url: String,
        attempts: u32,
        /// A 403's `encoded_authorization_message` (identity-policy
        /// denials): the reasons, encrypted, for an administrator to
        /// decode. Boxed: every lookup's `Result` carries this size.
        encoded_authorization: Option<Box<str>>,
    },
    /// A response whose body is not the JSON promised. An HTML page is
    /// named by its title: its markup is only ever shown, cleaned, as the
    /// excerpt in the whole-error popup.
    #[error("{}", not_json_line(*status, content_type.as_deref(), excerpt, title.as_deref()))]
    NotJson {
        status: u16,
        content_type: Option<String>,
        excerpt: String,
        /// The `<title>` of an HTML body, cleaned; `None` for other bodies.
        /// Boxed: every lookup's `Result` carries this error's size.
        title: Option<Box<str>>,
        request_id: Option<String>,
        url: String,
        attempts: u32,
    },
    /// An error status whose body is JSON, but in none of the error shapes
    /// we know: not "not JSON", which would blame a proxy.
    #[error("HTTP {} ({}): JSON, but not in a known error shape: {excerpt}", status_text(*status), status_label(*status))]
    UnknownShape {
        status: u16,
        content_type: Option<String>,
        excerpt: String,
        request_id: Option<String>,
        url: String,
        attempts: u32,
    },
    #[error("{}: {detail}", kind.describe())]
    Network {
        kind: NetworkKind,
        detail: String,
        url: String,
        attempts: u32,
    },
    #[error("no answer within the {}s deadline", after.as_secs_f32())]
    Timeout {
        after: Duration,
        url: String,
        attempts: u32,
    },
    #[error("HTTP {}, but the body is over the {} limit", status_text(*status), size_text(*limit))]
    TooLarge {
        status: u16,
        limit: usize,
        request_id: Option<String>,
        url: String,
    },
    #[error("HTTP {} redirects to {}; redirects are not followed", status_text(*status), location.as_deref().unwrap_or("an unnamed location"))]
    Redirect {
        status: u16,
        location: Option<String>,
        request_id: Option<String>,
        url: String,
    },
    /// The body broke off (truncated, connection lost while reading).
    #[error("HTTP {}, but the body was cut off after {received} bytes{}", status_text(*status), announced.map(|n| format!(" of the {n} announced")).unwrap_or_default())]
    BodyRead {
        status: u16,
        /// Bytes that arrived before it broke off.
        received: usize,
        /// The `Content-Length`, when the server sent one.
        announced: Option<u64>,
        /// What the connection said (shown in the popup).
        detail: String,
        request_id: Option<String>,
        url: String,
    },
    /// A retryable answer whose `Retry-After` does not fit in what is left
    /// of the deadline: the lookup ends at once instead of retrying early
    /// against the server's wish, or sleeping past the deadline.
    #[error("{answer}; the server asked to wait {} before trying again, more than the {:.1} s left of the deadline", wait_text(*wait), left.as_secs_f32())]
    WaitTooLong {
        /// What the server asked for, cut to [`super::MAX_SERVER_WAIT`].
        wait: Duration,
        left: Duration,
        /// The answer that came with the request to wait.
        answer: Box<Error>,
    },
}

/// `30 s`, or `at least 86400 s` for a wait that was cut.
fn wait_text(wait: Duration) -> String {
    if wait >= super::MAX_SERVER_WAIT {
        format!("at least {} s", super::MAX_SERVER_WAIT.as_secs())
    } else {
        format!("{} s", wait.as_secs())
    }
}

/// `16 MiB`, `64 KiB`, or bytes for a cap that is neither.
fn size_text(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// A body that is not JSON, named for what it is: a success whose body is
/// the problem says so; an HTML page (a proxy's or a portal's) is given by
/// its title, never its markup.
fn not_json_line(
    status: u16,
    content_type: Option<&str>,
    excerpt: &str,
    title: Option<&str>,
) -> String {
    let status_part = status_text(status);
    let html = title.is_some() || content_type.is_some_and(is_html_type);
    if html {
        let page = if (200..300).contains(&status) {
            format!("HTTP {status_part}, but the body is an HTML page, not JSON")
        } else {
            format!("HTTP {status_part}: an HTML page from a proxy")
        };
        // nginx's title is the status again; saying it twice adds nothing.
        return match title {
            Some(t) if !t.is_empty() && !t.eq_ignore_ascii_case(&status_part) => {
                format!("{page}: {t}")
            }
            _ => page,
        };
    }
    let kind = content_type.unwrap_or("no content type");
    let body = if excerpt.is_empty() {
        "<empty>"
    } else {
        excerpt
    };
    if (200..300).contains(&status) {
        format!("HTTP {status_part}, but the body is not JSON ({kind}): {body}")
    } else {
        format!(
            "HTTP {status_part} ({}), and the body is not JSON ({kind}): {body}",
            status_label(status)
        )
    }
}

/// `text/html` or `application/xhtml+xml`, parameters ignored.
fn is_html_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("text/html")
        || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

fn api_line(status: u16, code: Option<&str>, message: Option<&str>) -> String {
    let mut line = format!("HTTP {} ({})", status_text(status), status_label(status));
    match (code, message) {
        (Some(c), Some(m)) => line.push_str(&format!(": {c} {m}")),
        (Some(c), None) => line.push_str(&format!(": {c}")),
        (None, Some(m)) => line.push_str(&format!(": {m}")),
        (None, None) => {}
    }
    line
}

/// `404 Not Found`, or just the number for odd statuses.
pub fn status_text(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// What an error status means to an operator.
pub fn status_label(status: u16) -> &'static str {
    match status {
        401 => "authentication failed",
        403 => "permission denied",
        404 => "not found",
        429 => "throttled",
        // The status was fine; whatever failed was in the body.
        200..=299 => "success",
        300..=399 => "redirect",
        400..=499 => "request rejected",
        500..=599 => "server error",
        _ => "unexpected status",
    }
}

impl Error {
    /// The `X-Request-Id` of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. }
            | Error::NotJson { request_id, .. }
            | Error::UnknownShape { request_id, .. }
            | Error::TooLarge { request_id, .. }
            | Error::Redirect { request_id, .. }
            | Error::BodyRead { request_id, .. } => request_id.as_deref(),
            Error::Network { .. } | Error::Timeout { .. } => None,
            Error::WaitTooLong { answer, .. } => answer.request_id(),
        }
    }

    /// The answer underneath a refused wait; the error itself otherwise.
    pub fn answered(&self) -> &Error {
        match self {
            Error::WaitTooLong { answer, .. } => answer,
            other => other,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::NotJson { status, .. }
            | Error::UnknownShape { status, .. }
            | Error::TooLarge { status, .. }
            | Error::Redirect { status, .. }
            | Error::BodyRead { status, .. } => Some(*status),
            Error::Network { .. } | Error::Timeout { .. } => None,
            Error::WaitTooLong { answer, .. } => answer.status(),
        }
    }

    /// The request URL (it never carries a secret).
    pub fn url(&self) -> &str {
        match self {
            Error::Api { url, .. }
            | Error::NotJson { url, .. }
            | Error::UnknownShape { url, .. }
            | Error::Network { url, .. }
            | Error::Timeout { url, .. }
            | Error::TooLarge { url, .. }
            | Error::Redirect { url, .. }
            | Error::BodyRead { url, .. } => url,
            Error::WaitTooLong { answer, .. } => answer.url(),
        }
    }

    /// How many tries were made (1 unless something was retried).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api { attempts, .. }
            | Error::NotJson { attempts, .. }
            | Error::UnknownShape { attempts, .. }
            | Error::Network { attempts, .. }
            | Error::Timeout { attempts, .. } => *attempts,
            Error::WaitTooLong { answer, .. } => answer.attempts(),
            _ => 1,
        }
    }

    /// An identity-policy denial's encrypted reasons, when the body had them.
    pub fn encoded_authorization(&self) -> Option<&str> {
        match self {
            Error::Api {
                encoded_authorization,
                ..
            } => encoded_authorization.as_deref(),
            Error::WaitTooLong { answer, .. } => answer.encoded_authorization(),
            _ => None,
        }
    }

    /// The API's error code, when the body had one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => code.as_deref(),
            Error::WaitTooLong { answer, .. } => answer.code(),
            _ => None,
        }
    }

    /// Advice for this error, when there is any.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Api { status, code, .. } => super::error_body::hint(*status, code.as_deref()),
            Error::UnknownShape { status, .. } => super::error_body::hint(*status, None),
            Error::NotJson {
                status,
                title,
                content_type,
                ..
            } => super::error_body::hint(*status, None).or_else(|| {
                let html = title.is_some() || content_type.as_deref().is_some_and(is_html_type);
                Some(if html {
                    "a proxy or login portal answered: check endpoint and proxy settings"
                } else {
                    "not an answer from the DDM API: check endpoint and proxy settings"
                })
            }),
            Error::BodyRead { .. } => {
                Some("the answer broke off: retry; if it keeps happening, check proxies")
            }
            Error::TooLarge { .. } => {
                Some("no DDM answer is that large: check that endpoint is the DDM API")
            }
            Error::Network {
                kind: NetworkKind::Dns,
                ..
            } => Some("check the endpoint host name and DNS"),
            Error::Network {
                kind: NetworkKind::Tls,
                ..
            } => Some("a private CA needs ca_file in the profile; check the host's certificate"),
            Error::Network {
                kind: NetworkKind::Refused,
                ..
            } => Some("check the endpoint and any proxy settings"),
            Error::Timeout { .. } => Some("raise timeout_secs in the profile, or retry"),
            Error::Redirect { .. } => {
                Some("the endpoint is probably wrong: set endpoint to the API host")
            }
            Error::WaitTooLong { answer, .. } if answer.status() == Some(429) => Some(
                "throttled: the server asked to wait longer than the deadline allows; retry after that wait",
            ),
            Error::WaitTooLong { .. } => Some(
                "the server asked to wait longer than the deadline allows; retry after that wait",
            ),
            _ => None,
        }
    }
}

/// Adds ` (after N tries)` when a request was retried.
pub struct Attempts(pub u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 > 1 {
            write!(f, " (after {} tries)", self.0)
        } else {
            Ok(())
        }
    }
}

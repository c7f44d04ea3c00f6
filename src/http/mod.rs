//! The shared transport: one client per profile, a deadline over the whole
//! lookup, bounded retries, a body cap, and error bodies turned into errors.

mod client;
mod deadline;
mod error;
pub mod error_body;
mod error_json;
mod retry;
mod send;

use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::HeaderMap;
use reqwest::{Client, Url};

pub use client::{CONNECT_TIMEOUT, install_tls_provider, user_agent};
pub use deadline::Deadline;
pub use error::{Attempts, Error, NetworkKind, status_label, status_text};
pub use retry::{MAX_ATTEMPTS, MAX_SERVER_WAIT};

use crate::config::ConfigError;

/// The largest body we read; bigger ones are refused, so memory stays bounded.
pub const BODY_CAP: usize = 16 * 1024 * 1024;

/// Everything `unreserved` in RFC 3986 stays; the rest is escaped.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A request to send: method, URL, headers and an optional body. The body
/// may carry a password (IAM sign-in): it is zeroed on drop and never shown.
#[derive(Clone)]
pub struct Outgoing {
    pub method: reqwest::Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Option<Vec<u8>>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

impl Drop for Outgoing {
    fn drop(&mut self) {
        if let Some(body) = &mut self.body {
            zeroize::Zeroize::zeroize(body);
        }
    }
}

impl Outgoing {
    /// A GET without a body.
    pub fn get(url: Url, headers: HeaderMap) -> Self {
        Outgoing {
            method: reqwest::Method::GET,
            url,
            headers,
            body: None,
        }
    }
}

/// A successful (2xx) response, read in full.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub request_id: Option<String>,
    pub url: String,
    pub attempts: u32,
    pub elapsed: Duration,
}

/// One endpoint's connection pool and limits.
#[derive(Debug, Clone)]
pub struct Transport {
    client: Client,
    endpoint: Url,
    timeout: Duration,
    body_cap: usize,
    /// Kept so a transport for another host can trust the same CA.
    ca_file: Option<std::path::PathBuf>,
}

/// One try's outcome, before retry decisions.
enum Tried {
    Answered(Box<Answer>),
    Failed(Error),
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Transport {
    /// A transport for `endpoint`, with `timeout` as each lookup's deadline.
    pub fn new(
        endpoint: Url,
        timeout: Duration,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Self, ConfigError> {
        let client = client::build(&endpoint, ca_file)?;
        Ok(Transport {
            client,
            endpoint,
            timeout,
            body_cap: BODY_CAP,
            ca_file: ca_file.map(std::path::Path::to_path_buf),
        })
    }

    /// The same transport with another body cap (tests use small ones).
    #[doc(hidden)]
    pub fn with_body_cap(mut self, cap: usize) -> Self {
        self.body_cap = cap;
        self
    }

    /// The endpoint this transport talks to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The endpoint with `segments` appended, each percent-encoded.
    pub fn url_for(&self, segments: &[&str]) -> Url {
        let mut url = self.endpoint.clone();
        let mut path = url.path().trim_end_matches('/').to_string();
        for segment in segments {
            path.push('/');
            path.extend(utf8_percent_encode(segment, PATH_SEGMENT));
        }
        url.set_path(&path);
        url
    }

    /// GETs `url` with `headers`, retrying transient failures inside the
    /// profile's deadline. Any status but 2xx becomes an [`Error`].
    pub async fn get(&self, url: Url, headers: HeaderMap) -> Result<Response, Error> {
        self.send(Outgoing::get(url, headers), self.deadline())
            .await
    }

    /// The deadline of a lookup that starts now.
    pub fn deadline(&self) -> Deadline {
        Deadline::after(self.timeout)
    }

    /// The largest body one request may read.
    pub fn body_cap(&self) -> usize {
        self.body_cap
    }

    /// The same pool and limits, for another host of the same profile (IAM).
    /// Shares the connection pool when both hosts follow the same proxy rule
    /// (loopback never goes through a proxy) and the same scheme (a plain
    /// HTTP client holds no CA roots); otherwise builds a client for the new
    /// host with the same CA.
    pub fn with_endpoint(&self, endpoint: Url) -> Result<Transport, ConfigError> {
        let loopback = |u: &Url| u.host_str().is_some_and(crate::config::is_loopback_host);
        let client = if loopback(&endpoint) == loopback(&self.endpoint)
            && endpoint.scheme() == self.endpoint.scheme()
        {
            self.client.clone()
        } else {
            client::build(&endpoint, self.ca_file.as_deref())?
        };
        Ok(Transport {
            client,
            endpoint,
            ..self.clone()
        })
    }
}

/// The title of an HTML body, cleaned for a terminal; `None` for any
/// other body.
pub fn html_title(body: &[u8], content_type: Option<&str>) -> Option<Box<str>> {
    let looks_html = content_type.is_some_and(|t| t.to_ascii_lowercase().contains("html"))
        || body.trim_ascii_start().starts_with(b"<");
    if looks_html {
        error_body::html_title(body).map(String::into_boxed_str)
    } else {
        None
    }
}

/// The first 200 characters of a body, cleaned for a terminal.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    error_body::sanitize(&text, 200)
}

/// The host a redirect points at (with its scheme), never its query, which
/// could carry a ticket or token.
fn redirect_target(location: &str) -> String {
    match Url::parse(location) {
        Ok(u) => format!("{}://{}", u.scheme(), u.host_str().unwrap_or("?")),
        Err(_) => format!(
            "a relative location ({})",
            error_body::sanitize(location.split('?').next().unwrap_or(""), 80)
        ),
    }
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(|s| error_body::sanitize(s, 100))
        .filter(|s| !s.is_empty())
}

/// An error and its causes on one line, innermost last, without duplicates.
/// reqwest's own top line repeats the URL; the caller shows that elsewhere.
pub fn describe_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        let text = err.to_string();
        let text = text.split(" for url (").next().unwrap_or(&text).to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = err.source();
    }
    error_body::sanitize(&parts.join(": "), 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(endpoint: &str) -> Transport {
        Transport::new(Url::parse(endpoint).unwrap(), Duration::from_secs(5), None).unwrap()
    }

    #[test]
    fn segments_are_percent_encoded() {
        let t = transport("https://ddm.cn-north-4.myhuaweicloud.com");
        let url = t.url_for(&["v3", "p", "instances", "a b:1+2", "backups", "b~k.1_ä"]);
        assert_eq!(
            url.path(),
            "/v3/p/instances/a%20b%3A1%2B2/backups/b~k.1_%C3%A4"
        );
    }

    #[test]
    fn an_endpoint_path_prefix_is_kept() {
        let t = transport("http://127.0.0.1:9/prefix/");
        assert_eq!(
            t.url_for(&["v3", "x"]).as_str(),
            "http://127.0.0.1:9/prefix/v3/x"
        );
    }

    #[test]
    fn redirect_targets_drop_paths_and_queries() {
        assert_eq!(
            redirect_target("https://login.example.com/a?ticket=SECRET"),
            "https://login.example.com"
        );
        assert_eq!(
            redirect_target("/other?x=SECRET"),
            "a relative location (/other)"
        );
    }
}

//! The shared transport: one client per profile, a deadline over the whole
//! lookup, bounded retries, a body cap, and error bodies turned into errors.

mod client;
mod error;
pub mod error_body;
mod retry;

use std::error::Error as _;
use std::time::{Duration, Instant, SystemTime};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{Client, Url};

pub use client::{CONNECT_TIMEOUT, user_agent};
pub use error::{Attempts, Error, NetworkKind, status_label, status_text};
pub use retry::MAX_ATTEMPTS;

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

/// When a whole lookup (every try, and any IAM call it needs) must end.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub at: tokio::time::Instant,
    /// The budget it was made from, for the timeout message.
    pub budget: Duration,
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
        Deadline {
            at: tokio::time::Instant::now() + self.timeout,
            budget: self.timeout,
        }
    }

    /// The same pool and limits, for another host of the same profile (IAM).
    /// Shares the connection pool when both hosts follow the same proxy rule
    /// (loopback never goes through a proxy); otherwise builds a client for
    /// the new host with the same CA.
    pub fn with_endpoint(&self, endpoint: Url) -> Result<Transport, ConfigError> {
        let loopback = |u: &Url| u.host_str().is_some_and(crate::config::is_loopback_host);
        let client = if loopback(&endpoint) == loopback(&self.endpoint) {
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

    /// Sends a request, retrying transient failures until `deadline`.
    pub async fn send(&self, request: Outgoing, deadline: Deadline) -> Result<Response, Error> {
        let started = Instant::now();
        let url_text = request.url.to_string();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let tried = match tokio::time::timeout_at(
                deadline.at,
                self.try_once(&request, &url_text),
            )
            .await
            {
                Ok(tried) => tried,
                Err(_) => {
                    return Err(Error::Timeout {
                        after: deadline.budget,
                        url: url_text,
                        attempts: attempt,
                    });
                }
            };
            let wait = match &tried {
                Tried::Answered(a) if retry::is_retryable_status(a.status) => {
                    let hinted = a.headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok());
                    Some(
                        hinted
                            .and_then(|v| retry::parse_retry_after(v, SystemTime::now()))
                            .unwrap_or_else(|| retry::backoff(attempt)),
                    )
                }
                Tried::Failed(Error::Network {
                    kind: NetworkKind::Reset,
                    ..
                }) => Some(retry::backoff(attempt)),
                _ => None,
            };
            let fits = |w: Duration| tokio::time::Instant::now() + w < deadline.at;
            match wait {
                Some(w) if attempt < MAX_ATTEMPTS && fits(w) => {
                    tracing::debug!(
                        attempt,
                        wait_ms = w.as_millis() as u64,
                        "retrying {url_text}"
                    );
                    tokio::time::sleep(w).await;
                }
                _ => return self.finish(tried, url_text, attempt, started),
            }
        }
    }

    async fn try_once(&self, request: &Outgoing, url_text: &str) -> Tried {
        let mut builder = self
            .client
            .request(request.method.clone(), request.url.clone())
            .headers(request.headers.clone());
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => return Tried::Failed(network_error(&e, url_text)),
        };
        let status = response.status().as_u16();
        let mut headers = response.headers().clone();
        // IAM hands out tokens in this header; keep it out of any Debug output.
        if let Some(token) = headers.get_mut("x-subject-token") {
            token.set_sensitive(true);
        }
        let request_id = request_id(&headers);
        if response
            .content_length()
            .is_some_and(|len| len > self.body_cap as u64)
        {
            return Tried::Failed(Error::TooLarge {
                status,
                limit: self.body_cap,
                request_id,
                url: url_text.into(),
            });
        }
        match read_capped(response, self.body_cap).await {
            Ok(body) => Tried::Answered(Box::new(Answer {
                status,
                headers,
                body,
            })),
            Err(ReadError::TooLarge) => Tried::Failed(Error::TooLarge {
                status,
                limit: self.body_cap,
                request_id,
                url: url_text.into(),
            }),
            Err(ReadError::Broken(detail)) => Tried::Failed(Error::BodyRead {
                status,
                detail,
                request_id,
                url: url_text.into(),
            }),
        }
    }

    fn finish(
        &self,
        tried: Tried,
        url: String,
        attempts: u32,
        started: Instant,
    ) -> Result<Response, Error> {
        let answer = match tried {
            Tried::Answered(a) => a,
            Tried::Failed(Error::Network {
                kind, detail, url, ..
            }) => {
                return Err(Error::Network {
                    kind,
                    detail,
                    url,
                    attempts,
                });
            }
            Tried::Failed(e) => return Err(e),
        };
        let Answer {
            status,
            headers,
            body,
        } = *answer;
        let request_id = request_id(&headers);
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|s| error_body::sanitize(s, 100));
        if (200..300).contains(&status) {
            return Ok(Response {
                status,
                headers,
                content_type,
                body,
                request_id,
                url,
                attempts,
                elapsed: started.elapsed(),
            });
        }
        if (300..400).contains(&status) {
            let location = headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(redirect_target);
            return Err(Error::Redirect {
                status,
                location,
                request_id,
                url,
            });
        }
        match error_body::parse(&body) {
            Some(parsed) => Err(Error::Api {
                status,
                code: parsed.code,
                message: parsed.message,
                request_id: request_id.or(parsed.request_id),
                url,
                attempts,
            }),
            None => Err(Error::NotJson {
                status,
                content_type,
                excerpt: excerpt(&body),
                request_id,
                url,
                attempts,
            }),
        }
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

enum ReadError {
    TooLarge,
    Broken(String),
}

/// Reads the body chunk by chunk, stopping as soon as it passes `cap`, so a
/// hostile endpoint cannot make us buffer more than that.
async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Vec<u8>, ReadError> {
    let expected = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let mut body = Vec::with_capacity(expected.unwrap_or(0).min(cap));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > cap {
                    return Err(ReadError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(ReadError::Broken(describe_chain(&e))),
        }
    }
}

fn network_error(e: &reqwest::Error, url: &str) -> Error {
    let chain = describe_chain(e);
    let lower = chain.to_ascii_lowercase();
    let kind = if lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
    {
        NetworkKind::Dns
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        NetworkKind::Tls
    } else if lower.contains("connection refused") {
        NetworkKind::Refused
    } else if is_reset(e) {
        NetworkKind::Reset
    } else {
        NetworkKind::Other
    };
    // The innermost cause says what happened ("Connection refused"); the
    // outer layers only repeat that a request was being sent.
    let innermost = innermost_cause(e);
    let detail = match Url::parse(url).ok().as_ref().and_then(host_and_port) {
        Some(host) => format!("{host}: {innermost}"),
        None => innermost,
    };
    Error::Network {
        kind,
        detail,
        url: url.to_string(),
        attempts: 1,
    }
}

fn host_and_port(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

fn innermost_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(next) = last.source() {
        last = next;
    }
    let text = error_body::sanitize(&last.to_string(), 200);
    if text.is_empty() {
        describe_chain(e)
    } else {
        text
    }
}

/// A connection dropped mid-request (reset, or closed before any answer).
fn is_reset(e: &reqwest::Error) -> bool {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
            ) {
                return true;
            }
        }
        if s.to_string()
            .contains("connection closed before message completed")
        {
            return true;
        }
        source = s.source();
    }
    false
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

//! Sending one request: the tries, the waits between them, the capped body
//! read, and turning what came back into a response or an error.

use std::error::Error as _;
use std::time::{Instant, SystemTime};

use reqwest::Url;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RETRY_AFTER};

use super::{
    Answer, Deadline, Error, MAX_ATTEMPTS, NetworkKind, Outgoing, Response, Transport, Tried,
    describe_chain, error_body, excerpt, redirect_target, request_id, retry,
};

impl Transport {
    /// Sends a request, retrying transient failures until `deadline`.
    pub async fn send(&self, request: Outgoing, deadline: Deadline) -> Result<Response, Error> {
        self.send_capped(request, deadline, self.body_cap).await
    }

    /// [`Self::send`] with a smaller body cap for this one request (a page
    /// of a listing that has used most of its byte budget). The cap never
    /// grows past the transport's own.
    pub async fn send_capped(
        &self,
        request: Outgoing,
        deadline: Deadline,
        body_cap: usize,
    ) -> Result<Response, Error> {
        let body_cap = body_cap.min(self.body_cap);
        let started = Instant::now();
        let url_text = request.url.to_string();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let tried = match tokio::time::timeout_at(
                deadline.at,
                self.try_once(&request, &url_text, body_cap),
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
            let (wait, asked) = match &tried {
                Tried::Answered(a) if retry::is_retryable_status(a.status) => {
                    let asked = a
                        .headers
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
                    (
                        Some(asked.unwrap_or_else(|| retry::backoff(attempt))),
                        asked,
                    )
                }
                Tried::Failed(Error::Network {
                    kind: NetworkKind::Reset,
                    ..
                }) => (Some(retry::backoff(attempt)), None),
                _ => (None, None),
            };
            let now = tokio::time::Instant::now();
            match wait {
                Some(w) if attempt < MAX_ATTEMPTS && deadline.fits(now, w) => {
                    tracing::debug!(
                        attempt,
                        wait_ms = u64::try_from(w.as_millis()).unwrap_or(u64::MAX),
                        "retrying {url_text}"
                    );
                    tokio::time::sleep(w).await;
                }
                // The server said when to come back and that is past the
                // deadline: say so, rather than only the status it sent.
                Some(w) if attempt < MAX_ATTEMPTS && asked.is_some() => {
                    let left = deadline.left(now);
                    return match self.finish(tried, url_text, attempt, started) {
                        Err(answer) => Err(Error::WaitTooLong {
                            wait: w,
                            left,
                            answer: Box::new(answer),
                        }),
                        ok => ok,
                    };
                }
                _ => return self.finish(tried, url_text, attempt, started),
            }
        }
    }

    async fn try_once(&self, request: &Outgoing, url_text: &str, body_cap: usize) -> Tried {
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
        let response_length = response.content_length();
        if response_length.is_some_and(|len| len > body_cap as u64) {
            return Tried::Failed(Error::TooLarge {
                status,
                limit: body_cap,
                request_id,
                url: url_text.into(),
            });
        }
        match read_capped(response, body_cap).await {
            Ok(body) => Tried::Answered(Box::new(Answer {
                status,
                headers,
                body,
            })),
            Err(ReadError::TooLarge) => Tried::Failed(Error::TooLarge {
                status,
                limit: body_cap,
                request_id,
                url: url_text.into(),
            }),
            Err(ReadError::Broken { received, detail }) => Tried::Failed(Error::BodyRead {
                status,
                received,
                announced: response_length,
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
            error_body::Parsed::Known(parsed) => Err(Error::Api {
                status,
                code: parsed.code,
                message: parsed.message,
                request_id: request_id.or(parsed.request_id),
                url,
                attempts,
                encoded_authorization: parsed
                    .encoded_authorization_message
                    .map(String::into_boxed_str),
            }),
            error_body::Parsed::UnknownShape => Err(Error::UnknownShape {
                status,
                content_type,
                excerpt: excerpt(&body),
                request_id,
                url,
                attempts,
            }),
            error_body::Parsed::NotJson => Err(Error::NotJson {
                status,
                title: super::html_title(&body, content_type.as_deref()),
                content_type,
                excerpt: excerpt(&body),
                request_id,
                url,
                attempts,
            }),
        }
    }
}

enum ReadError {
    TooLarge,
    /// The body broke off after `received` bytes.
    Broken {
        received: usize,
        detail: String,
    },
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
                if body.len().saturating_add(chunk.len()) > cap {
                    return Err(ReadError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            // "end of file before message length reached" says it all; the
            // outer layers only repeat that a body was being decoded.
            Err(e) => {
                return Err(ReadError::Broken {
                    received: body.len(),
                    detail: innermost_cause(&e),
                });
            }
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
    } else if e.is_connect() {
        // No connection was made (a connect timeout, say): "could not
        // connect", so a profile's next endpoint may be tried.
        NetworkKind::Refused
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

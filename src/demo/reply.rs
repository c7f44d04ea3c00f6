use std::sync::Arc;
use std::time::Duration;

/// What the fake endpoint answers to one request, including misbehaviour on the wire.
#[derive(Clone, Debug)]
pub struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) delay: Option<Duration>,
    pub(crate) declared_len: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) enum Body {
    // Shared so the 10,000-node fixture is not copied for every request.
    Fixed(Arc<Vec<u8>>),
    Generated { len: usize, chunked: bool },
    Reset,
}

pub(crate) const JSON_TYPE: &str = "application/json;charset=utf8";

impl Reply {
    /// A JSON answer with the content type DDM itself sends.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::raw(status, JSON_TYPE, body)
    }

    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::shared(status, content_type, Arc::new(body.into()))
    }

    pub(crate) fn shared(status: u16, content_type: &str, body: Arc<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: Body::Fixed(body),
            delay: None,
            declared_len: None,
        }
    }

    /// Adds a header, or replaces one of the same name (so `X-Request-Id` can be pinned).
    ///
    /// Content-Length, Transfer-Encoding and Connection are ignored: framing is the writer's.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        // A CR or LF would let a handler forge extra headers or split the response.
        let clean = |s: &str| s.replace(['\r', '\n'], " ");
        let (name, value) = (clean(name), clean(value));
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value));
        self
    }

    /// Sleeps before writing anything, so the client sees nothing at all until then.
    pub fn delay(mut self, d: Duration) -> Reply {
        self.delay = Some(d);
        self
    }

    /// Announces `declared_len` bytes, sends fewer, then closes the connection.
    ///
    /// At most `declared_len - 1` body bytes go out, so the body is always short.
    /// Only fixed bodies are cut; a generated one is sent whole, then closed.
    pub fn truncated(mut self, declared_len: usize) -> Reply {
        self.declared_len = Some(declared_len);
        self
    }

    /// Closes the connection without writing a single byte.
    pub fn reset() -> Reply {
        Reply {
            status: 0,
            headers: Vec::new(),
            body: Body::Reset,
            delay: None,
            declared_len: None,
        }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        let body = format!("<html><body>Moved to <a href=\"{location}\">login</a></body></html>");
        Reply::raw(status, "text/html", body).header("Location", location)
    }

    /// A `{"pad":"xxx…"}` body of exactly `len` bytes, streamed so it is never held in memory.
    pub fn huge(status: u16, len: usize) -> Reply {
        Reply::generated(status, len, false)
    }

    /// Like [`Reply::huge`] but chunked, so a client cannot size its cap from Content-Length.
    pub fn chunked_huge(status: u16, len: usize) -> Reply {
        Reply::generated(status, len, true)
    }

    fn generated(status: u16, len: usize, chunked: bool) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".to_owned(), JSON_TYPE.to_owned())],
            body: Body::Generated { len, chunked },
            delay: None,
            declared_len: None,
        }
    }

    /// DDM's own error shape (API.md section 5), as the service sends it.
    pub(crate) fn ddm(status: u16, code: &str, msg: &str) -> Reply {
        let body = serde_json::json!({"errCode": code, "externalMessage": msg});
        Reply::json(status, body.to_string())
    }

    /// DDM's 500, which a failing call of the service answers.
    pub(crate) fn ddm_internal_error() -> Reply {
        Reply::ddm(500, "DBS.300005", "Internal server error.")
    }

    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

const PAD_PREFIX: &[u8] = b"{\"pad\":\"";
const PAD_SUFFIX: &[u8] = b"\"}";

/// Fills `buf` with the bytes of a generated body starting at `offset`.
///
/// Computing each byte from its position lets the writer stream any length
/// in fixed-size chunks and still end with valid JSON.
pub(crate) fn fill_generated(len: usize, offset: usize, buf: &mut [u8]) {
    let framed = len >= PAD_PREFIX.len() + PAD_SUFFIX.len();
    for (i, b) in buf.iter_mut().enumerate() {
        let pos = offset + i;
        *b = if !framed {
            b' '
        } else if pos < PAD_PREFIX.len() {
            PAD_PREFIX[pos]
        } else if pos >= len - PAD_SUFFIX.len() {
            PAD_SUFFIX[pos - (len - PAD_SUFFIX.len())]
        } else {
            b'x'
        };
    }
}

pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes the demo sent as literals before the shape had one builder.
    #[test]
    fn ddm_errors_keep_the_service_bytes() {
        let body = |r: Reply| match r.body {
            Body::Fixed(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            _ => String::new(),
        };
        let internal = Reply::ddm_internal_error();
        assert_eq!(internal.status, 500);
        assert_eq!(
            body(internal),
            r#"{"errCode":"DBS.300005","externalMessage":"Internal server error."}"#
        );
        assert_eq!(
            body(Reply::ddm(400, "DBS.280001", "Parameter error: \"x\".")),
            r#"{"errCode":"DBS.280001","externalMessage":"Parameter error: \"x\"."}"#
        );
    }
}

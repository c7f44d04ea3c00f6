//! Parsing a request head: the request line, header names and values, and
//! the framing a body may use. Anything odd is refused, not guessed at.

use super::Incoming;

pub(super) const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: u64 = 1024 * 1024;

/// One parsed request head, as handed to route handlers.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The raw path, still percent-encoded, without the query.
    pub path: String,
    pub query: Option<String>,
    /// Header names are lower-cased; values are trimmed.
    pub headers: Vec<(String, String)>,
    /// The `X-Request-Id` the response will carry, so error bodies can quote it.
    pub request_id: String,
    /// The request body (at most 1 MiB).
    pub body: Vec<u8>,
}

impl Request {
    /// First value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) fn new_request_id() -> String {
    format!("{:032x}", fastrand::u128(..))
}

pub(super) fn bad_request() -> Incoming {
    Incoming::Reject {
        status: 400,
        msg: "Bad Request: malformed request line or header\n",
    }
}

pub(super) fn too_large() -> Incoming {
    Incoming::Reject {
        status: 431,
        msg: "Request header fields too large (limit 64 KiB)\n",
    }
}

pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub(super) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

pub(super) struct RequestLine<'a> {
    method: &'a str,
    target: &'a str,
    http10: bool,
}

pub(super) fn parse_request_line(line: &[u8]) -> Option<RequestLine<'_>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || method.is_empty() || !method.bytes().all(is_tchar) {
        return None;
    }
    if target.is_empty() || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return None,
    };
    Some(RequestLine {
        method,
        target,
        http10,
    })
}

pub(super) struct ParsedHead {
    pub req: Request,
    pub keep_alive: bool,
    pub body_len: u64,
}

pub(super) fn parse_head(head: &[u8]) -> Result<ParsedHead, Incoming> {
    let mut lines = head.split(|b| *b == b'\n');
    let first = lines.next().unwrap_or_default();
    let line = parse_request_line(first).ok_or_else(bad_request)?;
    let mut headers = Vec::new();
    for raw in lines {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let colon = raw
            .iter()
            .position(|b| *b == b':')
            .ok_or_else(bad_request)?;
        let name = &raw[..colon];
        // Empty names, folded lines and "Name : v" are all request-smuggling material.
        if name.is_empty() || !name.iter().all(|b| is_tchar(*b)) {
            return Err(bad_request());
        }
        let value = String::from_utf8_lossy(&raw[colon + 1..]);
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        headers.push((name, value.trim_matches([' ', '\t']).to_owned()));
    }
    let mut body_len: Option<u64> = None;
    for (name, value) in &headers {
        match name.as_str() {
            "transfer-encoding" => {
                return Err(Incoming::Reject {
                    status: 501,
                    msg: "Request bodies with Transfer-Encoding are not supported\n",
                });
            }
            "content-length" => {
                let ok = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
                let len = value
                    .parse::<u64>()
                    .ok()
                    .filter(|_| ok)
                    .ok_or_else(bad_request)?;
                if body_len.is_some_and(|prev| prev != len) {
                    return Err(bad_request());
                }
                body_len = Some(len);
            }
            _ => {}
        }
    }
    let body_len = body_len.unwrap_or(0);
    if body_len > MAX_BODY {
        return Err(Incoming::Reject {
            status: 413,
            msg: "Request body too large (limit 1 MiB)\n",
        });
    }
    let has_token = |token: &str| {
        headers
            .iter()
            .filter(|(n, _)| n == "connection")
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    let keep_alive = if line.http10 {
        has_token("keep-alive")
    } else {
        !has_token("close")
    };
    let (path, query) = split_target(line.target);
    let req = Request {
        method: line.method.to_owned(),
        path,
        query,
        headers,
        request_id: new_request_id(),
        body: Vec::new(),
    };
    Ok(ParsedHead {
        req,
        keep_alive,
        body_len,
    })
}

fn split_target(target: &str) -> (String, Option<String>) {
    // Absolute-form is what a client sends when it thinks we are its proxy.
    let origin = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let origin = origin.split('#').next().unwrap_or_default();
    match origin.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (origin.to_owned(), None),
    }
}

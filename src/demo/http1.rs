//! A deliberately small HTTP/1.1 server side: just enough to carry keep-alive
//! requests, and full control over every byte written so replies can misbehave.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

use super::reply::{Body, Reply, fill_generated, reason};

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: u64 = 1024 * 1024;
const CHUNK: usize = 64 * 1024;
// Longer than reqwest's 90 s pool idle timeout, so the client normally
// retires idle connections first and never reuses one we are closing.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);
const LINGER_TIME: Duration = Duration::from_millis(500);
const LINGER_BYTES: usize = 4 * 1024 * 1024;

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

pub(crate) enum Incoming {
    Request { req: Box<Request>, keep_alive: bool },
    Closed,
    Reject { status: u16, msg: &'static str },
}

pub(crate) struct Conn<S> {
    stream: S,
    buf: Vec<u8>,
    /// How long a request head may take to arrive in full.
    head_timeout: Duration,
    /// The first head's deadline runs from the connection's start, so a
    /// client that connects and says nothing cannot hold a slot for the
    /// whole idle timeout; `None` once that request has been read.
    first_head_by: Option<Instant>,
}

/// What one read brought.
enum Filled {
    Bytes(usize),
    /// End of stream, an error, or the idle timeout.
    Closed,
    /// The head deadline passed first.
    Late,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    pub(crate) fn new(stream: S, head_timeout: Duration) -> Self {
        Conn {
            stream,
            buf: Vec::with_capacity(8 * 1024),
            head_timeout,
            first_head_by: after(head_timeout),
        }
    }

    /// Returns the number of bytes read; 0 on EOF, idle timeout or error.
    async fn fill(&mut self) -> usize {
        match self.fill_until(None).await {
            Filled::Bytes(n) => n,
            Filled::Closed | Filled::Late => 0,
        }
    }

    /// Reads more input, waiting until `deadline` when there is one and
    /// for the idle timeout otherwise.
    async fn fill_until(&mut self, deadline: Option<Instant>) -> Filled {
        let mut tmp = [0u8; 16 * 1024];
        let read = self.stream.read(&mut tmp);
        let result = match deadline {
            Some(at) => tokio::time::timeout_at(at, read).await,
            None => tokio::time::timeout(IDLE_TIMEOUT, read).await,
        };
        match result {
            Ok(Ok(0)) | Ok(Err(_)) => Filled::Closed,
            Ok(Ok(n)) => {
                self.buf.extend_from_slice(&tmp[..n]);
                Filled::Bytes(n)
            }
            Err(_) if deadline.is_some() => Filled::Late,
            Err(_) => Filled::Closed,
        }
    }

    pub(crate) async fn next_request(&mut self) -> Incoming {
        let mut scanned = 0;
        // A later head's deadline starts with its first byte: waiting for
        // it is keep-alive idling, which has its own (longer) limit.
        let mut head_by = self.first_head_by.take();
        let head_end = loop {
            // RFC 9112 asks servers to tolerate stray CRLFs between requests.
            let skip = self.buf.iter().take_while(|b| **b == b'\r' || **b == b'\n');
            let skip = skip.count();
            if skip > 0 {
                self.buf.drain(..skip);
                scanned = 0;
            }
            if let Some(pos) = find(&self.buf[scanned..], b"\r\n\r\n") {
                break scanned + pos;
            }
            scanned = self.buf.len().saturating_sub(3);
            // Fail fast on TLS handshakes and binary noise instead of waiting for 64 KiB.
            if self.buf.first().is_some_and(|b| !is_tchar(*b)) {
                return bad_request();
            }
            let eol = self.buf.iter().position(|b| *b == b'\n');
            if eol.is_some_and(|eol| parse_request_line(&self.buf[..eol]).is_none()) {
                return bad_request();
            }
            if self.buf.len() > MAX_HEAD {
                return too_large();
            }
            if head_by.is_none() && !self.buf.is_empty() {
                head_by = after(self.head_timeout);
            }
            match self.fill_until(head_by).await {
                Filled::Bytes(_) => {}
                Filled::Closed => return Incoming::Closed,
                // Nothing said at all: just close. Half a head: say why, as
                // nginx and Apache do, then close.
                Filled::Late if self.buf.is_empty() => return Incoming::Closed,
                Filled::Late => return head_too_slow(),
            }
        };
        if head_end > MAX_HEAD {
            return too_large();
        }
        let head: Vec<u8> = self.buf.drain(..head_end + 4).collect();
        let mut parsed = match parse_head(&head[..head_end]) {
            Ok(p) => p,
            Err(reject) => return reject,
        };
        match self.read_body(parsed.body_len).await {
            Some(body) => parsed.req.body = body,
            None => return Incoming::Closed,
        }
        Incoming::Request {
            req: Box::new(parsed.req),
            keep_alive: parsed.keep_alive,
        }
    }

    /// Reads a body of `len` bytes (already checked against the 1 MiB cap).
    async fn read_body(&mut self, len: u64) -> Option<Vec<u8>> {
        let mut body = Vec::new();
        let mut left = len;
        loop {
            let take = usize::try_from(left)
                .unwrap_or(usize::MAX)
                .min(self.buf.len());
            body.extend(self.buf.drain(..take));
            left -= take as u64;
            if left == 0 {
                return Some(body);
            }
            if self.fill().await == 0 {
                return None;
            }
        }
    }

    /// Answers a request we refuse to parse, then closes politely.
    pub(crate) async fn reject(mut self, status: u16, msg: &str) {
        let head = format!(
            "HTTP/1.1 {status} {}\r\nX-Request-Id: {}\r\nContent-Type: text/plain\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{msg}",
            reason(status),
            new_request_id(),
            msg.len(),
        );
        if self.stream.write_all(head.as_bytes()).await.is_ok() {
            let _ = self.stream.flush().await;
            let _ = self.stream.shutdown().await;
            self.linger().await;
        }
    }

    // Closing with unread input makes the kernel send RST, which can destroy
    // the error reply before the client reads it; so drain for a moment first.
    async fn linger(&mut self) {
        let drain = async {
            let mut tmp = [0u8; 16 * 1024];
            let mut total = 0;
            while total < LINGER_BYTES {
                match self.stream.read(&mut tmp).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => total += n,
                }
            }
        };
        let _ = tokio::time::timeout(LINGER_TIME, drain).await;
    }

    /// Writes `reply`; returns whether the connection may carry another request.
    pub(crate) async fn send(&mut self, reply: &Reply, request_id: &str, keep_alive: bool) -> bool {
        if let Some(d) = reply.delay {
            tokio::time::sleep(d).await;
        }
        match self.write_reply(reply, request_id, keep_alive).await {
            Ok(true) => true,
            Ok(false) => {
                let _ = self.stream.shutdown().await;
                false
            }
            Err(_) => false,
        }
    }

    async fn write_reply(&mut self, reply: &Reply, id: &str, keep_alive: bool) -> io::Result<bool> {
        let keep_alive = keep_alive && reply.declared_len.is_none();
        let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
        for (name, value) in &reply.headers {
            let framing = ["content-length", "transfer-encoding", "connection"];
            if !framing.iter().any(|f| name.eq_ignore_ascii_case(f)) {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        if !reply.has_header("x-request-id") {
            head.push_str(&format!("X-Request-Id: {id}\r\n"));
        }
        head.push_str("Server: ddm-backups-demo\r\n");
        let connection = if keep_alive { "keep-alive" } else { "close" };
        head.push_str(&format!("Connection: {connection}\r\n"));
        match &reply.body {
            Body::Reset => return Ok(false),
            Body::Fixed(body) => {
                let (declared, sent) = match reply.declared_len {
                    // Always strictly shorter than announced, whatever the handler asked.
                    Some(d) => (d, &body[..body.len().min(d.saturating_sub(1))]),
                    None => (body.len(), &body[..]),
                };
                head.push_str(&format!("Content-Length: {declared}\r\n\r\n"));
                let mut out = head.into_bytes();
                out.extend_from_slice(sent);
                self.stream.write_all(&out).await?;
            }
            Body::Generated { len, chunked } => {
                if *chunked {
                    head.push_str("Transfer-Encoding: chunked\r\n\r\n");
                } else {
                    head.push_str(&format!("Content-Length: {len}\r\n\r\n"));
                }
                self.stream.write_all(head.as_bytes()).await?;
                self.write_generated(*len, *chunked).await?;
            }
        }
        self.stream.flush().await?;
        Ok(keep_alive)
    }

    async fn write_generated(&mut self, len: usize, chunked: bool) -> io::Result<()> {
        let mut chunk = vec![0u8; CHUNK];
        let mut offset = 0;
        while offset < len {
            let n = CHUNK.min(len - offset);
            fill_generated(len, offset, &mut chunk[..n]);
            if chunked {
                self.stream
                    .write_all(format!("{n:x}\r\n").as_bytes())
                    .await?;
                self.stream.write_all(&chunk[..n]).await?;
                self.stream.write_all(b"\r\n").await?;
            } else {
                self.stream.write_all(&chunk[..n]).await?;
            }
            offset += n;
        }
        if chunked {
            self.stream.write_all(b"0\r\n\r\n").await?;
        }
        Ok(())
    }
}

/// `timeout` from now; `None` (no deadline, only the idle timeout) in the
/// impossible case that it does not fit an `Instant`.
fn after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

fn head_too_slow() -> Incoming {
    Incoming::Reject {
        status: 408,
        msg: "the request head did not arrive in time",
    }
}

fn bad_request() -> Incoming {
    Incoming::Reject {
        status: 400,
        msg: "Bad Request: malformed request line or header\n",
    }
}

fn too_large() -> Incoming {
    Incoming::Reject {
        status: 431,
        msg: "Request header fields too large (limit 64 KiB)\n",
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

struct RequestLine<'a> {
    method: &'a str,
    target: &'a str,
    http10: bool,
}

fn parse_request_line(line: &[u8]) -> Option<RequestLine<'_>> {
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

struct ParsedHead {
    req: Request,
    keep_alive: bool,
    body_len: u64,
}

fn parse_head(head: &[u8]) -> Result<ParsedHead, Incoming> {
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

//! Reading one request off a connection, each step under its own limit: the
//! head and the body have deadlines, and waiting between requests ends
//! sooner while the server is full.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::time::Instant;

use super::parse::{
    MAX_HEAD, bad_request, find, is_tchar, parse_head, parse_request_line, too_large,
};
use super::{Conn, Incoming};

/// What one read brought.
enum Filled {
    Bytes,
    /// End of stream, an error, or the idle timeout.
    Closed,
    /// The deadline passed first.
    Late,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    /// Reads more input, waiting until `deadline` (or, in the impossible
    /// case that it did not fit an `Instant`, for the idle timeout).
    async fn fill_until(&mut self, deadline: Option<Instant>) -> Filled {
        let mut tmp = [0u8; 16 * 1024];
        let read = self.stream.read(&mut tmp);
        let result = match deadline {
            Some(at) => tokio::time::timeout_at(at, read).await,
            None => tokio::time::timeout(self.limits.idle, read).await,
        };
        match result {
            Ok(Ok(0)) | Ok(Err(_)) => Filled::Closed,
            Ok(Ok(n)) => {
                self.buf.extend_from_slice(&tmp[..n]);
                Filled::Bytes
            }
            Err(_) if deadline.is_some() => Filled::Late,
            Err(_) => Filled::Closed,
        }
    }

    /// Waits for the first byte of the next request on a kept-alive
    /// connection: for the idle timeout, or only `idle_when_full` once every
    /// slot of the server is taken, so idle clients cannot hold them all
    /// while others wait in the listen backlog.
    async fn fill_idle(&mut self) -> Filled {
        let idle_since = Instant::now();
        let grace = self.limits.idle_when_full;
        let mut full = self.full.clone();
        let crowded = async move {
            loop {
                // A closed channel (the server is going away) never says full.
                if full.wait_for(|f| *f).await.is_err() {
                    std::future::pending::<()>().await;
                }
                match idle_since.checked_add(grace) {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending::<()>().await,
                }
                if *full.borrow() {
                    return;
                }
            }
        };
        let mut tmp = [0u8; 16 * 1024];
        let read = tokio::time::timeout(self.limits.idle, self.stream.read(&mut tmp));
        tokio::select! {
            result = read => match result {
                Ok(Ok(n)) if n > 0 => {
                    self.buf.extend_from_slice(&tmp[..n]);
                    Filled::Bytes
                }
                _ => Filled::Closed,
            },
            () = crowded => Filled::Closed,
        }
    }

    pub(crate) async fn next_request(&mut self) -> Incoming {
        let mut scanned = 0;
        // A later head's deadline starts with its first byte: waiting for
        // it is keep-alive idling, which has its own limits.
        let mut head_by = self.first_head_by.take();
        let first = head_by.is_some();
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
                head_by = after(self.limits.head);
            }
            let filled = if self.buf.is_empty() && !first {
                self.fill_idle().await
            } else {
                self.fill_until(head_by).await
            };
            match filled {
                Filled::Bytes => {}
                Filled::Closed => return Incoming::Closed,
                // Nothing said at all: just close. Half a head: say why, as
                // nginx and Apache do, then close.
                Filled::Late if self.buf.is_empty() => return Incoming::Closed,
                Filled::Late => return too_slow(HEAD_TOO_SLOW),
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
            Ok(body) => parsed.req.body = body,
            Err(stop) => return stop,
        }
        Incoming::Request {
            req: Box::new(parsed.req),
            keep_alive: parsed.keep_alive,
        }
    }

    /// Reads a body of `len` bytes (already checked against the 1 MiB cap)
    /// within the body deadline, so a client trickling a byte a second
    /// cannot hold a slot for as long as it likes.
    async fn read_body(&mut self, len: u64) -> Result<Vec<u8>, Incoming> {
        let body_by = after(self.limits.body);
        let mut body = Vec::new();
        let mut left = len;
        loop {
            let take = usize::try_from(left)
                .unwrap_or(usize::MAX)
                .min(self.buf.len());
            body.extend(self.buf.drain(..take));
            left -= take as u64;
            if left == 0 {
                return Ok(body);
            }
            match self.fill_until(body_by).await {
                Filled::Bytes => {}
                Filled::Closed => return Err(Incoming::Closed),
                Filled::Late => return Err(too_slow(BODY_TOO_SLOW)),
            }
        }
    }
}

/// `timeout` from now; `None` (no deadline, only the idle timeout) in the
/// impossible case that it does not fit an `Instant`.
pub(super) fn after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

const HEAD_TOO_SLOW: &str = "the request head did not arrive in time";
const BODY_TOO_SLOW: &str = "the request body did not arrive in time";

fn too_slow(msg: &'static str) -> Incoming {
    Incoming::Reject { status: 408, msg }
}

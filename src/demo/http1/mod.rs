//! A deliberately small HTTP/1.1 server side: just enough to carry keep-alive
//! requests, and full control over every byte written so replies can misbehave.
//! Reading a request (and its deadlines) is in `read`, parsing its head in
//! `parse`; this part holds the connection and writes the replies.

mod parse;
mod read;

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::watch;
use tokio::time::Instant;

use super::reply::{Body, Reply, fill_generated, reason};
pub use parse::Request;
pub(crate) use parse::new_request_id;

const CHUNK: usize = 64 * 1024;
const LINGER_TIME: Duration = Duration::from_millis(500);
const LINGER_BYTES: usize = 4 * 1024 * 1024;

pub(crate) enum Incoming {
    Request { req: Box<Request>, keep_alive: bool },
    Closed,
    Reject { status: u16, msg: &'static str },
}

/// How long a connection may take, or wait, at each step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// A request head, from its first byte (the first one: from the
    /// connection's start) to its blank line.
    pub head: Duration,
    /// A request body, from the end of its head.
    pub body: Duration,
    /// Waiting for the next request on a kept-alive connection.
    pub idle: Duration,
    /// The same wait while every slot of the server is taken: an idle
    /// connection then gives its slot up to one that has something to ask.
    pub idle_when_full: Duration,
}

pub(crate) struct Conn<S> {
    stream: S,
    buf: Vec<u8>,
    limits: Limits,
    /// Whether every connection slot of the server is taken.
    full: watch::Receiver<bool>,
    /// The first head's deadline runs from the connection's start, so a
    /// client that connects and says nothing cannot hold a slot for the
    /// whole idle timeout; `None` once that request has been read.
    first_head_by: Option<Instant>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    pub(crate) fn new(stream: S, limits: Limits, full: watch::Receiver<bool>) -> Self {
        Conn {
            stream,
            buf: Vec::with_capacity(8 * 1024),
            limits,
            full,
            first_head_by: read::after(limits.head),
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

//! A tiny HTTP/1.1 endpoint on 127.0.0.1 whose every answer is written by the
//! test, byte for byte, so it can send what no honest server would.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Head {
    pub method: String,
    /// The request target, query included.
    pub target: String,
    pub headers: Vec<(String, String)>,
    /// How many requests this server answered before this one.
    pub seq: u32,
}

impl Head {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A query parameter's raw value.
    pub fn query(&self, name: &str) -> Option<&str> {
        let query = self.target.split_once('?')?.1;
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

/// What the handler tells the server to do with one request.
pub enum Answer {
    /// Write these bytes and keep the connection for the next request.
    Bytes(Vec<u8>),
    /// Write these bytes in pieces, calling the closure for each next piece
    /// until it returns `None` (an endless or huge body without holding it
    /// in memory).
    Stream(Vec<u8>, Box<dyn FnMut() -> Option<Vec<u8>> + Send>),
    /// Close the connection without answering.
    Close,
}

/// A complete response with a Content-Length.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut out = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    Answer::Bytes(bytes)
}

/// A 200 JSON response.
pub fn json(body: &str) -> Answer {
    response(
        200,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

type Handler = Arc<dyn Fn(&Head) -> Answer + Send + Sync>;

/// A running hostile endpoint; it lives on its own thread until the test ends.
pub struct Hostile {
    pub url: String,
    hits: Arc<AtomicU32>,
}

impl Hostile {
    /// Starts a server that answers every request through `handler`.
    pub fn start(handler: impl Fn(&Head) -> Answer + Send + Sync + 'static) -> Hostile {
        let handler: Handler = Arc::new(handler);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let hits = Arc::new(AtomicU32::new(0));
        let counter = hits.clone();
        // Its own thread and runtime, so sync tests (the binary) and async
        // tests (the client) can both use it.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                while let Ok((socket, _)) = listener.accept().await {
                    tokio::spawn(serve(socket, handler.clone(), counter.clone()));
                }
            });
        });
        Hostile { url, hits }
    }

    /// Requests answered so far.
    pub fn hits(&self) -> u32 {
        self.hits.load(Ordering::SeqCst)
    }
}

async fn serve(mut socket: tokio::net::TcpStream, handler: Handler, hits: Arc<AtomicU32>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let text = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        let mut lines = text.split("\r\n");
        let mut first = lines.next().unwrap_or("").split(' ');
        let method = first.next().unwrap_or("").to_owned();
        let target = first.next().unwrap_or("").to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        // A request body (IAM sign-in) is read and ignored.
        let body_len = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        while buf.len() < body_len {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..body_len);
        let seq = hits.fetch_add(1, Ordering::SeqCst);
        let head = Head {
            method,
            target,
            headers,
            seq,
        };
        match handler(&head) {
            Answer::Bytes(bytes) => {
                if socket.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Answer::Stream(first, mut next) => {
                if socket.write_all(&first).await.is_err() {
                    return;
                }
                while let Some(piece) = next() {
                    if socket.write_all(&piece).await.is_err() {
                        return;
                    }
                }
                return;
            }
            Answer::Close => return,
        }
    }
}

/// A private home for one run of the binary: config, cache, data and logs
/// all under a temporary folder, none of the caller's cloud variables.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The binary with this home and a clean environment.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ddm-backups"));
        for (name, _) in std::env::vars() {
            let proxy = name.to_ascii_lowercase().ends_with("_proxy");
            if name.starts_with("HUAWEICLOUD_SDK_") || name.starts_with("DDM_BACKUPS_") || proxy {
                c.env_remove(name);
            }
        }
        let p = self.path();
        c.env_remove("RUST_LOG")
            .env("HOME", p)
            .env("XDG_CONFIG_HOME", p.join("config"))
            .env("XDG_STATE_HOME", p.join("state"))
            .env("XDG_CACHE_HOME", p.join("cache"))
            .env("XDG_DATA_HOME", p.join("data"))
            .stdin(Stdio::null());
        c
    }

    /// Writes a private (0600) config file with `text` and returns its path.
    pub fn config(&self, text: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.path().join("config.toml");
        let mut f = std::fs::File::create(&path).expect("config");
        f.write_all(text.as_bytes()).expect("write config");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        path
    }

    /// A config with one token profile `p` aimed at `url`.
    pub fn token_config(&self, url: &str, extra: &str) -> PathBuf {
        self.config(&format!(
            "[profiles.p]\nregion = \"cn-north-4\"\nproject_id = \"0123456789abcdef0123456789abcdef\"\n\
             endpoint = \"{url}\"\n{extra}\n[profiles.p.auth]\ntype = \"token\"\ntoken = \"tok\"\n"
        ))
    }
}

/// A run's stderr as text, for messages and assertions.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A run's stdout and stderr as text.
pub fn streams(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr(out),
    )
}

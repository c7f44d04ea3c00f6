//! Clients that hold the demo endpoint's connections: heads and bodies
//! that never finish, and kept-alive connections that sit idle.

use std::time::{Duration, Instant};

use ddm_backups::demo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Reads until the server closes, or gives up after `patience`.
async fn read_until_closed(
    stream: &mut tokio::net::TcpStream,
    patience: Duration,
) -> Option<Vec<u8>> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    tokio::time::timeout(patience, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .ok()?;
    Some(seen)
}

#[tokio::test]
async fn the_demo_closes_a_connection_whose_head_stalls() {
    let demo = demo::DemoServer::builder()
        .head_timeout(Duration::from_millis(300))
        .bind()
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(demo.addr()).await.unwrap();
    stream
        .write_all(b"GET /v3/x/instances/i/backups/b HTTP/1.1\r\nHost: demo\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let seen = read_until_closed(&mut stream, Duration::from_secs(20))
        .await
        .expect("the stalled connection stayed open");
    assert!(started.elapsed() < Duration::from_secs(15));
    let text = String::from_utf8_lossy(&seen);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );

    // A client that connects and sends nothing gets the same deadline.
    let mut silent = tokio::net::TcpStream::connect(demo.addr()).await.unwrap();
    read_until_closed(&mut silent, Duration::from_secs(20))
        .await
        .expect("the silent connection stayed open");
}

#[tokio::test]
async fn the_demo_serves_64_connections_at_once_and_queues_the_rest() {
    let demo = demo::DemoServer::builder()
        .head_timeout(Duration::from_secs(120))
        .bind()
        .await
        .unwrap();
    let mut idle = Vec::new();
    for _ in 0..64 {
        idle.push(tokio::net::TcpStream::connect(demo.addr()).await.unwrap());
    }
    let request = format!(
        "GET /v3/{}/instances/{}/backups/{} HTTP/1.1\r\nHost: demo\r\nX-Auth-Token: {}\r\nConnection: close\r\n\r\n",
        demo.project_id(),
        demo::EXAMPLE_INSTANCE_ID,
        demo::EXAMPLE_BACKUP_ID,
        demo.token()
    );
    // The kernel takes the 65th connection into its backlog; the demo does
    // not read it while 64 others are open.
    let mut waiting = tokio::net::TcpStream::connect(demo.addr()).await.unwrap();
    waiting.write_all(request.as_bytes()).await.unwrap();
    let mut first = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(500), waiting.read(&mut first)).await;
    assert!(early.is_err(), "the 65th connection was served: {early:?}");
    // One slot frees up: the queued connection is served.
    drop(idle.pop());
    let seen = read_until_closed(&mut waiting, Duration::from_secs(20))
        .await
        .expect("the queued connection was never served");
    let text = String::from_utf8_lossy(&seen);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

/// A keep-alive ShowBackup request for the API's example backup.
fn example_request(demo: &demo::RunningDemo) -> String {
    format!(
        "GET /v3/{}/instances/{}/backups/{} HTTP/1.1\r\nHost: demo\r\nX-Auth-Token: {}\r\n\r\n",
        demo.project_id(),
        demo::EXAMPLE_INSTANCE_ID,
        demo::EXAMPLE_BACKUP_ID,
        demo.token()
    )
}

/// Reads one response with a Content-Length, leaving the connection open.
async fn read_response(stream: &mut tokio::net::TcpStream) -> String {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&seen).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .expect("a Content-Length");
            if seen.len() >= end + 4 + length {
                return text;
            }
        }
        let n = stream.read(&mut buf).await.expect("read");
        assert!(n > 0, "closed mid-response: {text}");
        seen.extend_from_slice(&buf[..n]);
    }
}

#[tokio::test]
async fn idle_kept_alive_connections_give_their_slots_up_while_the_demo_is_full() {
    let demo = demo::DemoServer::builder()
        .idle_when_full(Duration::from_millis(300))
        .bind()
        .await
        .unwrap();
    let request = example_request(&demo);
    // 64 clients each ask once, then keep the connection open and idle.
    let mut idle = Vec::new();
    for _ in 0..demo::MAX_CONNECTIONS {
        let mut stream = tokio::net::TcpStream::connect(demo.addr()).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let answer = read_response(&mut stream).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains("Connection: keep-alive"), "{answer}");
        idle.push(stream);
    }
    // A 65th client is served within a few seconds, not after the idle
    // timeout of 120 s.
    let started = Instant::now();
    let mut late = tokio::net::TcpStream::connect(demo.addr()).await.unwrap();
    late.write_all(request.as_bytes()).await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), read_response(&mut late))
        .await
        .expect("the 65th request waited behind idle connections");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The idle ones were closed, not reset mid-answer.
    let closed = read_until_closed(&mut idle[0], Duration::from_secs(5)).await;
    assert_eq!(closed.as_deref(), Some(&b""[..]));
}

#[tokio::test]
async fn an_idle_connection_keeps_its_slot_while_the_demo_has_room() {
    let demo = demo::DemoServer::builder()
        .idle_when_full(Duration::from_millis(100))
        .bind()
        .await
        .unwrap();
    let request = example_request(&demo);
    let mut stream = tokio::net::TcpStream::connect(demo.addr()).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    read_response(&mut stream).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    // Still open: the second request on it is answered.
    stream.write_all(request.as_bytes()).await.unwrap();
    let answer = read_response(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn the_demo_closes_a_connection_whose_body_trickles() {
    let demo = demo::DemoServer::builder()
        .body_timeout(Duration::from_millis(300))
        .bind()
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(demo.addr()).await.unwrap();
    stream
        .write_all(b"POST /v3/auth/tokens HTTP/1.1\r\nHost: demo\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    let started = Instant::now();
    // One more byte now and then, well inside any per-read timeout.
    let trickle = async {
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if stream.write_all(b" ").await.is_err() {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_millis(600), trickle).await;
    let seen = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("the trickling connection stayed open");
    assert!(started.elapsed() < Duration::from_secs(5));
    let text = String::from_utf8_lossy(&seen);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("body did not arrive in time"), "{text}");
}

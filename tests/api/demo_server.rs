//! The demo endpoint over real sockets: reqwest for client behaviour, raw
//! TcpStreams for what reqwest would hide (connection reuse, hostile bytes).

use std::time::Duration;

use ddm_backups::demo::{
    DEMO_INSTANCE_ID, DEMO_PROJECT_ID, DEMO_TOKEN, DemoServer, EXAMPLE_BACKUP_ID,
    EXAMPLE_INSTANCE_ID, Reply, RunningDemo, catalogue,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn client() -> reqwest::Client {
    // A bare reqwest client needs the crypto provider the app installs.
    ddm_backups::http::install_tls_provider();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn url(demo: &RunningDemo, instance: &str, backup: &str) -> String {
    format!(
        "{}/v3/{}/instances/{instance}/backups/{backup}",
        demo.base_url(),
        demo.project_id()
    )
}

async fn demo() -> RunningDemo {
    DemoServer::builder().bind().await.expect("bind")
}

async fn at(c: &reqwest::Client, target: &str) -> reqwest::Response {
    let rb = c.get(target).header("X-Auth-Token", DEMO_TOKEN);
    rb.send().await.expect("send")
}

async fn get(c: &reqwest::Client, demo: &RunningDemo, backup: &str) -> reqwest::Response {
    at(c, &url(demo, DEMO_INSTANCE_ID, backup)).await
}

/// Status and error code, whichever error shape the body has.
fn code(status: u16, v: &Value) -> (u16, &str) {
    let code = v["error_code"].as_str().or(v["errCode"].as_str());
    (status, code.unwrap_or(""))
}

fn header<'a>(resp: &'a reqwest::Response, name: &str) -> &'a str {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Status, request id header, and the body parsed as JSON.
async fn json_of(resp: reqwest::Response) -> (u16, String, Value) {
    let status = resp.status().as_u16();
    let id = header(&resp, "x-request-id").to_owned();
    let body = resp.bytes().await.expect("body");
    (status, id, serde_json::from_slice(&body).expect("json"))
}

fn is_request_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[tokio::test]
async fn example_matches_the_api_reference() {
    let demo = demo().await;
    let resp = at(
        &client(),
        &url(&demo, EXAMPLE_INSTANCE_ID, EXAMPLE_BACKUP_ID),
    )
    .await;
    let json_type = "application/json;charset=utf8";
    assert_eq!(header(&resp, "content-type"), json_type);
    assert_eq!(header(&resp, "connection"), "keep-alive");
    let (status, id, body) = json_of(resp).await;
    assert_eq!(status, 200);
    assert!(is_request_id(&id), "{id}");
    let expected: Value = serde_json::from_str(
        r#"{"id":"09902ee7866649b8908ec209bfee2747br09",
            "name":"Backup-ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg-2025052005400",
            "instance_id":"34970585d4964f2a8d6d9ea8d303398bin09",
            "instance_name":"ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg",
            "related_data_nodes":[{"instance_id":"fc33739e5d2741529e21d87a7b5923fain01",
              "instance_name":"mysql_rds_related_ddm_for_diagnose3_01"}]}"#,
    )
    .expect("literal");
    assert_eq!(body, expected);
}

#[tokio::test]
async fn fixtures_have_the_promised_shapes() {
    let demo = demo().await;
    let c = client();
    let nodes = |v: &Value| v["related_data_nodes"].as_array().map(Vec::len);
    let (_, _, v) = json_of(get(&c, &demo, "nodes-br09").await).await;
    assert_eq!(nodes(&v), Some(6));
    assert!(v.get("status").is_some(), "extra fields present");
    let (_, _, v) = json_of(get(&c, &demo, "bulk-br09").await).await;
    assert_eq!(nodes(&v), Some(10_000));
    let (_, _, v) = json_of(get(&c, &demo, "empty-br09").await).await;
    assert_eq!(nodes(&v), Some(0));
    let (_, _, v) = json_of(get(&c, &demo, "null-br09").await).await;
    assert!(v["related_data_nodes"].is_null());
    let (_, _, v) = json_of(get(&c, &demo, "wide-br09").await).await;
    assert!(v["name"].as_str().is_some_and(|n| n.chars().count() >= 120));
    assert!(v.to_string().contains('\t') || v.to_string().contains("\\t"));
    let (_, _, v) = json_of(get(&c, &demo, "shape-br09").await).await;
    assert!(v["related_data_nodes"].is_string() && v["name"].is_number());
    let resp = get(&c, &demo, "notjson-br09").await;
    assert_eq!(header(&resp, "content-type"), "text/plain");
    assert_eq!(resp.text().await.expect("text"), "upstream says hi");
    let resp = get(&c, &demo, "e502-br09").await;
    assert_eq!(resp.status().as_u16(), 502);
    assert!(resp.text().await.expect("text").contains("nginx"));
    let resp = get(&c, &demo, "redirect-br09").await;
    assert_eq!(resp.status().as_u16(), 302);
    let login = "https://login.example.invalid/authui/login";
    assert_eq!(header(&resp, "location"), login);
    let resp = get(&c, &demo, "huge-br09").await;
    let len = (20 * 1024 * 1024).to_string();
    assert_eq!(header(&resp, "content-length"), len);
}

#[tokio::test]
async fn every_catalogue_entry_is_routed() {
    let demo = demo().await;
    let c = client();
    let mut ids: Vec<_> = catalogue().iter().map(|b| b.backup_id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), catalogue().len(), "backup ids are unique");
    // Slow, big or connection-breaking ones have their own tests.
    let skip = ["slow", "hang", "huge", "reset", "trunc"].map(|s| format!("{s}-br09"));
    for b in catalogue()
        .iter()
        .filter(|b| !skip.iter().any(|s| s == b.backup_id))
    {
        let resp = at(&c, &url(&demo, b.instance_id, b.backup_id)).await;
        assert!(is_request_id(header(&resp, "x-request-id")));
        let text = resp.text().await.expect("body");
        let missing = text.contains("DBS.280404");
        assert_eq!(
            missing,
            b.backup_id == "e404-br09",
            "{}: {text}",
            b.backup_id
        );
    }
}

#[tokio::test]
async fn keep_alive_serves_several_requests() {
    let demo = demo().await;
    let c = client();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let resp = get(&c, &demo, "nodes-br09").await;
        assert_eq!(header(&resp, "connection"), "keep-alive");
        let (status, id, _) = json_of(resp).await;
        assert_eq!(status, 200);
        ids.push(id);
    }
    assert_eq!(demo.hits("nodes-br09"), 3);
    assert_eq!(demo.service().hits("nodes-br09"), 3);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "request ids are unique");
}

fn raw_get(backup: &str, extra: &str) -> String {
    format!(
        "GET /v3/{DEMO_PROJECT_ID}/instances/{DEMO_INSTANCE_ID}/backups/{backup} HTTP/1.1\r\n\
         Host: demo\r\nX-Auth-Token: {DEMO_TOKEN}\r\n{extra}\r\n"
    )
}

async fn read_more(s: &mut TcpStream, buf: &mut Vec<u8>) {
    let mut tmp = [0u8; 4096];
    let n = s.read(&mut tmp).await.expect("read");
    assert!(n > 0, "EOF inside a response");
    buf.extend_from_slice(&tmp[..n]);
}

/// Reads one Content-Length framed response; returns (status, head, body).
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> (u16, String, Vec<u8>) {
    let end = loop {
        match buf.windows(4).position(|w| w == b"\r\n\r\n") {
            Some(p) => break p,
            None => read_more(s, buf).await,
        }
    };
    let head = String::from_utf8(buf.drain(..end + 4).collect()).expect("utf8 head");
    let status = head[9..12].parse().expect("status");
    let len = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "));
    let len: usize = len.and_then(|v| v.parse().ok()).expect("content-length");
    while buf.len() < len {
        read_more(s, buf).await;
    }
    (status, head, buf.drain(..len).collect())
}

async fn assert_closed(s: &mut TcpStream, buf: &[u8]) {
    assert!(buf.is_empty(), "unexpected extra bytes");
    let mut tmp = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), s.read(&mut tmp)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "should close");
}

#[tokio::test]
async fn raw_socket_keep_alive_and_pipelining() {
    let demo = demo().await;
    let mut s = TcpStream::connect(demo.addr()).await.expect("connect");
    let mut buf = Vec::new();
    let first = raw_get("empty-br09", "");
    s.write_all(first.as_bytes()).await.expect("write");
    let (status, head, _) = read_response(&mut s, &mut buf).await;
    assert_eq!(status, 200);
    assert!(head.contains("Connection: keep-alive"));
    // Two more in one write; the second one asks to close.
    let two = raw_get("null-br09", "") + &raw_get("e400-br09", "Connection: close\r\n");
    s.write_all(two.as_bytes()).await.expect("write");
    let (status, _, body) = read_response(&mut s, &mut buf).await;
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("null-br09"));
    let (status, head, body) = read_response(&mut s, &mut buf).await;
    assert_eq!(status, 400);
    assert!(head.contains("Connection: close"));
    assert!(String::from_utf8_lossy(&body).contains("DBS.280001"));
    assert_closed(&mut s, &buf).await;
    assert_eq!(demo.hits("empty-br09") + demo.hits("null-br09"), 2);
}

#[tokio::test]
async fn auth_method_and_path_errors() {
    let demo = demo().await;
    let c = client();
    let target = url(&demo, DEMO_INSTANCE_ID, "nodes-br09");
    for token in [None, Some("wrong")] {
        let mut rb = c.get(&target);
        if let Some(t) = token {
            rb = rb.header("X-Auth-Token", t);
        }
        let (status, id, v) = json_of(rb.send().await.expect("send")).await;
        assert_eq!(status, 401);
        assert_eq!(v["error_code"], "APIGW.0301");
        assert_eq!(v["request_id"], id.as_str());
    }
    let resp = c
        .post(&target)
        .header("X-Auth-Token", DEMO_TOKEN)
        .body(vec![b'x'; 200_000])
        .send()
        .await
        .expect("send");
    assert_eq!(header(&resp, "allow"), "GET");
    let (status, id, v) = json_of(resp).await;
    assert_eq!(code(status, &v), (405, "APIGW.0106"));
    assert_eq!(v["request_id"], id.as_str());
    let (status, _, v) = json_of(at(&c, &format!("{}/v3/nope", demo.base_url())).await).await;
    assert_eq!(code(status, &v), (404, "APIGW.0101"));
    let wrong_project = target.replace(DEMO_PROJECT_ID, "ffffffffffffffffffffffffffffffff");
    let (status, _, v) = json_of(at(&c, &wrong_project).await).await;
    assert_eq!(code(status, &v), (400, "DBS.280001"));
    let (status, _, v) = json_of(get(&c, &demo, "missing-br09").await).await;
    assert_eq!(code(status, &v), (404, "DBS.280404"));
    let (status, _, v) = json_of(at(&c, &url(&demo, "other-in09", "nodes-br09")).await).await;
    assert_eq!(code(status, &v), (404, "DBS.280404"));
    // Percent-encoded segments are decoded before matching.
    let encoded = target.replace("nodes-br09", "nodes%2Dbr09");
    assert_eq!(at(&c, &encoded).await.status().as_u16(), 200);
}

/// An offset no list reaches (usize::MAX) is an empty page with its page
/// number clamped, not a panic in the handler and a dropped connection.
#[tokio::test]
async fn demo_server_huge_list_offset_is_an_empty_page() {
    let demo = demo().await;
    let c = client();
    let base = format!("{}/v1/{}", demo.base_url(), demo.project_id());
    let target = format!("{base}/instances?offset={}&limit=1", usize::MAX);
    let (status, _, v) = json_of(at(&c, &target).await).await;
    assert_eq!(status, 200);
    assert_eq!(v["instances"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["page_no"].as_u64(), Some(u64::MAX));
    let target = format!(
        "{}/v3/{}/backups?offset={}&limit=128",
        demo.base_url(),
        demo.project_id(),
        usize::MAX
    );
    let (status, _, v) = json_of(at(&c, &target).await).await;
    assert_eq!(status, 200);
    assert_eq!(v["backups"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn throttling_alternates_with_success() {
    let demo = demo().await;
    let c = client();
    for round in 0..2 {
        let resp = get(&c, &demo, "e429-br09").await;
        assert_eq!(header(&resp, "retry-after"), "1");
        let (status, _, v) = json_of(resp).await;
        assert_eq!(code(status, &v), (429, "APIGW.0308"));
        let (status, _, v) = json_of(get(&c, &demo, "e429-br09").await).await;
        let ok = (status, v["id"].as_str());
        assert_eq!(ok, (200, Some("e429-br09")), "round {round}");
    }
    assert_eq!(demo.hits("e429-br09"), 4);
    let resp = get(&c, &demo, "e503-br09").await;
    let unavailable = (resp.status().as_u16(), header(&resp, "retry-after"));
    assert_eq!(unavailable, (503, "1"));
}

#[tokio::test]
async fn truncated_body_is_a_body_error() {
    let demo = demo().await;
    let resp = get(&client(), &demo, "trunc-br09").await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(header(&resp, "connection"), "close");
    let err = resp.bytes().await.expect_err("body must fail");
    assert!(err.is_body() || err.is_decode(), "{err:?}");
}

#[tokio::test]
async fn reset_is_a_connection_error_then_succeeds() {
    let demo = demo().await;
    let c = client();
    let target = url(&demo, DEMO_INSTANCE_ID, "reset-br09");
    let sent = c
        .get(&target)
        .header("X-Auth-Token", DEMO_TOKEN)
        .send()
        .await;
    let err = sent.expect_err("no response on the first call");
    assert!(err.status().is_none() && !err.is_timeout(), "{err:?}");
    let (status, _, _) = json_of(get(&c, &demo, "reset-br09").await).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn huge_bodies_stream_with_and_without_length() {
    let len = 3 * 1024 * 1024 + 7;
    let demo = DemoServer::builder()
        .route("chunked-br09", move |_, _| Reply::chunked_huge(200, len))
        .route("sized-br09", move |_, _| Reply::huge(200, len))
        .bind()
        .await
        .expect("bind");
    let c = client();
    for (backup, chunked) in [("chunked-br09", true), ("sized-br09", false)] {
        let mut resp = get(&c, &demo, backup).await;
        assert_eq!(resp.headers().contains_key("content-length"), !chunked);
        assert_eq!(header(&resp, "transfer-encoding") == "chunked", chunked);
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.expect("chunk") {
            body.extend_from_slice(&chunk);
        }
        assert_eq!(body.len(), len);
        let v: Value = serde_json::from_slice(&body).expect("valid JSON");
        assert!(v["pad"].is_string());
    }
}

#[tokio::test]
async fn custom_routes_override_builtins_and_count_hits() {
    let demo = DemoServer::builder()
        .route("custom-br09", |req, hit| {
            let body = format!(
                r#"{{"hit":{hit},"query":"{}"}}"#,
                req.query.as_deref().unwrap_or("")
            );
            Reply::json(200, body).header("X-Request-Id", "0123456789abcdef0123456789abcdef")
        })
        .route("e400-br09", |_, _| {
            Reply::raw(200, "text/plain", "overridden").delay(Duration::from_millis(20))
        })
        .bind()
        .await
        .expect("bind");
    let c = client();
    let target = url(&demo, "any-instance", "custom-br09") + "?a=1";
    for expected in 1..=2 {
        let (status, id, v) = json_of(at(&c, &target).await).await;
        let seen = (status, v["hit"].as_u64(), v["query"].as_str());
        assert_eq!(seen, (200, Some(expected), Some("a=1")));
        assert_eq!(id, "0123456789abcdef0123456789abcdef");
    }
    let resp = get(&c, &demo, "e400-br09").await;
    assert_eq!(resp.text().await.expect("text"), "overridden");
}

async fn raw_exchange(demo: &RunningDemo, bytes: &[u8]) -> u16 {
    let mut s = TcpStream::connect(demo.addr()).await.expect("connect");
    // The server may answer before reading everything; a failed write is fine.
    let _ = s.write_all(bytes).await;
    let mut buf = Vec::new();
    let (status, head, _) = read_response(&mut s, &mut buf).await;
    assert!(head.contains("Connection: close"), "{head}");
    assert!(is_request_id(
        head.lines()
            .find_map(|l| l.strip_prefix("X-Request-Id: "))
            .unwrap_or("")
    ));
    assert_closed(&mut s, &buf).await;
    status
}

#[tokio::test]
async fn hostile_input_is_refused_and_the_server_keeps_serving() {
    let demo = demo().await;
    let big_pad = "a".repeat(100 * 1024);
    let cases: Vec<(Vec<u8>, u16)> = vec![
        (b"this is not http\r\n\r\n".to_vec(), 400),
        (
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(),
            400,
        ),
        (b"GET / HTTP/1.1\r\nbad header\r\n\r\n".to_vec(), 400),
        (
            b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n".to_vec(),
            400,
        ),
        (raw_get("a-br09", "Content-Length: 2000000\r\n").into(), 413),
        (
            raw_get("a-br09", &format!("X-Pad: {big_pad}\r\n")).into(),
            431,
        ),
        // No end of head in sight: the cap must apply before the blank line.
        (format!("GET / HTTP/1.1\r\nX-Pad: {big_pad}").into(), 431),
    ];
    for (bytes, status) in cases {
        let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned();
        assert_eq!(raw_exchange(&demo, &bytes).await, status, "{shown}");
    }
    let (status, _, _) = json_of(get(&client(), &demo, "nodes-br09").await).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let demo = demo().await;
    let addr = demo.addr();
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    drop(demo);
    let mut tmp = [0u8; 8];
    let read = tokio::time::timeout(Duration::from_secs(5), idle.read(&mut tmp)).await;
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "open connections are closed"
    );
    let mut refused = false;
    for _ in 0..50 {
        if TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "listener is closed");
}

//! The ShowBackup route and the built-in demo backups, each one a situation a
//! real DDM endpoint (or the gateway and proxies in front of it) can produce.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use serde_json::json;

use super::lists;
use super::reply::Reply;
use super::{
    DEMO_INSTANCE_ID, DEMO_PROJECT_ID, DemoBackup, EXAMPLE_BACKUP_ID, EXAMPLE_INSTANCE_ID, Request,
    ServiceInner,
};

const EXAMPLE: &str = include_str!("../../assets/demo/example.json");
const NODES: &str = include_str!("../../assets/demo/nodes.json");
const WIDE: &str = include_str!("../../assets/demo/wide.json");
const EMPTY: &str = include_str!("../../assets/demo/empty.json");
const NULL: &str = include_str!("../../assets/demo/null.json");
const SHAPE: &str = include_str!("../../assets/demo/shape.json");
const BAD_GATEWAY: &str = include_str!("../../assets/demo/bad-gateway.html");

const BULK_NODES: usize = 10_000;
const HUGE_LEN: usize = 20 * 1024 * 1024;

const fn row(backup_id: &'static str, shows: &'static str) -> DemoBackup {
    DemoBackup {
        instance_id: DEMO_INSTANCE_ID,
        backup_id,
        shows,
    }
}

pub(crate) static CATALOGUE: &[DemoBackup] = &[
    DemoBackup {
        instance_id: EXAMPLE_INSTANCE_ID,
        backup_id: EXAMPLE_BACKUP_ID,
        shows: "200, the example body from Huawei's API reference",
    },
    row(
        "nodes-br09",
        "200, six data nodes, plus fields the client must ignore",
    ),
    row(
        "wide-br09",
        "200, long, CJK, emoji and control-character names",
    ),
    row("empty-br09", "200, \"related_data_nodes\": []"),
    row("null-br09", "200, \"related_data_nodes\": null"),
    row("bulk-br09", "200, 10,000 data nodes (about 1 MB of JSON)"),
    row("e400-br09", "400 in DDM's own error shape (DBS.280001)"),
    row("e401-br09", "401 in IAM's error shape"),
    row("e403-br09", "403 from the API gateway (APIGW.0302)"),
    row("e404-br09", "404 in DDM's shape: the backup does not exist"),
    row(
        "e429-br09",
        "429 + Retry-After: 1 on odd calls, 200 on even ones",
    ),
    row("e500-br09", "500 in the gateway's shape (DBS.300005)"),
    row("e502-br09", "502 with an nginx HTML page instead of JSON"),
    row("e503-br09", "503 + Retry-After: 1, every time"),
    row("slow-br09", "200 after 5 seconds"),
    row("hang-br09", "200 after 60 seconds (hits any sane deadline)"),
    row(
        "trunc-br09",
        "200 whose body stops halfway, then the connection closes",
    ),
    row(
        "redirect-br09",
        "302 to a login page (must not be followed)",
    ),
    row("shape-br09", "200 JSON with the wrong field types"),
    row("notjson-br09", "200 with a text/plain body"),
    row("huge-br09", "200 with a 20 MiB body"),
    row(
        "reset-br09",
        "connection closed without an answer on odd calls, 200 on even",
    ),
    row(
        super::progress::CREATING_BACKUP_ID,
        "status creating; normal about 10 s after it is first read",
    ),
    row(
        super::progress::FAILING_BACKUP_ID,
        "status creating; createfail about 10 s after it is first read",
    ),
    DemoBackup {
        instance_id: super::shards::SHARDS_INSTANCE_ID,
        backup_id: super::shards::SHARDS_BACKUP_ID,
        shows: "200, twelve data nodes, all there now (its instance's nodes and windows span two pages)",
    },
];

/// Answers one parsed request, in the order the real gateway and DDM check things.
pub(crate) fn respond(svc: &ServiceInner, req: &Request) -> Reply {
    if req.path == "/v3/auth/tokens" {
        return svc.iam.sign_in(req);
    }
    if let Some((route, project)) = lists::match_list(&req.path) {
        if req.method != "GET" {
            return gateway(req, 405, "APIGW.0106", "Method not allowed").header("Allow", "GET");
        }
        if !svc.iam.authorised(req) {
            return unauthorised(req);
        }
        return lists::respond(route, project, req, svc);
    }
    let Some(seg) = match_route(&req.path) else {
        return gateway(
            req,
            404,
            "APIGW.0101",
            "The API does not exist or has not been published in the environment",
        );
    };
    if req.method != "GET" {
        return gateway(req, 405, "APIGW.0106", "Method not allowed").header("Allow", "GET");
    }
    if !svc.iam.authorised(req) {
        return unauthorised(req);
    }
    let eu = seg.project_id == super::eu::DEMO_EU_PROJECT_ID;
    if seg.project_id != DEMO_PROJECT_ID && !eu {
        return Reply::ddm(
            400,
            "DBS.280001",
            "Parameter error: project_id does not match the token.",
        );
    }
    if eu && let Some(reply) = super::eu::show(&seg.instance_id, &seg.backup_id) {
        return reply;
    }
    let hit = svc.hit(&seg.backup_id);
    if let Some(handler) = svc.routes.get(seg.backup_id.as_ref()) {
        return handler(req, hit);
    }
    // The fleet of this project, dated relative to the server's now.
    let fleet = svc.fleet.specs(eu);
    let now = super::fleet::seconds(svc.now());
    // After the test routes, so a test can stand in for a restore call.
    if super::restore::NAMES.contains(&seg.backup_id.as_ref()) {
        let fleet_answer = fleet.restore(&seg.instance_id, &seg.backup_id, req, now);
        return fleet_answer
            .or_else(|| super::restore::respond(&seg.instance_id, &seg.backup_id, req))
            .unwrap_or_else(|| Reply::ddm(404, "DBS.280404", "The instance does not exist."));
    }
    if let Some(reply) = fleet.show(&seg.instance_id, &seg.backup_id, now) {
        return reply;
    }
    if let Some(n) = lists::pages_backup(&seg.instance_id, &seg.backup_id) {
        return archive(&seg.backup_id, n);
    }
    let owner = CATALOGUE
        .iter()
        .find(|b| b.backup_id == seg.backup_id)
        .map_or(DEMO_INSTANCE_ID, |b| b.instance_id);
    if seg.instance_id != owner {
        return not_found();
    }
    if let Some(nodes) = being_made(svc, &seg.backup_id) {
        return nodes;
    }
    builtin(req, &seg.backup_id, hit)
}

/// A backup being made answers its lookup with the instance's current
/// nodes, so once it is `normal` nothing stands in the way of a restore.
fn being_made(svc: &ServiceInner, backup_id: &str) -> Option<Reply> {
    svc.making.status(backup_id)?;
    let mut doc = plain_doc(backup_id);
    doc["related_data_nodes"] = super::restore::current_nodes()
        .map(|(id, name)| json!({"instance_id": id, "instance_name": name}))
        .collect();
    Some(Reply::json(200, doc.to_string()))
}

struct Segments<'a> {
    project_id: Cow<'a, str>,
    instance_id: Cow<'a, str>,
    backup_id: Cow<'a, str>,
}

fn match_route(path: &str) -> Option<Segments<'_>> {
    let mut parts = path.strip_prefix('/')?.split('/');
    let mut next = || parts.next().filter(|s| !s.is_empty());
    let (v3, project, instances, instance, backups, backup) =
        (next()?, next()?, next()?, next()?, next()?, next()?);
    if next().is_some() || v3 != "v3" || instances != "instances" || backups != "backups" {
        return None;
    }
    let decode = |s| percent_decode_str(s).decode_utf8_lossy();
    Some(Segments {
        project_id: decode(project),
        instance_id: decode(instance),
        backup_id: decode(backup),
    })
}

fn builtin(req: &Request, backup_id: &str, hit: u32) -> Reply {
    let odd = hit % 2 == 1;
    match backup_id {
        EXAMPLE_BACKUP_ID => Reply::json(200, EXAMPLE),
        "nodes-br09" => Reply::json(200, NODES),
        "wide-br09" => Reply::json(200, WIDE),
        "empty-br09" => Reply::json(200, EMPTY),
        "null-br09" => Reply::json(200, NULL),
        "shape-br09" => Reply::json(200, SHAPE),
        "bulk-br09" => Reply::shared(200, super::reply::JSON_TYPE, bulk_body()),
        super::shards::SHARDS_BACKUP_ID => {
            let doc = super::shards::backup(&plain_name(backup_id));
            Reply::json(200, doc.to_string())
        }
        "e400-br09" => Reply::ddm(400, "DBS.280001", "Parameter error."),
        "e401-br09" => Reply::json(
            401,
            r#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#,
        ),
        "e403-br09" => gateway(
            req,
            403,
            "APIGW.0302",
            "The IAM user is not authorized to access the API.",
        ),
        "e404-br09" => not_found(),
        "e429-br09" if odd => gateway(
            req,
            429,
            "APIGW.0308",
            "The throttling threshold has been reached: policy user over ratelimit, limit:20, time:1 second",
        )
        .header("Retry-After", "1"),
        "e500-br09" => gateway(req, 500, "DBS.300005", "Internal server error."),
        "e502-br09" => Reply::raw(502, "text/html", BAD_GATEWAY),
        "e503-br09" => {
            gateway(req, 503, "APIGW.0202", "Backend unavailable.").header("Retry-After", "1")
        }
        "slow-br09" => plain(backup_id).delay(Duration::from_secs(5)),
        "hang-br09" => plain(backup_id).delay(Duration::from_secs(60)),
        "trunc-br09" => {
            let body = plain_doc(backup_id).to_string().into_bytes();
            Reply::json(200, &body[..body.len() / 2]).truncated(body.len())
        }
        "redirect-br09" => Reply::redirect(302, "https://login.example.invalid/authui/login"),
        "notjson-br09" => Reply::raw(200, "text/plain", "upstream says hi"),
        "huge-br09" => Reply::huge(200, HUGE_LEN),
        "reset-br09" if odd => Reply::reset(),
        "e429-br09" | "reset-br09" => plain(backup_id),
        _ => not_found(),
    }
}

/// The gateway's answer to a missing, wrong or expired credential.
fn unauthorised(req: &Request) -> Reply {
    gateway(
        req,
        401,
        "APIGW.0301",
        "Incorrect IAM authentication information: the token is missing, invalid or expired, or the signature does not match",
    )
}

/// Gateway error shape; the body quotes the same id the `X-Request-Id` header carries.
fn gateway(req: &Request, status: u16, code: &str, msg: &str) -> Reply {
    let body = json!({"error_code": code, "error_msg": msg, "request_id": req.request_id});
    Reply::json(status, body.to_string())
}

fn not_found() -> Reply {
    Reply::ddm(404, "DBS.280404", "The backup does not exist.")
}

/// What the demo's instance list calls [`DEMO_INSTANCE_ID`]; every backup of
/// it says the same, except wide-br09, whose long instance name is its point.
pub(crate) const DEMO_INSTANCE_NAME: &str = "ddm-demo-orders";
const BULK_NAME: &str = "Backup-ddm-bulk-10000-data-nodes";

/// A backup's name and instance name as its ShowBackup answer gives them, so
/// the ListBackups row of the same backup can say the same thing. Backups
/// whose lookup fails (or carries no usable names, like shape-br09) get the
/// names their answer would have if it worked.
pub(crate) fn names(backup_id: &str) -> (String, String) {
    let asset = match backup_id {
        EXAMPLE_BACKUP_ID => Some(EXAMPLE),
        "nodes-br09" => Some(NODES),
        "wide-br09" => Some(WIDE),
        "empty-br09" => Some(EMPTY),
        "null-br09" => Some(NULL),
        "shape-br09" => Some(SHAPE),
        "bulk-br09" => return (BULK_NAME.into(), DEMO_INSTANCE_NAME.into()),
        super::shards::SHARDS_BACKUP_ID => {
            let instance = super::shards::SHARDS_INSTANCE_NAME;
            return (plain_name(backup_id), instance.into());
        }
        _ => None,
    };
    let from_asset = asset
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .and_then(|doc| {
            let text = |key: &str| doc.get(key)?.as_str().map(str::to_string);
            Some((text("name")?, text("instance_name")?))
        });
    from_asset.unwrap_or_else(|| (plain_name(backup_id), DEMO_INSTANCE_NAME.into()))
}

fn plain_name(backup_id: &str) -> String {
    format!("Backup-ddm-demo-{backup_id}")
}

fn plain_doc(backup_id: &str) -> serde_json::Value {
    json!({
        "id": backup_id,
        "name": plain_name(backup_id),
        "instance_id": DEMO_INSTANCE_ID,
        "instance_name": DEMO_INSTANCE_NAME,
        "related_data_nodes": [
            {"instance_id": "9c8b7a6f5e4d4c3b2a1f0e9d8c7b6a5fin01", "instance_name": "rds-demo-shard-00"},
            {"instance_id": "1a2b3c4d5e6f4a7b8c9d0e1f2a3b4c5din01", "instance_name": "rds-demo-shard-01"}
        ]
    })
}

/// A paging instance's backup, named as its list row names it.
fn archive(backup_id: &str, n: usize) -> Reply {
    let mut doc = plain_doc(backup_id);
    doc["name"] = json!(lists::archive_name(n));
    doc["instance_id"] = json!(lists::PAGES_INSTANCE_ID);
    doc["instance_name"] = json!(lists::PAGES_INSTANCE_NAME);
    Reply::json(200, doc.to_string())
}

fn plain(backup_id: &str) -> Reply {
    Reply::json(200, plain_doc(backup_id).to_string())
}

// Built once per process: every demo server shares it, and it is never cloned per request.
fn bulk_body() -> Arc<Vec<u8>> {
    static BULK: OnceLock<Arc<Vec<u8>>> = OnceLock::new();
    BULK.get_or_init(|| {
        let nodes: Vec<_> = (0..BULK_NODES as u64)
            .map(|i| {
                // Deterministic, so snapshots of the bulk view stay stable between runs.
                let id = format!("{:016x}{:016x}in01", mix(i), mix(i ^ 0xdd11));
                json!({"instance_id": id, "instance_name": format!("rds-bulk-shard-{i:05}")})
            })
            .collect();
        let doc = json!({
            "id": "bulk-br09",
            "name": BULK_NAME,
            "instance_id": DEMO_INSTANCE_ID,
            "instance_name": DEMO_INSTANCE_NAME,
            "related_data_nodes": nodes,
        });
        Arc::new(doc.to_string().into_bytes())
    })
    .clone()
}

pub(crate) fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

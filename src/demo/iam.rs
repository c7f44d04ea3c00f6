//! The demo's IAM: password sign-in that issues tokens with a lifetime, and
//! the check that a DDM request carries a valid token or AK/SK signature.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::reply::Reply;
use super::{
    DEMO_AK, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_PROJECT_ID, DEMO_SECURITY_TOKEN, DEMO_SK, DEMO_TOKEN,
    DEMO_USER, Request,
};
use crate::auth::signer;
use crate::secret::Secret;

/// The gateway's tolerance for clock skew on signed requests.
const MAX_SKEW: SignedDuration = SignedDuration::from_mins(15);

/// Tokens issued by the demo IAM, and how often it was asked.
pub(crate) struct IamState {
    lifetime: Duration,
    issued: Mutex<HashMap<String, Instant>>,
    calls: Mutex<u32>,
}

impl IamState {
    pub(crate) fn new(lifetime: Duration) -> Self {
        IamState {
            lifetime,
            issued: Mutex::new(HashMap::new()),
            calls: Mutex::new(0),
        }
    }

    /// How many sign-ins were attempted.
    pub(crate) fn calls(&self) -> u32 {
        *self.calls.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets every issued token, as a revocation would.
    pub(crate) fn revoke_all(&self) {
        self.issued
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn is_valid(&self, token: &str) -> bool {
        let issued = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        issued
            .get(token)
            .is_some_and(|expiry| Instant::now() < *expiry)
    }

    /// `POST /v3/auth/tokens`: 201 with `X-Subject-Token`, or IAM's 401.
    pub(crate) fn sign_in(&self, req: &Request) -> Reply {
        *self.calls.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        if req.method != "POST" {
            return Reply::json(405, r#"{"error":{"code":405,"message":"Method not allowed","title":"Method Not Allowed"}}"#)
                .header("Allow", "POST");
        }
        let Ok(body) = serde_json::from_slice::<serde_json::Value>(&req.body) else {
            return Reply::json(
                400,
                r#"{"error":{"code":400,"message":"The request body is not JSON.","title":"Bad Request"}}"#,
            );
        };
        let user = &body["auth"]["identity"]["password"]["user"];
        let correct = user["domain"]["name"] == DEMO_DOMAIN
            && user["name"] == DEMO_USER
            && user["password"] == DEMO_PASSWORD;
        if !correct {
            return Reply::json(
                401,
                r#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#,
            );
        }
        if body["auth"]["scope"]["project"]["id"] != DEMO_PROJECT_ID {
            return Reply::json(
                400,
                r#"{"error":{"code":400,"message":"The project is not found.","title":"Bad Request"}}"#,
            );
        }
        let token = format!("demo-iam-token-{:032x}", fastrand::u128(..));
        let expiry = Instant::now() + self.lifetime;
        self.issued
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token.clone(), expiry);
        let expires_at = Timestamp::now()
            .checked_add(self.lifetime)
            .map(|at| at.to_string())
            .unwrap_or_default();
        let doc = json!({"token": {"expires_at": expires_at, "methods": ["password"], "user": {"name": DEMO_USER}}});
        Reply::json(201, doc.to_string()).header("X-Subject-Token", &token)
    }

    /// True when the request carries the demo token, a live IAM token, or a
    /// valid signature by the demo access key.
    pub(crate) fn authorised(&self, req: &Request) -> bool {
        if let Some(token) = req.header("x-auth-token") {
            return token == DEMO_TOKEN || self.is_valid(token);
        }
        req.header("authorization")
            .is_some_and(|a| signature_is_valid(req, a))
    }
}

/// Re-signs the request with the demo SK and compares, as the gateway does.
fn signature_is_valid(req: &Request, authorization: &str) -> bool {
    let Some(rest) = authorization.strip_prefix("SDK-HMAC-SHA256 ") else {
        return false;
    };
    let field = |name: &str| {
        rest.split(", ").find_map(|part| {
            part.trim()
                .strip_prefix(name)
                .and_then(|v| v.strip_prefix('='))
        })
    };
    let (Some(access), Some(signed_headers), Some(signature)) =
        (field("Access"), field("SignedHeaders"), field("Signature"))
    else {
        return false;
    };
    if access != DEMO_AK {
        return false;
    }
    if req
        .header("x-security-token")
        .is_some_and(|t| t != DEMO_SECURITY_TOKEN)
    {
        return false;
    }
    let Some(date) = req.header("x-sdk-date").and_then(parse_sdk_date) else {
        return false;
    };
    if Timestamp::now().duration_since(date).abs() > MAX_SKEW {
        return false;
    }
    let Some(host) = req.header("host") else {
        return false;
    };
    let Ok(url) = reqwest::Url::parse(&format!("http://{host}{}", req.path)) else {
        return false;
    };
    // Only what the client said it signed, minus what the signer adds itself.
    let headers: Vec<(String, String)> = signed_headers
        .split(';')
        .filter(|h| *h != "host" && *h != "x-sdk-date")
        .filter_map(|h| req.header(h).map(|v| (h.to_string(), v.to_string())))
        .collect();
    let query: Vec<(String, String)> = req
        .query
        .as_deref()
        .map(url::form_urlencoded_pairs)
        .unwrap_or_default();
    let input = signer::SignInput {
        method: &req.method,
        url: &url,
        query: &query,
        headers: &headers,
        body: &req.body,
    };
    let expected = signer::sign(&input, DEMO_AK, &Secret::new(DEMO_SK.to_string()), date);
    expected.signed_headers == signed_headers
        && expected
            .authorization
            .ends_with(&format!("Signature={signature}"))
}

fn parse_sdk_date(text: &str) -> Option<Timestamp> {
    let at = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", text).ok()?;
    jiff::tz::TimeZone::UTC.to_timestamp(at).ok()
}

mod url {
    use percent_encoding::percent_decode_str;

    /// Splits `a=b&c=d` into percent-decoded pairs; the signer re-encodes
    /// them its own way, as the gateway does.
    pub fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
                (decode(k), decode(v))
            })
            .collect()
    }
}

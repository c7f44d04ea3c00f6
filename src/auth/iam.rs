//! Getting a token from IAM with a password (API.md 6.1).

use jiff::{SignedDuration, Timestamp};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

use super::AuthError;
use super::cache::CachedToken;
use crate::http::{Deadline, Outgoing, Transport};
use crate::secret::Secret;

/// Who asks for the token.
pub struct PasswordIdentity<'a> {
    pub domain: &'a str,
    pub user: &'a str,
    pub project_id: &'a str,
}

/// POSTs the password to `/v3/auth/tokens` and returns the token from the
/// `X-Subject-Token` header with its expiry.
pub async fn request_token(
    iam: &Transport,
    who: &PasswordIdentity<'_>,
    password: &Secret,
    deadline: Deadline,
) -> Result<CachedToken, AuthError> {
    let url = iam.url_for(&["v3", "auth", "tokens"]);
    // Serialised from borrowed fields straight into the one buffer that is
    // sent, so the password is not copied into intermediate JSON values.
    let body = SignIn {
        auth: Auth {
            identity: Identity {
                methods: ["password"],
                password: PasswordBlock {
                    user: User {
                        domain: Named { name: who.domain },
                        name: who.user,
                        password: password.expose(),
                    },
                },
            },
            scope: Scope {
                project: ProjectId { id: who.project_id },
            },
        },
    };
    let bytes = serde_json::to_vec(&body).map_err(|e| AuthError::IamResponse(e.to_string()))?;
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf8"),
    );
    // `Outgoing` zeroes the body when it is dropped.
    let request = Outgoing {
        method: reqwest::Method::POST,
        url,
        headers,
        body: Some(bytes),
    };
    tracing::info!(
        user = who.user,
        domain = who.domain,
        "asking IAM for a token"
    );
    let response = iam.send(request, deadline).await.map_err(AuthError::Iam)?;
    let token = response
        .headers
        .get("x-subject-token")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .map(|v| Secret::new(v.trim().to_string()))
        .ok_or_else(|| {
            AuthError::IamResponse(format!(
                "HTTP {} without an X-Subject-Token header",
                response.status
            ))
        })?;
    let expires_at = parse_expiry(&response.body).unwrap_or_else(|| {
        tracing::warn!("IAM gave no readable token.expires_at; assuming one hour");
        Timestamp::now() + SignedDuration::from_hours(1)
    });
    Ok(CachedToken { token, expires_at })
}

#[derive(serde::Serialize)]
struct SignIn<'a> {
    auth: Auth<'a>,
}

#[derive(serde::Serialize)]
struct Auth<'a> {
    identity: Identity<'a>,
    scope: Scope<'a>,
}

#[derive(serde::Serialize)]
struct Identity<'a> {
    methods: [&'static str; 1],
    password: PasswordBlock<'a>,
}

#[derive(serde::Serialize)]
struct PasswordBlock<'a> {
    user: User<'a>,
}

#[derive(serde::Serialize)]
struct User<'a> {
    domain: Named<'a>,
    name: &'a str,
    password: &'a str,
}

#[derive(serde::Serialize)]
struct Named<'a> {
    name: &'a str,
}

#[derive(serde::Serialize)]
struct Scope<'a> {
    project: ProjectId<'a>,
}

#[derive(serde::Serialize)]
struct ProjectId<'a> {
    id: &'a str,
}

/// `token.expires_at`, like `2020-01-04T09:08:49.965000Z`. Read into the
/// one field: the rest of the body (its service catalog can be large) is
/// skipped, never built.
fn parse_expiry(body: &[u8]) -> Option<Timestamp> {
    #[derive(serde::Deserialize)]
    struct Answer {
        token: Token,
    }
    #[derive(serde::Deserialize)]
    struct Token {
        expires_at: String,
    }
    let answer: Answer = serde_json::from_slice(body).ok()?;
    answer.token.expires_at.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_body_is_the_documented_shape() {
        let body = SignIn {
            auth: Auth {
                identity: Identity {
                    methods: ["password"],
                    password: PasswordBlock {
                        user: User {
                            domain: Named { name: "acct" },
                            name: "ops",
                            password: "pw",
                        },
                    },
                },
                scope: Scope {
                    project: ProjectId { id: "p1" },
                },
            },
        };
        let value = serde_json::to_value(&body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {
                "domain": {"name": "acct"}, "name": "ops", "password": "pw"}}},
                "scope": {"project": {"id": "p1"}}}})
        );
    }

    #[test]
    fn iam_expiry_format_parses() {
        let t = parse_expiry(br#"{"token":{"expires_at":"2020-01-04T09:08:49.965000Z"}}"#).unwrap();
        assert_eq!(t.as_second(), 1578128929);
        assert!(parse_expiry(br#"{"token":{}}"#).is_none());
        assert!(parse_expiry(b"<html>").is_none());
    }
}

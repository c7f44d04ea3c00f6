//! The headers of an AK/SK-signed request, as the official SDKs send them.

use jiff::Timestamp;
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{AuthError, signer};
use crate::secret::Secret;

/// Adds the SDK-HMAC-SHA256 headers for an AK/SK request, exactly as the
/// official SDKs send them: X-Project-Id and X-Security-Token are signed too.
/// A query on `url` must be in the signer's order and encoding
/// (`signer::canonical_query`).
#[allow(clippy::too_many_arguments)]
pub(super) fn sign_into(
    headers: &mut HeaderMap,
    method: &str,
    url: &Url,
    body: &[u8],
    ak: &Secret,
    sk: &Secret,
    security_token: Option<&Secret>,
    project_id: &str,
) -> Result<(), AuthError> {
    let mut extra = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("X-Project-Id".to_string(), project_id.to_string()),
    ];
    if let Some(token) = security_token {
        extra.push(("X-Security-Token".to_string(), token.expose().to_string()));
    }
    // The caller put the query on the URL in the signer's own order and
    // encoding (`signer::canonical_query`), so decoding it back and signing
    // it gives exactly what goes on the wire.
    let query: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let input = signer::SignInput {
        method,
        url,
        query: &query,
        headers: &extra,
        body,
    };
    let mut signed = signer::sign(&input, ak.expose(), sk, Timestamp::now());
    for (_, value) in &mut extra {
        zeroize::Zeroize::zeroize(value);
    }
    let bad =
        || AuthError::Credentials("the AK or security token cannot go in an HTTP header".into());
    let header = |value: &str, sensitive: bool| -> Result<HeaderValue, AuthError> {
        let mut v = HeaderValue::from_str(value).map_err(|_| bad())?;
        v.set_sensitive(sensitive);
        Ok(v)
    };
    headers.insert(
        HeaderName::from_static("x-sdk-date"),
        header(&signed.sdk_date, false)?,
    );
    headers.insert(
        HeaderName::from_static("x-project-id"),
        header(project_id, false)?,
    );
    if let Some(token) = security_token {
        headers.insert(
            HeaderName::from_static("x-security-token"),
            header(token.expose().trim(), true)?,
        );
    }
    headers.insert(
        reqwest::header::AUTHORIZATION,
        header(&signed.authorization, true)?,
    );
    // The signature can be replayed for 15 minutes, and the canonical
    // request holds the security token: neither should linger in memory.
    zeroize::Zeroize::zeroize(&mut signed.authorization);
    zeroize::Zeroize::zeroize(&mut signed.canonical_request);
    Ok(())
}

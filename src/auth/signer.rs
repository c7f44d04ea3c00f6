//! Huawei Cloud's SDK-HMAC-SHA256 request signing, byte for byte as
//! huaweicloudsdkcore's `Signer` does it (API.md §6.2).

use std::collections::BTreeMap;
use std::fmt;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::secret::Secret;

type HmacSha256 = Hmac<Sha256>;

const ALGORITHM: &str = "SDK-HMAC-SHA256";
const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// A caller-set payload hash (e.g. `UNSIGNED-PAYLOAD`) that the SDK signs in place of the body's.
const CONTENT_SHA256: &str = "x-sdk-content-sha256";
/// SHA-256's block size: HMAC pads shorter keys to it and hashes longer ones.
const BLOCK_LEN: usize = 64;

/// Python's `quote(s, safe='~')`: only RFC 3986 unreserved characters pass.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The parts of a request that are signed.
pub struct SignInput<'a> {
    /// HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// Endpoint and path as sent on the wire; its query is ignored.
    pub url: &'a reqwest::Url,
    /// Raw (unencoded) query pairs, in any order.
    pub query: &'a [(String, String)],
    /// Headers to send besides `Host` and `X-Sdk-Date`, which `sign` adds.
    pub headers: &'a [(String, String)],
    /// The request body, empty when none.
    pub body: &'a [u8],
}

// Header values may hold X-Security-Token, a credential: print names only.
impl fmt::Debug for SignInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("SignInput")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("query", &self.query)
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The outcome of signing: the headers and query to send, plus debugging text.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// `X-Sdk-Date` value.
    pub sdk_date: String,
    /// `Host` value, with the port when the URL names one.
    pub host: String,
    /// Full `Authorization` value; keep it out of logs.
    pub authorization: String,
    /// The canonical request; holds every signed header value, X-Security-Token included.
    pub canonical_request: String,
    /// The string whose HMAC is the signature.
    pub string_to_sign: String,
    /// Lower-case signed header names joined by `;`.
    pub signed_headers: String,
    /// The query to send, sorted and encoded exactly as signed (`""` when none).
    pub query_string: String,
}

// The canonical request carries the security token and the Authorization value
// is replayable for 15 minutes: neither belongs in a log.
impl fmt::Debug for Signed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signed")
            .field("sdk_date", &self.sdk_date)
            .field("host", &self.host)
            .field("authorization", &"<redacted>")
            .field("canonical_request", &"<redacted>")
            .field("string_to_sign", &self.string_to_sign)
            .field("signed_headers", &self.signed_headers)
            .field("query_string", &self.query_string)
            .finish()
    }
}

/// Signs with `ak`/`sk` at `date` (UTC). Pure: no clock read inside.
pub fn sign(input: &SignInput<'_>, ak: &str, sk: &Secret, date: jiff::Timestamp) -> Signed {
    let sdk_date = sdk_date(date);
    let host = host_of(input.url);

    // Lower-cased names make lookups case-insensitive and the map's order is
    // the sorted order the signed-header list needs; later duplicates replace
    // earlier ones. Host and X-Sdk-Date are ours so they match what is sent;
    // Authorization is never signed.
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in input.headers {
        let name = name.to_ascii_lowercase();
        if matches!(name.as_str(), "host" | "x-sdk-date" | "authorization") {
            continue;
        }
        headers.insert(name, py_strip(value).to_string());
    }
    headers.insert("host".into(), host.clone());
    headers.insert("x-sdk-date".into(), sdk_date.clone());

    // The SDK leaves names containing '_' unsigned (gateways may drop them).
    let signed: Vec<(&String, &String)> =
        headers.iter().filter(|(n, _)| !n.contains('_')).collect();
    let signed_headers = signed
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_headers: String = signed.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();

    let payload_hash = if input.body.is_empty() {
        EMPTY_HASH.to_string()
    } else {
        match headers.get(CONTENT_SHA256) {
            Some(given) if !given.is_empty() => given.clone(),
            _ => hex(&Sha256::digest(input.body)),
        }
    };

    let query_string = canonical_query(input.query);
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method.to_uppercase(),
        canonical_uri(input.url.path()),
        query_string,
        canonical_headers,
        signed_headers,
        payload_hash
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let signature = hex(&hmac_sha256(
        sk.expose().as_bytes(),
        string_to_sign.as_bytes(),
    ));
    let authorization =
        format!("{ALGORITHM} Access={ak}, SignedHeaders={signed_headers}, Signature={signature}");

    Signed {
        sdk_date,
        host,
        authorization,
        canonical_request,
        string_to_sign,
        signed_headers,
        query_string,
    }
}

/// `YYYYMMDDTHHMMSSZ`
pub fn sdk_date(date: jiff::Timestamp) -> String {
    date.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Canonical URI per step 6 (decode, split on '/', re-encode each segment, append '/' if missing).
pub fn canonical_uri(path: &str) -> String {
    // Python's unquote replaces invalid UTF-8 with U+FFFD; so does the lossy decode.
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut uri = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Canonical query per step 8.
pub fn canonical_query(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    // Byte order of UTF-8 equals Python's code-point order for str tuples.
    sorted.sort();
    sorted
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 3986 unreserved-only percent-encoding with uppercase hex (space = %20).
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// The URL authority as hyper sends it in `Host`: the port only when explicit
/// and not the scheme's default (the URL parser drops `:443` on https).
fn host_of(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// Python's `str.strip()`: Rust's `trim` plus the ASCII separators 0x1C..=0x1F,
/// which Python also counts as white space.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = match <HmacSha256 as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        // HMAC takes keys of any length, so this never runs; if a future hmac
        // ever refused one, RFC 2104's own block-sized key gives the same MAC
        // rather than a panic.
        Err(_) => <HmacSha256 as KeyInit>::new(hmac::digest::Key::<HmacSha256>::from_slice(
            &block_key(key)[..],
        )),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// RFC 2104's K0: the key hashed if longer than a block, then zero-padded.
fn block_key(key: &[u8]) -> Zeroizing<[u8; BLOCK_LEN]> {
    let mut k0 = Zeroizing::new([0u8; BLOCK_LEN]);
    if key.len() > BLOCK_LEN {
        let digest = Zeroizing::new(Sha256::digest(key).to_vec());
        k0[..digest.len()].copy_from_slice(&digest);
    } else {
        k0[..key.len()].copy_from_slice(key);
    }
    k0
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SK: &str = "SKEXAMPLE0000000000000000000000000000000";

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn encode_keeps_only_unreserved() {
        assert_eq!(encode("a b"), "a%20b");
        assert_eq!(encode("a+b"), "a%2Bb");
        assert_eq!(encode("~x-y_z.0"), "~x-y_z.0");
        assert_eq!(encode("ä漢"), "%C3%A4%E6%BC%A2");
        assert_eq!(encode("/?=&#%:"), "%2F%3F%3D%26%23%25%3A");
        assert_eq!(encode(""), "");
    }

    #[test]
    fn canonical_uri_decodes_then_reencodes_segments() {
        assert_eq!(canonical_uri("/v3/p/backups"), "/v3/p/backups/");
        assert_eq!(canonical_uri("/v3/p/instances/"), "/v3/p/instances/");
        assert_eq!(canonical_uri("/a%3Ab"), "/a%3Ab/");
        assert_eq!(canonical_uri("/a b"), "/a%20b/");
        assert_eq!(canonical_uri("/a%20b/c+d"), "/a%20b/c%2Bd/");
        assert_eq!(canonical_uri("/b~k.1_%C3%A4"), "/b~k.1_%C3%A4/");
        // Lower-case hex comes back upper-case, as the SDK's quote() emits it.
        assert_eq!(canonical_uri("/%c3%a4"), "/%C3%A4/");
        // As in the SDK, an encoded slash splits the segment once decoded.
        assert_eq!(canonical_uri("/a%2Fb"), "/a/b/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
    }

    #[test]
    fn canonical_query_sorts_by_key_then_value() {
        assert_eq!(canonical_query(&[]), "");
        let q = pairs(&[("b", "2"), ("a", "z"), ("a", "a b"), ("A", "1"), ("a", "")]);
        assert_eq!(canonical_query(&q), "A=1&a=&a=a%20b&a=z&b=2");
        // Sorting is on raw values: ' ' (0x20) before '+' (0x2B).
        let q = pairs(&[("name", "a+b"), ("name", "a b")]);
        assert_eq!(canonical_query(&q), "name=a%20b&name=a%2Bb");
    }

    #[test]
    fn sdk_date_is_basic_utc() {
        let date: jiff::Timestamp = "2025-01-02T11:04:05+08:00".parse().unwrap();
        assert_eq!(sdk_date(date), "20250102T030405Z");
    }

    fn sign_with(headers: &[(&str, &str)]) -> Signed {
        let url = reqwest::Url::parse("https://example.com/v3/x").unwrap();
        let headers = pairs(headers);
        let input = SignInput {
            method: "get",
            url: &url,
            query: &[],
            headers: &headers,
            body: b"",
        };
        sign(
            &input,
            "AK",
            &Secret::new(SK.into()),
            "2025-01-02T03:04:05Z".parse().unwrap(),
        )
    }

    #[test]
    fn headers_with_underscores_are_sent_but_not_signed() {
        let signed = sign_with(&[("X_Request_Id", "1"), ("Content-Type", "application/json")]);
        assert_eq!(signed.signed_headers, "content-type;host;x-sdk-date");
        assert!(!signed.canonical_request.contains("x_request_id"));
        assert!(signed.canonical_request.starts_with("GET\n/v3/x/\n\n"));
    }

    #[test]
    fn header_names_fold_case_and_the_last_duplicate_wins() {
        let signed = sign_with(&[
            ("X-Extra", "first"),
            ("x-extra", "  second \t"),
            ("Host", "evil.example"),
            ("X-Sdk-Date", "19990101T000000Z"),
            ("Authorization", "x"),
        ]);
        assert_eq!(signed.signed_headers, "host;x-extra;x-sdk-date");
        assert!(
            signed
                .canonical_request
                .contains("\nhost:example.com\nx-extra:second\nx-sdk-date:20250102T030405Z\n\n")
        );
        assert_eq!(signed.host, "example.com");
    }

    #[test]
    fn host_carries_only_explicit_non_default_ports() {
        let host = |u: &str| host_of(&reqwest::Url::parse(u).unwrap());
        assert_eq!(host("https://127.0.0.1:8443/x"), "127.0.0.1:8443");
        assert_eq!(host("https://h.example:443/x"), "h.example");
        assert_eq!(host("https://h.example/x"), "h.example");
        assert_eq!(host("http://[::1]:8080/"), "[::1]:8080");
    }

    #[test]
    fn fallback_key_gives_the_same_mac() {
        for key in [
            &b""[..],
            b"short",
            SK.as_bytes(),
            &[7u8; 64][..],
            &[9u8; 200][..],
        ] {
            let direct = hmac_sha256(key, b"data");
            let mut mac = <HmacSha256 as KeyInit>::new(
                hmac::digest::Key::<HmacSha256>::from_slice(&block_key(key)[..]),
            );
            mac.update(b"data");
            assert_eq!(direct, mac.finalize().into_bytes().to_vec());
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let url = reqwest::Url::parse("https://example.com/v3/x").unwrap();
        let headers = pairs(&[("X-Security-Token", "TOKEN-SECRET-123")]);
        let input = SignInput {
            method: "GET",
            url: &url,
            query: &[],
            headers: &headers,
            body: b"",
        };
        let sk = Secret::new(SK.into());
        let signed = sign(&input, "AK", &sk, "2025-01-02T03:04:05Z".parse().unwrap());
        for text in [
            format!("{input:?}"),
            format!("{signed:?}"),
            format!("{sk:?}"),
        ] {
            assert!(!text.contains(SK), "{text}");
            assert!(!text.contains("TOKEN-SECRET-123"), "{text}");
            assert!(!text.contains("Signature="), "{text}");
        }
        assert!(signed.canonical_request.contains("TOKEN-SECRET-123"));
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0x00, 0xab, 0xff, 0x10]), "00abff10");
    }
}

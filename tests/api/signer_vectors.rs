//! SDK-HMAC-SHA256 test vectors. V1..V4 are API.md §6.2's; V5..V13 were made
//! with huaweicloudsdkcore 3.1.219's `Signer` by the script below (run with
//! `HOME=$(mktemp -d)`, since importing the SDK writes to ~/.huaweicloud/; it
//! also reproduces V1..V4). Every vector shares the AK/SK, X-Sdk-Date,
//! Content-Type and X-Project-Id of API.md.
//!
//! ```python
//! from huaweicloudsdkcore.auth.credentials import BasicCredentials
//! from huaweicloudsdkcore.sdk_request import SdkRequest
//! from huaweicloudsdkcore.signer.signer import Signer
//! AK, SK = "AKIDEXAMPLE0000000000", "SKEXAMPLE0000000000000000000000000000000"
//! P = "0123456789abcdef0123456789abcdef"
//! def sign(method, host, path, query, headers, body=None):
//!     h = {"Content-Type": "application/json", "X-Project-Id": P,
//!          "X-Sdk-Date": "20250102T030405Z"}   # an X-Sdk-Date present is used as is
//!     h.update(headers)
//!     r = SdkRequest(method=method, schema="https", host=host, resource_path=path,
//!                    query_params=list(query), header_params=h, body=body)
//!     Signer(BasicCredentials(AK, SK)).sign(r)
//!     print(r.uri, r.header_params["Host"], r.header_params["Authorization"])
//! ```

use ddm_backups::auth::signer::{SignInput, Signed, sign};
use ddm_backups::secret::Secret;
use sha2::{Digest, Sha256};

const AK: &str = "AKIDEXAMPLE0000000000";
const SK: &str = "SKEXAMPLE0000000000000000000000000000000";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const HOST: &str = "ddm.cn-north-4.myhuaweicloud.com";
const INSTANCE: &str = "2f0324a93859487eb5566d75951fcd2din09";

fn base_headers(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("X-Project-Id".to_string(), PROJECT.to_string()),
    ];
    headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    headers
}

fn run(
    method: &str,
    url: &str,
    query: &[(&str, &str)],
    extra_headers: &[(&str, &str)],
    body: &[u8],
) -> Signed {
    let url = reqwest::Url::parse(url).expect("test URL");
    let query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let headers = base_headers(extra_headers);
    let input = SignInput {
        method,
        url: &url,
        query: &query,
        headers: &headers,
        body,
    };
    sign(
        &input,
        AK,
        &Secret::new(SK.to_string()),
        "2025-01-02T03:04:05Z".parse().unwrap(),
    )
}

fn auth(signed_headers: &str, signature: &str) -> String {
    format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed_headers}, Signature={signature}")
}

const STD: &str = "content-type;host;x-project-id;x-sdk-date";

#[test]
fn v1_show_backup() {
    let path =
        format!("/v3/{PROJECT}/instances/{INSTANCE}/backups/cfea30126a884f46887b4e9211460fc1br09");
    let signed = run("GET", &format!("https://{HOST}{path}"), &[], &[], b"");
    let canonical = format!(
        "GET\n{path}/\n\ncontent-type:application/json\nhost:{HOST}\nx-project-id:{PROJECT}\n\
         x-sdk-date:20250102T030405Z\n\ncontent-type;host;x-project-id;x-sdk-date\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(signed.canonical_request, canonical);
    let digest = Sha256::digest(signed.canonical_request.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "2e7689e73e2aa2423eaf2c06c25e59e99e5c00828cda83c20016a11d9603ab13"
    );
    assert_eq!(
        signed.string_to_sign,
        format!("SDK-HMAC-SHA256\n20250102T030405Z\n{hex}")
    );
    assert_eq!(signed.sdk_date, "20250102T030405Z");
    assert_eq!(signed.host, HOST);
    assert_eq!(signed.signed_headers, STD);
    assert_eq!(signed.query_string, "");
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "bdb97fe25655662487f00c1e1983c2536a565853987f8c1ff6c41e2e1588d9e8"
        )
    );
}

#[test]
fn v2_list_backups_with_query() {
    let signed = run(
        "GET",
        // The URL's own query must be ignored: only `query` is signed.
        &format!("https://{HOST}/v3/{PROJECT}/backups?ignored=1"),
        &[
            ("limit", "10"),
            ("offset", "0"),
            ("instance_id", INSTANCE),
            ("backup_name", "nightly backup #1&x=y"),
        ],
        &[],
        b"",
    );
    assert_eq!(
        signed.query_string,
        format!(
            "backup_name=nightly%20backup%20%231%26x%3Dy&instance_id={INSTANCE}&limit=10&offset=0"
        )
    );
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "b4536b96ae131125981ad5f938312c20d07bc80fb9178248d7e5471629dd4781"
        )
    );
}

#[test]
fn v3_path_segments_needing_encoding() {
    let url =
        format!("https://{HOST}/v3/{PROJECT}/instances/inst%20id%3A1%2B2/backups/b~k.1_%C3%A4");
    let signed = run("GET", &url, &[], &[], b"");
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "faefbe2fc1bd3596954b32319c0afff376e179d00cfcc5671cfca969355e23d0"
        )
    );
}

#[test]
fn v4_temporary_credentials() {
    let signed = run(
        "GET",
        &format!("https://{HOST}/v3/{PROJECT}/backups"),
        &[("offset", "0"), ("limit", "5")],
        &[("X-Security-Token", "EXAMPLEsecurityTOKEN/with+slash=")],
        b"",
    );
    assert_eq!(signed.query_string, "limit=5&offset=0");
    assert_eq!(
        signed.authorization,
        auth(
            "content-type;host;x-project-id;x-sdk-date;x-security-token",
            "3ef1326c1766d98ad31e0e2515d16330182864633c0658e52e881c7da1d851cd"
        )
    );
}

// huaweicloudsdkcore 3.1.219 Signer: sign("POST", HOST,
//   f"/v3/{P}/instances/2f0324a93859487eb5566d75951fcd2din09/backups", [], {},
//   body='{"name":"manual backup 1","description":"before upgrade"}')
#[test]
fn v5_post_with_json_body() {
    let body = br#"{"name":"manual backup 1","description":"before upgrade"}"#;
    let signed = run(
        "POST",
        &format!("https://{HOST}/v3/{PROJECT}/instances/{INSTANCE}/backups"),
        &[],
        &[],
        body,
    );
    let body_hash: String = Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        signed
            .canonical_request
            .ends_with(&format!("\n{body_hash}"))
    );
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "5b5f8d3acaffafbfbcba25722cb680ea1f0f52ca92555cdeedbdf27d85b6579a"
        )
    );
}

// huaweicloudsdkcore 3.1.219 Signer: sign("GET", HOST, f"/v3/{P}/backups",
//   [("tag", "~x"), ("name", "a+b"), ("name", "a b"), ("name", "\u00e4\u6f22/?=&"),
//    ("empty", "")], {})
// SDK's request.uri: /v3/{P}/backups?empty=&name=a%20b&name=a%2Bb&name=%C3%A4%E6%BC%A2%2F%3F%3D%26&tag=~x
#[test]
fn v6_repeated_keys_and_values_needing_encoding() {
    let signed = run(
        "GET",
        &format!("https://{HOST}/v3/{PROJECT}/backups"),
        &[
            ("tag", "~x"),
            ("name", "a+b"),
            ("name", "a b"),
            ("name", "\u{e4}\u{6f22}/?=&"),
            ("empty", ""),
        ],
        &[],
        b"",
    );
    assert_eq!(
        signed.query_string,
        "empty=&name=a%20b&name=a%2Bb&name=%C3%A4%E6%BC%A2%2F%3F%3D%26&tag=~x"
    );
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "0eb242b4b6b32af468719ced3476ef5893d0adac6d2da9357adacc7fb151dd2b"
        )
    );
}

// huaweicloudsdkcore 3.1.219 Signer: sign("GET", "127.0.0.1:8443",
//   f"/v3/{P}/instances/", [], {})
// The SDK's host is the endpoint's netloc, port included; Host and its
// canonical line are `127.0.0.1:8443`. The path already ends in '/', so none is added.
#[test]
fn v7_explicit_port_and_trailing_slash() {
    let signed = run(
        "GET",
        &format!("https://127.0.0.1:8443/v3/{PROJECT}/instances/"),
        &[],
        &[],
        b"",
    );
    assert_eq!(signed.host, "127.0.0.1:8443");
    assert!(
        signed
            .canonical_request
            .starts_with(&format!("GET\n/v3/{PROJECT}/instances/\n\n"))
    );
    assert!(signed.canonical_request.contains("\nhost:127.0.0.1:8443\n"));
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "3424534e90eed60e19e5f9fb01ab9c14002195c737f85507b0a294aa16d30231"
        )
    );
}

// huaweicloudsdkcore 3.1.219 Signer: sign("GET", HOST, f"/v3/{P}/backups", [],
//   {"X_Request_Id": "abc", "X-Extra": "  padded value \t"})
// A name with '_' is left unsigned; values are signed trimmed.
#[test]
fn v8_underscore_header_unsigned_and_values_trimmed() {
    let signed = run(
        "GET",
        &format!("https://{HOST}/v3/{PROJECT}/backups"),
        &[],
        &[("X_Request_Id", "abc"), ("X-Extra", "  padded value \t")],
        b"",
    );
    assert!(
        signed
            .canonical_request
            .contains("\nx-extra:padded value\n")
    );
    assert_eq!(
        signed.authorization,
        auth(
            "content-type;host;x-extra;x-project-id;x-sdk-date",
            "210a42a493bb8475c3477f1a2fc6304358dfb6d228b7909c17707e5640998804"
        )
    );
}

// huaweicloudsdkcore 3.1.219 Signer: sign("POST", HOST,
//   f"/v3/{P}/instances/2f0324a93859487eb5566d75951fcd2din09/backups", [],
//   {"X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"}, body='{"name":"b"}')
// With that header and a non-empty body the SDK signs the header's value in
// place of the body's hash.
#[test]
fn v9_caller_supplied_payload_hash() {
    let signed = run(
        "POST",
        &format!("https://{HOST}/v3/{PROJECT}/instances/{INSTANCE}/backups"),
        &[],
        &[("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")],
        br#"{"name":"b"}"#,
    );
    assert!(signed.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
    assert_eq!(
        signed.authorization,
        auth(
            "content-type;host;x-project-id;x-sdk-content-sha256;x-sdk-date",
            "5f55942466ba6ea52882dbeaf4c5836f81ae38df998290e01c757895212632fa"
        )
    );
}

/// V10..V13: the read-only restore routes of API.md §3.1, with the
/// `restore_time` (epoch milliseconds as a decimal string) and paging
/// parameters in the SDK's order; the signer sorts them, as the SDK does.
fn restore_route(name: &str, query: &[(&str, &str)]) -> Signed {
    let url = format!("https://{HOST}/v3/{PROJECT}/instances/{INSTANCE}/backups/{name}");
    run("GET", &url, query, &[], b"")
}

#[test]
fn v10_restorable_time_interval() {
    let signed = restore_route("restorable-time-interval", &[]);
    assert_eq!(signed.query_string, "");
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "c177165b3230415a7d83811ae6e845cf11216e9f40e2761fbf605ec130a1e29c"
        )
    );
}

#[test]
fn v11_related_dn_at_a_restore_time() {
    let signed = restore_route("related-dn", &[("restore_time", "1748000000000")]);
    assert_eq!(signed.query_string, "restore_time=1748000000000");
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "e1be8c6ce8b82e3960e39e5966bc6c9e35bfdf81020b8bd32e6007b63dd2ccce"
        )
    );
}

#[test]
fn v12_restorable_instances_paged() {
    let signed = restore_route("restorable-instances", &[("offset", "0"), ("limit", "128")]);
    assert_eq!(signed.query_string, "limit=128&offset=0");
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "36ad79cd1709c16632ce9878e446bdf3ad0e3190c124c1ca6502f65eb9ede44d"
        )
    );
}

#[test]
fn v13_restorable_data_node_with_every_parameter() {
    let signed = restore_route(
        "restorable-data-node",
        &[
            ("target_instance_id", "7a2e4c6f8b0d4e1a9c3b5d7f9e1a3c5bin09"),
            (
                "source_dn_instance_id",
                "3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01",
            ),
            ("restore_time", "1748000000000"),
            ("offset", "128"),
            ("limit", "128"),
        ],
    );
    assert_eq!(
        signed.query_string,
        "limit=128&offset=128&restore_time=1748000000000\
         &source_dn_instance_id=3b1f0c2d9e8a4f6b8c7d5e4f3a2b1c0din01\
         &target_instance_id=7a2e4c6f8b0d4e1a9c3b5d7f9e1a3c5bin09"
    );
    assert_eq!(
        signed.authorization,
        auth(
            STD,
            "4273a860a0777025cfa8470ff66dc7941d08265245b8728fa719e5ab67782644"
        )
    );
}

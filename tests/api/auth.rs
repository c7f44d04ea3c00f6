//! Every auth type against the demo endpoint's IAM and signature checks,
//! over loopback TCP with the real client.

use std::path::Path;
use std::time::Duration;

use ddm_backups::api::{DdmClient, ErrorClass};
use ddm_backups::auth::AuthOptions;
use ddm_backups::config::{AuthConfig, Profile, SecretSource};
use ddm_backups::demo::{self, DemoServer, RunningDemo};
use ddm_backups::secret::Secret;

const I: &str = demo::DEMO_INSTANCE_ID;
const B: &str = "nodes-br09";

fn inline(value: &str) -> SecretSource {
    SecretSource::Inline(Secret::new(value.into()))
}

fn profile(demo: &RunningDemo, auth: AuthConfig) -> Profile {
    let mut profile = demo::profile_for(demo);
    profile.auth = auth;
    profile
}

fn password_auth(password: SecretSource) -> AuthConfig {
    AuthConfig::Password {
        domain: demo::DEMO_DOMAIN.into(),
        user: demo::DEMO_USER.into(),
        password: Some(password),
    }
}

fn client(profile: &Profile, cache: &Path) -> DdmClient {
    let options = AuthOptions {
        prompt: None,
        cache_dir: Some(cache.to_path_buf()),
    };
    DdmClient::with_options(profile, options).unwrap()
}

#[tokio::test]
async fn password_sign_in_then_reuse_in_process_and_across_clients() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let p = profile(&demo, password_auth(inline(demo::DEMO_PASSWORD)));
    let first = client(&p, cache.path());
    for _ in 0..3 {
        assert_eq!(
            first
                .show_backup(I, B)
                .await
                .unwrap()
                .value
                .related_data_nodes
                .len(),
            6
        );
    }
    assert_eq!(
        demo.service().iam_calls(),
        1,
        "one sign-in for three lookups"
    );
    // A second client (as a second pane would be) finds the token on disk.
    let second = client(&p, cache.path());
    second.show_backup(I, B).await.unwrap();
    assert_eq!(demo.service().iam_calls(), 1, "the cached token was reused");
    let files: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let entry = files
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a cache entry");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(entry).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[tokio::test]
async fn a_token_close_to_expiry_is_renewed() {
    // Four minutes is inside the five-minute safety margin: never reused.
    let demo = DemoServer::builder()
        .iam_token_lifetime(Duration::from_secs(240))
        .bind()
        .await
        .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let c = client(
        &profile(&demo, password_auth(inline(demo::DEMO_PASSWORD))),
        cache.path(),
    );
    c.show_backup(I, B).await.unwrap();
    c.show_backup(I, B).await.unwrap();
    assert_eq!(demo.service().iam_calls(), 2);
}

#[tokio::test]
async fn a_401_drops_the_token_signs_in_again_and_retries_once() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let c = client(
        &profile(&demo, password_auth(inline(demo::DEMO_PASSWORD))),
        cache.path(),
    );
    c.show_backup(I, B).await.unwrap();
    demo.service().revoke_tokens();
    let fetched = c.show_backup(I, B).await.unwrap();
    assert_eq!(fetched.value.id, B);
    assert_eq!(demo.service().iam_calls(), 2);
    assert_eq!(demo.hits(B), 2, "the refused try never reached the lookup");
}

#[tokio::test]
async fn concurrent_lookups_sign_in_once() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let c = client(
        &profile(&demo, password_auth(inline(demo::DEMO_PASSWORD))),
        cache.path(),
    );
    let lookups: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.show_backup(I, B).await })
        })
        .collect();
    for lookup in lookups {
        lookup.await.unwrap().unwrap();
    }
    assert_eq!(demo.service().iam_calls(), 1);
}

#[tokio::test]
async fn a_wrong_password_is_an_iam_auth_error() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let c = client(
        &profile(&demo, password_auth(inline("wrong-password-123"))),
        cache.path(),
    );
    let e = c.show_backup(I, B).await.unwrap_err();
    assert_eq!(e.class(), ErrorClass::Auth, "{e:?}");
    assert_eq!(e.exit_code(), 1);
    let line = e.status_line();
    assert!(line.starts_with("IAM: HTTP 401"), "{line}");
    assert!(!line.contains("wrong-password-123"), "{line}");
    assert!(e.hint().unwrap().contains("password"));
}

#[tokio::test]
async fn a_password_command_feeds_the_sign_in() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let cmd = SecretSource::Command(format!("printf '%s\\n' {}", demo::DEMO_PASSWORD));
    client(&profile(&demo, password_auth(cmd)), cache.path())
        .show_backup(I, B)
        .await
        .unwrap();
}

#[tokio::test]
async fn password_auth_without_any_source_or_prompt_says_how_to_fix_it() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let auth = AuthConfig::Password {
        domain: "d".into(),
        user: "u".into(),
        password: None,
    };
    let e = client(&profile(&demo, auth), cache.path())
        .show_backup(I, B)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Credentials);
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.to_string()
            .contains("password_env, password_command, or a terminal"),
        "{e}"
    );
}

#[tokio::test]
async fn token_command_success_failure_and_renewal_after_401() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let ok = AuthConfig::Token(SecretSource::Command(format!("echo {}", demo::DEMO_TOKEN)));
    client(&profile(&demo, ok), cache.path())
        .show_backup(I, B)
        .await
        .unwrap();

    let failing = AuthConfig::Token(SecretSource::Command(
        "echo 'vault sealed' >&2; exit 4".into(),
    ));
    let e = client(&profile(&demo, failing), cache.path())
        .show_backup(I, B)
        .await
        .unwrap_err();
    assert_eq!(e.exit_code(), 2);
    // The status, never the error output: it may echo a secret.
    let message = e.to_string();
    assert!(
        message.starts_with("profile \"demo\": token_command failed with exit status 4"),
        "{message}"
    );
    assert!(!message.contains("vault sealed"), "{message}");

    // The first run prints a stale token; after the 401 it runs again.
    let marker = cache.path().join("ran-once");
    let script = format!(
        "if [ -e {m} ]; then echo {good}; else touch {m}; echo stale-token; fi",
        m = marker.display(),
        good = demo::DEMO_TOKEN
    );
    let renewing = AuthConfig::Token(SecretSource::Command(script));
    client(&profile(&demo, renewing), cache.path())
        .show_backup(I, B)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_fixed_token_is_not_retried_after_401() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let c = client(
        &profile(&demo, AuthConfig::Token(inline("not-the-token"))),
        cache.path(),
    );
    let e = c.show_backup(I, B).await.unwrap_err();
    assert_eq!(e.class(), ErrorClass::Auth);
    assert_eq!(e.http_attempts(), 1);
}

fn aksk(sk: &str, token: Option<&str>) -> AuthConfig {
    AuthConfig::AkSk {
        ak: inline(demo::DEMO_AK),
        sk: inline(sk),
        security_token: token.map(inline),
    }
}

#[tokio::test]
async fn aksk_signatures_are_verified_by_the_endpoint() {
    let demo = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    client(&profile(&demo, aksk(demo::DEMO_SK, None)), cache.path())
        .show_backup(I, B)
        .await
        .unwrap();
    let temporary = aksk(demo::DEMO_SK, Some(demo::DEMO_SECURITY_TOKEN));
    client(&profile(&demo, temporary), cache.path())
        .show_backup(I, B)
        .await
        .unwrap();
    assert_eq!(demo.service().iam_calls(), 0, "AK/SK never signs in");

    let wrong = client(
        &profile(
            &demo,
            aksk("wrong-sk-0000000000000000000000000000000", None),
        ),
        cache.path(),
    );
    let e = wrong.show_backup(I, B).await.unwrap_err();
    assert_eq!(e.class(), ErrorClass::Auth);
    assert!(!e.status_line().contains("wrong-sk"), "{}", e.status_line());
    let bad_token = aksk(demo::DEMO_SK, Some("forged-security-token"));
    let e = client(&profile(&demo, bad_token), cache.path())
        .show_backup(I, B)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Auth);
}

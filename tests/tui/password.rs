//! Password auth inside the TUI: the lookup asks, a masked popup appears,
//! the typed password signs in at the demo IAM, and no frame ever shows it.
//! Also greps every frame of an AK/SK session for the secret key.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::KeyCode;
use ddm_backups::api::DdmClient;
use ddm_backups::auth::AuthOptions;
use ddm_backups::config::{AuthConfig, Profile, SecretSource};
use ddm_backups::demo::{self, DemoServer, RunningDemo};
use ddm_backups::secret::Secret;
use ddm_backups::tui::password::PasswordBridge;
use ddm_backups::tui::test_support::{Harness, Setup};

/// A session on 100x30 whose lookups ask for passwords through `password`.
fn start(client: DdmClient, password: Option<PasswordBridge>) -> Harness {
    Harness::launch(Setup {
        password,
        width: 100,
        height: 30,
        ..Setup::new(client)
    })
}

/// Password auth with no source in the config: the operator is asked.
fn password_profile(running: &RunningDemo) -> Profile {
    let mut profile = demo::profile_for(running);
    profile.auth = AuthConfig::Password {
        domain: demo::DEMO_DOMAIN.into(),
        user: demo::DEMO_USER.into(),
        password: None,
    };
    profile
}

/// A bridge for the popup, and client options that ask through it.
fn asking(cache: &tempfile::TempDir) -> (PasswordBridge, AuthOptions) {
    let bridge = PasswordBridge::default();
    let options = AuthOptions {
        prompt: Some(Arc::new(bridge.clone())),
        cache_dir: Some(cache.path().to_path_buf()),
    };
    (bridge, options)
}

#[tokio::test]
async fn the_password_is_asked_in_a_masked_popup_and_signs_in() {
    let running = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (bridge, options) = asking(&cache);
    let profile = password_profile(&running);
    let client = DdmClient::with_options(&profile, options).unwrap();
    let mut session = start(client, Some(bridge));

    session.type_str("demo-in09");
    session.key(KeyCode::Tab);
    session.type_str("nodes-br09");
    session.key(KeyCode::Enter);
    session.wait_for("IAM sign-in").await;
    assert!(
        session
            .last
            .contains("Password for IAM user demo-user in account demo-account")
    );
    session.type_str(demo::DEMO_PASSWORD);
    session.wait_for("••••").await;
    session.key(KeyCode::Enter);
    session.wait_for("rds-orders-shard-05").await;
    assert_eq!(running.service().iam_calls(), 1);

    // A second lookup reuses the token: no popup, no sign-in.
    let loaded_frames = session.count("✓ 200 OK");
    session.key(KeyCode::Char('r'));
    for _ in 0..200 {
        if session.count("✓ 200 OK") > loaded_frames {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        session.count("✓ 200 OK") > loaded_frames,
        "the reload finished"
    );
    assert_eq!(running.service().hits("nodes-br09"), 2);
    assert_eq!(running.service().iam_calls(), 1);
    let all = session.finish().await.1.concat();
    assert!(
        !all.contains(demo::DEMO_PASSWORD),
        "the password reached the screen"
    );
    assert!(
        !all.contains("demo-iam-token-"),
        "the token reached the screen"
    );
}

#[tokio::test]
async fn refusing_the_password_fails_the_lookup_with_a_clear_message() {
    let running = DemoServer::builder().bind().await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (bridge, options) = asking(&cache);
    let profile = password_profile(&running);
    let mut session = start(
        DdmClient::with_options(&profile, options).unwrap(),
        Some(bridge),
    );
    session.type_str("demo-in09");
    session.key(KeyCode::Tab);
    session.type_str("nodes-br09");
    session.key(KeyCode::Enter);
    session.wait_for("IAM sign-in").await;
    session.key(KeyCode::Esc);
    session.wait_for("no password was given").await;
    assert_eq!(running.service().iam_calls(), 0);
    session.quit().await;
}

#[tokio::test]
async fn an_aksk_session_never_draws_a_secret() {
    let running = DemoServer::builder().bind().await.unwrap();
    let mut profile = demo::profile_for(&running);
    let inline = |v: &str| SecretSource::Inline(Secret::new(v.into()));
    profile.auth = AuthConfig::AkSk {
        ak: inline(demo::DEMO_AK),
        sk: inline(demo::DEMO_SK),
        security_token: Some(inline(demo::DEMO_SECURITY_TOKEN)),
    };
    let mut session = start(DdmClient::new(&profile).unwrap(), None);
    for (round, backup) in ["nodes-br09", "e401-br09"].into_iter().enumerate() {
        if round > 0 {
            // From the list, Tab goes back to the form.
            session.key(KeyCode::Tab);
        }
        session.ctrl('u');
        session.type_str("demo-in09");
        session.key(KeyCode::Tab);
        session.ctrl('u');
        session.type_str(backup);
        session.key(KeyCode::Enter);
        session
            .wait_for(if round == 0 {
                "rds-orders-shard-00"
            } else {
                "401 Unauthorized"
            })
            .await;
        session.key(KeyCode::Char('e'));
        if round == 1 {
            session.wait_for("Last error").await;
        }
        session.key(KeyCode::Esc);
    }
    let all = session.finish().await.1.concat();
    assert!(all.contains("rds-orders-shard-00"), "the lookup worked");
    assert!(all.contains("401 Unauthorized"), "the error was drawn too");
    for secret in [demo::DEMO_SK, demo::DEMO_SECURITY_TOKEN, "Signature="] {
        assert!(!all.contains(secret), "{secret} reached the screen");
    }
}

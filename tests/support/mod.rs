//! Shared set-up for the integration tests: a profile aimed at a local server.
#![allow(dead_code)]

use std::time::Duration;

use ddm_backups::api::DdmClient;
use ddm_backups::config::Profile;
use ddm_backups::demo::{self, RunningDemo};

/// A profile for `base_url` with the given token and deadline.
pub fn profile(base_url: &str, token: &str, timeout: Duration) -> Profile {
    let profile = demo::profile_at(base_url, token, timeout);
    assert_eq!(
        profile.endpoint.as_str().trim_end_matches('/'),
        base_url.trim_end_matches('/')
    );
    profile
}

/// A client for a running demo server with its token and a 20 s deadline.
pub fn client(demo: &RunningDemo) -> DdmClient {
    client_with_timeout(demo, Duration::from_secs(20))
}

pub fn client_with_timeout(demo: &RunningDemo, timeout: Duration) -> DdmClient {
    DdmClient::new(&profile(&demo.base_url(), demo.token(), timeout)).expect("client")
}

/// A demo server on a free port.
pub async fn demo() -> RunningDemo {
    demo::DemoServer::builder()
        .bind()
        .await
        .expect("demo server")
}

//! The profile that points the client at a running demo endpoint.

use std::time::Duration;

use reqwest::Url;

use super::{DEMO_AK, DEMO_PROJECT_ID, DEMO_REGION, DEMO_SK, RunningDemo};
use crate::config::{
    AuthConfig, DEFAULT_LIST_TIMEOUT, DEFAULT_TIMEOUT, Profile, SecretSource, Thresholds,
};
use crate::secret::Secret;

/// The name of the demo's first profile (token, the `demo` project).
pub const DEMO_PROFILE: &str = "demo";
/// The name of its second (AK/SK, the `demo-eu` project).
pub const DEMO_EU_PROFILE: &str = "demo-eu";

/// A profile named [`DEMO_PROFILE`] for `running`, with its token and the
/// default deadline.
pub fn profile_for(running: &RunningDemo) -> Profile {
    profile_at(&running.base_url(), running.token(), DEFAULT_TIMEOUT)
}

/// The second demo region, so switching profiles can be tried.
const DEMO_SECOND_REGION: &str = "eu-west-101";

/// The demo's two profiles: [`DEMO_PROFILE`] (token, cn-north-4) and
/// [`DEMO_EU_PROFILE`] (AK/SK, eu-west-101), both served by the one
/// embedded endpoint, each with its own project and backups (see
/// [`super::eu`]).
pub fn profiles_for(running: &RunningDemo) -> Vec<Profile> {
    let first = profile_for(running);
    let second = Profile {
        name: DEMO_EU_PROFILE.into(),
        region: DEMO_SECOND_REGION.into(),
        project_id: Some(super::DEMO_EU_PROJECT_ID.into()),
        auth: AuthConfig::AkSk {
            ak: SecretSource::Inline(Secret::new(DEMO_AK.into())),
            sk: SecretSource::Inline(Secret::new(DEMO_SK.into())),
            security_token: None,
        },
        ..first.clone()
    };
    vec![first, second]
}

/// A demo-style profile for any base URL; used by tests with odd deadlines.
pub fn profile_at(base_url: &str, token: &str, timeout: Duration) -> Profile {
    // The demo always serves http://127.0.0.1:PORT, which parses.
    let endpoint = Url::parse(base_url)
        .unwrap_or_else(|_| Url::parse("http://127.0.0.1/").expect("static URL"));
    Profile {
        name: DEMO_PROFILE.into(),
        region: DEMO_REGION.into(),
        project_id: Some(DEMO_PROJECT_ID.into()),
        // The demo serves IAM on the same port as DDM.
        iam_endpoint: endpoint.clone(),
        endpoint,
        fallback_endpoints: Vec::new(),
        endpoint_warning: None,
        timeout,
        list_timeout: DEFAULT_LIST_TIMEOUT,
        ca_file: None,
        auth: AuthConfig::Token(SecretSource::Inline(Secret::new(token.into()))),
        // A config file's [health] does not reach the demo's profiles.
        thresholds: Thresholds::default(),
    }
}

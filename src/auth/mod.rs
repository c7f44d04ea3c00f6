//! Turning a profile's auth settings into request headers.

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

use crate::config::{AuthConfig, ConfigError, Profile, TokenSource};
use crate::secret::Secret;
pub mod signer;

/// IAM tokens are around 9 KB, sometimes much more; anything beyond this is
/// not a token (a pasted file, say) and would only earn a 494 from the gateway.
const MAX_TOKEN_LEN: usize = 32 * 1024;

/// Ready-to-use credentials for one profile.
#[derive(Debug, Clone)]
pub struct Credentials {
    token: Secret,
}

impl Credentials {
    /// Reads the profile's token from where its `auth` table says.
    pub fn resolve(profile: &Profile) -> Result<Self, ConfigError> {
        let AuthConfig::Token(source) = &profile.auth;
        let token = match source {
            TokenSource::Inline(secret) => secret.clone(),
            TokenSource::Env(name) => match std::env::var(name) {
                Ok(value) => Secret::new(value),
                Err(std::env::VarError::NotPresent) => {
                    return Err(ConfigError::Credentials(format!(
                        "profile {:?}: the environment variable {name} (auth.token_env) is not set; export the IAM token there",
                        profile.name
                    )));
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(ConfigError::Credentials(format!(
                        "profile {:?}: the environment variable {name} is not valid text",
                        profile.name
                    )));
                }
            },
        };
        Self::from_token(token, &profile.name)
    }

    /// Credentials from a token already at hand (the demo's, say).
    pub fn from_token(token: Secret, profile_name: &str) -> Result<Self, ConfigError> {
        let bad = |why: &str| {
            ConfigError::Credentials(format!("profile {profile_name:?}: the token {why}"))
        };
        let trimmed = token.expose().trim();
        if trimmed.is_empty() {
            return Err(bad("is empty"));
        }
        if trimmed.len() > MAX_TOKEN_LEN {
            return Err(bad("is longer than 32 KB; is it really a token?"));
        }
        if HeaderValue::from_str(trimmed).is_err() {
            return Err(bad("contains characters that cannot go in an HTTP header"));
        }
        let token = if trimmed.len() == token.expose().len() {
            token
        } else {
            Secret::new(trimmed.to_string())
        };
        Ok(Credentials { token })
    }

    /// The headers every DDM request carries; the token is marked sensitive
    /// so the HTTP stack never prints it.
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Ok(mut value) = HeaderValue::from_str(self.token.expose()) {
            value.set_sensitive(true);
            headers.insert("x-auth-token", value);
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_and_hidden() {
        let creds = Credentials::from_token(Secret::new("  tok-123 \n".into()), "p").unwrap();
        let headers = creds.headers();
        assert_eq!(headers["x-auth-token"], "tok-123");
        assert!(headers["x-auth-token"].is_sensitive());
        assert!(!format!("{headers:?}").contains("tok-123"));
        assert!(!format!("{creds:?}").contains("tok-123"));
        assert!(Credentials::from_token(Secret::new(" ".into()), "p").is_err());
        assert!(Credentials::from_token(Secret::new("a\nb".into()), "p").is_err());
        assert!(Credentials::from_token(Secret::new("x".repeat(40_000)), "p").is_err());
    }
}

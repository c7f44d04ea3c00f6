//! Building an authenticator from a profile: reading what can be read now
//! (inline values, environment variables, the SDK's sources).

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use tokio::sync::Mutex;

use super::source::check_token;
use super::{
    AuthError, AuthOptions, Authenticator, Inner, Method, PasswordMethod, TokenCache, sdk, source,
};
use crate::config::{AuthConfig, ConfigError, Profile, SecretSource};
use crate::http::Transport;

impl Authenticator {
    /// Reads what can be read now (inline values, environment variables, the
    /// SDK sources); commands, prompts and IAM wait for the first request.
    pub fn new(
        profile: &Profile,
        ddm: &Transport,
        options: AuthOptions,
    ) -> Result<Self, ConfigError> {
        let name = profile.name.as_str();
        let credentials = |e: AuthError| ConfigError::Credentials(e.to_string());
        let mut project_id = profile.project_id.clone();
        let mut origins: Vec<(&'static str, String)> = Vec::new();
        if project_id.is_some() {
            origins.push(("project", "the config file".into()));
        }
        match &profile.auth {
            AuthConfig::Token(source) => origins.push(("token", origin(source, "token"))),
            AuthConfig::Password { password, .. } => origins.push((
                "password",
                password.as_ref().map_or_else(
                    || "asked for at the first lookup".into(),
                    |source| origin(source, "password"),
                ),
            )),
            AuthConfig::AkSk {
                ak,
                sk,
                security_token,
            } => {
                origins.push(("AK", origin(ak, "ak")));
                origins.push(("SK", origin(sk, "sk")));
                if let Some(t) = security_token {
                    origins.push(("security token", origin(t, "security_token")));
                }
            }
            AuthConfig::Sdk => {}
        }
        let method = match &profile.auth {
            AuthConfig::Token(SecretSource::Command(cmd)) => Method::CommandToken(cmd.clone()),
            AuthConfig::Token(source) => {
                let token = source::read_now(source, "token", name)
                    .map_err(credentials)?
                    .ok_or_else(|| {
                        ConfigError::Credentials(format!("profile {name:?}: no token"))
                    })?;
                Method::FixedToken(check_token(token, name).map_err(credentials)?)
            }
            AuthConfig::Password {
                domain,
                user,
                password,
            } => {
                let read = match password {
                    Some(source) => {
                        source::read_now(source, "password", name).map_err(credentials)?
                    }
                    None => None,
                };
                let cache_dir = options.cache_dir.clone().or_else(TokenCache::default_dir);
                let iam = ddm.with_endpoint(profile.iam_endpoint.clone())?;
                let project = project_id.clone().unwrap_or_default();
                let cache = cache_dir.map(|dir| {
                    TokenCache::new(
                        &dir,
                        &[user, domain, &project, profile.iam_endpoint.as_str()],
                    )
                });
                Method::Password(Box::new(PasswordMethod {
                    domain: domain.clone(),
                    user: user.clone(),
                    source: password.clone(),
                    password: Mutex::new(read),
                    prompt: options.prompt.clone(),
                    iam,
                    cache,
                }))
            }
            AuthConfig::AkSk {
                ak,
                sk,
                security_token,
            } => {
                let read = |s: &SecretSource, what: &str| {
                    source::read_now(s, what, name)
                        .map_err(credentials)?
                        .ok_or_else(|| {
                            ConfigError::Credentials(format!(
                                "profile {name:?}: {what} cannot come from a command"
                            ))
                        })
                };
                Method::AkSk {
                    ak: read(ak, "ak")?,
                    sk: read(sk, "sk")?,
                    security_token: security_token
                        .as_ref()
                        .map(|s| read(s, "security_token"))
                        .transpose()?,
                }
            }
            AuthConfig::Sdk => {
                let found = sdk::find().map_err(ConfigError::Credentials)?.ok_or_else(|| {
                    ConfigError::Credentials(format!(
                        "profile {name:?} has no [auth] table and no SDK credentials were found: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, \
                         write ~/.huaweicloud/credentials, or add an [auth] table"
                    ))
                })?;
                tracing::info!(profile = name, origin = %found.origin, "using the SDK's credentials");
                origins.push(("AK/SK", found.origin.clone()));
                if project_id.is_none() && found.project_id.is_some() {
                    origins.push(("project", found.origin.clone()));
                    project_id = found.project_id;
                }
                Method::AkSk {
                    ak: found.ak,
                    sk: found.sk,
                    security_token: found.security_token,
                }
            }
        };
        let project_id = project_id.ok_or_else(|| {
            ConfigError::Credentials(format!(
                "profile {name:?}: no project_id in the profile, $HUAWEICLOUD_SDK_PROJECT_ID or the SDK credentials file"
            ))
        })?;
        Ok(Authenticator {
            inner: Arc::new(Inner {
                profile: name.to_string(),
                project_id,
                origins,
                method,
                current: Mutex::new(None),
                serials: AtomicU64::new(0),
                iam_calls: AtomicU64::new(0),
            }),
        })
    }
}

/// Where a credential comes from, for `config check`: the key that says so,
/// never its value (`sk_env = "<the SK itself>"` is an easy mistake, and a
/// command line may carry a secret of its own).
fn origin(source: &SecretSource, key: &str) -> String {
    match source {
        SecretSource::Inline(_) => "the config file".into(),
        SecretSource::Env(_) => format!("the environment variable named by {key}_env"),
        SecretSource::Command(_) => format!("{key}_command"),
    }
}

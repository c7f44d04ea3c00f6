//! Credentials, IAM tokens and their cache, AK/SK signing: everything that
//! turns a profile into the headers of an authorised request.

mod cache;
mod iam;
pub mod sdk;
pub mod signer;
pub mod source;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use time::OffsetDateTime;
use tokio::sync::Mutex;

pub use cache::{CachedToken, TokenCache};

use crate::config::{AuthConfig, ConfigError, Profile, SecretSource};
use crate::http::{self, Deadline, Transport};
use crate::secret::Secret;

/// IAM tokens are around 9 KB, sometimes much more; anything beyond this is
/// not a token (a pasted file, say) and would only earn a 494 from the gateway.
const MAX_TOKEN_LEN: usize = 32 * 1024;

/// Why a request could not be authorised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Missing or unusable credentials: a configuration problem (exit 2).
    #[error("{0}")]
    Credentials(String),
    /// IAM refused or failed.
    #[error("IAM: {0}")]
    Iam(http::Error),
    /// IAM answered, but not with a token.
    #[error("IAM answered without a usable token: {0}")]
    IamResponse(String),
}

/// Asks the operator for a password (a terminal prompt, or the TUI's masked
/// popup). `None` means they declined or nobody can be asked.
pub trait PasswordPrompt: Send + Sync {
    /// Asks for the password of `user` in account `domain`.
    fn ask(
        &self,
        profile: &str,
        user: &str,
        domain: &str,
    ) -> Pin<Box<dyn Future<Output = Option<Secret>> + Send + '_>>;
}

/// What was sent, so a 401 can drop exactly the token that failed.
#[derive(Debug)]
pub struct Authorization {
    pub headers: HeaderMap,
    token_serial: u64,
}

/// The authoriser of one profile: cheap to clone, shared by every lookup so
/// concurrent lookups never ask IAM twice.
#[derive(Clone)]
pub struct Authenticator {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("profile", &self.inner.profile)
            .field("kind", &self.inner.method.kind())
            .finish()
    }
}

struct Inner {
    profile: String,
    project_id: String,
    /// Where each credential comes from (never the values), for `config check`.
    origins: Vec<(&'static str, String)>,
    method: Method,
    /// The token in use (token and password auth) and its serial number.
    current: Mutex<Option<(CachedToken, u64)>>,
    serials: AtomicU64,
    /// Sign-ins this process made, for `config check`'s report.
    iam_calls: AtomicU64,
}

enum Method {
    /// A token from the file or the environment: never refreshed.
    FixedToken(Secret),
    /// A token from a command: run once per process and again after a 401.
    CommandToken(String),
    Password(Box<PasswordMethod>),
    AkSk {
        ak: Secret,
        sk: Secret,
        security_token: Option<Secret>,
    },
}

/// Password auth: who signs in, how the password is found, and where
/// tokens come from and are kept.
struct PasswordMethod {
    domain: String,
    user: String,
    source: Option<SecretSource>,
    /// Read once, kept for later renewals.
    password: Mutex<Option<Secret>>,
    prompt: Option<Arc<dyn PasswordPrompt>>,
    iam: Transport,
    cache: Option<TokenCache>,
}

impl Method {
    fn kind(&self) -> &'static str {
        match self {
            Method::FixedToken(_) | Method::CommandToken(_) => "token",
            Method::Password(_) => "password",
            Method::AkSk { .. } => "aksk",
        }
    }
}

/// Options for building an authenticator.
#[derive(Clone, Default)]
pub struct AuthOptions {
    /// Who to ask for a password when the profile names no source.
    pub prompt: Option<Arc<dyn PasswordPrompt>>,
    /// Where IAM tokens are cached (default: the user's cache directory).
    pub cache_dir: Option<PathBuf>,
}

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
            AuthConfig::Token(source) => origins.push(("token", source.describe())),
            AuthConfig::Password { password, .. } => origins.push((
                "password",
                password.as_ref().map_or_else(
                    || "asked for at the first lookup".into(),
                    SecretSource::describe,
                ),
            )),
            AuthConfig::AkSk {
                ak,
                sk,
                security_token,
            } => {
                origins.push(("AK", ak.describe()));
                origins.push(("SK", sk.describe()));
                if let Some(t) = security_token {
                    origins.push(("security token", t.describe()));
                }
            }
            AuthConfig::Sdk => {}
        }
        let method = match &profile.auth {
            AuthConfig::Token(SecretSource::Command(cmd)) => Method::CommandToken(cmd.clone()),
            AuthConfig::Token(source) => {
                let token = source::read_now(source, "auth token", name)
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
                    ak: read(ak, "AK")?,
                    sk: read(sk, "SK")?,
                    security_token: security_token
                        .as_ref()
                        .map(|s| read(s, "security token"))
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

    /// The project every request is scoped to.
    pub fn project_id(&self) -> &str {
        &self.inner.project_id
    }

    /// The auth type, for messages.
    pub fn kind(&self) -> &'static str {
        self.inner.method.kind()
    }

    /// Where each credential comes from, never the values.
    pub fn origins(&self) -> &[(&'static str, String)] {
        &self.inner.origins
    }

    /// Does the slow, human or outside part of authorising before the
    /// lookup's deadline starts: asks for the password if a sign-in will need
    /// one, or runs the token command if there is no token yet. True when it
    /// did either (the caller then starts its deadline afresh).
    pub async fn prepare(&self) -> Result<bool, AuthError> {
        let now = OffsetDateTime::now_utc();
        match &self.inner.method {
            Method::CommandToken(cmd) => {
                let mut current = self.inner.current.lock().await;
                if current.is_some() {
                    return Ok(false);
                }
                let token = check_token(
                    source::run_command(cmd, "token").await?,
                    &self.inner.profile,
                )?;
                let fresh = CachedToken {
                    token,
                    expires_at: now + time::Duration::days(3650),
                };
                let serial = self.inner.serials.fetch_add(1, Ordering::SeqCst) + 1;
                *current = Some((fresh, serial));
                Ok(true)
            }
            Method::Password(method) => {
                let in_memory = self
                    .inner
                    .current
                    .lock()
                    .await
                    .as_ref()
                    .is_some_and(|(t, _)| t.is_fresh(now));
                let on_disk = || {
                    method
                        .cache
                        .as_ref()
                        .and_then(TokenCache::load)
                        .is_some_and(|t| t.is_fresh(now))
                };
                if in_memory || on_disk() {
                    return Ok(false);
                }
                let mut kept = method.password.lock().await;
                if kept.is_some() {
                    return Ok(false);
                }
                let PasswordMethod {
                    domain,
                    user,
                    source,
                    prompt,
                    ..
                } = &**method;
                *kept = Some(
                    read_password(
                        &self.inner.profile,
                        user,
                        domain,
                        source.as_ref(),
                        prompt.as_deref(),
                    )
                    .await?,
                );
                Ok(true)
            }
            Method::FixedToken(_) | Method::AkSk { .. } => Ok(false),
        }
    }

    /// Makes sure requests can be authorised without calling DDM: runs the
    /// token command, or gets (or reuses) an IAM token. Says how it went.
    pub async fn check(&self, deadline: Deadline) -> Result<String, AuthError> {
        if let Method::AkSk { security_token, .. } = &self.inner.method {
            return Ok(if security_token.is_some() {
                "AK/SK with a security token; requests are signed".into()
            } else {
                "AK/SK present; requests are signed".into()
            });
        }
        let calls_before = self.inner.iam_calls.load(Ordering::SeqCst);
        self.prepare().await?;
        self.token(deadline).await?;
        let current = self.inner.current.lock().await;
        let expiry = current.as_ref().map(|(t, _)| t.expires_at);
        Ok(match &self.inner.method {
            Method::FixedToken(_) => "token present".into(),
            Method::CommandToken(_) => "the token command printed a token".into(),
            _ => {
                let fresh = self.inner.iam_calls.load(Ordering::SeqCst) > calls_before;
                let until = expiry
                    .and_then(|e| {
                        e.format(&time::format_description::well_known::Rfc3339)
                            .ok()
                    })
                    .unwrap_or_default();
                if fresh {
                    format!("new token from IAM, valid until {until}")
                } else {
                    format!("cached token, valid until {until}")
                }
            }
        })
    }

    /// The headers that authorise `method url` with `body`: a token (fetched
    /// or reused) or an AK/SK signature.
    pub async fn authorize(
        &self,
        method: &str,
        url: &Url,
        body: &[u8],
        deadline: Deadline,
    ) -> Result<Authorization, AuthError> {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Method::AkSk {
            ak,
            sk,
            security_token,
        } = &self.inner.method
        {
            sign_into(
                &mut headers,
                method,
                url,
                body,
                ak,
                sk,
                security_token.as_ref(),
                &self.inner.project_id,
            )?;
            return Ok(Authorization {
                headers,
                token_serial: 0,
            });
        }
        let (token, serial) = self.token(deadline).await?;
        let mut value = HeaderValue::from_str(token.expose()).map_err(|_| {
            AuthError::Credentials(format!(
                "profile {:?}: the token cannot go in an HTTP header",
                self.inner.profile
            ))
        })?;
        value.set_sensitive(true);
        headers.insert("x-auth-token", value);
        Ok(Authorization {
            headers,
            token_serial: serial,
        })
    }

    /// Called after a 401: drops the token that failed (and its cache entry)
    /// when it can be renewed. True when one more try may succeed.
    pub async fn rejected(&self, used: &Authorization) -> bool {
        let renewable = matches!(
            self.inner.method,
            Method::CommandToken(_) | Method::Password(_)
        );
        if !renewable {
            return false;
        }
        let mut current = self.inner.current.lock().await;
        if let Some((token, serial)) = current.as_ref()
            && *serial == used.token_serial
        {
            if let Method::Password(p) = &self.inner.method
                && let Some(cache) = &p.cache
            {
                cache.forget(&token.token);
            }
            tracing::info!(profile = %self.inner.profile, "the token was refused; getting a new one");
            *current = None;
        }
        true
    }

    /// The current token, renewed when absent or about to expire. The lock
    /// is held while renewing, so concurrent lookups wait for one IAM call.
    async fn token(&self, deadline: Deadline) -> Result<(Secret, u64), AuthError> {
        let mut current = self.inner.current.lock().await;
        let now = OffsetDateTime::now_utc();
        if let Some((token, serial)) = current.as_ref()
            && (token.is_fresh(now) || !matches!(self.inner.method, Method::Password(_)))
        {
            return Ok((token.token.clone(), *serial));
        }
        let fresh = self.obtain(now, deadline).await?;
        let serial = self.inner.serials.fetch_add(1, Ordering::SeqCst) + 1;
        let token = fresh.token.clone();
        *current = Some((fresh, serial));
        Ok((token, serial))
    }

    async fn obtain(
        &self,
        now: OffsetDateTime,
        deadline: Deadline,
    ) -> Result<CachedToken, AuthError> {
        let name = &self.inner.profile;
        // Fixed and command tokens never expire as far as we know; a 401 renews them.
        let forever = now + time::Duration::days(3650);
        match &self.inner.method {
            Method::FixedToken(token) => Ok(CachedToken {
                token: token.clone(),
                expires_at: forever,
            }),
            Method::CommandToken(cmd) => {
                let token = source::run_command(cmd, "token").await?;
                Ok(CachedToken {
                    token: check_token(token, name)?,
                    expires_at: forever,
                })
            }
            Method::Password(method) => {
                let PasswordMethod {
                    domain,
                    user,
                    source,
                    password,
                    prompt,
                    iam,
                    cache,
                } = &**method;
                if let Some(cached) = cache
                    .as_ref()
                    .and_then(TokenCache::load)
                    .filter(|c| c.is_fresh(now))
                {
                    tracing::debug!(profile = %name, "reusing the cached IAM token");
                    return Ok(cached);
                }
                let password = {
                    let mut kept = password.lock().await;
                    if kept.is_none() {
                        *kept = Some(
                            read_password(name, user, domain, source.as_ref(), prompt.as_deref())
                                .await?,
                        );
                    }
                    kept.clone()
                        .ok_or_else(|| AuthError::Credentials("no password".into()))?
                };
                let who = iam::PasswordIdentity {
                    domain,
                    user,
                    project_id: &self.inner.project_id,
                };
                self.inner.iam_calls.fetch_add(1, Ordering::SeqCst);
                let result = iam::request_token(iam, &who, &password, deadline).await;
                if let Err(AuthError::Iam(e)) = &result
                    && e.status() == Some(401)
                {
                    // A mistyped password must not be resent for the rest of
                    // the run: the next lookup asks (or reads) it again.
                    *method.password.lock().await = None;
                }
                let fresh = result?;
                if let Some(cache) = cache
                    && let Err(e) = cache.store(&fresh)
                {
                    tracing::warn!(error = %e, "could not write the token cache; the next launch will ask IAM again");
                }
                Ok(fresh)
            }
            Method::AkSk { .. } => Err(AuthError::Credentials(
                "AK/SK requests carry no token".into(),
            )),
        }
    }
}

async fn read_password(
    profile: &str,
    user: &str,
    domain: &str,
    source: Option<&SecretSource>,
    prompt: Option<&dyn PasswordPrompt>,
) -> Result<Secret, AuthError> {
    match source {
        Some(SecretSource::Command(cmd)) => source::run_command(cmd, "password").await,
        Some(other) => source::read_now(other, "password", profile)?
            .ok_or_else(|| AuthError::Credentials("no password".into())),
        None => match prompt {
            Some(prompt) => prompt
                .ask(profile, user, domain)
                .await
                .filter(|p| !p.is_blank())
                .ok_or_else(|| {
                    AuthError::Credentials(format!("profile {profile:?}: no password was given"))
                }),
            None => Err(AuthError::Credentials(format!(
                "profile {profile:?}: password auth needs password_env, password_command, or a terminal to ask on"
            ))),
        },
    }
}

/// Refuses values that cannot be a token, before they reach a header.
fn check_token(token: Secret, profile: &str) -> Result<Secret, AuthError> {
    let bad = |why: &str| AuthError::Credentials(format!("profile {profile:?}: the token {why}"));
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
    Ok(if trimmed.len() == token.expose().len() {
        token
    } else {
        Secret::new(trimmed.to_string())
    })
}

/// Adds the SDK-HMAC-SHA256 headers for an AK/SK request, exactly as the
/// official SDKs send them: X-Project-Id and X-Security-Token are signed too.
/// `url` must carry no query: ShowBackup has none, and a signed query would
/// have to be sent in the signer's order and encoding.
#[allow(clippy::too_many_arguments)]
fn sign_into(
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
    let input = signer::SignInput {
        method,
        url,
        query: &[],
        headers: &extra,
        body,
    };
    let mut signed = signer::sign(&input, ak.expose(), sk, OffsetDateTime::now_utc());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked() {
        assert_eq!(
            check_token(Secret::new("  tok-123 \n".into()), "p")
                .unwrap()
                .expose(),
            "tok-123"
        );
        assert!(check_token(Secret::new(" ".into()), "p").is_err());
        assert!(check_token(Secret::new("a\nb".into()), "p").is_err());
        assert!(check_token(Secret::new("x".repeat(40_000)), "p").is_err());
    }
}

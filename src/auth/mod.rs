//! Credentials, IAM tokens and their cache, AK/SK signing: everything that
//! turns a profile into the headers of an authorised request.

mod cache;
mod command;
mod iam;
mod resolve;
pub mod sdk;
pub mod signer;
mod signing;
pub mod source;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::{SignedDuration, Timestamp};
use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::sync::Mutex;

pub use cache::{CacheBusy, CachedToken, TokenCache};

use crate::config::SecretSource;
use crate::http::{self, Deadline, Transport};
use crate::secret::Secret;
use signing::sign_into;
use source::{check_token, read_password};

/// How long a fixed or command token is taken to last: they never expire
/// as far as we know, and a 401 renews them.
const TEN_YEARS: SignedDuration = SignedDuration::from_hours(24 * 3650);

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
    /// Another process held the token cache's lock past the deadline: the
    /// credentials are fine and the next try may pass, so a runtime
    /// failure (exit 1), not a configuration one.
    #[error(transparent)]
    CacheBusy(CacheBusy),
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

/// The question every prompt asks, so the terminal and the TUI agree.
pub fn password_question(profile: &str, user: &str, domain: &str) -> String {
    format!("Password for IAM user {user} in account {domain} (profile {profile})")
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
        let now = Timestamp::now();
        match &self.inner.method {
            Method::CommandToken(cmd) => {
                let mut current = self.inner.current.lock().await;
                if current.is_some() {
                    return Ok(false);
                }
                let token = check_token(
                    source::run_command(cmd, "token", &self.inner.profile).await?,
                    &self.inner.profile,
                )?;
                let fresh = CachedToken {
                    token,
                    expires_at: now + TEN_YEARS,
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
                if in_memory {
                    return Ok(false);
                }
                // prepare() runs before the lookup's deadline is made; one
                // made now from the same timeout_secs bounds the wait.
                if let Some(cache) = &method.cache
                    && cache
                        .load_until(method.iam.deadline().at)
                        .await
                        .map_err(busy)?
                        .is_some_and(|t| t.is_fresh(now))
                {
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
                // IAM writes microseconds; people read the second.
                let until = expiry
                    .and_then(|e| Timestamp::from_second(e.as_second()).ok())
                    .map(|e| e.to_string())
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
                cache
                    .forget_until(token.token.clone(), p.iam.deadline().at)
                    .await;
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
        let now = Timestamp::now();
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

    async fn obtain(&self, now: Timestamp, deadline: Deadline) -> Result<CachedToken, AuthError> {
        let name = &self.inner.profile;
        // Fixed and command tokens never expire as far as we know; a 401 renews them.
        let forever = now + TEN_YEARS;
        match &self.inner.method {
            Method::FixedToken(token) => Ok(CachedToken {
                token: token.clone(),
                expires_at: forever,
            }),
            Method::CommandToken(cmd) => {
                let token = source::run_command(cmd, "token", name).await?;
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
                let on_disk = match cache {
                    Some(cache) => cache.load_until(deadline.at).await.map_err(busy)?,
                    None => None,
                };
                if let Some(cached) = on_disk.filter(|c| c.is_fresh(now)) {
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
                    && let Err(e) = cache.store_until(fresh.clone(), deadline.at).await
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

/// A token cache held by another process past the deadline: nothing was
/// sent, and the message says which lock and why.
fn busy(e: CacheBusy) -> AuthError {
    AuthError::CacheBusy(e)
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

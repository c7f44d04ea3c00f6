//! The `[profiles.NAME.auth]` table: a flat table validated by hand, so every
//! error keeps the position of the key it is about (an internally tagged enum
//! would lose them).

use serde::Deserialize;
use toml::Spanned;

use super::file::{Located, at};
use super::placeholder;
use super::profile::{AuthConfig, SecretSource};
use crate::secret::Secret;

/// Every key any auth type may use; which ones fit is checked per type.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    token: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
    token_command: Option<Spanned<String>>,
    domain: Option<Spanned<String>>,
    user: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    password_command: Option<Spanned<String>>,
    ak: Option<Spanned<String>>,
    ak_env: Option<Spanned<String>>,
    sk: Option<Spanned<String>>,
    sk_env: Option<Spanned<String>>,
    security_token: Option<Spanned<String>>,
    security_token_env: Option<Spanned<String>>,
}

/// What the rest of the file check needs to know about a validated table.
pub struct ValidatedAuth {
    pub auth: AuthConfig,
    /// An inline `token`, `sk` or `security_token`: the file must be private.
    pub has_inline_secret: bool,
    /// A `*_command`: the file must not be writable by others.
    pub has_command: bool,
    /// Keys still holding `config init`'s placeholder.
    pub unfilled: Vec<Located>,
}

const TYPES: &str = "\"token\", \"password\" or \"aksk\"";

/// Checks the table for its `type`.
pub fn validate(table: Spanned<RawAuth>) -> Result<ValidatedAuth, Located> {
    let table_span = table.span();
    let raw = table.into_inner();
    let kind = raw.kind.get_ref().clone();
    let allowed: &[&str] = match kind.as_str() {
        "token" => &["token", "token_env", "token_command"],
        "password" => &["domain", "user", "password_env", "password_command"],
        "aksk" => &[
            "ak",
            "ak_env",
            "sk",
            "sk_env",
            "security_token",
            "security_token_env",
        ],
        other => {
            return Err(at(
                &raw.kind,
                format!("auth type {other:?} is unknown; use {TYPES}"),
            ));
        }
    };
    for (key, value) in raw.present() {
        if !allowed.contains(&key) {
            return Err(at(
                value,
                format!(
                    "auth key {key} does not belong to type {kind:?} (it takes {})",
                    allowed.join(", ")
                ),
            ));
        }
    }
    let missing = |what: &str| Located {
        span: Some(table_span.clone()),
        message: format!("auth: type {kind:?} needs {what}"),
    };
    let mut has_inline_secret = false;
    let mut has_command = false;
    let unfilled: Vec<Located> = [("auth.domain", &raw.domain), ("auth.user", &raw.user)]
        .into_iter()
        .filter_map(|(key, value)| placeholder::unfilled(key, value.as_ref()?))
        .collect();
    let auth = match kind.as_str() {
        "token" => {
            let source = one_of("token", raw.token, raw.token_env, raw.token_command)?
                .ok_or_else(|| missing("token_env, token_command or token"))?;
            has_inline_secret |= matches!(source, SecretSource::Inline(_));
            has_command |= matches!(source, SecretSource::Command(_));
            AuthConfig::Token(source)
        }
        "password" => {
            let domain =
                plain(raw.domain, "domain")?.ok_or_else(|| missing("domain (the account name)"))?;
            let user =
                plain(raw.user, "user")?.ok_or_else(|| missing("user (the IAM user name)"))?;
            // No inline password on purpose: use an env var, a command, or the prompt.
            let password = one_of("password", None, raw.password_env, raw.password_command)?;
            has_command |= matches!(password, Some(SecretSource::Command(_)));
            AuthConfig::Password {
                domain,
                user,
                password,
            }
        }
        _ => {
            let ak =
                one_of("ak", raw.ak, raw.ak_env, None)?.ok_or_else(|| missing("ak_env (or ak)"))?;
            let sk =
                one_of("sk", raw.sk, raw.sk_env, None)?.ok_or_else(|| missing("sk_env (or sk)"))?;
            let security_token = one_of(
                "security_token",
                raw.security_token,
                raw.security_token_env,
                None,
            )?;
            has_inline_secret |= matches!(sk, SecretSource::Inline(_))
                || matches!(security_token, Some(SecretSource::Inline(_)));
            AuthConfig::AkSk {
                ak,
                sk,
                security_token,
            }
        }
    };
    Ok(ValidatedAuth {
        auth,
        has_inline_secret,
        has_command,
        unfilled,
    })
}

impl RawAuth {
    fn present(&self) -> Vec<(&'static str, &Spanned<String>)> {
        let keys = [
            ("token", &self.token),
            ("token_env", &self.token_env),
            ("token_command", &self.token_command),
            ("domain", &self.domain),
            ("user", &self.user),
            ("password_env", &self.password_env),
            ("password_command", &self.password_command),
            ("ak", &self.ak),
            ("ak_env", &self.ak_env),
            ("sk", &self.sk),
            ("sk_env", &self.sk_env),
            ("security_token", &self.security_token),
            ("security_token_env", &self.security_token_env),
        ];
        keys.into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
            .collect()
    }
}

/// At most one of `NAME`, `NAME_env`, `NAME_command`.
fn one_of(
    name: &str,
    inline: Option<Spanned<String>>,
    env: Option<Spanned<String>>,
    command: Option<Spanned<String>>,
) -> Result<Option<SecretSource>, Located> {
    let given = [inline.is_some(), env.is_some(), command.is_some()]
        .iter()
        .filter(|g| **g)
        .count();
    if given > 1 {
        let second = [&env, &command]
            .into_iter()
            .flatten()
            .last()
            .map(|s| s.span());
        return Err(Located {
            span: second,
            message: format!("auth: set only one of {name}, {name}_env and {name}_command"),
        });
    }
    if let Some(value) = inline {
        let span = value.span();
        let secret = Secret::new(value.into_inner());
        if secret.is_blank() {
            return Err(Located {
                span: Some(span),
                message: format!("auth.{name} is empty"),
            });
        }
        return Ok(Some(SecretSource::Inline(secret)));
    }
    if let Some(var) = env {
        // The value is not quoted back: a secret pasted here by mistake
        // must not end up on the screen or in a log.
        if !is_variable_name(var.get_ref()) {
            return Err(at(
                &var,
                format!(
                    "auth.{name}_env is not an environment variable name (letters, digits and _, \
                     not starting with a digit); it names the variable that holds the secret, not the secret itself"
                ),
            ));
        }
        return Ok(Some(SecretSource::Env(var.into_inner())));
    }
    if let Some(cmd) = command {
        if cmd.get_ref().trim().is_empty() {
            return Err(at(&cmd, format!("auth.{name}_command is empty")));
        }
        return Ok(Some(SecretSource::Command(cmd.get_ref().clone())));
    }
    Ok(None)
}

/// A portable shell variable name: what `export NAME=...` accepts.
fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn plain(value: Option<Spanned<String>>, name: &str) -> Result<Option<String>, Located> {
    match value {
        Some(v) if v.get_ref().trim().is_empty() => Err(at(&v, format!("auth.{name} is empty"))),
        Some(v) => Ok(Some(v.into_inner())),
        None => Ok(None),
    }
}

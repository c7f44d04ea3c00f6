//! Reading one secret from where the config says: the file, an environment
//! variable, or a command.

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::command::{self, Failure};
use super::{AuthError, PasswordPrompt};
use crate::config::SecretSource;
use crate::secret::Secret;

/// How long a `*_command` may run.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(30);

/// A secret from the file or the environment; `None` for a command, which
/// runs later and only when needed. `key` is the key's stem in the auth
/// table (`token`, `password`, `ak`, `sk`, `security_token`): messages name
/// `{key}_env` and never the variable, whose name may be a pasted secret.
pub fn read_now(
    source: &SecretSource,
    key: &str,
    profile: &str,
) -> Result<Option<Secret>, AuthError> {
    match source {
        SecretSource::Inline(secret) => Ok(Some(secret.clone())),
        SecretSource::Env(name) => read_env(name, key, profile).map(Some),
        SecretSource::Command(_) => Ok(None),
    }
}

/// The value of the environment variable that `{key}_env` names.
pub fn read_env(name: &str, key: &str, profile: &str) -> Result<Secret, AuthError> {
    let bad = |why: &str| {
        AuthError::Credentials(format!(
            "profile {profile:?}: the environment variable named by {key}_env {why}"
        ))
    };
    match std::env::var(name) {
        // Trimmed like a command's output: a stray newline would break a
        // signature or a header.
        Ok(value) if !value.trim().is_empty() => {
            let secret = Secret::new(value);
            let trimmed = secret.expose().trim();
            Ok(if trimmed.len() == secret.expose().len() {
                secret
            } else {
                Secret::new(trimmed.to_string())
            })
        }
        Ok(_) => Err(bad("is empty")),
        Err(std::env::VarError::NotPresent) => Err(bad("is not set")),
        Err(std::env::VarError::NotUnicode(_)) => Err(bad("is not valid text")),
    }
}

/// Runs `{key}_command` (see [`command::run`]); its trimmed standard output
/// is the secret. Failures name the key and the exit status, never the
/// command line (it may carry a secret) nor anything the command printed.
pub async fn run_command(command: &str, key: &str, profile: &str) -> Result<Secret, AuthError> {
    let fail =
        |why: String| AuthError::Credentials(format!("profile {profile:?}: {key}_command {why}"));
    let out = command::run(command, COMMAND_LIMIT)
        .await
        .map_err(|failure| {
            fail(match failure {
                Failure::Start(e) => format!("could not start sh: {e}"),
                Failure::TimedOut(limit) => format!(
                    "gave no answer within {} s; it was stopped with everything it started",
                    limit.as_secs()
                ),
                Failure::Exited(status) => {
                    let how = match (status.code(), status.signal()) {
                        (Some(code), _) => format!("exit status {code}"),
                        (None, Some(signal)) => format!("signal {signal}"),
                        (None, None) => "an unknown status".into(),
                    };
                    format!(
                        "failed with {how} (its error output is not shown, as it may hold a secret: run the command yourself to see it)"
                    )
                }
                Failure::Wait(e) => format!("could not be waited for: {e}"),
            })
        })?;
    let text = String::from_utf8(out).map_err(|e| {
        let mut bytes = e.into_bytes();
        zeroize::Zeroize::zeroize(&mut bytes);
        fail("printed something that is not text".into())
    })?;
    let secret = Secret::new(text);
    let trimmed = secret.expose().trim();
    if trimmed.is_empty() {
        return Err(fail("printed nothing".into()));
    }
    Ok(if trimmed.len() == secret.expose().len() {
        secret
    } else {
        Secret::new(trimmed.to_string())
    })
}

/// IAM tokens are around 9 KB, sometimes much more; anything beyond this is
/// not a token (a pasted file, say) and would only earn a 494 from the gateway.
const MAX_TOKEN_LEN: usize = 32 * 1024;

/// The password for a sign-in: from its source, else from the operator.
pub(super) async fn read_password(
    profile: &str,
    user: &str,
    domain: &str,
    source: Option<&SecretSource>,
    prompt: Option<&dyn PasswordPrompt>,
) -> Result<Secret, AuthError> {
    match source {
        Some(SecretSource::Command(cmd)) => run_command(cmd, "password", profile).await,
        Some(other) => read_now(other, "password", profile)?
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
pub(super) fn check_token(token: Secret, profile: &str) -> Result<Secret, AuthError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_command_prints_the_secret() {
        let s = run_command("printf '  tok-from-cmd \\n'", "token", "p")
            .await
            .unwrap();
        assert_eq!(s.expose(), "tok-from-cmd");
    }

    #[tokio::test]
    async fn a_failing_command_reports_only_its_key_and_status() {
        let e = run_command(
            "echo SECRET-OUT; echo 'vault: SECRET-ERR' >&2; exit 3",
            "token",
            "p",
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("profile \"p\": token_command failed with exit status 3"),
            "{e}"
        );
        assert!(!e.contains("SECRET"), "{e}");
        let e = run_command("true", "token", "p")
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("printed nothing"), "{e}");
        let e = run_command("kill -9 $$", "password", "p")
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("password_command failed with signal 9"), "{e}");
    }

    #[test]
    fn a_missing_variable_is_named_by_its_key_only() {
        let name = "DDM_BACKUPS_TEST_sk-secret-looking-VALUE";
        let e = read_env(name, "sk", "p").unwrap_err().to_string();
        assert_eq!(
            e,
            "profile \"p\": the environment variable named by sk_env is not set"
        );
    }

    #[tokio::test]
    async fn a_chatty_command_does_not_block() {
        let s = run_command(
            "head -c 300000 /dev/zero | tr '\\0' x >&2; echo tok",
            "token",
            "p",
        )
        .await
        .unwrap();
        assert_eq!(s.expose(), "tok");
    }

    #[tokio::test]
    async fn a_command_gets_no_terminal_input() {
        // `cat` would wait forever on a terminal; with no stdin it ends at once.
        let e = run_command("cat", "token", "p")
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("printed nothing"), "{e}");
    }
}

//! Reading one secret from where the config says: the file, an environment
//! variable, or a command.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;

use reqwest::header::HeaderValue;

use super::{AuthError, PasswordPrompt};
use crate::config::SecretSource;
use crate::secret::Secret;

/// How long a `*_command` may run.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(30);

/// A secret from the file or the environment; `None` for a command, which
/// runs later and only when needed.
pub fn read_now(
    source: &SecretSource,
    what: &str,
    profile: &str,
) -> Result<Option<Secret>, AuthError> {
    match source {
        SecretSource::Inline(secret) => Ok(Some(secret.clone())),
        SecretSource::Env(name) => read_env(name, what, profile).map(Some),
        SecretSource::Command(_) => Ok(None),
    }
}

/// The value of an environment variable holding a secret.
pub fn read_env(name: &str, what: &str, profile: &str) -> Result<Secret, AuthError> {
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
        Ok(_) => Err(AuthError::Credentials(format!(
            "profile {profile:?}: ${name} ({what}) is empty"
        ))),
        Err(std::env::VarError::NotPresent) => Err(AuthError::Credentials(format!(
            "profile {profile:?}: the environment variable {name} ({what}) is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(AuthError::Credentials(format!(
            "profile {profile:?}: ${name} ({what}) is not valid text"
        ))),
    }
}

/// Runs `command` through `sh -c` with no terminal and no input; its trimmed
/// standard output is the secret. Failures report the exit status and the
/// first line of standard error, never the output.
pub async fn run_command(command: &str, what: &str) -> Result<Secret, AuthError> {
    let fail = |why: String| AuthError::Credentials(format!("{what} command failed: {why}"));
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| fail(format!("cannot start sh: {e}")))?;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    // Both pipes are drained together and to the end, so a chatty command
    // cannot block on a full pipe while we wait on the other one.
    let collect = async {
        let (out, err) = tokio::join!(drain(stdout.as_mut()), drain(stderr.as_mut()));
        let status = child.wait().await;
        (out, err, status)
    };
    let (mut out, err, status) = tokio::time::timeout(COMMAND_LIMIT, collect)
        .await
        .map_err(|_| fail(format!("no answer within {} s", COMMAND_LIMIT.as_secs())))?;
    let status = status.map_err(|e| fail(e.to_string()))?;
    if !status.success() {
        zeroize::Zeroize::zeroize(&mut out);
        let first = String::from_utf8_lossy(&err);
        let first = crate::http::error_body::sanitize(
            first.lines().find(|l| !l.trim().is_empty()).unwrap_or(""),
            200,
        );
        let code = status
            .code()
            .map_or_else(|| "a signal".to_string(), |c| format!("status {c}"));
        return Err(fail(if first.is_empty() {
            format!("exited with {code}")
        } else {
            format!("exited with {code}: {first}")
        }));
    }
    let text = String::from_utf8(out).map_err(|e| {
        let mut bytes = e.into_bytes();
        zeroize::Zeroize::zeroize(&mut bytes);
        fail("its output is not text".into())
    })?;
    let secret = Secret::new(text);
    let trimmed = secret.expose().trim();
    if trimmed.is_empty() {
        return Err(fail("it printed nothing".into()));
    }
    Ok(if trimmed.len() == secret.expose().len() {
        secret
    } else {
        Secret::new(trimmed.to_string())
    })
}

/// Reads a pipe to its end, keeping the first 64 KiB (a token is far
/// smaller; anything beyond is noise).
async fn drain(pipe: Option<&mut (impl tokio::io::AsyncRead + Unpin)>) -> Vec<u8> {
    const KEEP: usize = 64 * 1024;
    let mut kept = Vec::new();
    let Some(pipe) = pipe else { return kept };
    let mut chunk = [0u8; 8192];
    while let Ok(n) = pipe.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        let room = KEEP.saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..n.min(room)]);
    }
    zeroize::Zeroize::zeroize(&mut chunk);
    kept
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
        Some(SecretSource::Command(cmd)) => run_command(cmd, "password").await,
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
        let s = run_command("printf '  tok-from-cmd \\n'", "token")
            .await
            .unwrap();
        assert_eq!(s.expose(), "tok-from-cmd");
    }

    #[tokio::test]
    async fn a_failing_command_reports_status_and_first_stderr_line() {
        let e = run_command(
            "echo SECRET-OUT; echo 'vault: denied' >&2; echo more >&2; exit 3",
            "token",
        )
        .await
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "token command failed: exited with status 3: vault: denied"
        );
        let e = run_command("true", "token").await.unwrap_err().to_string();
        assert!(e.contains("printed nothing"), "{e}");
    }

    #[tokio::test]
    async fn a_chatty_command_does_not_block() {
        let s = run_command(
            "head -c 300000 /dev/zero | tr '\\0' x >&2; echo tok",
            "token",
        )
        .await
        .unwrap();
        assert_eq!(s.expose(), "tok");
    }

    #[tokio::test]
    async fn a_command_gets_no_terminal_input() {
        // `cat` would wait forever on a terminal; with no stdin it ends at once.
        let e = run_command("cat", "token").await.unwrap_err().to_string();
        assert!(e.contains("printed nothing"), "{e}");
    }
}

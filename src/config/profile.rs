//! A validated profile, and the rule for choosing one.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;

use super::ConfigError;
use crate::secret::Secret;

/// The deadline for a whole lookup when a profile names none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// The deadline for all the pages of one listing when a profile names none.
pub const DEFAULT_LIST_TIMEOUT: Duration = Duration::from_secs(120);

/// The most generous listing deadline a profile may ask for: a listing
/// that needs longer is better cut with `--limit`.
pub const MAX_LIST_TIMEOUT_SECS: i64 = 3600;

/// A whole number of seconds between 1 and `max`, for the setting `key`.
pub fn seconds_setting(key: &str, value: i64, max: i64) -> Result<Duration, String> {
    match u64::try_from(value) {
        Ok(secs) if (1..=max).contains(&value) => Ok(Duration::from_secs(secs)),
        _ => Err(format!("{key} must be between 1 and {max}, not {value}")),
    }
}

/// Everything needed to talk to DDM in one region as one identity.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub region: String,
    /// Optional in the file: with the SDK fallback it may come from the SDK's
    /// environment variables or credentials file instead.
    pub project_id: Option<String>,
    pub endpoint: Url,
    /// Endpoints tried in order after `endpoint` when it cannot be reached
    /// (from a comma-separated `HUAWEICLOUD_SDK_REGION_DDM_<REGION>`, as
    /// the official SDK reads it); empty otherwise.
    pub fallback_endpoints: Vec<Url>,
    /// Set when the endpoint was derived for a region we do not know.
    pub endpoint_warning: Option<String>,
    /// Where IAM tokens come from (password auth).
    pub iam_endpoint: Url,
    /// Deadline for a whole lookup, retries included.
    pub timeout: Duration,
    /// Deadline for all the pages of one listing together.
    pub list_timeout: Duration,
    pub ca_file: Option<PathBuf>,
    pub auth: AuthConfig,
    /// The fleet health thresholds in force: its `[profiles.NAME.health]`
    /// over the file's `[health]`, over the defaults.
    pub thresholds: super::Thresholds,
}

impl Profile {
    /// The endpoint's host (and port when it has one), for headers and titles.
    pub fn endpoint_host(&self) -> String {
        let host = self.endpoint.host_str().unwrap_or("?");
        match self.endpoint.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }
}

/// How a profile authenticates.
#[derive(Debug, Clone)]
pub enum AuthConfig {
    /// A ready IAM token sent as `X-Auth-Token`.
    Token(SecretSource),
    /// An IAM user's password, exchanged for a token at IAM. No source means
    /// the operator is asked.
    Password {
        domain: String,
        user: String,
        password: Option<SecretSource>,
    },
    /// An access key pair; every request is signed (SDK-HMAC-SHA256).
    AkSk {
        ak: SecretSource,
        sk: SecretSource,
        security_token: Option<SecretSource>,
    },
    /// No `[auth]` table: the official SDKs' environment variables, then
    /// their credentials file.
    Sdk,
}

impl AuthConfig {
    /// The name of the type, as written in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            AuthConfig::Token(_) => "token",
            AuthConfig::Password { .. } => "password",
            AuthConfig::AkSk { .. } => "aksk",
            AuthConfig::Sdk => "sdk (no [auth] table)",
        }
    }
}

/// Where a secret comes from.
#[derive(Clone)]
pub enum SecretSource {
    /// Written in the config file itself (the file must be private).
    Inline(Secret),
    /// The name of an environment variable, read when needed.
    Env(String),
    /// A shell command whose trimmed standard output is the secret.
    Command(String),
}

/// Debug says where the value comes from, never the value, nor the variable's
/// name or the command line (either may be the secret itself, by mistake).
impl std::fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl SecretSource {
    /// Where the value comes from, never the value, nor the text of the key
    /// that names it: an operator who put the secret itself in `sk_env` or a
    /// token inside `token_command` must not see it in a log or a message.
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Inline(_) => "the config file".into(),
            SecretSource::Env(_) => "an environment variable".into(),
            SecretSource::Command(_) => "a command".into(),
        }
    }
}

/// Settings of the `[ui]` table, the colours of `[theme]`, the keys of
/// `[keys]` and `[health]`'s refresh: what the TUI reads of the file
/// besides its profiles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UiSettings {
    pub mouse: bool,
    pub theme: super::theme::ThemeColors,
    /// The bindings in force: the defaults with the file's `[keys]`.
    pub keys: crate::keymap::Keymap,
    /// How often the Health view re-checks the fleet in the background
    /// (`[health] refresh`); `None` is off.
    pub health_refresh: Option<Duration>,
}

/// Picks the profile: `--profile`, else `$DDM_BACKUPS_PROFILE`, else
/// `default_profile`, else the only one.
pub fn select<'a>(
    profiles: &'a BTreeMap<String, Profile>,
    default_profile: Option<&str>,
    from_flag: Option<&str>,
    from_env: Option<&str>,
) -> Result<&'a Profile, ConfigError> {
    let listed = || {
        if profiles.is_empty() {
            "the file defines no profiles".to_string()
        } else {
            let names: Vec<&str> = profiles.keys().map(String::as_str).collect();
            format!("profiles: {}", names.join(", "))
        }
    };
    let wanted = [
        (from_flag, "--profile"),
        (from_env, "$DDM_BACKUPS_PROFILE"),
        (default_profile, "default_profile"),
    ]
    .into_iter()
    .find_map(|(name, origin)| name.filter(|n| !n.is_empty()).map(|n| (n, origin)));
    if let Some((name, origin)) = wanted {
        return profiles.get(name).ok_or_else(|| {
            ConfigError::Usage(format!(
                "no profile named {name:?} (from {origin}); {}",
                listed()
            ))
        });
    }
    let mut all = profiles.values();
    match (all.next(), all.next()) {
        (Some(only), None) => Ok(only),
        _ => Err(ConfigError::Usage(format!(
            "choose a profile with --profile NAME or default_profile; {}",
            listed()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str) -> Profile {
        Profile {
            name: name.into(),
            region: "cn-north-4".into(),
            project_id: Some("p".into()),
            endpoint: Url::parse("https://ddm.cn-north-4.myhuaweicloud.com").unwrap(),
            fallback_endpoints: Vec::new(),
            endpoint_warning: None,
            iam_endpoint: Url::parse("https://iam.cn-north-4.myhuaweicloud.com").unwrap(),
            timeout: DEFAULT_TIMEOUT,
            list_timeout: DEFAULT_LIST_TIMEOUT,
            ca_file: None,
            auth: AuthConfig::Token(SecretSource::Env("T".into())),
            thresholds: crate::config::Thresholds::default(),
        }
    }

    fn set(names: &[&str]) -> BTreeMap<String, Profile> {
        names.iter().map(|n| (n.to_string(), profile(n))).collect()
    }

    #[test]
    fn sources_never_print_values_or_command_arguments() {
        let command = SecretSource::Command("curl -u ops:hunter2 https://vault".into());
        assert_eq!(format!("{command:?}"), "a command");
        let env = SecretSource::Env("AKSECRETVALUE0000000000".into());
        assert!(!format!("{env:?}").contains("AKSECRET"));
        let inline = SecretSource::Inline(Secret::new("tok-secret".into()));
        assert!(!format!("{inline:?}").contains("tok-secret"));
    }

    #[test]
    fn precedence_is_flag_env_default_only() {
        let p = set(&["a", "b", "c"]);
        assert_eq!(
            select(&p, Some("c"), Some("a"), Some("b")).unwrap().name,
            "a"
        );
        assert_eq!(select(&p, Some("c"), None, Some("b")).unwrap().name, "b");
        assert_eq!(select(&p, Some("c"), None, None).unwrap().name, "c");
        assert_eq!(
            select(&set(&["solo"]), None, None, None).unwrap().name,
            "solo"
        );
    }

    #[test]
    fn seconds_settings_are_bounded() {
        assert_eq!(
            seconds_setting("list_timeout_secs", 1, 3600),
            Ok(Duration::from_secs(1))
        );
        assert_eq!(
            seconds_setting("list_timeout_secs", 3600, 3600),
            Ok(Duration::from_secs(3600))
        );
        for bad in [0, -1, 3601, i64::MAX, i64::MIN] {
            let err = seconds_setting("list_timeout_secs", bad, 3600).unwrap_err();
            assert_eq!(
                err,
                format!("list_timeout_secs must be between 1 and 3600, not {bad}")
            );
        }
    }

    #[test]
    fn an_empty_env_value_is_ignored() {
        let p = set(&["a", "b"]);
        assert_eq!(select(&p, Some("b"), None, Some("")).unwrap().name, "b");
    }

    #[test]
    fn ambiguity_and_typos_list_the_profiles() {
        let p = set(&["a", "b"]);
        let err = select(&p, None, None, None).unwrap_err().to_string();
        assert!(err.contains("profiles: a, b"), "{err}");
        let err = select(&p, None, Some("zz"), None).unwrap_err().to_string();
        assert!(
            err.contains("no profile named \"zz\" (from --profile)"),
            "{err}"
        );
        assert!(err.contains("profiles: a, b"), "{err}");
        let err = select(&set(&[]), None, None, None).unwrap_err().to_string();
        assert!(err.contains("defines no profiles"), "{err}");
    }
}

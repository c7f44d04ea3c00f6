//! Parsing the TOML file into validated profiles, with positions in errors.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;
use toml::Spanned;

use super::profile::{AuthConfig, DEFAULT_TIMEOUT, Profile, TokenSource, UiSettings};
use super::region;
use crate::ids::{IdField, check_id};
use crate::secret::Secret;

/// The most generous deadline a profile may ask for.
const MAX_TIMEOUT_SECS: i64 = 600;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    default_profile: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, Spanned<RawProfile>>,
    ui: Option<RawUi>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUi {
    mouse: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    region: Spanned<String>,
    project_id: Option<Spanned<String>>,
    endpoint: Option<Spanned<String>>,
    timeout_secs: Option<Spanned<i64>>,
    ca_file: Option<Spanned<PathBuf>>,
    auth: Option<Spanned<RawAuth>>,
}

/// A flat table on purpose: an internally tagged enum would lose the
/// positions of its keys, and every error must point at a line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuth {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    token: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
}

/// A problem at a place in the file.
#[derive(Debug)]
pub struct Located {
    pub span: Option<Range<usize>>,
    pub message: String,
}

fn at<T>(spanned: &Spanned<T>, message: impl Into<String>) -> Located {
    Located {
        span: Some(spanned.span()),
        message: message.into(),
    }
}

/// The parsed file.
pub struct Parsed {
    pub default_profile: Option<String>,
    pub profiles: BTreeMap<String, Profile>,
    pub ui: UiSettings,
    /// True when any profile keeps a secret in the file itself.
    pub has_inline_secret: bool,
}

/// Parses and validates the whole file.
pub fn parse(text: &str, base_dir: &Path) -> Result<Parsed, Located> {
    let raw: RawFile = toml::from_str(text).map_err(|e| Located {
        span: e.span(),
        message: e.message().trim().to_string(),
    })?;
    let mut profiles = BTreeMap::new();
    let mut has_inline_secret = false;
    for (name, raw_profile) in raw.profiles {
        let span = raw_profile.span();
        let profile =
            validate_profile(&name, raw_profile.into_inner(), base_dir).map_err(|mut e| {
                e.span = e.span.or(Some(span));
                e.message = format!("profile {name:?}: {}", e.message);
                e
            })?;
        has_inline_secret |= matches!(profile.auth, AuthConfig::Token(TokenSource::Inline(_)));
        profiles.insert(name, profile);
    }
    let default_profile = match raw.default_profile {
        Some(d) if !profiles.contains_key(d.get_ref()) => {
            let names: Vec<&str> = profiles.keys().map(String::as_str).collect();
            return Err(at(
                &d,
                format!(
                    "default_profile {:?} names no profile (profiles: {})",
                    d.get_ref(),
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            ));
        }
        d => d.map(Spanned::into_inner),
    };
    Ok(Parsed {
        default_profile,
        profiles,
        ui: UiSettings {
            mouse: raw.ui.and_then(|u| u.mouse).unwrap_or(false),
        },
        has_inline_secret,
    })
}

fn validate_profile(name: &str, raw: RawProfile, base_dir: &Path) -> Result<Profile, Located> {
    let region_name = raw.region.get_ref().trim();
    if !region::is_valid_region_name(region_name) {
        return Err(at(
            &raw.region,
            format!("region {region_name:?} is not a region name like \"cn-north-4\""),
        ));
    }
    let project_id = match &raw.project_id {
        Some(p) => {
            check_id(IdField::Project, p.get_ref())
                .map_err(|e| at(p, format!("project_id: {e}")))?;
            p.get_ref().clone()
        }
        None => {
            return Err(Located {
                span: None,
                message: "project_id is missing (the 32-character IAM project ID of the region)"
                    .into(),
            });
        }
    };
    let (endpoint, endpoint_warning) = match &raw.endpoint {
        Some(e) => (
            parse_endpoint(e.get_ref()).map_err(|m| at(e, format!("endpoint: {m}")))?,
            None,
        ),
        None => {
            let derived = region::ddm_endpoint(region_name);
            let url = Url::parse(&derived.url)
                .map_err(|e| at(&raw.region, format!("region gives a bad endpoint: {e}")))?;
            let warning = (!derived.known_region).then(|| {
                format!("region {region_name:?} is not a known DDM region; using {} (set endpoint to override)", derived.url)
            });
            (url, warning)
        }
    };
    let timeout = match &raw.timeout_secs {
        Some(t) if (1..=MAX_TIMEOUT_SECS).contains(t.get_ref()) => {
            Duration::from_secs(*t.get_ref() as u64)
        }
        Some(t) => {
            return Err(at(
                t,
                format!(
                    "timeout_secs must be between 1 and {MAX_TIMEOUT_SECS}, not {}",
                    t.get_ref()
                ),
            ));
        }
        None => DEFAULT_TIMEOUT,
    };
    let ca_file = raw.ca_file.as_ref().map(|c| {
        let path = c.get_ref();
        if path.is_relative() {
            base_dir.join(path)
        } else {
            path.clone()
        }
    });
    let auth = match raw.auth {
        Some(auth) => validate_auth(auth)?,
        None => {
            return Err(Located {
                span: None,
                message: "has no [auth] table (add type = \"token\" with token_env)".into(),
            });
        }
    };
    Ok(Profile {
        name: name.to_string(),
        region: region_name.to_string(),
        project_id,
        endpoint,
        endpoint_warning,
        timeout,
        ca_file,
        auth,
    })
}

fn validate_auth(auth: Spanned<RawAuth>) -> Result<AuthConfig, Located> {
    let table_span = auth.span();
    let auth = auth.into_inner();
    match auth.kind.get_ref().as_str() {
        "token" => {}
        "aksk" | "password" => {
            return Err(at(
                &auth.kind,
                format!(
                    "auth type {:?} is not supported yet; use type = \"token\"",
                    auth.kind.get_ref()
                ),
            ));
        }
        other => {
            return Err(at(
                &auth.kind,
                format!("auth type {other:?} is unknown; use type = \"token\""),
            ));
        }
    }
    let source = match (auth.token, auth.token_env) {
        (Some(_), Some(env)) => {
            return Err(at(&env, "auth: set either token or token_env, not both"));
        }
        (Some(token), None) => {
            let span = token.span();
            let secret = Secret::new(token.into_inner());
            if secret.is_blank() {
                return Err(Located {
                    span: Some(span),
                    message: "auth.token is empty".into(),
                });
            }
            TokenSource::Inline(secret)
        }
        (None, Some(env)) => {
            let name = env.get_ref();
            if name.is_empty() || name.contains('=') || name.contains('\0') {
                return Err(at(
                    &env,
                    format!("auth.token_env {name:?} is not a variable name"),
                ));
            }
            TokenSource::Env(name.clone())
        }
        (None, None) => {
            return Err(Located {
                span: Some(table_span),
                message: "auth: type \"token\" needs token_env (or token)".into(),
            });
        }
    };
    Ok(AuthConfig::Token(source))
}

/// Checks an endpoint: https, or http only to this machine (a token must
/// never cross a network in clear text); no credentials, query or fragment.
pub fn parse_endpoint(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("{text:?} is not a URL ({e})"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain a user name or password".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or fragment".into());
    }
    let host = url.host_str().unwrap_or_default();
    if host.is_empty() {
        return Err(format!("{text:?} has no host"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback_host(host) => Ok(url),
        "http" => Err(format!(
            "{text:?} uses http:// to a host that is not this machine; use https:// (tokens must not travel in clear text)"
        )),
        other => Err(format!("scheme {other:?} is not supported; use https://")),
    }
}

/// `localhost`, 127.0.0.0/8 or ::1.
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

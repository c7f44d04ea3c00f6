//! Parsing the TOML file into validated profiles, with positions in errors.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;
use toml::Spanned;

use super::auth_table::{self, RawAuth, ValidatedAuth};
use super::health_table::{self, GlobalHealth, RawHealth};
use super::placeholder;
use super::profile::{
    AuthConfig, DEFAULT_LIST_TIMEOUT, DEFAULT_TIMEOUT, MAX_LIST_TIMEOUT_SECS, Profile, UiSettings,
    seconds_setting,
};
use super::region;
use super::theme::{self, RawTheme};
use crate::ids::{IdField, check_id};

/// The most generous deadline a profile may ask for.
const MAX_TIMEOUT_SECS: i64 = 600;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    default_profile: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<String, Spanned<RawProfile>>,
    ui: Option<RawUi>,
    theme: Option<RawTheme>,
    keys: Option<super::keys::RawKeys>,
    health: Option<RawHealth>,
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
    iam_endpoint: Option<Spanned<String>>,
    timeout_secs: Option<Spanned<i64>>,
    list_timeout_secs: Option<Spanned<i64>>,
    ca_file: Option<Spanned<PathBuf>>,
    auth: Option<Spanned<RawAuth>>,
    health: Option<RawHealth>,
}

/// A problem at a place in the file.
#[derive(Debug)]
pub struct Located {
    pub span: Option<Range<usize>>,
    pub message: String,
}

/// A problem at the position of `spanned`.
pub fn at<T>(spanned: &Spanned<T>, message: impl Into<String>) -> Located {
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
    /// True when any profile runs a command to get a secret.
    pub has_command: bool,
    /// Values still holding `config init`'s placeholders: not a parse
    /// error (`init` checks its own output), but no command may use them.
    pub unfilled: Vec<Located>,
}

/// Parses and validates the whole file.
pub fn parse(text: &str, base_dir: &Path) -> Result<Parsed, Located> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim();
        Located {
            message: super::kinds::type_error(text, e.span().as_ref(), message)
                .unwrap_or_else(|| message.to_string()),
            span: e.span(),
        }
    })?;
    let keys = super::keys::resolve(raw.keys)?;
    // Before the profiles: each one's thresholds are merged over it.
    let health = health_table::global(raw.health)?;
    let mut profiles = BTreeMap::new();
    let mut has_inline_secret = false;
    let mut has_command = false;
    let mut unfilled = Vec::new();
    for (name, raw_profile) in raw.profiles {
        let span = raw_profile.span();
        let checked = validate_profile(&name, raw_profile.into_inner(), base_dir, &health)
            .map_err(|mut e| {
                e.span = e.span.or(Some(span));
                e.message = format!("profile {name:?}: {}", e.message);
                e
            })?;
        has_inline_secret |= checked.has_inline_secret;
        has_command |= checked.has_command;
        unfilled.extend(checked.unfilled.into_iter().map(|mut e| {
            e.message = format!("profile {name:?}: {}", e.message);
            e
        }));
        profiles.insert(name, checked.profile);
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
    let theme = theme::validate(raw.theme.unwrap_or_default())?;
    Ok(Parsed {
        default_profile,
        profiles,
        ui: UiSettings {
            mouse: raw.ui.and_then(|u| u.mouse).unwrap_or(false),
            theme,
            keys,
            health_refresh: health.refresh,
        },
        has_inline_secret,
        has_command,
        unfilled,
    })
}

/// A validated profile and what it implies for the file's permissions.
struct CheckedProfile {
    profile: Profile,
    has_inline_secret: bool,
    has_command: bool,
    unfilled: Vec<Located>,
}

fn validate_profile(
    name: &str,
    raw: RawProfile,
    base_dir: &Path,
    health: &GlobalHealth,
) -> Result<CheckedProfile, Located> {
    let region_name = raw.region.get_ref().trim().to_string();
    if !region::is_valid_region_name(&region_name) {
        return Err(at(
            &raw.region,
            format!("region {region_name:?} is not a region name like \"cn-north-4\""),
        ));
    }
    let (mut endpoints, endpoint_warning) = ddm_endpoints(&raw, &region_name)?;
    // Never empty: each source gives at least one.
    let endpoint = endpoints.remove(0);
    let (auth, has_inline_secret, has_command, mut unfilled) = match raw.auth {
        Some(table) => {
            let checked = auth_table::validate(table)?;
            let ValidatedAuth {
                auth,
                has_inline_secret,
                has_command,
                unfilled,
            } = checked;
            (auth, has_inline_secret, has_command, unfilled)
        }
        None => (AuthConfig::Sdk, false, false, Vec::new()),
    };
    let project_placeholder = raw
        .project_id
        .as_ref()
        .and_then(|p| placeholder::unfilled("project_id", p));
    let project_id = match &raw.project_id {
        // Reported with the other placeholders, not as a malformed ID.
        Some(p) if project_placeholder.is_some() => Some(p.get_ref().clone()),
        Some(p) => {
            check_id(IdField::Project, p.get_ref())
                .map_err(|e| at(p, format!("project_id: {e}")))?;
            Some(p.get_ref().clone())
        }
        // The SDK fallback may find it next to the access keys.
        None if matches!(auth, AuthConfig::Sdk) => None,
        None => {
            return Err(Located {
                span: None,
                message: "project_id is missing (the 32-character IAM project ID of the region)"
                    .into(),
            });
        }
    };
    unfilled.splice(0..0, project_placeholder);
    let iam_endpoint = match &raw.iam_endpoint {
        Some(e) => parse_endpoint(e.get_ref()).map_err(|m| at(e, format!("iam_endpoint: {m}")))?,
        None => Url::parse(&region::iam_endpoint(&region_name))
            .map_err(|e| at(&raw.region, format!("region gives a bad IAM endpoint: {e}")))?,
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
    let list_timeout = match &raw.list_timeout_secs {
        Some(t) => seconds_setting("list_timeout_secs", *t.get_ref(), MAX_LIST_TIMEOUT_SECS)
            .map_err(|message| at(t, message))?,
        None => DEFAULT_LIST_TIMEOUT,
    };
    let ca_file = match &raw.ca_file {
        Some(c) => {
            let path = c.get_ref();
            let path = if path.is_relative() {
                base_dir.join(path)
            } else {
                path.clone()
            };
            check_ca_file(&path)
                .map_err(|why| at(c, format!("ca_file {}: {why}", path.display())))?;
            Some(path)
        }
        None => None,
    };
    let thresholds = health_table::for_profile(health, raw.health)?;
    let profile = Profile {
        name: name.to_string(),
        region: region_name,
        project_id,
        endpoint,
        fallback_endpoints: endpoints,
        endpoint_warning,
        iam_endpoint,
        timeout,
        list_timeout,
        ca_file,
        auth,
        thresholds,
    };
    Ok(CheckedProfile {
        profile,
        has_inline_secret,
        has_command,
        unfilled,
    })
}

/// The profile's `endpoint`, else the SDKs' override variable for its region
/// (a comma-separated list, tried in order), else the endpoint derived from
/// the region. Never empty.
fn ddm_endpoints(
    raw: &RawProfile,
    region_name: &str,
) -> Result<(Vec<Url>, Option<String>), Located> {
    if let Some(e) = &raw.endpoint {
        return Ok((
            vec![parse_endpoint(e.get_ref()).map_err(|m| at(e, format!("endpoint: {m}")))?],
            None,
        ));
    }
    let variable = region::sdk_override_variable(region_name);
    if let Some(value) = std::env::var(&variable)
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        let urls =
            endpoint_list(&value).map_err(|m| at(&raw.region, format!("${variable}: {m}")))?;
        return Ok((urls, None));
    }
    let derived = region::ddm_endpoint(region_name);
    let url = Url::parse(&derived.url)
        .map_err(|e| at(&raw.region, format!("region gives a bad endpoint: {e}")))?;
    let warning = (!derived.known_region).then(|| {
        format!(
            "region {region_name:?} is not a known DDM region; using {} (set endpoint to override)",
            derived.url
        )
    });
    Ok((vec![url], warning))
}

/// The most endpoints one override variable may list.
const MAX_ENDPOINTS: usize = 8;

/// A comma-separated list of endpoints, each checked as `endpoint` is; an
/// empty entry or one that is no endpoint is refused by its position.
fn endpoint_list(value: &str) -> Result<Vec<Url>, String> {
    let entries: Vec<&str> = value.split(',').collect();
    if entries.len() > MAX_ENDPOINTS {
        return Err(format!(
            "lists {} endpoints; at most {MAX_ENDPOINTS} are tried",
            entries.len()
        ));
    }
    let many = entries.len() > 1;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let which = if many {
                format!("endpoint {} of {}: ", i + 1, entries.len())
            } else {
                String::new()
            };
            if entry.trim().is_empty() {
                return Err(format!(
                    "{which}empty (endpoints are separated by single commas)"
                ));
            }
            parse_endpoint(entry).map_err(|m| format!("{which}{m}"))
        })
        .collect()
}

/// A CA bundle must be readable and hold at least one PEM certificate; said
/// here, with the key's position, rather than at the first lookup.
fn check_ca_file(path: &Path) -> Result<(), String> {
    let (_, pem) =
        crate::small_file::read(path, super::MAX_CA_FILE_BYTES).map_err(|e| e.to_string())?;
    match reqwest::Certificate::from_pem_bundle(&pem) {
        Ok(certs) if !certs.is_empty() => Ok(()),
        Ok(_) => Err("holds no PEM certificate".into()),
        Err(e) => Err(format!("is not a PEM bundle ({e})")),
    }
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

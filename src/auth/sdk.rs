//! The official SDKs' credential conventions (API.md 6.3): environment
//! variables first, then the credentials file; the first source with both
//! AK and SK wins, and values are never mixed across sources.

use std::path::PathBuf;

use crate::secret::Secret;
use crate::small_file::{self, SmallFileError};

/// The largest credentials file read: it holds a few short lines.
const MAX_CREDENTIALS_BYTES: u64 = 1 << 20;

/// AK/SK found where the SDKs look.
#[derive(Debug, Clone)]
pub struct SdkCredentials {
    pub ak: Secret,
    pub sk: Secret,
    pub security_token: Option<Secret>,
    pub project_id: Option<String>,
    /// Where they came from, for messages and `config check`.
    pub origin: String,
}

/// The environment, then the credentials file; `Ok(None)` when neither has
/// both keys.
pub fn find() -> Result<Option<SdkCredentials>, String> {
    if let Some(found) = from_env() {
        return Ok(Some(found));
    }
    let (path, named) =
        match std::env::var_os("HUAWEICLOUD_SDK_CREDENTIALS_FILE").filter(|p| !p.is_empty()) {
            Some(p) => (PathBuf::from(p), true),
            None => match directories::BaseDirs::new() {
                Some(dirs) => (
                    dirs.home_dir().join(".huaweicloud").join("credentials"),
                    false,
                ),
                None => return Ok(None),
            },
        };
    let mut text = match small_file::read_text(&path, MAX_CREDENTIALS_BYTES) {
        Ok((_, text)) => text,
        Err(SmallFileError::NotFound(_)) if !named => return Ok(None),
        Err(e) => {
            return Err(format!(
                "cannot read the SDK credentials file {}: {e}",
                path.display()
            ));
        }
    };
    let found = parse_ini(&text, &path.display().to_string());
    zeroize::Zeroize::zeroize(&mut text);
    Ok(found)
}

fn from_env() -> Option<SdkCredentials> {
    let get = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let ak = get("HUAWEICLOUD_SDK_AK")?;
    let sk = get("HUAWEICLOUD_SDK_SK")?;
    Some(SdkCredentials {
        ak: Secret::new(ak),
        sk: Secret::new(sk),
        security_token: get("HUAWEICLOUD_SDK_SECURITY_TOKEN").map(Secret::new),
        project_id: get("HUAWEICLOUD_SDK_PROJECT_ID"),
        origin: "$HUAWEICLOUD_SDK_AK/$HUAWEICLOUD_SDK_SK".into(),
    })
}

/// Reads the `[basic]` section of the SDK's INI file (keys case-insensitive).
fn parse_ini(text: &str, origin: &str) -> Option<SdkCredentials> {
    let mut in_basic = false;
    let (mut ak, mut sk, mut token, mut project) = (None, None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_basic = section.trim().eq_ignore_ascii_case("basic");
            continue;
        }
        if !in_basic {
            continue;
        }
        let Some((key, value)) = line.split_once('=').or_else(|| line.split_once(':')) else {
            continue;
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "ak" => ak = Some(Secret::new(value)),
            "sk" => sk = Some(Secret::new(value)),
            "security_token" => token = Some(Secret::new(value)),
            "project_id" => project = Some(value),
            _ => {}
        }
    }
    Some(SdkCredentials {
        ak: ak?,
        sk: sk?,
        security_token: token,
        project_id: project,
        origin: origin.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basic_section_is_read_case_insensitively() {
        let text = "[other]\nak = nope\n\n[Basic]\nAK = AKID1\nsk= SK1 \nProject_Id = p123\n; comment\nsecurity_token = ST\n";
        let c = parse_ini(text, "f").unwrap();
        assert_eq!(c.ak.expose(), "AKID1");
        assert_eq!(c.sk.expose(), "SK1");
        assert_eq!(c.project_id.as_deref(), Some("p123"));
        assert_eq!(c.security_token.unwrap().expose(), "ST");
    }

    #[test]
    fn both_keys_are_needed() {
        assert!(parse_ini("[basic]\nak = A\n", "f").is_none());
        assert!(
            parse_ini("ak = A\nsk = B\n", "f").is_none(),
            "keys outside [basic] do not count"
        );
    }
}

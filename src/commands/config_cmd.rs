//! `ddm-backups config check` and `config init`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use super::prompt::TerminalPrompt;
use super::{EXIT_LOOKUP, EXIT_USAGE, Failure, say};
use crate::api::DdmClient;
use crate::auth::AuthOptions;
use crate::cli::{AuthKind, GlobalArgs, InitArgs};
use crate::config::{self, ConfigError, Profile};
use crate::ids::{IdField, check_id};
use crate::private_fs::{self, Open};
use crate::terminal_text::escape;

fn location(global: &GlobalArgs) -> Result<config::Location, ConfigError> {
    let from_env = std::env::var_os(config::CONFIG_ENV).map(PathBuf::from);
    config::locate(global.config.as_deref(), from_env.as_deref())
}

/// A config problem as `config check` reports it: every line an error
/// line (a file with three placeholders left is three lines), so a script
/// or a reader can tell each from the report.
fn error_lines(e: ConfigError) -> Failure {
    let lines: Vec<String> = e
        .to_string()
        .lines()
        .map(|line| {
            if line.starts_with("error:") {
                line.to_string()
            } else {
                format!("error: {line}")
            }
        })
        .collect();
    Failure::usage(lines.join("\n"))
}

/// Checks every profile (or the one asked for) without calling DDM.
pub async fn check(global: &GlobalArgs) -> Result<(), Failure> {
    let loaded = location(global)
        .and_then(|at| config::load(&at))
        .map_err(error_lines)?;
    let wanted = global.profile.clone().or_else(|| {
        std::env::var(config::PROFILE_ENV)
            .ok()
            .filter(|p| !p.is_empty())
    });
    let profiles: Vec<&Profile> = match &wanted {
        Some(_) => vec![
            loaded
                .select(wanted.as_deref(), None)
                .map_err(error_lines)?,
        ],
        None => loaded.profiles.values().collect(),
    };
    // Every value here comes from the config (or the environment): shown
    // escaped, never raw, as a server's would be; a profile's name may
    // carry an escape sequence that retitles the terminal.
    let shown = |text: &str| escape(text).into_owned();
    let mut report = format!(
        "config {}: valid, {} profile(s)\n",
        shown(&loaded.path.display().to_string()),
        loaded.profiles.len()
    );
    report.push_str(&format!(
        "health refresh: {}\n",
        config::refresh_summary(loaded.ui.health_refresh)
    ));
    let mut unusable = 0;
    for profile in profiles {
        report.push_str(&format!("\nprofile {}\n", shown(&profile.name)));
        let mut row = |label: &str, value: &str| {
            report.push_str(&format!("  {label:<16}{}\n", shown(value)));
        };
        row("region", &profile.region);
        row("endpoint", profile.endpoint.as_str());
        for fallback in &profile.fallback_endpoints {
            row("if unreachable", fallback.as_str());
        }
        if let Some(warning) = &profile.endpoint_warning {
            row("warning", warning);
        }
        row("auth", profile.auth.kind());
        if matches!(profile.auth, config::AuthConfig::Password { .. }) {
            row("iam endpoint", profile.iam_endpoint.as_str());
        }
        row("health", &profile.thresholds.summary());
        if !profile.thresholds.ignore.is_empty() {
            row("health ignores", &profile.thresholds.ignore.join(", "));
        }
        let options = AuthOptions {
            prompt: Some(Arc::new(TerminalPrompt)),
            cache_dir: None,
        };
        let outcome = match DdmClient::with_options(profile, options) {
            Ok(client) => {
                let auth = client.authenticator();
                let project_origin = auth.origins().iter().find(|(what, _)| *what == "project");
                let project_origin = project_origin.map_or("", |(_, origin)| origin.as_str());
                row(
                    "project",
                    &format!("{} (from {project_origin})", auth.project_id()),
                );
                for (what, origin) in auth.origins().iter().filter(|(what, _)| *what != "project") {
                    row(&format!("{what} from"), origin);
                }
                // Ask for a password first: typing is not part of the deadline.
                match auth.prepare().await {
                    Ok(_) => auth
                        .check(client.deadline())
                        .await
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        match outcome {
            Ok(how) => row("status", &format!("usable: {how}")),
            Err(why) => {
                unusable += 1;
                row("status", &format!("NOT usable: {why}"));
            }
        }
    }
    super::print(|out| out.write_all(report.as_bytes()))?;
    if unusable > 0 {
        return Err(Failure {
            code: EXIT_LOOKUP,
            message: format!("error: {unusable} profile(s) are not usable"),
        });
    }
    Ok(())
}

/// Writes a starter config at the path the app reads; never overwrites.
pub fn init(global: &GlobalArgs, args: &InitArgs) -> Result<(), Failure> {
    let location = location(global).map_err(error_lines)?;
    let region = args.region.trim();
    if config::ddm_endpoint(region).url.contains(' ') || region.is_empty() {
        return Err(Failure::usage(format!(
            "error: {region:?} is not a region name"
        )));
    }
    if let Some(p) = &args.project_id {
        check_id(IdField::Project, p).map_err(|e| Failure::usage(format!("error: {e}")))?;
    }
    // The name asked for (before or after `init`), else the region's.
    let name = global.profile.as_deref().map_or(region, str::trim);
    if name.is_empty() || name.chars().any(crate::terminal_text::is_unsafe) {
        return Err(Failure::usage(format!(
            "error: {} is not a profile name (it needs a visible character and no control characters)",
            escape(&format!("{name:?}"))
        )));
    }
    let text = starter(name, region, args.project_id.as_deref(), args.auth);
    // The template must be valid: parse it before writing.
    if let Err(e) = config::parse_text(&text) {
        return Err(Failure::usage(format!(
            "error: the config cannot be made for these flags: {e}"
        )));
    }
    let path = &location.path;
    if let Some(dir) = path.parent() {
        private_fs::create_dir(dir)
            .map_err(|e| Failure::usage(format!("error: cannot create {}: {e}", dir.display())))?;
    }
    let mut file = match private_fs::open(path, Open::New) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Failure::usage(format!(
                "error: {} already exists; it was left as it is (edit it, or pass --config NEW_PATH)",
                path.display()
            )));
        }
        Err(e) => {
            return Err(Failure::usage(format!(
                "error: cannot create {}: {e}",
                path.display()
            )));
        }
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure {
            code: EXIT_USAGE,
            message: format!("error: cannot write {}: {e}", path.display()),
        })?;
    super::print(|out| writeln!(out, "{}", path.display()))?;
    // Every command refuses the placeholders until they are filled in.
    let mut to_fill = Vec::new();
    if args.project_id.is_none() {
        to_fill.push("project_id");
    }
    if args.auth == AuthKind::Password {
        to_fill.extend(["auth.domain", "auth.user"]);
    }
    if !to_fill.is_empty() {
        say(&format!(
            "note: fill in {} in the file, then run `ddm-backups config check`",
            to_fill.join(", ")
        ));
    }
    Ok(())
}

/// `text` as a TOML basic string (it holds no control character, so `\\`
/// and `"` are all there is to escape).
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `name` as a TOML key: bare when TOML allows it, else quoted.
fn toml_key(name: &str) -> String {
    let bare = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        name.to_string()
    } else {
        toml_string(name)
    }
}

fn starter(name: &str, region: &str, project_id: Option<&str>, auth: AuthKind) -> String {
    let key = toml_key(name);
    let quoted = toml_string(name);
    let project = project_id.unwrap_or(config::placeholder::PROJECT_ID);
    let auth_table = match auth {
        AuthKind::Token => String::from(
            "\
# An IAM token, read from an environment variable when needed.
type = \"token\"
token_env = \"HW_AUTH_TOKEN\"
# Or a command that prints one: token_command = \"pass show huawei/token\"
",
        ),
        AuthKind::Password => format!(
            "\
# An IAM user's password, exchanged for a token at IAM; tokens are cached
# (~/.cache/ddm-backups/tokens) and reused until shortly before they expire.
type = \"password\"
domain = \"{}\"
user = \"{}\"
password_env = \"HW_PASSWORD\"
# Or: password_command = \"pass show huawei/password\"; with neither, you are asked.
",
            config::placeholder::DOMAIN,
            config::placeholder::USER
        ),
        AuthKind::Aksk => String::from(
            "\
# An access key pair; every request is signed (SDK-HMAC-SHA256).
type = \"aksk\"
ak_env = \"HUAWEICLOUD_SDK_AK\"
sk_env = \"HUAWEICLOUD_SDK_SK\"
# For temporary credentials: security_token_env = \"HUAWEICLOUD_SDK_SECURITY_TOKEN\"
",
        ),
    };
    format!(
        "# ddm-backups configuration, written by `ddm-backups config init`.\n\
         # Every key is described in config.example.toml. Check it with `ddm-backups config check`.\n\n\
         default_profile = {quoted}\n\n\
         [profiles.{key}]\n\
         region = \"{region}\"\n\
         # The region's IAM project ID (console: My Credentials > Projects).\n\
         project_id = \"{project}\"\n\
         # endpoint = \"https://ddm.{region}.myhuaweicloud.com\"\n\
         # timeout_secs = 20\n\
         # list_timeout_secs = 120\n\n\
         [profiles.{key}.auth]\n{auth_table}"
    )
}

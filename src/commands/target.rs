//! Choosing what to talk to: the demo endpoint, or a profile from the file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Failure;
use std::sync::Arc;

use crate::api::DdmClient;
use crate::auth::{AuthOptions, PasswordPrompt};
use crate::cli::GlobalArgs;
use crate::config::{self, Profile, UiSettings};
use crate::demo::{self, RunningDemo};
use crate::ids::{IdField, check_id};

/// A ready client with the profile it came from.
pub struct Target {
    pub profile: Profile,
    pub client: DdmClient,
    /// Keeps the in-process demo server alive as long as the target.
    _demo: Option<RunningDemo>,
}

/// Every profile the TUI can switch between, each with its client (or why
/// it has none), and which one to start with.
pub struct TargetSet {
    pub profiles: Vec<(Profile, Result<DdmClient, String>)>,
    pub active: usize,
    pub ui: UiSettings,
    pub demo: Option<RunningDemo>,
}

/// The profiles to choose from and which one was chosen: both demo
/// profiles under `--demo` (with the endpoint serving them), else every
/// profile of the config file.
struct Choice {
    profiles: Vec<Profile>,
    active: usize,
    ui: UiSettings,
    demo: Option<RunningDemo>,
}

/// The one place a profile is chosen, for `show`, the lists and the TUI.
/// The demo's profiles go through the same rule as a file's (`--profile`,
/// then `$DDM_BACKUPS_PROFILE`, then the default), so an unknown name is the
/// same usage error listing the known ones.
async fn choose(global: &GlobalArgs) -> Result<Choice, Failure> {
    let (profiles, default_profile, ui, demo) = load(global).await?;
    let env_profile = std::env::var(config::PROFILE_ENV).ok();
    let chosen = config::select(
        &profiles,
        default_profile.as_deref(),
        global.profile.as_deref(),
        env_profile.as_deref(),
    )?
    .name
    .clone();
    let profiles: Vec<Profile> = profiles.into_values().collect();
    let active = profiles.iter().position(|p| p.name == chosen).unwrap_or(0);
    // `select` found the chosen profile, so it is there.
    if let Some(p) = profiles.get(active) {
        if let Some(warning) = &p.endpoint_warning {
            tracing::warn!("{warning}");
        }
        tracing::info!(profile = %p.name, region = %p.region, endpoint = %p.endpoint, "profile chosen");
    }
    Ok(Choice {
        profiles,
        active,
        ui,
        demo,
    })
}

/// Every profile there is, by name, with the default one, the `[ui]`
/// settings and the demo endpoint serving them under `--demo`.
type Loaded = (
    BTreeMap<String, Profile>,
    Option<String>,
    UiSettings,
    Option<RunningDemo>,
);

async fn load(global: &GlobalArgs) -> Result<Loaded, Failure> {
    Ok(if global.demo {
        let running = demo::DemoServer::builder()
            .bind()
            .await
            .map_err(|e| Failure {
                code: super::EXIT_LOOKUP,
                message: format!("error: cannot start the demo endpoint on 127.0.0.1: {e}"),
            })?;
        let listed = demo::profiles_for(&running);
        // The first one ("demo") is what `--demo` alone opens.
        let default = listed.first().map(|p| p.name.clone());
        let profiles: BTreeMap<String, Profile> =
            listed.into_iter().map(|p| (p.name.clone(), p)).collect();
        (profiles, default, demo_settings(global)?, Some(running))
    } else {
        let from_env = std::env::var_os(config::CONFIG_ENV).map(PathBuf::from);
        let location = config::locate(global.config.as_deref(), from_env.as_deref())?;
        let loaded = config::load(&location)?;
        (loaded.profiles, loaded.default_profile, loaded.ui, None)
    })
}

/// `--demo` needs no config; a file named with `--config` or
/// `$DDM_BACKUPS_CONFIG` still gives it its `[ui]`, `[theme]` and `[keys]`,
/// so the demo looks and answers as the operator's own setup will.
fn demo_settings(global: &GlobalArgs) -> Result<UiSettings, Failure> {
    let from_env = std::env::var_os(config::CONFIG_ENV)
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty());
    if global.config.is_none() && from_env.is_none() {
        return Ok(UiSettings::default());
    }
    let location = config::locate(global.config.as_deref(), from_env.as_deref())?;
    Ok(config::load(&location)?.ui)
}

fn client_for(
    profile: &Profile,
    prompt: &Option<Arc<dyn PasswordPrompt>>,
) -> Result<DdmClient, config::ConfigError> {
    DdmClient::with_options(
        profile,
        AuthOptions {
            prompt: prompt.clone(),
            cache_dir: None,
        },
    )
}

/// Every profile the TUI can switch between (both demo profiles under
/// `--demo`). The chosen one must work, as for `show`; another whose client
/// cannot be built (a bad CA file…) is listed with the reason.
pub async fn resolve_all(
    global: &GlobalArgs,
    prompt: Option<Arc<dyn PasswordPrompt>>,
) -> Result<TargetSet, Failure> {
    let choice = choose(global).await?;
    let mut profiles = Vec::with_capacity(choice.profiles.len());
    for (i, profile) in choice.profiles.into_iter().enumerate() {
        let client = if i == choice.active {
            Ok(client_for(&profile, &prompt)?)
        } else {
            client_for(&profile, &prompt).map_err(|e| e.to_string())
        };
        profiles.push((profile, client));
    }
    Ok(TargetSet {
        profiles,
        active: choice.active,
        ui: choice.ui,
        demo: choice.demo,
    })
}

/// The chosen profile and its client: `--demo` starts the embedded endpoint
/// and picks among its profiles; otherwise the config file decides.
/// The headless commands' target: the chosen profile's client, asking a
/// password on the terminal, with the endpoint's warning (if any) said.
pub async fn headless(global: &GlobalArgs) -> Result<Target, Failure> {
    let prompt: Arc<dyn PasswordPrompt> = Arc::new(super::prompt::TerminalPrompt);
    let target = resolve(global, Some(prompt))
        .await
        .map_err(super::prefixed)?;
    if let Some(warning) = &target.profile.endpoint_warning {
        super::say(&format!("warning: {warning}"));
    }
    Ok(target)
}

/// [`headless`] for a command about one backup: both IDs are checked
/// first, so a bad one is refused before any profile, prompt or request.
pub async fn for_backup(
    global: &GlobalArgs,
    instance: &str,
    backup: &str,
) -> Result<Target, Failure> {
    check_id(IdField::Instance, instance).map_err(|e| Failure::usage(format!("error: {e}")))?;
    check_id(IdField::Backup, backup).map_err(|e| Failure::usage(format!("error: {e}")))?;
    headless(global).await
}

pub async fn resolve(
    global: &GlobalArgs,
    prompt: Option<Arc<dyn PasswordPrompt>>,
) -> Result<Target, Failure> {
    let mut choice = choose(global).await?;
    let profile = choice.profiles.swap_remove(choice.active);
    let client = client_for(&profile, &prompt)?;
    Ok(Target {
        profile,
        client,
        _demo: choice.demo,
    })
}

/// The profiles `find` searches: those in `names` (each must exist, by the
/// same rule and message as `--profile`), or every one when `names` is
/// empty; each with its client or why it has none. The environment's
/// profile does not narrow a search: `find` looks everywhere unless told.
pub async fn resolve_many(
    global: &GlobalArgs,
    names: &[String],
    prompt: Option<Arc<dyn PasswordPrompt>>,
) -> Result<TargetSet, Failure> {
    let (mut by_name, _, ui, demo) = load(global).await?;
    let profiles: Vec<Profile> = if names.is_empty() {
        by_name.into_values().collect()
    } else {
        for name in names {
            config::select(&by_name, None, Some(name), None)?;
        }
        names.iter().filter_map(|n| by_name.remove(n)).collect()
    };
    let profiles = profiles
        .into_iter()
        .map(|p| {
            let client = client_for(&p, &prompt).map_err(|e| e.to_string());
            (p, client)
        })
        .collect();
    Ok(TargetSet {
        profiles,
        active: 0,
        ui,
        demo,
    })
}

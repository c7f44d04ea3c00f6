//! Choosing what to talk to: the demo endpoint, or a profile from the file.

use std::path::PathBuf;

use super::Failure;
use std::sync::Arc;

use crate::api::DdmClient;
use crate::auth::{AuthOptions, PasswordPrompt};
use crate::cli::GlobalArgs;
use crate::config::{self, Profile, UiSettings};
use crate::demo::{self, RunningDemo};

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

/// Like [`resolve`], but with every profile of the file (or both demo
/// profiles). A profile whose client cannot be built (a bad CA file…) is
/// listed with the reason; only the chosen one must work.
pub async fn resolve_all(
    global: &GlobalArgs,
    prompt: Option<Arc<dyn PasswordPrompt>>,
) -> Result<TargetSet, Failure> {
    let build = |profile: &Profile| {
        DdmClient::with_options(
            profile,
            AuthOptions {
                prompt: prompt.clone(),
                cache_dir: None,
            },
        )
    };
    if global.demo {
        let running = start_demo().await?;
        let mut profiles = Vec::new();
        for profile in demo::profiles_for(&running) {
            let client = build(&profile)?;
            profiles.push((profile, Ok(client)));
        }
        return Ok(TargetSet {
            profiles,
            active: 0,
            ui: UiSettings::default(),
            demo: Some(running),
        });
    }
    let from_env = std::env::var_os(config::CONFIG_ENV).map(PathBuf::from);
    let location = config::locate(global.config.as_deref(), from_env.as_deref())?;
    let loaded = config::load(&location)?;
    let env_profile = std::env::var(config::PROFILE_ENV).ok();
    let chosen = loaded
        .select(global.profile.as_deref(), env_profile.as_deref())?
        .name
        .clone();
    let mut profiles = Vec::new();
    let mut active = 0;
    for (name, profile) in &loaded.profiles {
        if *name == chosen {
            active = profiles.len();
            if let Some(warning) = &profile.endpoint_warning {
                tracing::warn!("{warning}");
            }
            // The chosen profile must work, as for `show`.
            let client = build(profile)?;
            profiles.push((profile.clone(), Ok(client)));
        } else {
            let client = build(profile).map_err(|e| e.to_string());
            profiles.push((profile.clone(), client));
        }
    }
    tracing::info!(profile = %chosen, profiles = profiles.len(), "profiles loaded");
    Ok(TargetSet {
        profiles,
        active,
        ui: loaded.ui,
        demo: None,
    })
}

async fn start_demo() -> Result<RunningDemo, Failure> {
    demo::DemoServer::builder()
        .bind()
        .await
        .map_err(|e| Failure {
            code: super::EXIT_LOOKUP,
            message: format!("error: cannot start the demo endpoint on 127.0.0.1: {e}"),
        })
}

/// `--demo` starts the embedded endpoint; otherwise the config file decides.
pub async fn resolve(
    global: &GlobalArgs,
    prompt: Option<Arc<dyn PasswordPrompt>>,
) -> Result<Target, Failure> {
    if global.demo {
        let running = start_demo().await?;
        let profile = demo::profile_for(&running);
        let client = DdmClient::new(&profile)?;
        return Ok(Target {
            profile,
            client,
            _demo: Some(running),
        });
    }
    let from_env = std::env::var_os(config::CONFIG_ENV).map(PathBuf::from);
    let location = config::locate(global.config.as_deref(), from_env.as_deref())?;
    let loaded = config::load(&location)?;
    let env_profile = std::env::var(config::PROFILE_ENV).ok();
    let profile = loaded
        .select(global.profile.as_deref(), env_profile.as_deref())?
        .clone();
    if let Some(warning) = &profile.endpoint_warning {
        tracing::warn!("{warning}");
    }
    let client = DdmClient::with_options(
        &profile,
        AuthOptions {
            prompt,
            cache_dir: None,
        },
    )?;
    tracing::info!(profile = %profile.name, region = %profile.region, endpoint = %profile.endpoint, "profile chosen");
    Ok(Target {
        profile,
        client,
        _demo: None,
    })
}

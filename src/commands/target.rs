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
    pub ui: UiSettings,
    /// Keeps the in-process demo server alive as long as the target.
    pub demo: Option<RunningDemo>,
}

/// `--demo` starts the embedded endpoint; otherwise the config file decides.
pub async fn resolve(
    global: &GlobalArgs,
    prompt: Option<Arc<dyn PasswordPrompt>>,
) -> Result<Target, Failure> {
    if global.demo {
        let running = demo::DemoServer::builder()
            .bind()
            .await
            .map_err(|e| Failure {
                code: super::EXIT_LOOKUP,
                message: format!("error: cannot start the demo endpoint on 127.0.0.1: {e}"),
            })?;
        let profile = demo::profile_for(&running);
        let client = DdmClient::new(&profile)?;
        return Ok(Target {
            profile,
            client,
            ui: UiSettings::default(),
            demo: Some(running),
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
        ui: loaded.ui,
        demo: None,
    })
}

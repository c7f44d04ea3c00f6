//! Building the one reqwest client a profile uses.

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use reqwest::{Certificate, Client, redirect};

use crate::config::{ConfigError, is_loopback_host};
use crate::small_file::SmallFileError;

/// Connecting must be quick; the lookup deadline covers the rest.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The User-Agent every request carries.
pub fn user_agent() -> String {
    format!("ddm-backups/{}", env!("CARGO_PKG_VERSION"))
}

/// Installs ring as the process's TLS crypto provider, once. reqwest is
/// built without a provider of its own (its default, aws-lc, is a large C
/// library compiled with every clean build) and panics when it builds a
/// client with none installed. A provider installed earlier is kept.
pub fn install_tls_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Err only means one is installed already; reqwest uses that one.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Idle connections a client keeps to one host between requests.
pub const MAX_IDLE_PER_HOST: usize = 2;

/// A client for one endpoint: no redirects, proxies from the environment
/// except for loopback, and the profile's extra CA bundle when it has one.
/// TLS verification stays on in every case.
pub fn build(endpoint: &reqwest::Url, ca_file: Option<&Path>) -> Result<Client, ConfigError> {
    install_tls_provider();
    let mut builder = Client::builder()
        .user_agent(user_agent())
        .redirect(redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(90))
        // A burst (a fleet check's restore calls, 8 at a time) reuses its
        // connections while it lasts; after it, a few stay for the next
        // request. Keeping every one of them, a check of 8 profiles on one
        // gateway held 64 idle sockets, and a server that caps its
        // connections there made the last profiles wait for them to time
        // out (6.5 s instead of 2.5 s against the demo, debug build).
        .pool_max_idle_per_host(MAX_IDLE_PER_HOST);
    if endpoint.host_str().is_some_and(is_loopback_host) {
        builder = builder.no_proxy();
    }
    if endpoint.scheme() == "http" {
        // Plain HTTP is only allowed to this machine, and a client that
        // never speaks TLS need not read the system's CA store: that read is
        // a fifth of a small `show`'s work. Transport::with_endpoint never
        // shares this client with an https:// host.
        builder = builder.tls_certs_only(Vec::new());
    } else if let Some(path) = ca_file {
        builder = builder.tls_certs_merge(read_ca_bundle(path)?);
    }
    builder.build().map_err(|e| {
        ConfigError::Usage(format!(
            "cannot set up the HTTP client: {}",
            super::describe_chain(&e)
        ))
    })
}

fn read_ca_bundle(path: &Path) -> Result<Vec<Certificate>, ConfigError> {
    let bad = |message: String| ConfigError::File {
        path: path.to_path_buf(),
        message,
    };
    let pem = match crate::small_file::read(path, crate::config::MAX_CA_FILE_BYTES) {
        Ok((_, pem)) => pem,
        Err(SmallFileError::NotFound(source) | SmallFileError::Io(source)) => {
            return Err(ConfigError::Unreadable {
                path: path.to_path_buf(),
                source,
            });
        }
        Err(e) => return Err(bad(format!("ca_file {e}"))),
    };
    let certs = Certificate::from_pem_bundle(&pem)
        .map_err(|e| bad(format!("ca_file is not a PEM bundle: {e}")))?;
    if certs.is_empty() {
        return Err(bad("ca_file holds no PEM certificate".into()));
    }
    Ok(certs)
}

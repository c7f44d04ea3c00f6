//! HTTPS against a private CA: accepted with the profile's `ca_file`,
//! refused without it. Verification is never switched off.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ddm_backups::api::{DdmClient, ErrorClass};
use ddm_backups::demo::{self, DemoServer};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

struct Pki {
    ca_pem: String,
    config: rustls::ServerConfig,
}

fn private_pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "ddm-backups test CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate().unwrap();
    let leaf_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let leaf_cert = leaf_params.signed_by(&leaf_key, &issuer).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = pki_types::PrivateKeyDer::Pkcs8(pki_types::PrivatePkcs8KeyDer::from(
        leaf_key.serialize_der(),
    ));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf_cert.der().clone()], key)
        .unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        config,
    }
}

/// The application protocol each TLS connection agreed on (ALPN), in order.
type Agreed = Arc<Mutex<Vec<Option<String>>>>;

/// Serves the demo routes over TLS on a free loopback port.
async fn tls_demo(config: rustls::ServerConfig) -> (u16, Agreed, tokio::task::JoinHandle<()>) {
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let service = DemoServer::builder().service();
    let agreed = Agreed::default();
    let record = agreed.clone();
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let service = service.clone();
            let record = record.clone();
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    let protocol = tls.get_ref().1.alpn_protocol();
                    let protocol = protocol.map(|p| String::from_utf8_lossy(p).into_owned());
                    record.lock().unwrap().push(protocol);
                    service.serve_connection(tls).await;
                }
            });
        }
    });
    (port, agreed, task)
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_through_ca_file() {
    let pki = private_pki();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();
    let (port, _, server) = tls_demo(pki.config).await;
    let endpoint = format!("https://localhost:{port}");

    let mut with_ca = support::profile(&endpoint, demo::DEMO_TOKEN, Duration::from_secs(10));
    with_ca.ca_file = Some(ca_file);
    let fetched = DdmClient::new(&with_ca)
        .unwrap()
        .show_backup(demo::EXAMPLE_INSTANCE_ID, demo::EXAMPLE_BACKUP_ID)
        .await
        .unwrap();
    assert_eq!(fetched.value.id, demo::EXAMPLE_BACKUP_ID);

    let without_ca = support::profile(&endpoint, demo::DEMO_TOKEN, Duration::from_secs(10));
    let e = DdmClient::new(&without_ca)
        .unwrap()
        .show_backup(demo::EXAMPLE_INSTANCE_ID, demo::EXAMPLE_BACKUP_ID)
        .await
        .unwrap_err();
    assert_eq!(e.class(), ErrorClass::Network, "{e:?}");
    assert!(e.status_line().contains("TLS"), "{}", e.status_line());
    assert!(e.hint().unwrap().contains("ca_file"));
    server.abort();
}

/// The client speaks HTTP/1.1 only (the build leaves reqwest's h2 out), so
/// it offers no h2 in ALPN: a server that would rather speak h2 still gets
/// HTTP/1.1, and the lookup works.
#[tokio::test]
async fn over_tls_the_client_offers_http_1_1_only() {
    let pki = private_pki();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();
    let mut config = pki.config;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let (port, agreed, server) = tls_demo(config).await;

    let endpoint = format!("https://localhost:{port}");
    let mut profile = support::profile(&endpoint, demo::DEMO_TOKEN, Duration::from_secs(10));
    profile.ca_file = Some(ca_file);
    let fetched = DdmClient::new(&profile)
        .unwrap()
        .show_backup(demo::EXAMPLE_INSTANCE_ID, demo::EXAMPLE_BACKUP_ID)
        .await;
    let agreed = agreed.lock().unwrap().clone();
    assert_eq!(agreed, vec![Some("http/1.1".to_string())]);
    assert_eq!(fetched.unwrap().value.id, demo::EXAMPLE_BACKUP_ID);
    server.abort();
}

#[test]
fn a_ca_file_that_is_not_pem_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, "not a certificate").unwrap();
    let mut profile = support::profile("https://localhost:1", "t", Duration::from_secs(1));
    profile.ca_file = Some(ca_file.clone());
    let err = DdmClient::new(&profile).unwrap_err().to_string();
    assert!(
        err.contains("ca.pem") && err.contains("no PEM certificate"),
        "{err}"
    );
    profile.ca_file = Some(dir.path().join("missing.pem"));
    let err = DdmClient::new(&profile).unwrap_err().to_string();
    assert!(err.contains("missing.pem"), "{err}");
}

//! HTTPS against a private CA: accepted with the profile's `ca_file`,
//! refused without it. Verification is never switched off.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use ddm_backups::api::{DdmClient, ErrorClass};
use ddm_backups::demo::{self, DemoServer};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

struct Pki {
    ca_pem: String,
    acceptor: TlsAcceptor,
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

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
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
        acceptor: TlsAcceptor::from(Arc::new(config)),
    }
}

/// Serves the demo routes over TLS on a free loopback port.
async fn tls_demo(acceptor: TlsAcceptor) -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let service = DemoServer::builder().service();
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let service = service.clone();
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    service.serve_connection(tls).await;
                }
            });
        }
    });
    (port, task)
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_through_ca_file() {
    let pki = private_pki();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();
    let (port, server) = tls_demo(pki.acceptor).await;
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

//! The client, sign-in and the headless commands against the demo endpoint
//! over loopback with the real client and the real binary: typed answers,
//! API errors, retries, lists, restore checks, TLS with a private CA, the
//! AK/SK signer's vectors and the demo endpoint itself. One module per
//! subject, all in one test binary: each binary links reqwest, rustls and
//! ratatui again, and on a small CI machine those links cost more than the
//! tests.

#[path = "../support/mod.rs"]
mod support;

mod auth;
mod auth_cli;
mod cli;
mod client;
mod demo_server;
mod fleet;
mod health;
mod lists;
mod restore;
mod signer_vectors;
mod tls;

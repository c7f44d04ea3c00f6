//! ddm-backups: look up Huawei Cloud DDM backups from a terminal.

pub mod api;
pub mod auth;
pub mod config;
pub mod http;
pub mod ids;
pub mod secret;
pub mod cli;
pub mod logging;
pub mod output;
pub mod commands;

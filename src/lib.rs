//! ddm-backups: look up Huawei Cloud DDM backups from a terminal.
//!
//! Layers, top to bottom (each uses only those below it): `commands` and
//! `cli` pick what to run; `output` prints; `export` saves a backup's JSON
//! to a file; `api` makes DDM requests; `auth` turns profiles into headers;
//! `http` is the shared transport; `config` holds profiles. `demo` is the
//! embedded fake endpoint. `history` keeps the lookup history file.
//! `readiness` joins the restore calls into one report, and `find`
//! searches every profile's backups (both above `api`, below `tui` and
//! `commands`).

pub mod api;
pub mod auth;
pub mod cells;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod export;
pub mod find;
pub mod fleet;
pub mod health;
pub mod history;
pub mod http;
pub mod ids;
pub mod keymap;
pub mod logging;
pub mod output;
pub mod private_fs;
pub mod readiness;
pub mod secret;
pub mod shown;
pub mod small_file;
pub mod terminal_text;
pub mod tui;
pub mod version;

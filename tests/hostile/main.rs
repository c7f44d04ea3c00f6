//! The real client and the real binary against small hostile loopback
//! servers: huge headers, endless pages, escape sequences in values, closed
//! pipes, planted files and misbehaving child commands. Each module holds one
//! edge; `server` is the misbehaving endpoint they share.

mod check;
mod config_text;
mod demo_profiles;
mod demo_slots;
mod endpoints;
mod fan_out;
mod files;
mod find;
mod find_edges;
mod find_engine;
mod find_memory;
mod find_password;
mod find_password_cli;
mod find_tui;
mod measure;
mod memory;
mod named_files;
mod pipes;
mod prompt_signals;
mod readiness_edges;
mod restore;
mod restore_check;
mod same_backup;
mod server;
mod transport;
mod wait;
mod wait_edges;
mod wait_failures;

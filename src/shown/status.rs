//! Statuses: the label an operator reads, a glyph, and a colour role, the
//! same on every screen. Backups read their documented statuses; other
//! rows (instances, data nodes, restore targets) send free-form words,
//! matched whatever their case.

use crate::api::{BackupStatus, Status};

/// What a status's colour says; the screen decides how each looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Healthy, done.
    Ok,
    /// Failed, unusable.
    Bad,
    /// Anything else: busy, or a word nobody documented.
    Busy,
    /// No status at all.
    Plain,
}

impl Role {
    /// A mark that says the same as the colour, for text without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Role::Ok => "✓",
            Role::Bad => "✗",
            Role::Busy => "◷",
            Role::Plain => "",
        }
    }
}

/// A backup's status: what it means decides the role, so `NORMAL` is as
/// green as `normal`.
pub fn backup_role(status: &Status) -> Role {
    match status.kind() {
        BackupStatus::Normal => Role::Ok,
        BackupStatus::CreateFail => Role::Bad,
        BackupStatus::Creating => Role::Busy,
        BackupStatus::Other(text) => role(text),
    }
}

/// A free-form status word (instances: `RUNNING`, `ERROR`; data nodes:
/// `ACTIVE`; targets: `available`).
pub fn role(text: &str) -> Role {
    match text.to_ascii_lowercase().as_str() {
        "normal" | "running" | "active" | "available" => Role::Ok,
        "createfail" | "error" | "failed" | "abnormal" => Role::Bad,
        "" => Role::Plain,
        _ => Role::Busy,
    }
}

/// The label: the server's word as it sent it (not yet cleaned).
pub fn label(status: &Status) -> &str {
    status.sent()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_the_meaning_in_any_case() {
        assert_eq!(backup_role(&Status::parse("NORMAL")), Role::Ok);
        assert_eq!(backup_role(&Status::parse("createfail")), Role::Bad);
        assert_eq!(backup_role(&Status::parse("creating")), Role::Busy);
        assert_eq!(backup_role(&Status::parse("normal\u{200b}")), Role::Busy);
        assert_eq!(backup_role(&Status::parse("")), Role::Plain);
        assert_eq!(role("RUNNING"), Role::Ok);
        assert_eq!(role("Error"), Role::Bad);
        assert_eq!(label(&Status::parse("NORMAL")), "NORMAL");
        assert_eq!(Role::Bad.glyph(), "✗");
    }
}

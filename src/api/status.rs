//! A backup's status as ListBackups sends it (API.md section 2: `creating`,
//! `normal`, `createfail`), read once: every screen and command asks the
//! enum, never the text.

use serde::{Deserializer, Serialize, Serializer};

use super::capped;

/// What a status means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BackupStatus {
    /// Being made: check again later.
    Creating,
    /// Made and usable.
    Normal,
    /// Making it failed: there is no backup.
    CreateFail,
    /// Any other text, kept verbatim (`normal\u{200b}` is not normal).
    Other(String),
}

impl BackupStatus {
    /// The documented spelling, `None` for [`BackupStatus::Other`].
    fn documented(&self) -> Option<&'static str> {
        match self {
            BackupStatus::Creating => Some("creating"),
            BackupStatus::Normal => Some("normal"),
            BackupStatus::CreateFail => Some("createfail"),
            BackupStatus::Other(_) => None,
        }
    }

    /// Whether a wait for the backup ends here: anything but `creating`.
    pub fn is_final(&self) -> bool {
        !matches!(self, BackupStatus::Creating)
    }
}

/// A row's status: what it means and how the server spelled it, so JSON
/// output repeats the server's text byte for byte (`NORMAL` stays
/// `NORMAL` there, and is normal everywhere else).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Status {
    kind: BackupStatus,
    /// The spelling of a documented status, when it is not the documented
    /// one (`NORMAL`); an [`BackupStatus::Other`] holds its own text.
    respelled: Option<String>,
}

impl Status {
    /// Reads the server's text; documented values match whatever their case.
    pub fn parse(sent: &str) -> Status {
        let kind = [
            BackupStatus::Creating,
            BackupStatus::Normal,
            BackupStatus::CreateFail,
        ]
        .into_iter()
        .find(|k| k.documented().is_some_and(|d| d.eq_ignore_ascii_case(sent)))
        .unwrap_or_else(|| BackupStatus::Other(sent.to_string()));
        let respelled = kind
            .documented()
            .filter(|d| *d != sent)
            .map(|_| sent.to_string());
        Status { kind, respelled }
    }

    /// What the status means.
    pub fn kind(&self) -> &BackupStatus {
        &self.kind
    }

    /// The text as the server sent it (not yet cleaned for a terminal).
    pub fn sent(&self) -> &str {
        match (&self.kind, &self.respelled) {
            (BackupStatus::Other(text), _) => text,
            (_, Some(text)) => text,
            (kind, None) => kind.documented().unwrap_or_default(),
        }
    }

    /// About the bytes this holds beyond its own size, for memory budgets.
    pub fn heap_len(&self) -> usize {
        match &self.kind {
            BackupStatus::Other(text) => text.len(),
            _ => self.respelled.as_ref().map_or(0, String::len),
        }
    }
}

impl From<&str> for Status {
    fn from(sent: &str) -> Status {
        Status::parse(sent)
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.sent())
    }
}

/// Reads an optional status field: text cut like every row string.
pub(super) fn status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Status>, D::Error> {
    Ok(capped::text(d)?.map(|text| Status::parse(&text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_values_match_in_any_case_and_keep_their_spelling() {
        for (sent, kind) in [
            ("normal", BackupStatus::Normal),
            ("NORMAL", BackupStatus::Normal),
            ("Creating", BackupStatus::Creating),
            ("createFail", BackupStatus::CreateFail),
        ] {
            let status = Status::parse(sent);
            assert_eq!(status.kind(), &kind, "{sent}");
            assert_eq!(status.sent(), sent);
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{sent}\"")
            );
        }
        assert_eq!(Status::parse("normal").heap_len(), 0);
    }

    #[test]
    fn anything_else_is_kept_verbatim() {
        for sent in ["normal\u{200b}", " normal", "", "deleted", "créé"] {
            let status = Status::parse(sent);
            assert_eq!(status.kind(), &BackupStatus::Other(sent.to_string()));
            assert_eq!(status.sent(), sent);
            assert!(status.kind().is_final());
        }
        assert!(!Status::parse("CREATING").kind().is_final());
    }
}

//! The two list calls (API.md sections 2 and 3): DDM instances of the
//! project and the backups of an instance, read page by page. Every string
//! field of a row is cut to [`capped::MAX_FIELD`] bytes as it is read.

use serde::{Deserialize, Deserializer, Serialize};

use super::capped;

/// One DDM instance as the instance list gives it; every field may be absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InstanceRow {
    #[serde(default, deserialize_with = "capped::text")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub created: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub engine_version: Option<String>,
    #[serde(default, deserialize_with = "capped::number_or_text")]
    pub node_count: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub access_ip: Option<String>,
    #[serde(default, deserialize_with = "capped::number_or_text")]
    pub access_port: Option<String>,
    #[serde(default, deserialize_with = "capped::number_or_text")]
    pub core_count: Option<String>,
    #[serde(default, deserialize_with = "capped::number_or_text")]
    pub ram_capacity: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub available_zone: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub enterprise_project_id: Option<String>,
}

/// One backup as ListBackups gives it; every field may be absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BackupRow {
    #[serde(default, deserialize_with = "capped::text")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub description: Option<String>,
    /// `creating`, `normal` or `createfail`.
    #[serde(default, deserialize_with = "capped::text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_id: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_status: Option<String>,
    /// Kilobytes.
    #[serde(default)]
    pub file_size: Option<f64>,
    /// Like `2025-02-19T02:50:20+0000`.
    #[serde(default, deserialize_with = "capped::text")]
    pub created: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub updated: Option<String>,
    /// `auto_metadata` (daily) or `metadata` (on demand).
    #[serde(default, deserialize_with = "capped::text")]
    pub backup_type: Option<String>,
}

/// One page of the instance list.
#[derive(Debug, Deserialize)]
pub(super) struct InstancePage {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub instances: Vec<InstanceRow>,
    #[serde(default)]
    pub total_record: Option<u64>,
}

/// One page of ListBackups.
#[derive(Debug, Deserialize)]
pub(super) struct BackupPage {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub backups: Vec<BackupRow>,
    #[serde(default)]
    pub total: Option<u64>,
}

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// The most rows one listing reads from the server, kept or not.
pub const MAX_SCANNED: usize = 100_000;

/// How many rows to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListLimit {
    /// Stop after this many rows.
    pub max_rows: usize,
}

impl ListLimit {
    /// The API's largest page.
    pub const PAGE: usize = 128;
    /// Every page there is (still bounded, so a runaway server cannot
    /// exhaust memory).
    pub const ALL: ListLimit = ListLimit { max_rows: 100_000 };
}

/// What a listing read: the rows, the total the server claims, and whether
/// rows were left unread because of the limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing<T> {
    pub rows: Vec<T>,
    pub total: Option<u64>,
    pub truncated: bool,
}

/// One page as it arrived, for progress: the rows kept from it, how many
/// rows the server has sent so far (kept or not), and the total it claims.
#[derive(Debug, Clone, Copy)]
pub struct PageRead<'a, T> {
    pub rows: &'a [T],
    pub scanned: usize,
    pub total: Option<u64>,
}

/// Newest first; rows without a date go last.
pub fn sort_newest_first(rows: &mut [BackupRow]) {
    rows.sort_by(|a, b| b.created.cmp(&a.created));
}

/// A size in KB as people read it.
pub fn human_size(kb: f64) -> String {
    let units = ["KB", "MB", "GB", "TB"];
    let mut value = kb;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} {}", units[unit])
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_tolerate_missing_and_odd_fields() {
        let page: InstancePage = serde_json::from_str(
            r#"{"instances":[{"id":"i1","access_port":5066,"node_count":2,"extra":true},{}],"total_record":2}"#,
        )
        .unwrap();
        assert_eq!(page.instances[0].access_port.as_deref(), Some("5066"));
        assert_eq!(page.instances[0].node_count.as_deref(), Some("2"));
        assert_eq!(page.instances[1], InstanceRow::default());
        let page: BackupPage = serde_json::from_str(r#"{"backups":null}"#).unwrap();
        assert!(page.backups.is_empty() && page.total.is_none());
    }

    #[test]
    fn sizes_and_order() {
        assert_eq!(human_size(512.0), "512 KB");
        assert_eq!(human_size(2048.0), "2.0 MB");
        assert_eq!(human_size(3.5 * 1024.0 * 1024.0), "3.5 GB");
        let mut rows = vec![
            BackupRow {
                created: Some("2025-01-01T00:00:00+0000".into()),
                ..Default::default()
            },
            BackupRow::default(),
            BackupRow {
                created: Some("2025-03-01T00:00:00+0000".into()),
                ..Default::default()
            },
        ];
        sort_newest_first(&mut rows);
        assert_eq!(rows[0].created.as_deref(), Some("2025-03-01T00:00:00+0000"));
        assert_eq!(rows[2].created, None);
    }
}

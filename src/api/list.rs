//! The two list calls (API.md sections 2 and 3): DDM instances of the
//! project and the backups of an instance, read page by page. Every string
//! field of a row is cut to [`capped::MAX_FIELD`] bytes as it is read.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::ParseProblem;
use super::bounded::{Bounded, BoundedSeq};
use super::capped;
use super::sent_time::SentTime;
use super::shape::Expect;
#[cfg(test)]
use super::size::Bytes;
use super::size::FileSize;
use super::status::Status;

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

/// One backup as ListBackups gives it; every field may be absent. Status,
/// times and size are read here, once, into types every screen and command
/// reads; each serialises as the server sent it, so JSON output repeats it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BackupRow {
    #[serde(default, deserialize_with = "capped::text")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub description: Option<String>,
    /// `creating`, `normal` or `createfail`, in any case; or other text.
    #[serde(default, deserialize_with = "super::status::status")]
    pub status: Option<Status>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_id: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_status: Option<String>,
    /// Sent in kilobytes: a number, or a numeric string (see [`super::size`]).
    #[serde(default, deserialize_with = "super::size::file_size")]
    pub file_size: Option<FileSize>,
    /// Like `2025-02-19T02:50:20+0000`.
    #[serde(default, deserialize_with = "super::sent_time::sent_time")]
    pub created: Option<SentTime>,
    #[serde(default, deserialize_with = "super::sent_time::sent_time")]
    pub updated: Option<SentTime>,
    /// `auto_metadata` (daily) or `metadata` (on demand).
    #[serde(default, deserialize_with = "capped::text")]
    pub backup_type: Option<String>,
}

/// Where a page's rows and claimed total are: the two listings name them
/// differently.
#[derive(Debug, Clone, Copy)]
pub(super) struct PageShape {
    pub rows: &'static str,
    pub total: &'static str,
    /// A text field the page carries beside its rows (related-dn's
    /// `latest_restorable_time`), read cut to [`capped::MAX_FIELD`].
    pub extra: Option<&'static str>,
    /// The whole page, for naming where a body leaves it.
    pub expect: &'static Expect,
}

/// What the instance list documents for a row (see [`InstanceRow`]).
const INSTANCE_ROW: Expect = Expect::Object(&[
    ("id", Expect::Text),
    ("name", Expect::Text),
    ("status", Expect::Text),
    ("created", Expect::Text),
    ("engine_version", Expect::Text),
    ("node_count", Expect::Any),
    ("access_ip", Expect::Text),
    ("access_port", Expect::Any),
    ("core_count", Expect::Any),
    ("ram_capacity", Expect::Any),
    ("available_zone", Expect::Text),
    ("enterprise_project_id", Expect::Text),
]);

/// What ListBackups documents for a row (see [`BackupRow`]).
const BACKUP_ROW: Expect = Expect::Object(&[
    ("id", Expect::Text),
    ("name", Expect::Text),
    ("description", Expect::Text),
    ("status", Expect::Text),
    ("instance_id", Expect::Text),
    ("instance_name", Expect::Text),
    ("instance_status", Expect::Text),
    ("file_size", Expect::Size),
    ("created", Expect::Text),
    ("updated", Expect::Text),
    ("backup_type", Expect::Text),
]);

/// The instance list's page.
pub(super) const INSTANCE_PAGE: PageShape = PageShape {
    rows: "instances",
    total: "total_record",
    extra: None,
    expect: &Expect::Object(&[
        ("instances", Expect::List(&INSTANCE_ROW)),
        ("total_record", Expect::Count),
    ]),
};

/// ListBackups' page.
pub(super) const BACKUP_PAGE: PageShape = PageShape {
    rows: "backups",
    total: "total",
    extra: None,
    expect: &Expect::Object(&[
        ("backups", Expect::List(&BACKUP_ROW)),
        ("total", Expect::Count),
    ]),
};

/// One page as read: at most the rows the listing can still use, and the
/// total the server claims.
#[derive(Debug)]
pub(super) struct Page<T> {
    pub rows: Bounded<T>,
    pub total: Option<u64>,
    /// The shape's `extra` field, when it has one and the page sent it.
    pub extra: Option<String>,
}

/// Parses a page, building at most `room` rows that `keep` accepts; the
/// rest are counted (so paging and "truncated" still see what the server
/// sent) but never built. A missing or `null` row array is an empty page;
/// other keys are ignored.
pub(super) fn parse_page<T, K>(
    body: &[u8],
    shape: PageShape,
    room: usize,
    keep: &K,
) -> Result<Page<T>, ParseProblem>
where
    T: DeserializeOwned,
    K: Fn(&T) -> bool,
{
    let mut de = serde_json::Deserializer::from_slice(body);
    let page = PageSeed {
        shape,
        rows: BoundedSeq::new(room, keep),
    }
    .deserialize(&mut de)
    .and_then(|page| de.end().map(|()| page));
    page.map_err(|e| super::model::problem(body, shape.expect, &e))
}

/// Reads a page object with the rows' cap handed down to its row array.
struct PageSeed<'k, T, K> {
    shape: PageShape,
    rows: BoundedSeq<'k, T, K>,
}

impl<'de, T, K> DeserializeSeed<'de> for PageSeed<'_, T, K>
where
    T: Deserialize<'de>,
    K: Fn(&T) -> bool,
{
    type Value = Page<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T, K> Visitor<'de> for PageSeed<'_, T, K>
where
    T: Deserialize<'de>,
    K: Fn(&T) -> bool,
{
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with `{}`", self.shape.rows)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let PageSeed { shape, rows: seed } = self;
        let mut seed = Some(seed);
        let mut rows = None;
        let mut total = None;
        let mut extra = None;
        while let Some(key) = map.next_key_seed(KeyOf(shape))? {
            match key {
                Key::Rows => match seed.take() {
                    Some(seed) => rows = Some(map.next_value_seed(seed)?),
                    None => return Err(de::Error::duplicate_field(shape.rows)),
                },
                Key::Total => {
                    if total.is_some() {
                        return Err(de::Error::duplicate_field(shape.total));
                    }
                    total = Some(map.next_value::<Option<u64>>()?);
                }
                Key::Extra(name) => {
                    if extra.is_some() {
                        return Err(de::Error::duplicate_field(name));
                    }
                    extra = Some(map.next_value::<CappedText>()?.0);
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Page {
            rows: rows.unwrap_or_default(),
            total: total.flatten(),
            extra: extra.flatten(),
        })
    }
}

enum Key {
    Rows,
    Total,
    Extra(&'static str),
    Other,
}

/// A string cut as it is read (a hostile one may be megabytes), or
/// nothing for `null`.
#[derive(Deserialize)]
struct CappedText(#[serde(deserialize_with = "capped::text")] Option<String>);

/// Names a page's key without copying it (a hostile key may be megabytes).
struct KeyOf(PageShape);

impl<'de> DeserializeSeed<'de> for KeyOf {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyOf {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(if v == self.0.rows {
            Key::Rows
        } else if v == self.0.total {
            Key::Total
        } else if let Some(extra) = self.0.extra.filter(|e| *e == v) {
            Key::Extra(extra)
        } else {
            Key::Other
        })
    }
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

/// Rows a paged answer did not give: the server claims more than were
/// read, or the client stopped at its cap with more to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    /// How many the server lists; `None` when it did not say.
    pub listed: Option<u64>,
    pub read: usize,
}

/// What was left unread of `read` rows, from the server's `total` and
/// whether reading stopped at the cap. A claimed total at or below what
/// was read says nothing.
pub(super) fn shortfall(read: usize, total: Option<u64>, truncated: bool) -> Option<Shortfall> {
    let listed = total.filter(|&t| t > read as u64);
    (truncated || listed.is_some()).then_some(Shortfall { listed, read })
}

impl<T> Listing<T> {
    /// The rows the server lists that were not read, if any: a server that
    /// sends fewer rows than its own total (ignoring `limit`) leaves some
    /// unread as surely as the cap does.
    pub fn shortfall(&self) -> Option<Shortfall> {
        shortfall(self.rows.len(), self.total, self.truncated)
    }

    /// Keeps the first `n` rows (of a sorted listing), marking the listing
    /// truncated when rows were left out.
    pub fn keep_first(&mut self, n: usize) {
        if self.rows.len() > n {
            self.rows.truncate(n);
            self.truncated = true;
        }
    }
}

/// One page as it arrived, for progress: the rows kept from it, how many
/// rows the server has sent so far (kept or not), and the total it claims.
#[derive(Debug, Clone, Copy)]
pub struct PageRead<'a, T> {
    pub rows: &'a [T],
    pub scanned: usize,
    pub total: Option<u64>,
    /// The page's `extra` field (see `PageShape`), when it sent one.
    pub extra: Option<&'a str>,
}

/// Newest first by the time each names (a server may write two offsets in
/// one list, so not by the text); rows without a readable date go last,
/// in the order they came.
pub fn sort_newest_first(rows: &mut [BackupRow]) {
    rows.sort_by_key(|r| std::cmp::Reverse(r.created.as_ref().and_then(SentTime::at)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all<T>(_: &T) -> bool {
        true
    }

    #[test]
    fn rows_tolerate_missing_and_odd_fields() {
        let page: Page<InstanceRow> = parse_page(
            br#"{"instances":[{"id":"i1","access_port":5066,"node_count":2,"extra":true},{}],"total_record":2}"#,
            INSTANCE_PAGE,
            10,
            &all,
        )
        .unwrap();
        let rows = page.rows.kept;
        assert_eq!(rows[0].access_port.as_deref(), Some("5066"));
        assert_eq!(rows[0].node_count.as_deref(), Some("2"));
        assert_eq!(rows[1], InstanceRow::default());
        assert_eq!(page.total, Some(2));
        let page: Page<BackupRow> =
            parse_page(br#"{"backups":null,"x":[1]}"#, BACKUP_PAGE, 10, &all).unwrap();
        assert!(page.rows.kept.is_empty() && page.total.is_none());
        let page: Page<BackupRow> =
            parse_page(br#"{"total":null}"#, BACKUP_PAGE, 10, &all).unwrap();
        assert_eq!((page.rows.sent, page.total), (0, None));
    }

    #[test]
    fn a_page_builds_at_most_its_room_and_counts_the_rest() {
        let body = format!(
            r#"{{"total":9,"backups":[{}]}}"#,
            vec!["{}"; 1000].join(",")
        );
        let page: Page<BackupRow> = parse_page(body.as_bytes(), BACKUP_PAGE, 100, &all).unwrap();
        assert_eq!((page.rows.kept.len(), page.rows.sent), (100, 1000));
        assert!(page.rows.cut && !page.rows.refused);
        assert_eq!(page.total, Some(9));
        // The filter runs on built rows; refused ones do not use the room.
        let ours = |r: &BackupRow| r.instance_id.as_deref() == Some("a");
        let body = br#"{"backups":[{"instance_id":"b"},{"instance_id":"a"},{"instance_id":"b"}]}"#;
        let page = parse_page(body, BACKUP_PAGE, 1, &ours).unwrap();
        assert_eq!((page.rows.kept.len(), page.rows.sent), (1, 3));
        assert!(page.rows.refused && !page.rows.cut);
    }

    #[test]
    fn page_shape_errors_and_broken_json_are_told_apart() {
        let shape = |body: &str| parse_page::<BackupRow, _>(body.as_bytes(), BACKUP_PAGE, 5, &all);
        for body in [
            r#"{"backups":{}}"#,
            r#"{"backups":[1]}"#,
            r#"{"total":"5"}"#,
            r#"{"total":-1}"#,
            r#"{"backups":[],"backups":[]}"#,
            r#"[1,2]"#,
        ] {
            assert!(matches!(shape(body), Err(ParseProblem::Shape(_))), "{body}");
        }
        for body in ["", "<html>", r#"{"backups":[{}"#, r#"{} x"#] {
            assert!(matches!(shape(body), Err(ParseProblem::NotJson)), "{body}");
        }
        // Valid JSON whose number no f64 holds: not "not JSON".
        assert_eq!(
            shape(r#"{"backups":[{"file_size":1e400}]}"#).unwrap_err(),
            ParseProblem::Shape("a number too large to read at line 1, column 30".into())
        );
    }

    #[test]
    fn a_size_may_be_a_number_or_a_numeric_string() {
        // The official SDK converts "12.5"; before, it failed the whole page.
        let body = br#"{"backups":[{"file_size":"12.5"},{"file_size":7},{"file_size":null},{}]}"#;
        let page = parse_page::<BackupRow, _>(body, BACKUP_PAGE, 5, &all).unwrap();
        let sizes: Vec<_> = page
            .rows
            .kept
            .iter()
            .map(|r| r.file_size.map(|s| s.bytes()))
            .collect();
        assert_eq!(sizes, [Some(Bytes(12_800)), Some(Bytes(7_168)), None, None]);
    }

    #[test]
    fn page_shape_errors_name_the_path() {
        let problem =
            |body: &str| match parse_page::<BackupRow, _>(body.as_bytes(), BACKUP_PAGE, 5, &all) {
                Err(ParseProblem::Shape(text)) => text,
                other => panic!("{body}: {other:?}"),
            };
        let size = "expected a size in KB (a number, or a number in a string)";
        assert_eq!(
            problem(r#"{"backups":[{"id":"a"},{"id":"b","file_size":"12 KB"}],"total":2}"#),
            format!("backups[1].file_size: {size}, got \"12 KB\"")
        );
        for (sent, got) in [
            ("-3", "-3.0, which is negative"),
            ("\"-3\"", "\"-3\", which is negative"),
            ("\"NaN\"", "\"NaN\""),
            ("\"1e400\"", "\"1e400\", too large for a size"),
            ("1e300", "1e+300, too large for a size"),
            ("true", "true or false"),
        ] {
            let body = format!(r#"{{"backups":[{{"file_size":{sent}}}]}}"#);
            assert_eq!(
                problem(&body),
                format!("backups[0].file_size: {size}, got {got}"),
                "{sent}"
            );
        }
        assert_eq!(
            problem(r#"{"total":-1}"#),
            "total: expected a whole number, got -1"
        );
        assert_eq!(
            problem(r#"{"backups":[null]}"#),
            "backups[0]: expected an object, got null"
        );
        let instances = parse_page::<InstanceRow, _>(
            br#"{"instances":[{"name":["x"]}]}"#,
            INSTANCE_PAGE,
            5,
            &all,
        );
        assert!(
            matches!(&instances, Err(ParseProblem::Shape(t)) if t == "instances[0].name: expected a string, got a list"),
            "{instances:?}"
        );
    }

    #[test]
    fn newest_first_by_the_instant() {
        let dated = |t: &str| BackupRow {
            created: Some(SentTime::parse(t)),
            ..Default::default()
        };
        let mut rows = vec![
            dated("2025-01-01T00:00:00+0000"),
            BackupRow::default(),
            dated("2025-03-01T00:00:00+0000"),
            // Later text, earlier time: 2025-02-28T16:00:00Z.
            dated("2025-03-01T00:00:00+0800"),
        ];
        sort_newest_first(&mut rows);
        let created: Vec<_> = rows
            .iter()
            .map(|r| r.created.as_ref().map(SentTime::sent))
            .collect();
        assert_eq!(
            created,
            [
                Some("2025-03-01T00:00:00+0000"),
                Some("2025-03-01T00:00:00+0800"),
                Some("2025-01-01T00:00:00+0000"),
                None
            ]
        );
    }
}

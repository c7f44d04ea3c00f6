//! The typed bodies of the restore calls. Every string is cut to
//! [`capped::MAX_FIELD`] and every array bounded as it is read; all four
//! are paged (see `super`).

use crate::api::ApiTime;
use serde::{Deserialize, Deserializer, Serialize};

use super::super::capped;
use super::super::list::{PageShape, Shortfall, shortfall};
use super::super::shape::Expect;

/// The most windows or nodes one answer keeps, over all its pages; past
/// it the rest are left unread (a real instance has a handful).
pub const MAX_RESTORE_ROWS: usize = 10_000;

/// One point-in-time window, times as the API writes them
/// (`2025-05-20T09:40:40+0000`, maybe with a fraction).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreWindow {
    #[serde(default, deserialize_with = "capped::text")]
    pub start_time: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub end_time: Option<String>,
}

impl RestoreWindow {
    /// The start, when it is a time the API writes.
    pub fn start(&self) -> Option<ApiTime> {
        self.start_time
            .as_deref()
            .and_then(crate::api::parse_api_time)
    }

    /// The end, when it is a time the API writes.
    pub fn end(&self) -> Option<ApiTime> {
        self.end_time
            .as_deref()
            .and_then(crate::api::parse_api_time)
    }

    /// It ends before it starts: no time inside it can be restored to,
    /// so it is shown as sent but never counted as a window.
    pub fn is_inverted(&self) -> bool {
        matches!((self.start(), self.end()), (Some(start), Some(end)) if end < start)
    }

    /// `at` lies inside it (ends included); a window with a side that is
    /// no time, or that ends before it starts, holds nothing.
    pub fn holds(&self, at: ApiTime) -> bool {
        matches!((self.start(), self.end()), (Some(start), Some(end)) if start <= at && at <= end)
    }
}

/// The instance's windows (`restorable-time-interval`), newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreWindows {
    pub windows: Vec<RestoreWindow>,
    /// How many windows the server says it has, when it says.
    pub total: Option<u64>,
    /// Reading stopped at [`MAX_RESTORE_ROWS`] with more to come.
    pub truncated: bool,
}

impl RestoreWindows {
    /// The latest restorable time: the latest readable window end of a
    /// window that does not end before it starts. The call has no field
    /// for it; `related-dn` does.
    pub fn latest(&self) -> Option<ApiTime> {
        self.windows
            .iter()
            .filter(|w| !w.is_inverted())
            .filter_map(RestoreWindow::end)
            .max()
    }

    /// The windows the server lists that were not read, if any: a window
    /// among them may be newer than any read.
    pub fn shortfall(&self) -> Option<Shortfall> {
        shortfall(self.windows.len(), self.total, self.truncated)
    }

    /// Puts them newest first, those without a readable end last; stable,
    /// so equal ends keep the server's order. Each end is parsed once,
    /// not at every comparison (up to 10,000 windows).
    pub(super) fn sort_newest_first(&mut self) {
        self.windows
            .sort_by_cached_key(|w| std::cmp::Reverse(w.end()));
    }
}

/// A data node of the instance at a restore time (`related-dn`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentDataNode {
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_id: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_status: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub engine_name: Option<String>,
    /// Bytes; documented as a string, shown as a number, a float in the SDK.
    #[serde(default, deserialize_with = "bytes")]
    pub data_volume_size: Option<u64>,
    #[serde(default, deserialize_with = "capped::number_or_text")]
    pub version: Option<String>,
}

/// The instance's data nodes at a restore time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelatedDataNodesAt {
    pub nodes: Vec<CurrentDataNode>,
    /// As the API writes it (the first page's); see
    /// [`crate::api::parse_api_time`].
    pub latest_restorable_time: Option<String>,
    /// How many nodes the server says there are, when it says.
    pub total: Option<u64>,
    /// Reading stopped at [`MAX_RESTORE_ROWS`] with more to come.
    pub truncated: bool,
}

impl RelatedDataNodesAt {
    /// The latest restorable time, when it is a time the API writes.
    pub fn latest(&self) -> Option<ApiTime> {
        self.latest_restorable_time
            .as_deref()
            .and_then(crate::api::parse_api_time)
    }

    /// The nodes the server lists that were not read, if any: "not among
    /// the nodes now" cannot be said of a node that may be among them.
    pub fn shortfall(&self) -> Option<Shortfall> {
        shortfall(self.nodes.len(), self.total, self.truncated)
    }
}

/// A DDM instance that could take a restore (`restorable-instances`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreTarget {
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_id: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub status: Option<String>,
    /// `None` when the server did not say: unknown, not "unavailable".
    #[serde(default, deserialize_with = "maybe_bool")]
    pub available: Option<bool>,
    #[serde(default, deserialize_with = "capped::text")]
    pub unavailable_reason: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub vpc_name: Option<String>,
}

/// A data node a target could restore onto (`restorable-data-node`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetDataNode {
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_id: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub instance_name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub engine_name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub status: Option<String>,
    /// `None` when the server did not say.
    #[serde(default, deserialize_with = "maybe_bool")]
    pub available: Option<bool>,
    #[serde(default, deserialize_with = "capped::text")]
    pub unavailable_reason: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub vpc_name: Option<String>,
    #[serde(default, deserialize_with = "capped::text")]
    pub private_ip: Option<String>,
}

/// A restore time as `restore_time` is sent: epoch milliseconds in decimal.
pub fn restore_time_param(at: ApiTime) -> String {
    at.epoch_millis().to_string()
}

/// A size in bytes from a number (possibly a float) or a decimal string;
/// anything negative, non-finite or unreadable is unknown rather than an
/// error, since the type is not settled (API.md 3.1).
fn bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let Some(text) = capped::number_or_text(d)? else {
        return Ok(None);
    };
    let text = text.trim();
    if let Ok(n) = text.parse::<u64>() {
        return Ok(Some(n));
    }
    // `as` saturates, so a 1e300 size becomes u64::MAX, never wraps.
    Ok(text
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite() && *f >= 0.0)
        .map(|f| f as u64))
}

/// `true`/`false`, or their text; anything else (or nothing) is unknown, so
/// a server's odd value never turns into a claim of (un)availability.
fn maybe_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(MaybeBool)
}

/// Reads any JSON value without building it (a hostile value may be
/// megabytes), keeping only a yes or a no.
struct MaybeBool;

impl<'de> serde::de::Visitor<'de> for MaybeBool {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("true or false")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match v {
            t if t.eq_ignore_ascii_case("true") => Some(true),
            f if f.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        })
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }
}

const WINDOW_SHAPE: Expect =
    Expect::Object(&[("start_time", Expect::Text), ("end_time", Expect::Text)]);
const CURRENT_NODE_SHAPE: Expect = Expect::Object(&[
    ("instance_id", Expect::Text),
    ("instance_name", Expect::Text),
    ("instance_status", Expect::Text),
    ("engine_name", Expect::Text),
    ("data_volume_size", Expect::Any),
    ("version", Expect::Any),
]);
const TARGET_SHAPE: Expect = Expect::Object(&[
    ("instance_id", Expect::Text),
    ("instance_name", Expect::Text),
    ("status", Expect::Text),
    ("available", Expect::Any),
    ("unavailable_reason", Expect::Text),
    ("vpc_name", Expect::Text),
]);
const TARGET_NODE_SHAPE: Expect = Expect::Object(&[
    ("instance_id", Expect::Text),
    ("instance_name", Expect::Text),
    ("engine_name", Expect::Text),
    ("status", Expect::Text),
    ("available", Expect::Any),
    ("unavailable_reason", Expect::Text),
    ("vpc_name", Expect::Text),
    ("private_ip", Expect::Text),
]);

/// `restorable-time-interval`'s page.
pub(super) const WINDOW_PAGE: PageShape = PageShape {
    rows: "restorable_time_intervals",
    total: "total",
    extra: None,
    expect: &Expect::Object(&[
        ("restorable_time_intervals", Expect::List(&WINDOW_SHAPE)),
        ("total", Expect::Count),
    ]),
};

/// `related-dn`'s page, with the latest restorable time beside its rows.
pub(super) const RELATED_DN_PAGE: PageShape = PageShape {
    rows: "related_data_nodes",
    total: "total",
    extra: Some("latest_restorable_time"),
    expect: &Expect::Object(&[
        ("related_data_nodes", Expect::List(&CURRENT_NODE_SHAPE)),
        ("latest_restorable_time", Expect::Text),
        ("total", Expect::Count),
    ]),
};

/// `restorable-instances`' page.
pub(super) const TARGET_PAGE: PageShape = PageShape {
    rows: "instances",
    total: "total",
    extra: None,
    expect: &Expect::Object(&[
        ("instances", Expect::List(&TARGET_SHAPE)),
        ("total", Expect::Count),
    ]),
};

/// `restorable-data-node`'s page.
pub(super) const TARGET_NODE_PAGE: PageShape = PageShape {
    rows: "target_data_nodes",
    total: "total",
    extra: None,
    expect: &Expect::Object(&[
        ("target_data_nodes", Expect::List(&TARGET_NODE_SHAPE)),
        ("total", Expect::Count),
    ]),
};

#[cfg(test)]
mod tests {
    use super::super::super::list::parse_page;
    use super::*;
    use crate::api::{MAX_FIELD, ParseProblem};

    /// One `restorable-time-interval` page as the client reads it.
    fn parse_windows(body: &[u8]) -> Result<RestoreWindows, ParseProblem> {
        let page = parse_page(body, WINDOW_PAGE, MAX_RESTORE_ROWS, &|_: &RestoreWindow| {
            true
        })?;
        let mut w = RestoreWindows {
            windows: page.rows.kept,
            total: page.total,
            truncated: page.rows.cut,
        };
        w.sort_newest_first();
        Ok(w)
    }

    /// One `related-dn` page as the client reads it.
    fn parse_related_dn(body: &[u8]) -> Result<RelatedDataNodesAt, ParseProblem> {
        let page = parse_page(
            body,
            RELATED_DN_PAGE,
            MAX_RESTORE_ROWS,
            &|_: &CurrentDataNode| true,
        )?;
        Ok(RelatedDataNodesAt {
            nodes: page.rows.kept,
            latest_restorable_time: page.extra,
            total: page.total,
            truncated: page.rows.cut,
        })
    }

    #[test]
    fn restore_time_is_epoch_milliseconds() {
        let at = jiff::Timestamp::from_nanosecond(1_748_000_000_123_456_789).unwrap();
        assert_eq!(restore_time_param(at.into()), "1748000000123");
        assert_eq!(restore_time_param(jiff::Timestamp::UNIX_EPOCH.into()), "0");
    }

    #[test]
    fn windows_come_newest_first_and_unreadable_ends_last() {
        let w = parse_windows(
            br#"{"restorable_time_intervals":[
                {"start_time":"2025-06-01T00:00:00+0000","end_time":"2025-06-02T00:00:00+0000"},
                {"start_time":"x","end_time":"soon"},
                {"start_time":"2025-06-03T00:00:00+0000","end_time":"2025-06-04T10:00:00.250+0800"}
            ],"total":3}"#,
        )
        .unwrap();
        let ends: Vec<_> = w.windows.iter().map(|w| w.end_time.as_deref()).collect();
        assert_eq!(
            ends,
            [
                Some("2025-06-04T10:00:00.250+0800"),
                Some("2025-06-02T00:00:00+0000"),
                Some("soon")
            ]
        );
        assert_eq!(w.latest(), w.windows[0].end());
        assert_eq!(parse_windows(b"{}").unwrap(), RestoreWindows::default());
        assert_eq!(parse_windows(b"{}").unwrap().latest(), None);
    }

    #[test]
    fn a_window_that_ends_before_it_starts_is_not_counted() {
        let w = parse_windows(
            br#"{"restorable_time_intervals":[
                {"start_time":"2025-06-05T00:00:00+0000","end_time":"2025-06-04T00:00:00+0000"},
                {"start_time":"2025-06-01T00:00:00+0000","end_time":"2025-06-02T00:00:00+0000"},
                {"start_time":"?","end_time":"2025-06-01T12:00:00+0000"}
            ]}"#,
        )
        .unwrap();
        assert!(w.windows[0].is_inverted() && !w.windows[1].is_inverted());
        assert!(
            !w.windows[2].is_inverted(),
            "an unreadable start proves nothing"
        );
        assert_eq!(w.latest(), w.windows[1].end());
        let only = parse_windows(
            br#"{"restorable_time_intervals":[{"start_time":"2025-06-05T00:00:00+0000","end_time":"2025-06-04T00:00:00+0000"}]}"#,
        )
        .unwrap();
        assert_eq!(only.latest(), None);
    }

    #[test]
    fn related_nodes_tolerate_absent_and_odd_fields() {
        let r = parse_related_dn(
            br#"{"related_data_nodes":[
                {"instance_id":"a","data_volume_size":1073741824,"version":8.0},
                {"data_volume_size":"2048"},
                {"data_volume_size":1.5e3},
                {"data_volume_size":-5},
                {"data_volume_size":"lots","instance_status":null},
                {}
            ],"latest_restorable_time":"2025-05-20T09:40:40+0000","extra":[1]}"#,
        )
        .unwrap();
        let sizes: Vec<_> = r.nodes.iter().map(|n| n.data_volume_size).collect();
        assert_eq!(
            sizes,
            [
                Some(1_073_741_824),
                Some(2048),
                Some(1500),
                None,
                None,
                None
            ]
        );
        assert_eq!(r.nodes[0].version.as_deref(), Some("8"));
        assert_eq!(r.nodes[5], CurrentDataNode::default());
        assert!(r.latest().is_some());
        assert_eq!(r.total, None);
        let huge = parse_related_dn(br#"{"related_data_nodes":[{"data_volume_size":1e300}]}"#);
        assert_eq!(huge.unwrap().nodes[0].data_volume_size, Some(u64::MAX));
    }

    #[test]
    fn shape_errors_name_the_path() {
        let problem = |body: &str| match parse_related_dn(body.as_bytes()) {
            Err(ParseProblem::Shape(t)) => t,
            other => panic!("{body}: {other:?}"),
        };
        assert_eq!(
            problem(r#"{"related_data_nodes":[{"instance_name":7}]}"#),
            "related_data_nodes[0].instance_name: expected a string, got a number"
        );
        assert_eq!(
            problem(r#"{"latest_restorable_time":[]}"#),
            "latest_restorable_time: expected a string, got a list"
        );
        assert!(matches!(
            parse_windows(br#"{"restorable_time_intervals":{}}"#),
            Err(ParseProblem::Shape(_))
        ));
        assert_eq!(parse_windows(b"<html>"), Err(ParseProblem::NotJson));
        // serde would read a struct from an array: "no windows" nobody said.
        for body in ["[]", " [[]]", "[null]", "7"] {
            assert!(
                matches!(parse_windows(body.as_bytes()), Err(ParseProblem::Shape(ref t)) if t.starts_with("the body: expected an object")),
                "{body}"
            );
        }
        assert!(matches!(
            parse_related_dn(br#"[[{"instance_id":"n1"}],"2025-05-20T09:40:40+0000"]"#),
            Err(ParseProblem::Shape(_))
        ));
    }

    #[test]
    fn availability_is_unknown_unless_said() {
        let target = |json: &str| {
            serde_json::from_str::<RestoreTarget>(json)
                .unwrap()
                .available
        };
        assert_eq!(target(r#"{"available":true}"#), Some(true));
        assert_eq!(target(r#"{"available":false}"#), Some(false));
        assert_eq!(target(r#"{"available":"FALSE"}"#), Some(false));
        assert_eq!(target(r#"{"available":null}"#), None);
        assert_eq!(target(r#"{"available":1}"#), None);
        assert_eq!(target(r#"{}"#), None);
    }

    #[test]
    fn strings_and_arrays_are_capped() {
        let long = "€".repeat(MAX_FIELD);
        let body = format!(
            r#"{{"related_data_nodes":[{{"instance_name":"{long}"}}],"latest_restorable_time":"{long}"}}"#
        );
        let r = parse_related_dn(body.as_bytes()).unwrap();
        assert!(r.nodes[0].instance_name.as_ref().unwrap().len() <= MAX_FIELD);
        assert!(r.latest_restorable_time.unwrap().len() <= MAX_FIELD);
        let body = format!(
            r#"{{"restorable_time_intervals":[{}]}}"#,
            vec!["{}"; MAX_RESTORE_ROWS + 3].join(",")
        );
        let w = parse_windows(body.as_bytes()).unwrap();
        assert_eq!(w.windows.len(), MAX_RESTORE_ROWS);
        assert!(w.truncated);
        assert_eq!(
            w.shortfall(),
            Some(Shortfall {
                listed: None,
                read: MAX_RESTORE_ROWS
            })
        );
    }

    #[test]
    fn a_total_past_what_was_read_is_a_shortfall() {
        let r = parse_related_dn(
            br#"{"related_data_nodes":[{"instance_id":"a"}],"total":12,"latest_restorable_time":"2025-05-20T09:40:40+0000"}"#,
        )
        .unwrap();
        assert_eq!(
            r.shortfall(),
            Some(Shortfall {
                listed: Some(12),
                read: 1
            })
        );
        // A total at or below what was read says nothing.
        for body in [
            r#"{"related_data_nodes":[{}],"total":1}"#,
            r#"{"related_data_nodes":[{},{}],"total":1}"#,
            r#"{"related_data_nodes":[{}]}"#,
        ] {
            assert_eq!(parse_related_dn(body.as_bytes()).unwrap().shortfall(), None);
        }
        let w = parse_windows(br#"{"restorable_time_intervals":[],"total":3}"#).unwrap();
        assert_eq!(
            w.shortfall().map(|s| (s.listed, s.read)),
            Some((Some(3), 0))
        );
    }

    #[test]
    fn a_window_holds_its_ends_and_nothing_when_unreadable() {
        let w = |s: &str, e: &str| RestoreWindow {
            start_time: Some(s.into()),
            end_time: Some(e.into()),
        };
        let at = |t: &str| crate::api::parse_api_time(t).unwrap();
        let june = w("2025-06-01T00:00:00+0000", "2025-06-02T00:00:00+0000");
        assert!(june.holds(at("2025-06-01T00:00:00+0000")));
        assert!(june.holds(at("2025-06-02T08:00:00+0800")));
        assert!(!june.holds(at("2025-06-02T00:00:01+0000")));
        let inverted = w("2025-06-02T00:00:00+0000", "2025-06-01T00:00:00+0000");
        assert!(!inverted.holds(at("2025-06-01T12:00:00+0000")));
        assert!(!w("?", "2025-06-02T00:00:00+0000").holds(at("2025-06-01T12:00:00+0000")));
    }
}

//! The match rule of `find` and of the TUI's Find overlay, and narrowing
//! rows that are already loaded.
//!
//! A query of at least [`MIN_CHARS`] characters (after trimming) matches a
//! backup when it is
//! - a prefix of the backup ID or of the DDM instance ID, or
//! - part of the backup name or of the instance name,
//!
//! all compared case-folded (one [`fold`] for the query and the rows). Instance names count because
//! operators name a database by its instance ("the orders DB") and a
//! backup taken on demand may carry any name; instance IDs count because a
//! ticket may quote only the instance, and then the question is where it
//! lives. IDs match by prefix only: a substring of a 36-character hex ID
//! matches at random.

use crate::api::{SentTime, Status};
use std::borrow::Borrow;

use memchr::memmem;
use serde::Serialize;

use super::fold::{fold, push_folded};

/// The fewest characters a query needs: fewer match nearly everything.
pub const MIN_CHARS: usize = 3;

/// A query that passed the length rule, with the key rows are compared to.
#[derive(Debug, Clone)]
pub struct Query {
    text: String,
    key: String,
    /// The key's substring searcher, built once per query rather than once
    /// per row (as `str::contains` would).
    finder: memmem::Finder<'static>,
}

impl PartialEq for Query {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Query {}

/// Why some text cannot be searched for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("type at least {MIN_CHARS} characters to search for (got {got})")]
    TooShort { got: usize },
}

impl Query {
    /// Trims `text` and checks it is long enough. Control characters are
    /// left out of the key: nobody types them, and without them a key can
    /// never match across the separators [`Index`] puts between fields.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let trimmed = text.trim();
        let typed: String = trimmed.chars().filter(|c| !c.is_control()).collect();
        let key = fold(&typed);
        let got = key.chars().count();
        if got < MIN_CHARS {
            return Err(QueryError::TooShort { got });
        }
        Ok(Query {
            text: trimmed.to_string(),
            finder: memmem::Finder::new(key.as_bytes()).into_owned(),
            key,
        })
    }

    /// The text as typed, trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The folded key rows are compared to.
    pub(super) fn key(&self) -> &str {
        &self.key
    }

    /// True when every row this query matches is also matched by
    /// `earlier`, so the TUI may narrow `earlier`'s matches instead of all
    /// loaded rows: typing more at the end only ever narrows (a longer
    /// prefix or substring contains the shorter one).
    pub fn narrows(&self, earlier: &Query) -> bool {
        self.key.starts_with(&earlier.key)
    }

    /// The match rule on one set of folded fields.
    fn matches_keys(&self, backup_id: &str, instance_id: &str, names: &str) -> bool {
        backup_id.starts_with(&self.key)
            || instance_id.starts_with(&self.key)
            || self.finder.find(names.as_bytes()).is_some()
    }
}

/// One backup found: where it lives and what an operator needs to tell it
/// apart. This is also `find --output json`'s row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Found {
    pub profile: String,
    pub region: String,
    pub instance_id: Option<String>,
    pub instance_name: Option<String>,
    pub backup_id: Option<String>,
    pub backup_name: Option<String>,
    pub status: Option<Status>,
    pub created: Option<SentTime>,
    /// `auto_metadata` or `metadata`: neither searched nor printed, kept
    /// so a backup picker can be filled from a search's rows.
    #[serde(skip)]
    pub backup_type: Option<String>,
    /// As the list row gave it; kept for the picker, as above.
    #[serde(skip)]
    pub size: Option<crate::api::FileSize>,
}

impl Found {
    /// About the bytes it costs a search to keep this row: its strings,
    /// their lowercase copy in an [`Index`] when every row is kept, and
    /// the fixed parts (the row, its pointer, its index span). For the
    /// search's memory budget, not an exact count.
    pub fn cost(&self, keep: super::Keep) -> usize {
        let len = |v: &Option<String>| v.as_ref().map_or(0, String::len);
        let indexed = len(&self.backup_id)
            + len(&self.instance_id)
            + len(&self.backup_name)
            + len(&self.instance_name);
        let strings = indexed
            + self.profile.len()
            + self.region.len()
            + self.status.as_ref().map_or(0, Status::heap_len)
            + self.created.as_ref().map_or(0, |c| c.sent().len())
            + len(&self.backup_type);
        let index = match keep {
            super::Keep::Everything => indexed + std::mem::size_of::<Span>(),
            super::Keep::Matches => 0,
        };
        strings + index + std::mem::size_of::<Found>() + 2 * std::mem::size_of::<usize>() * 2
    }

    /// The match rule for one row (folds as it goes: for a page or a
    /// few matches; many rows go through an [`Index`]).
    pub fn matches(&self, query: &Query) -> bool {
        let lower = |v: &Option<String>| fold(v.as_deref().unwrap_or(""));
        let names = format!(
            "{}\u{1}{}",
            lower(&self.backup_name),
            lower(&self.instance_name)
        );
        query.matches_keys(&lower(&self.backup_id), &lower(&self.instance_id), &names)
    }
}

/// The folded keys of many rows, computed once and laid out in one
/// string (`backup ID ^A instance ID ^A name ^A instance name ^A`, row
/// after row), so narrowing on a keystroke is one substring scan over
/// contiguous memory, not a few heap reads and a searcher per row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    text: String,
    rows: Vec<Span>,
}

/// Where one row's fields start in [`Index::text`], and where it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    backup_id: usize,
    instance_id: usize,
    names: usize,
    end: usize,
}

/// Between fields; a key never holds one (see [`Query::parse`]).
const SEPARATOR: char = '\u{1}';

impl Index {
    /// Indexes `rows`; row `i` of the index is `rows[i]`.
    pub fn new<R: Borrow<Found>>(rows: &[R]) -> Index {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(rows.len());
        let push = |text: &mut String, value: &Option<String>| {
            if let Some(value) = value {
                push_folded(text, value);
            }
            text.push(SEPARATOR);
        };
        for row in rows {
            let row = row.borrow();
            let backup_id = text.len();
            push(&mut text, &row.backup_id);
            let instance_id = text.len();
            push(&mut text, &row.instance_id);
            let names = text.len();
            push(&mut text, &row.backup_name);
            push(&mut text, &row.instance_name);
            spans.push(Span {
                backup_id,
                instance_id,
                names,
                end: text.len(),
            });
        }
        Index { text, rows: spans }
    }

    /// How many rows it holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when it holds no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The indices of the rows `query` matches, in order; no request.
    pub fn narrow(&self, query: &Query) -> Vec<usize> {
        let mut found = Vec::new();
        // One pass of leftmost, non-overlapping hits. A field's prefix hit
        // is always the first hit in that field, as no hit crosses a
        // separator into it; hits in a row already found are skipped.
        let (mut row, mut found_until) = (0, 0);
        for hit in query.finder.find_iter(self.text.as_bytes()) {
            if hit < found_until {
                continue;
            }
            row += self.rows[row..].partition_point(|s| s.end <= hit);
            let Some(span) = self.rows.get(row) else {
                break;
            };
            if hit == span.backup_id || hit == span.instance_id || hit >= span.names {
                found.push(row);
                found_until = span.end;
            }
        }
        found
    }

    /// Whether row `i` matches `query` (false past the end).
    pub fn matches(&self, i: usize, query: &Query) -> bool {
        let Some(span) = self.rows.get(i) else {
            return false;
        };
        let field = |from: usize, to: usize| self.text.get(from..to).unwrap_or("");
        query.matches_keys(
            field(span.backup_id, span.instance_id),
            field(span.instance_id, span.names),
            field(span.names, span.end),
        )
    }

    /// [`Index::narrow`] over the rows an earlier query matched, for a
    /// query that [`Query::narrows`] it (the TUI's next keystroke).
    pub fn narrow_within(&self, within: &[usize], query: &Query) -> Vec<usize> {
        within
            .iter()
            .copied()
            .filter(|&i| self.matches(i, query))
            .collect()
    }
}

/// The indices of `rows` that `query` matches. Indexes them first: when
/// the same rows are narrowed again, keep an [`Index`] instead.
pub fn narrow(rows: &[Found], query: &Query) -> Vec<usize> {
    Index::new(rows).narrow(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(backup_id: &str, name: &str, instance_id: &str, instance_name: &str) -> Found {
        Found {
            profile: "p".into(),
            region: "r".into(),
            backup_id: Some(backup_id.into()),
            backup_name: Some(name.into()),
            instance_id: Some(instance_id.into()),
            instance_name: Some(instance_name.into()),
            ..Found::default()
        }
    }

    fn q(text: &str) -> Query {
        Query::parse(text).unwrap()
    }

    /// The row alone, through both ways of matching, which must agree.
    fn hit(r: &Found, text: &str) -> bool {
        let query = q(text);
        let one = r.matches(&query);
        let index = Index::new(std::slice::from_ref(r));
        assert_eq!(index.narrow(&query) == [0], one, "{text}");
        assert_eq!(index.matches(0, &query), one, "{text}");
        one
    }

    #[test]
    fn at_least_three_characters_after_trimming() {
        assert_eq!(
            Query::parse("  ab \n"),
            Err(QueryError::TooShort { got: 2 })
        );
        assert_eq!(Query::parse(""), Err(QueryError::TooShort { got: 0 }));
        assert_eq!(
            Query::parse("a\u{7}b"),
            Err(QueryError::TooShort { got: 2 })
        );
        assert_eq!(q("  abc ").text(), "abc");
        // Characters, not bytes: three CJK characters are enough.
        assert!(Query::parse("订单库").is_ok());
        assert!(Query::parse("订单").is_err());
    }

    #[test]
    fn ids_match_by_prefix_and_names_anywhere() {
        let r = row(
            "archive-100-br09",
            "Nightly-Orders",
            "pages-in09",
            "ddm-demo",
        );
        assert!(hit(&r, "archive-1"));
        assert!(hit(&r, "ARCHIVE-10"), "case-insensitive");
        assert!(!hit(&r, "100-br09"), "IDs by prefix only");
        assert!(hit(&r, "orders"), "backup name, any case");
        assert!(hit(&r, "ly-ord"));
        assert!(hit(&r, "pages-in"), "instance ID prefix");
        assert!(!hit(&r, "in09"));
        assert!(hit(&r, "m-dem"), "instance name");
        assert!(!hit(&r, "nothing"));
        // A hit inside an ID does not hide the prefix hit of the next field.
        let r = row("xabcabc", "n", "abcd", "m");
        assert!(hit(&r, "abc"));
        let r = row("aaaa", "n", "aaab", "m");
        assert!(!hit(&r, "aab") && hit(&r, "aaa"));
    }

    #[test]
    fn a_query_never_matches_across_fields() {
        let r = row("b1-br09", "abc", "i1", "def");
        assert!(!hit(&r, "cde"));
        assert!(!hit(&r, "bc\0de"), "a typed NUL is left out");
        assert!(!hit(&r, "br09i1"));
        // Control characters from the server do not confuse the layout.
        let r = row("x\u{1}abc", "n\u{1}\nzzz", "i", "m");
        assert!(!hit(&r, "abc"));
        assert!(hit(&r, "zzz"));
    }

    #[test]
    fn unicode_lowercase_on_both_sides() {
        let r = row("x", "ÄRGER-Backup-Σ", "i", "订单中心");
        assert!(hit(&r, "ärger"));
        assert!(hit(&r, "ÄRG"));
        assert!(hit(&r, "p-Σ"));
        assert!(hit(&r, "订单中"));
        // Absent fields match nothing and do not panic.
        let empty = Found::default();
        assert!(!hit(&empty, "abc"));
        assert!(Index::new::<Found>(&[]).narrow(&q("abc")).is_empty());
    }

    #[test]
    fn a_name_is_found_by_itself_whatever_its_sigmas() {
        // Before, the query was lowercased as a string (word-final Σ to ς)
        // and the rows per character (Σ to σ): the exact name missed.
        let r = row("x", "ΟΔΥΣΣΕΥΣ", "i", "ΑΘΗΝΑ-ΣΣ");
        for typed in ["ΟΔΥΣΣΕΥΣ", "ΕΥΣ", "οδυσσευσ", "οδυσσευς", "Οδυσσεύς"]
        {
            let expected = typed != "Οδυσσεύς"; // an accent is not a case
            assert_eq!(hit(&r, typed), expected, "{typed}");
        }
        assert!(hit(&r, "να-σς"));
        assert!(hit(&r, "ΝΑ-ΣΣ"));
    }

    #[test]
    fn narrowing_keeps_order_and_refines() {
        let rows = vec![
            row("orders-1-br09", "a", "i", "x"),
            row("b", "nightly orders, orders again", "i", "x"),
            row("c", "ledger", "i", "x"),
            row("d", "ORDERS-eu", "i", "x"),
        ];
        let index = Index::new(&rows);
        assert_eq!(index.len(), 4);
        let wide = index.narrow(&q("orde"));
        assert_eq!(wide, [0, 1, 3]);
        assert_eq!(narrow(&rows, &q("orde")), wide);
        let more = q("orders-");
        assert!(more.narrows(&q("orde")));
        assert!(!q("order").narrows(&q("orders")));
        assert_eq!(index.narrow_within(&wide, &more), [0, 3]);
        assert_eq!(index.narrow_within(&wide, &more), index.narrow(&more));
        assert!(index.narrow_within(&[99], &more).is_empty());
    }
}

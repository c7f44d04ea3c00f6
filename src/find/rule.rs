//! The match rule of `find` and of the TUI's Find overlay, and narrowing
//! rows that are already loaded.
//!
//! A query of at least [`MIN_CHARS`] characters (after trimming) matches a
//! backup when it is
//! - a prefix of the backup ID or of the DDM instance ID, or
//! - part of the backup name or of the instance name,
//!
//! all compared in Unicode lowercase. Instance names count because
//! operators name a database by its instance ("the orders DB") and a
//! backup taken on demand may carry any name; instance IDs count because a
//! ticket may quote only the instance, and then the question is where it
//! lives. IDs match by prefix only: a substring of a 36-character hex ID
//! matches at random.

use serde::Serialize;

/// The fewest characters a query needs: fewer match nearly everything.
pub const MIN_CHARS: usize = 3;

/// A query that passed the length rule, with the key rows are compared to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
    key: String,
}

/// Why some text cannot be searched for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("type at least {MIN_CHARS} characters to search for (got {got})")]
    TooShort { got: usize },
}

impl Query {
    /// Trims `text` and checks it is long enough. Control characters are
    /// left out of the key: nobody types them, and without them the key can
    /// never match across the separator [`Candidate`] puts between names.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let trimmed = text.trim();
        let key: String = trimmed
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .to_lowercase();
        let got = key.chars().count();
        if got < MIN_CHARS {
            return Err(QueryError::TooShort { got });
        }
        Ok(Query {
            text: trimmed.to_string(),
            key,
        })
    }

    /// The text as typed, trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when every row this query matches is also matched by
    /// `earlier`, so the TUI may narrow `earlier`'s matches instead of all
    /// loaded rows: typing more at the end only ever narrows (a longer
    /// prefix or substring contains the shorter one).
    pub fn narrows(&self, earlier: &Query) -> bool {
        self.key.starts_with(&earlier.key)
    }
}

/// One backup found: where it lives and what an operator needs to tell it
/// apart. This is also `find --output json`'s row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Found {
    pub profile: String,
    pub region: String,
    pub instance_id: Option<String>,
    pub instance_name: Option<String>,
    pub backup_id: Option<String>,
    pub backup_name: Option<String>,
    pub status: Option<String>,
    pub created: Option<String>,
}

/// A loaded row with its lowercase keys computed once, so a keystroke
/// compares strings and lowercases nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub found: Found,
    backup_id: Box<str>,
    instance_id: Box<str>,
    /// Backup name, NUL, instance name: one scan for both names.
    names: Box<str>,
}

impl Candidate {
    /// Computes the keys of one row.
    pub fn new(found: Found) -> Candidate {
        let lower = |v: &Option<String>| v.as_deref().unwrap_or("").to_lowercase();
        let names = format!(
            "{}\0{}",
            lower(&found.backup_name),
            lower(&found.instance_name)
        );
        Candidate {
            backup_id: lower(&found.backup_id).into(),
            instance_id: lower(&found.instance_id).into(),
            names: names.into(),
            found,
        }
    }

    /// The match rule (see the module's documentation).
    pub fn matches(&self, query: &Query) -> bool {
        let key = query.key.as_str();
        self.backup_id.starts_with(key)
            || self.instance_id.starts_with(key)
            || self.names.contains(key)
    }
}

/// The indices of the rows `query` matches, in their order; no request.
pub fn narrow(rows: &[Candidate], query: &Query) -> Vec<usize> {
    rows.iter()
        .enumerate()
        .filter(|(_, row)| row.matches(query))
        .map(|(i, _)| i)
        .collect()
}

/// [`narrow`] over the indices an earlier query matched, for a query that
/// [`Query::narrows`] it (the TUI's next keystroke).
pub fn narrow_within(rows: &[Candidate], within: &[usize], query: &Query) -> Vec<usize> {
    within
        .iter()
        .copied()
        .filter(|&i| rows.get(i).is_some_and(|row| row.matches(query)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(backup_id: &str, name: &str, instance_id: &str, instance_name: &str) -> Candidate {
        Candidate::new(Found {
            profile: "p".into(),
            region: "r".into(),
            backup_id: Some(backup_id.into()),
            backup_name: Some(name.into()),
            instance_id: Some(instance_id.into()),
            instance_name: Some(instance_name.into()),
            ..Found::default()
        })
    }

    fn q(text: &str) -> Query {
        Query::parse(text).unwrap()
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
        assert!(r.matches(&q("archive-1")));
        assert!(r.matches(&q("ARCHIVE-10")), "case-insensitive");
        assert!(!r.matches(&q("100-br09")), "IDs by prefix only");
        assert!(r.matches(&q("orders")), "backup name, any case");
        assert!(r.matches(&q("ly-ord")));
        assert!(r.matches(&q("pages-in")), "instance ID prefix");
        assert!(!r.matches(&q("in09")));
        assert!(r.matches(&q("m-dem")), "instance name");
        assert!(!r.matches(&q("nothing")));
    }

    #[test]
    fn a_query_never_matches_across_the_two_names() {
        let r = row("b1-br09", "abc", "i1", "def");
        assert!(!r.matches(&q("cde")));
        assert!(!r.matches(&q("bc\0de")), "a typed NUL is left out");
    }

    #[test]
    fn unicode_lowercase_on_both_sides() {
        let r = row("x", "ÄRGER-Backup-Σ", "i", "订单中心");
        assert!(r.matches(&q("ärger")));
        assert!(r.matches(&q("ÄRG")));
        assert!(r.matches(&q("p-Σ")));
        assert!(r.matches(&q("订单中")));
        // Absent fields match nothing and do not panic.
        let empty = Candidate::new(Found::default());
        assert!(!empty.matches(&q("abc")));
    }

    #[test]
    fn narrowing_keeps_order_and_refines() {
        let rows = vec![
            row("orders-1-br09", "a", "i", "x"),
            row("b", "nightly orders", "i", "x"),
            row("c", "ledger", "i", "x"),
            row("d", "ORDERS-eu", "i", "x"),
        ];
        let wide = narrow(&rows, &q("orde"));
        assert_eq!(wide, [0, 1, 3]);
        let more = q("orders-");
        assert!(more.narrows(&q("orde")));
        assert!(!q("order").narrows(&q("orders")));
        assert_eq!(narrow_within(&rows, &wide, &more), [0, 3]);
        assert_eq!(narrow_within(&rows, &wide, &more), narrow(&rows, &more));
        assert_eq!(narrow_within(&rows, &[99], &more), Vec::<usize>::new());
    }
}

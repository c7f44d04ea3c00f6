//! The checks every ID passes before it goes into a request path.
//!
//! IDs end up as URL path segments, so anything that could change the path
//! (`/`, `..`, `?`, `#`, `%`) or hide in a terminal (control, non-ASCII) is
//! refused with a reason. The documented ID shapes are not enforced: the API
//! reference does not promise them.

use std::fmt;

/// The longest ID accepted; real ones are 36 characters.
pub const MAX_ID_LEN: usize = 64;

/// Which ID a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdField {
    Instance,
    Backup,
    Project,
}

impl IdField {
    /// The name an operator knows the field by.
    pub fn label(self) -> &'static str {
        match self {
            IdField::Instance => "instance ID",
            IdField::Backup => "backup ID",
            IdField::Project => "project ID",
        }
    }
}

impl fmt::Display for IdField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why an ID was refused, short enough to show beside a form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdProblem {
    Empty,
    TooLong(usize),
    Whitespace,
    Control,
    NonAscii(char),
    Forbidden(char),
    DotDot,
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdProblem::Empty => f.write_str("is empty"),
            IdProblem::TooLong(n) => write!(f, "is {n} characters long (at most {MAX_ID_LEN})"),
            IdProblem::Whitespace => f.write_str("contains white space"),
            IdProblem::Control => f.write_str("contains a control character"),
            IdProblem::NonAscii(c) => write!(f, "contains the non-ASCII character {c:?}"),
            IdProblem::Forbidden(c) => write!(f, "contains {c:?}, which is not allowed in an ID"),
            IdProblem::DotDot => f.write_str("contains \"..\""),
        }
    }
}

/// A refused ID: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {field} {problem}")]
pub struct InvalidId {
    pub field: IdField,
    pub problem: IdProblem,
}

/// Checks one ID; `Ok` means it is safe to put in a path segment.
pub fn check_id(field: IdField, value: &str) -> Result<(), InvalidId> {
    let fail = |problem| Err(InvalidId { field, problem });
    if value.is_empty() {
        return fail(IdProblem::Empty);
    }
    for c in value.chars() {
        if c.is_control() {
            return fail(IdProblem::Control);
        }
        if c.is_whitespace() {
            return fail(IdProblem::Whitespace);
        }
        if !c.is_ascii() {
            return fail(IdProblem::NonAscii(c));
        }
        if matches!(c, '/' | '\\' | '?' | '#' | '%') {
            return fail(IdProblem::Forbidden(c));
        }
    }
    if value.contains("..") {
        return fail(IdProblem::DotDot);
    }
    let len = value.chars().count();
    if len > MAX_ID_LEN {
        return fail(IdProblem::TooLong(len));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(value: &str) -> Option<IdProblem> {
        check_id(IdField::Backup, value).err().map(|e| e.problem)
    }

    #[test]
    fn real_ids_pass() {
        for id in [
            "34970585d4964f2a8d6d9ea8d303398bin09",
            "09902ee7866649b8908ec209bfee2747br09",
            "demo-in09",
            "a_b.c~d",
        ] {
            assert_eq!(problem(id), None, "{id}");
        }
    }

    #[test]
    fn dangerous_ids_are_refused_with_a_reason() {
        assert_eq!(problem(""), Some(IdProblem::Empty));
        assert_eq!(problem("ab cd"), Some(IdProblem::Whitespace));
        assert_eq!(problem(" abc"), Some(IdProblem::Whitespace));
        assert_eq!(problem("ab\tc"), Some(IdProblem::Control));
        assert_eq!(problem("ab\u{7f}"), Some(IdProblem::Control));
        assert_eq!(problem("a/b"), Some(IdProblem::Forbidden('/')));
        assert_eq!(problem("a?b"), Some(IdProblem::Forbidden('?')));
        assert_eq!(problem("a#b"), Some(IdProblem::Forbidden('#')));
        assert_eq!(problem("a%2fb"), Some(IdProblem::Forbidden('%')));
        assert_eq!(problem(".."), Some(IdProblem::DotDot));
        assert_eq!(problem("a..b"), Some(IdProblem::DotDot));
        assert_eq!(problem("订单"), Some(IdProblem::NonAscii('订')));
        assert_eq!(problem(&"a".repeat(64)), None);
        assert_eq!(problem(&"a".repeat(65)), Some(IdProblem::TooLong(65)));
    }

    #[test]
    fn the_message_names_the_field() {
        let err = check_id(IdField::Instance, "a/b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the instance ID contains '/', which is not allowed in an ID"
        );
    }
}

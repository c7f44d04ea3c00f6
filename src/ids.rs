//! The one rule every ID passes before it goes into a request path, a
//! copy or a file name.
//!
//! IDs end up as URL path segments, in clipboards and in shells, so an ID is
//! 1 to 64 ASCII letters, digits, `-` and `_`, and nothing else: no `.` that
//! could make `.` or `..` a path segment, no `/`, `%`, `?` or `#` that could
//! change the path, nothing a terminal or a shell would act on. Every real
//! ID (32 hex + a four-character suffix) and every demo ID fits. The
//! documented shapes themselves are not enforced: the API reference does not
//! promise them.

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
    /// Its length in characters.
    TooLong(usize),
    /// The first character outside the rule.
    Forbidden(char),
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdProblem::Empty => f.write_str("is empty"),
            IdProblem::TooLong(n) => write!(f, "is {n} characters long (at most {MAX_ID_LEN})"),
            IdProblem::Forbidden(c) => write!(
                f,
                "contains {}, which is not allowed in an ID (only letters, digits, - and _)",
                describe(*c)
            ),
        }
    }
}

impl IdProblem {
    /// The problem in a few words, character first, for beside a form field
    /// where the long form would be cut before it names the character.
    pub fn short(&self) -> String {
        match self {
            IdProblem::Empty => "empty".into(),
            IdProblem::TooLong(n) => format!("{n} chars, max {MAX_ID_LEN}"),
            IdProblem::Forbidden(c) => format!("{} not allowed", describe(*c)),
        }
    }
}

/// A character named so that the message itself is safe to print: visible
/// ASCII quoted, a space by name, anything else by its code point (and the
/// glyph too when it is a printable one).
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\'' => "\"'\"".into(),
        '!'..='~' => format!("{c:?}"),
        c if crate::terminal_text::is_unsafe(c) || c.is_whitespace() => {
            format!("U+{:04X}", c as u32)
        }
        c => format!("'{c}' (U+{:04X})", c as u32),
    }
}

/// True for the characters an ID may hold.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A refused ID: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {field} {problem}")]
pub struct InvalidId {
    pub field: IdField,
    pub problem: IdProblem,
}

/// Checks one ID against the rule, without naming a field (for values that
/// are not typed into one, such as a server-sent node ID about to be copied).
pub fn id_problem(value: &str) -> Option<IdProblem> {
    if value.is_empty() {
        return Some(IdProblem::Empty);
    }
    if let Some(c) = value.chars().find(|&c| !allowed(c)) {
        return Some(IdProblem::Forbidden(c));
    }
    // Only ASCII is left, so bytes are characters.
    if value.len() > MAX_ID_LEN {
        return Some(IdProblem::TooLong(value.len()));
    }
    None
}

/// Checks one ID; `Ok` means it is safe in a path segment, a copy and a
/// file name.
pub fn check_id(field: IdField, value: &str) -> Result<(), InvalidId> {
    match id_problem(value) {
        None => Ok(()),
        Some(problem) => Err(InvalidId { field, problem }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(value: &str) -> Option<IdProblem> {
        check_id(IdField::Backup, value).err().map(|e| e.problem)
    }

    #[test]
    fn real_and_demo_ids_pass() {
        for id in [
            "34970585d4964f2a8d6d9ea8d303398bin09",
            "09902ee7866649b8908ec209bfee2747br09",
            "fc33739e5d2741529e21d87a7b5923fain01",
            "0123456789abcdef0123456789abcdef",
            "demo-in09",
            "archive-299-br09",
            "a_b-C9",
        ] {
            assert_eq!(problem(id), None, "{id}");
        }
        for row in crate::demo::catalogue() {
            assert_eq!(problem(row.instance_id), None, "{}", row.instance_id);
            assert_eq!(problem(row.backup_id), None, "{}", row.backup_id);
        }
    }

    #[test]
    fn everything_else_is_refused_naming_the_character() {
        assert_eq!(problem(""), Some(IdProblem::Empty));
        for (id, bad) in [
            (".", '.'),
            ("..", '.'),
            ("a.b", '.'),
            ("demo-in0$", '$'),
            ("ab cd", ' '),
            ("ab\tc", '\t'),
            ("ab\u{7f}", '\u{7f}'),
            ("a\u{1b}[201~", '\u{1b}'),
            ("a/b", '/'),
            ("a?b", '?'),
            ("a#b", '#'),
            ("a%2fb", '%'),
            ("a~b", '~'),
            ("a+b", '+'),
            ("订单", '订'),
            ("x\u{202e}", '\u{202e}'),
        ] {
            assert_eq!(problem(id), Some(IdProblem::Forbidden(bad)), "{id:?}");
        }
        assert_eq!(problem(&"a".repeat(64)), None);
        assert_eq!(problem(&"a".repeat(65)), Some(IdProblem::TooLong(65)));
    }

    #[test]
    fn the_message_names_the_field_and_the_character_safely() {
        let message = |id: &str| check_id(IdField::Instance, id).unwrap_err().to_string();
        assert_eq!(
            message("a/b"),
            "the instance ID contains '/', which is not allowed in an ID (only letters, digits, - and _)"
        );
        assert!(message("a b").contains("contains a space"));
        assert!(message("a\u{1b}b").contains("contains U+001B,"));
        assert!(message("a\u{202e}b").contains("contains U+202E,"));
        assert!(message("订").contains("contains '订' (U+8BA2)"));
        assert!(message("a'b").contains(r#"contains "'","#));
        let short = |id: &str| id_problem(id).map(|p| p.short());
        assert_eq!(short("demo-in0$").as_deref(), Some("'$' not allowed"));
        assert_eq!(short("a\u{1b}").as_deref(), Some("U+001B not allowed"));
        assert_eq!(short(&"a".repeat(65)).as_deref(), Some("65 chars, max 64"));
        assert!(
            crate::terminal_text::is_safe(&message("\u{1b}\u{2028}")),
            "the message itself carries nothing unsafe"
        );
    }
}

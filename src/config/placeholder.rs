//! The values `config init` writes where only the operator knows the answer.
//! The file they are in parses (so `init` can check its own output), but a
//! command never runs with one: it would fail later at IAM or DDM with an
//! error that does not point back at the file.

use toml::Spanned;

use super::file::{Located, at};

/// `project_id` until it is filled in.
pub const PROJECT_ID: &str = "your-project-id";
/// `auth.domain` (password auth) until it is filled in.
pub const DOMAIN: &str = "your-account-name";
/// `auth.user` (password auth) until it is filled in.
pub const USER: &str = "your-iam-user";

/// A problem at `value` when it still holds the placeholder for `key`.
pub(super) fn unfilled(key: &str, value: &Spanned<String>) -> Option<Located> {
    let (placeholder, fill_with) = match key {
        "project_id" => (
            PROJECT_ID,
            "the region's 32-character IAM project ID (console: My Credentials > API Credentials)",
        ),
        "auth.domain" => (
            DOMAIN,
            "your account name (console: My Credentials > API Credentials)",
        ),
        "auth.user" => (USER, "the IAM user name that signs in"),
        _ => return None,
    };
    (value.get_ref().trim() == placeholder).then(|| {
        at(
            value,
            format!("{key} is still {placeholder:?} from `config init`: set it to {fill_with}"),
        )
    })
}

//! What each key of the file holds, in words: a value of the wrong type is
//! reported as `profiles.prod.timeout_secs must be a whole number of
//! seconds, like 20`, never in serde's terms (`invalid type: string "20",
//! expected i64`), which name neither the key nor the fix.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The message for serde's `message` about the value at `span`, when it is
/// a type error: the key's path, the kind it takes and an example. `None`
/// for any other error (it keeps its own wording).
pub fn type_error(text: &str, span: Option<&Range<usize>>, message: &str) -> Option<String> {
    if !message.starts_with("invalid type:") {
        return None;
    }
    let span = span?;
    let root = DeTable::parse(text).ok()?;
    let mut best: Option<(Vec<String>, Range<usize>)> = None;
    find(root.get_ref(), &mut Vec::new(), span, &mut best);
    let (path, _) = best?;
    let keys: Vec<&str> = path.iter().map(String::as_str).collect();
    let (words, example) = expected(&keys).unwrap_or_else(|| from_serde(message));
    Some(format!("{} must be {words}, like {example}", shown(&keys)))
}

/// `<path> must be <kind>, like <example>` for a key this file describes
/// (the checks that look at a value's type themselves use it).
pub fn must_be(keys: &[&str]) -> String {
    let (words, example) = expected(keys).unwrap_or(("something else", String::new()));
    format!("{} must be {words}, like {example}", shown(keys))
}

/// Records in `best` the key whose value is the narrowest one holding
/// `span` (a value in an array counts as its key's).
fn find(
    table: &DeTable<'_>,
    path: &mut Vec<String>,
    span: &Range<usize>,
    best: &mut Option<(Vec<String>, Range<usize>)>,
) {
    for (key, value) in table {
        path.push(key.get_ref().to_string());
        visit(value, path, span, best);
        path.pop();
    }
}

fn visit(
    value: &Spanned<DeValue<'_>>,
    path: &mut Vec<String>,
    span: &Range<usize>,
    best: &mut Option<(Vec<String>, Range<usize>)>,
) {
    let here = value.span();
    let holds = here.start <= span.start && span.start < here.end.max(here.start + 1);
    let narrower = best
        .as_ref()
        .is_none_or(|(_, b)| here.end - here.start <= b.end - b.start);
    if holds && narrower {
        *best = Some((path.clone(), here));
    }
    match value.get_ref() {
        DeValue::Table(inner) => find(inner, path, span, best),
        DeValue::Array(items) => {
            for item in items {
                visit(item, path, span, best);
            }
        }
        _ => {}
    }
}

/// The path as written in the file: bare keys joined with dots, any other
/// key quoted (and escaped, so it cannot reach a terminal raw).
fn shown(keys: &[&str]) -> String {
    let bare = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let parts: Vec<String> = keys
        .iter()
        .map(|k| {
            if bare(k) {
                k.to_string()
            } else {
                format!("{k:?}")
            }
        })
        .collect();
    parts.join(".")
}

/// The kind and an example for every key the file may hold.
fn expected(keys: &[&str]) -> Option<(&'static str, String)> {
    let quoted = |s: &str| format!("\"{s}\"");
    let found = match keys {
        ["default_profile"] => ("the name of a profile, in quotes", quoted("prod")),
        ["profiles"] => ("a table of profiles", "[profiles.prod]".into()),
        ["profiles", name] => ("a table", format!("[profiles.{}]", shown(&[name]))),
        ["profiles", name, "health"] => {
            ("a table", format!("[profiles.{}.health]", shown(&[name])))
        }
        ["profiles", _, key] => match *key {
            "region" => ("a region name in quotes", quoted("cn-north-4")),
            "project_id" => (
                "a project ID in quotes",
                quoted("0123456789abcdef0123456789abcdef"),
            ),
            "endpoint" => (
                "a URL in quotes",
                quoted("https://ddm.cn-north-4.myhuaweicloud.com"),
            ),
            "iam_endpoint" => (
                "a URL in quotes",
                quoted("https://iam.cn-north-4.myhuaweicloud.com"),
            ),
            "timeout_secs" => ("a whole number of seconds", "20".into()),
            "list_timeout_secs" => ("a whole number of seconds", "120".into()),
            "ca_file" => (
                "a file path in quotes",
                quoted("/etc/ssl/certs/corp-ca.pem"),
            ),
            "auth" => (
                "a table",
                "{ type = \"token\", token_env = \"HW_AUTH_TOKEN\" }".into(),
            ),
            _ => return None,
        },
        ["profiles", _, "auth", key] => auth_key(key)?,
        ["profiles", _, "health", key] | ["health", key] => health_key(key)?,
        ["health"] => ("a table", "[health]".into()),
        ["ui"] => ("a table", "[ui]".into()),
        ["ui", "mouse"] => ("true or false", "true".into()),
        ["theme"] => ("a table of colours", "[theme]".into()),
        ["theme", _] => (
            "a colour: a name, an index from 0 to 255 or \"#rrggbb\"",
            quoted("magenta"),
        ),
        ["keys"] => ("a table of keys", "[keys]".into()),
        ["keys", _] => (
            "a key or a list of keys",
            "\"q\" or [\"q\", \"ctrl-q\"]".into(),
        ),
        _ => return None,
    };
    Some(found)
}

/// The keys of an `[auth]` table.
fn auth_key(key: &str) -> Option<(&'static str, String)> {
    let quoted = |s: &str| format!("\"{s}\"");
    let variable = "the name of an environment variable, in quotes";
    let command = "a shell command in quotes";
    let found = match key {
        "type" => ("\"token\", \"password\" or \"aksk\"", quoted("token")),
        "token_env" => (variable, quoted("HW_AUTH_TOKEN")),
        "password_env" => (variable, quoted("HW_PASSWORD")),
        "ak_env" => (variable, quoted("HUAWEICLOUD_SDK_AK")),
        "sk_env" => (variable, quoted("HUAWEICLOUD_SDK_SK")),
        "security_token_env" => (variable, quoted("HUAWEICLOUD_SDK_SECURITY_TOKEN")),
        "token_command" => (command, quoted("pass show huawei/token")),
        "password_command" => (command, quoted("pass show huawei/password")),
        "domain" => ("the account name in quotes", quoted("my-account")),
        "user" => ("an IAM user name in quotes", quoted("ops-reader")),
        "token" => ("the token in quotes", quoted("your-token")),
        "ak" => ("the access key ID in quotes", quoted("your-access-key-id")),
        "sk" => ("the secret key in quotes", quoted("your-secret-key")),
        "security_token" => (
            "the security token in quotes",
            quoted("your-security-token"),
        ),
        _ => return None,
    };
    Some(found)
}

/// The keys of a `[health]` table.
fn health_key(key: &str) -> Option<(&'static str, String)> {
    let duration = "a duration in quotes";
    let days = "a whole number of days";
    let found = match key {
        "warn_age" => (duration, "\"26h\"".into()),
        "crit_age" => (duration, "\"50h\"".into()),
        "warn_restore_lag" => (duration, "\"1h\"".into()),
        "crit_restore_lag" => (duration, "\"6h\"".into()),
        "window_days" => (days, "7".into()),
        "retention_days" => (days, "30".into()),
        "ignore" => (
            "a list of instance IDs in quotes",
            "[\"34970585d4964f2a8d6d9ea8d303398bin09\"]".into(),
        ),
        "refresh" => ("a duration in quotes, or \"off\"", "\"15m\"".into()),
        _ => return None,
    };
    Some(found)
}

/// For a key this file does not describe (none today): serde's expected
/// type, said in words.
fn from_serde(message: &str) -> (&'static str, String) {
    let wanted = message.rsplit("expected").next().unwrap_or_default();
    if ["i64", "u64", "i32", "u32", "u16", "u8", "integer"]
        .iter()
        .any(|t| wanted.contains(t))
    {
        ("a whole number", "1".into())
    } else if wanted.contains("bool") {
        ("true or false", "true".into())
    } else if wanted.contains("sequence") || wanted.contains("array") {
        ("a list", "[\"a\", \"b\"]".into())
    } else if wanted.contains("string") || wanted.contains("path") || wanted.contains("char") {
        ("text in quotes", "\"text\"".into())
    } else {
        ("a table", "{ key = \"value\" }".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_types_are_said_in_words() {
        for (message, words) in [
            ("invalid type: string \"1\", expected i64", "a whole number"),
            (
                "invalid type: integer `1`, expected a string",
                "text in quotes",
            ),
            (
                "invalid type: string \"x\", expected a boolean",
                "true or false",
            ),
            ("invalid type: integer `1`, expected a sequence", "a list"),
            (
                "invalid type: integer `1`, expected struct RawUi",
                "a table",
            ),
        ] {
            assert_eq!(from_serde(message).0, words, "{message}");
        }
    }

    #[test]
    fn a_key_that_is_not_bare_is_quoted_and_escaped() {
        assert_eq!(
            shown(&["profiles", "prod eu", "region"]),
            "profiles.\"prod eu\".region"
        );
        assert_eq!(shown(&["profiles", "a\u{1b}"]), "profiles.\"a\\u{1b}\"");
    }
}

//! How list fields read for people, the same in the TUI and in tables.

use super::ApiTime;

/// "auto" for the daily scheduled backup (`auto_metadata`), "manual" for one
/// taken on demand (`metadata`); any other value as the server sent it.
pub fn backup_type_label(backup_type: &str) -> &str {
    match backup_type {
        "auto_metadata" => "auto",
        "metadata" => "manual",
        other => other,
    }
}

/// The list APIs' times (see [`ApiTime::parse`]); `None` for anything else.
pub fn parse_api_time(text: &str) -> Option<ApiTime> {
    ApiTime::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_in_the_tui() {
        assert_eq!(backup_type_label("auto_metadata"), "auto");
        assert_eq!(backup_type_label("metadata"), "manual");
        assert_eq!(backup_type_label("weekly"), "weekly");
    }
}

//! How list fields read for people, the same in the TUI and in tables.

use super::{ApiTime, SentTime};

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

/// A list time in UTC to the second, `2025-02-19 02:50:20`; `None` when the
/// text is not a time the API writes, or no time in UTC.
pub fn utc_to_the_second(time: &SentTime) -> Option<String> {
    Some(time.at()?.utc()?.strftime("%Y-%m-%d %H:%M:%S").to_string())
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

    #[test]
    fn api_times_in_every_written_form() {
        let shown = |t| utc_to_the_second(&SentTime::parse(t));
        assert_eq!(
            shown("2025-02-19T02:50:20+0000").as_deref(),
            Some("2025-02-19 02:50:20")
        );
        assert_eq!(
            shown("2025-02-19T10:50:20+0800").as_deref(),
            Some("2025-02-19 02:50:20")
        );
        assert_eq!(
            shown("2025-02-19T02:50:20.123+00:00").as_deref(),
            Some("2025-02-19 02:50:20")
        );
        assert_eq!(
            shown("2025-02-18T21:20:20-0530").as_deref(),
            Some("2025-02-19 02:50:20")
        );
        assert_eq!(
            shown("2025-02-19T02:50:20Z").as_deref(),
            Some("2025-02-19 02:50:20")
        );
        for bad in [
            "",
            "yesterday",
            "2025-02-19",
            "2025-02-19T02:50:20",
            "2025-02-19T02:50:20+99",
            "2025-02-30T02:50:20+0000",
            "2025-02-19T02:50:20+2500",
            "2025-02-19T02:50:20+0000x",
            // Times with no UTC form, past either end of year 9999.
            "9999-12-31T23:59:59-1400",
            "-9999-01-01T00:00:00+1400",
        ] {
            assert_eq!(shown(bad), None, "{bad}");
        }
    }
}

//! How list fields read for people, the same in the TUI and in tables.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// "auto" for the daily scheduled backup (`auto_metadata`), "manual" for one
/// taken on demand (`metadata`); any other value as the server sent it.
pub fn backup_type_label(backup_type: &str) -> &str {
    match backup_type {
        "auto_metadata" => "auto",
        "metadata" => "manual",
        other => other,
    }
}

/// The list APIs' times, `2025-02-19T02:50:20+0000`: a numeric offset
/// without a colon (with one, or `Z`, also accepted) and an optional
/// fraction (API.md: millisecond precision).
pub fn parse_api_time(text: &str) -> Option<OffsetDateTime> {
    const LOCAL: &[FormatItem<'_>] = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    let text = text.trim();
    // The zone is what follows the time of day: Z or a sign after the 'T'.
    let t = text.find('T')?;
    let zone_at = match text.strip_suffix(['Z', 'z']) {
        Some(rest) => rest.len(),
        None => t + text.get(t..)?.find(['+', '-'])?,
    };
    let (local, zone) = text.split_at(zone_at);
    let local = PrimitiveDateTime::parse(local, LOCAL).ok()?;
    Some(local.assume_offset(parse_offset(zone)?))
}

fn parse_offset(zone: &str) -> Option<UtcOffset> {
    if zone.eq_ignore_ascii_case("z") {
        return Some(UtcOffset::UTC);
    }
    let (sign, digits) = match zone.split_at_checked(1)? {
        ("+", d) => (1, d),
        ("-", d) => (-1, d),
        _ => return None,
    };
    let digits = digits.replace(':', "");
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i8 = digits.get(..2)?.parse().ok()?;
    let minutes: i8 = digits.get(2..)?.parse().ok()?;
    // Real zones lie within ±14:00; anything past it is not a time.
    if hours > 14 || minutes > 59 {
        return None;
    }
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

/// A list time in UTC to the second, `2025-02-19 02:50:20`; `None` when the
/// text is not a time the API writes, or no time in UTC.
pub fn utc_to_the_second(text: &str) -> Option<String> {
    const SHOWN: &[FormatItem<'_>] =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    // `to_offset` panics past year 9999 (9999-12-31T23:59:59-1400 is in
    // year 10000 in UTC): a server's date must not end the program.
    parse_api_time(text)?
        .checked_to_offset(UtcOffset::UTC)?
        .format(SHOWN)
        .ok()
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
        let shown = |t| utc_to_the_second(t);
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

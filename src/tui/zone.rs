//! The operator's time zone and the local times drawn from it. The zone is
//! read once, with all its rules, so a pane left open across a DST change
//! keeps showing the right times; an offset found at launch would not.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The zone in `TZ`, else the system's; UTC (and a line in the log) when
/// neither can be read, e.g. in a container without a time zone database.
pub fn operator_zone() -> TimeZone {
    match TimeZone::try_system() {
        Ok(zone) => zone,
        Err(e) => {
            tracing::warn!("no local time zone ({e}); showing times in UTC");
            TimeZone::UTC
        }
    }
}

/// `at` (any offset) as the wall-clock time in `zone` at that instant.
/// An instant jiff cannot place, or an offset `time` refuses, stays as it
/// was: a time in the wrong zone beats no time at all.
pub fn local(at: time::OffsetDateTime, zone: &TimeZone) -> time::OffsetDateTime {
    let offset = Timestamp::from_second(at.unix_timestamp())
        .ok()
        .map(|instant| zone.to_offset(instant).seconds())
        .and_then(|seconds| time::UtcOffset::from_whole_seconds(seconds).ok());
    match offset {
        Some(offset) => at.checked_to_offset(offset).unwrap_or(at),
        None => at,
    }
}

/// `11-27 09:15` in `zone`, from a stored RFC 3339 time; anything that
/// does not parse is shown as written.
pub fn month_day_minute(at: &str, zone: &TimeZone) -> String {
    let format = time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(at, &format) {
        Ok(t) => {
            let t = local(t, zone);
            format!(
                "{:02}-{:02} {:02}:{:02}",
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => at.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// Central European rules as a POSIX TZ string: the same rules as
    /// Europe/Berlin, without needing a time zone database on the host.
    fn berlin() -> TimeZone {
        TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap()
    }

    #[test]
    fn the_rules_hold_across_the_end_of_summer_time() {
        // 2025-10-26, the last Sunday of October: at 01:00 UTC clocks go
        // back from 03:00 CEST to 02:00 CET, so 02:30 happens twice.
        for zone in [berlin()]
            .into_iter()
            .chain(TimeZone::get("Europe/Berlin").ok())
        {
            let summer = local(datetime!(2025-10-26 00:30 UTC), &zone);
            let winter = local(datetime!(2025-10-26 01:30 UTC), &zone);
            assert_eq!(summer, datetime!(2025-10-26 02:30 +2));
            assert_eq!(winter, datetime!(2025-10-26 02:30 +1));
            assert_eq!(
                month_day_minute("2025-10-26T00:30:00Z", &zone),
                "10-26 02:30"
            );
            assert_eq!(
                month_day_minute("2025-10-26T01:30:00Z", &zone),
                "10-26 02:30"
            );
            // Before and after the change, one hour of UTC is one hour here.
            assert_eq!(
                month_day_minute("2025-10-25T23:59:00Z", &zone),
                "10-26 01:59"
            );
            assert_eq!(
                month_day_minute("2025-10-26T02:00:00Z", &zone),
                "10-26 03:00"
            );
            // The same zone, months later, in summer time again.
            assert_eq!(
                month_day_minute("2026-06-01T12:00:00+00:00", &zone),
                "06-01 14:00"
            );
        }
    }

    /// Whatever the host has (run it once with /usr/share/zoneinfo hidden:
    /// it must still answer, in UTC).
    #[test]
    fn the_operator_zone_is_always_some_zone() {
        let zone = operator_zone();
        let at = datetime!(2025-10-26 00:30 UTC);
        assert_eq!(local(at, &zone), at);
    }

    #[test]
    fn other_offsets_and_odd_text() {
        let plus8 = TimeZone::fixed(jiff::tz::offset(8));
        assert_eq!(
            month_day_minute("2026-11-27T09:15:02Z", &plus8),
            "11-27 17:15"
        );
        assert_eq!(
            local(datetime!(2026-11-27 09:15:02 UTC), &TimeZone::UTC),
            datetime!(2026-11-27 09:15:02 UTC)
        );
        assert_eq!(month_day_minute("garbage", &plus8), "garbage");
    }
}

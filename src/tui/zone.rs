//! The operator's time zone and the local times drawn from it. The zone is
//! read once, with all its rules, so a pane left open across a DST change
//! keeps showing the right times; an offset found at launch would not.

use jiff::Timestamp;
use jiff::civil::{DateTime, Time};
use jiff::tz::TimeZone;

/// The operator's zone (see [`crate::shown::time::operator_zone`]).
pub fn operator_zone() -> TimeZone {
    crate::shown::time::operator_zone()
}

/// The wall-clock date and time in `zone` at the instant `at`.
pub fn local(at: Timestamp, zone: &TimeZone) -> DateTime {
    zone.to_datetime(at)
}

/// The wall-clock time of day in `zone` at the instant `at`.
pub fn wall_time(at: Timestamp, zone: &TimeZone) -> Time {
    local(at, zone).time()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn civil(text: &str) -> DateTime {
        text.parse().unwrap()
    }

    /// A table's time (`shown::time`) of an instant written in UTC.
    fn minute(text: &str, zone: &TimeZone) -> String {
        crate::shown::time::instant_minute(utc(text), zone)
    }

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
            let summer = utc("2025-10-26T00:30:00Z");
            let winter = utc("2025-10-26T01:30:00Z");
            assert_eq!(local(summer, &zone), civil("2025-10-26T02:30"));
            assert_eq!(local(winter, &zone), civil("2025-10-26T02:30"));
            assert_eq!(zone.to_offset(summer).seconds(), 2 * 3600);
            assert_eq!(zone.to_offset(winter).seconds(), 3600);
            assert_eq!(minute("2025-10-26T00:30:00Z", &zone), "2025-10-26 02:30");
            assert_eq!(minute("2025-10-26T01:30:00Z", &zone), "2025-10-26 02:30");
            // Before and after the change, one hour of UTC is one hour here.
            assert_eq!(minute("2025-10-25T23:59:00Z", &zone), "2025-10-26 01:59");
            assert_eq!(minute("2025-10-26T02:00:00Z", &zone), "2025-10-26 03:00");
            // The same zone, months later, in summer time again.
            assert_eq!(
                minute("2026-06-01T12:00:00+00:00", &zone),
                "2026-06-01 14:00"
            );
        }
    }

    /// Whatever the host has (run it once with /usr/share/zoneinfo hidden:
    /// it must still answer, in UTC).
    #[test]
    fn the_operator_zone_is_always_some_zone() {
        let zone = operator_zone();
        let at = utc("2025-10-26T00:30:00Z");
        let shown = zone.to_timestamp(local(at, &zone));
        assert!(shown.is_ok(), "{shown:?}");
    }

    #[test]
    fn other_offsets() {
        let plus8 = TimeZone::fixed(jiff::tz::offset(8));
        assert_eq!(minute("2026-11-27T09:15:02Z", &plus8), "2026-11-27 17:15");
        assert_eq!(
            local(utc("2026-11-27T09:15:02Z"), &TimeZone::UTC),
            civil("2026-11-27T09:15:02")
        );
        assert_eq!(
            wall_time(utc("2026-11-27T09:15:02Z"), &plus8),
            "17:15:02".parse::<Time>().unwrap()
        );
    }
}

//! Times: in the operator's zone for screens and text output, in UTC for
//! JSON. One style per precision: to the minute in tables, to the second
//! in detail views, the time of day alone for the status bar's clock. A
//! time the server wrote that does not parse is shown as it was sent (the
//! caller cleans it for its medium).

use jiff::civil::{DateTime, Time};
use jiff::tz::TimeZone;

use crate::api::{ApiTime, SentTime};

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

/// The style of a time to the minute.
const MINUTE: &str = "%Y-%m-%d %H:%M";

/// `2025-06-27 02:00`: a table's time.
pub fn minute(at: ApiTime, zone: &TimeZone) -> String {
    styled(at.in_zone(zone), MINUTE)
}

/// [`minute`] of an instant the program holds (not one a server wrote).
pub fn instant_minute(at: jiff::Timestamp, zone: &TimeZone) -> String {
    styled(zone.to_datetime(at), MINUTE)
}

/// `06-27`: a day on a chart's axis, where the year is the window's.
pub fn month_day(day: jiff::civil::Date) -> String {
    day.strftime("%m-%d").to_string()
}

/// `2025-06-27 02:00:00`: a detail view's time.
pub fn second(at: ApiTime, zone: &TimeZone) -> String {
    styled(at.in_zone(zone), "%Y-%m-%d %H:%M:%S")
}

/// A row's time to the minute, or its text as sent (see [`placed`]).
pub fn sent_minute(at: &SentTime, zone: &TimeZone) -> String {
    placed(at).map_or_else(|| at.sent().to_string(), |t| minute(t, zone))
}

/// A row's time to the second, or its text as sent (see [`placed`]).
pub fn sent_second(at: &SentTime, zone: &TimeZone) -> String {
    placed(at).map_or_else(|| at.sent().to_string(), |t| second(t, zone))
}

/// The time, when it is one that a zone's rules can place: a time past
/// year 9999 in UTC is shown as the server wrote it, offset and all,
/// rather than as a reading in some other zone.
fn placed(at: &SentTime) -> Option<ApiTime> {
    at.at().filter(|t| t.timestamp().is_some())
}

/// `14:02:31`: a time of day the program read on its own clock (when a
/// lookup ended, when the next check is due), already in the operator's
/// zone.
pub fn clock(at: Time) -> String {
    at.strftime("%H:%M:%S").to_string()
}

/// JSON's form: RFC 3339 in UTC (`2025-06-01T00:00:00.25Z`), so a script
/// comparing times need not know the server's offset; `None` for a time
/// RFC 3339 cannot write (past either end of year 9999 in UTC).
pub fn json(at: ApiTime) -> Option<String> {
    at.rfc3339_utc()
}

fn styled(at: DateTime, style: &str) -> String {
    at.strftime(style).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_style_per_precision_in_the_operator_zone() {
        let at = SentTime::parse("2025-06-27T10:00:30+0800");
        let minus5 = TimeZone::fixed(jiff::tz::offset(-5));
        assert_eq!(sent_minute(&at, &minus5), "2025-06-26 21:00");
        assert_eq!(sent_second(&at, &minus5), "2025-06-26 21:00:30");
        assert_eq!(sent_minute(&at, &TimeZone::UTC), "2025-06-27 02:00");
        assert_eq!(
            json(at.at().unwrap()).as_deref(),
            Some("2025-06-27T02:00:30Z")
        );
        let instant: jiff::Timestamp = "2025-06-27T02:00:30Z".parse().unwrap();
        assert_eq!(instant_minute(instant, &minus5), "2025-06-26 21:00");
        assert_eq!(clock(minus5.to_datetime(instant).time()), "21:00:30");
        assert_eq!(clock(Time::constant(7, 5, 0, 999_999_999)), "07:05:00");
    }

    #[test]
    fn what_does_not_parse_is_shown_as_sent() {
        let odd = SentTime::parse("yesterday");
        assert_eq!(sent_minute(&odd, &TimeZone::UTC), "yesterday");
        // Past what a zone's rules cover: the server's own reading.
        let late = SentTime::parse("9999-12-31T23:59:59-1400");
        assert_eq!(
            sent_second(&late, &TimeZone::UTC),
            "9999-12-31T23:59:59-1400"
        );
    }
}

//! A time as the DDM API writes it (`2025-02-19T02:50:20+0000`): the
//! wall-clock reading and the offset the server wrote, compared as the
//! instant they name.
//!
//! Not a `jiff::Timestamp`: a server may write a time whose instant lies
//! outside the range a timestamp holds (`9999-12-31T23:59:59-1400` is in
//! year 10000 in UTC), and such a time still sorts, still compares and is
//! still shown as written rather than becoming "no time".

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

/// A parsed API time; equal and ordered by the instant it names.
#[derive(Debug, Clone, Copy)]
pub struct ApiTime {
    /// The wall-clock reading as written.
    local: DateTime,
    /// The offset written after it.
    offset: Offset,
}

/// The Unix epoch as a wall-clock reading in UTC.
const EPOCH: DateTime = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);

impl ApiTime {
    /// The list APIs' times: a numeric offset without a colon (with one,
    /// or `Z`, also accepted) and an optional fraction (API.md: millisecond
    /// precision). `None` for anything else.
    pub fn parse(text: &str) -> Option<ApiTime> {
        let text = text.trim();
        // The zone is what follows the time of day: Z or a sign after the 'T'.
        let t = text.find('T')?;
        let zone_at = match text.strip_suffix(['Z', 'z']) {
            Some(rest) => rest.len(),
            None => t + text.get(t..)?.find(['+', '-'])?,
        };
        let (local, zone) = text.split_at(zone_at);
        Some(ApiTime {
            local: parse_local(local)?,
            offset: parse_offset(zone)?,
        })
    }

    /// The time since the Unix epoch, for any time that parses (the
    /// civil range is ±9999 years, well inside a `SignedDuration`).
    fn since_epoch(&self) -> SignedDuration {
        self.local.duration_since(EPOCH) - SignedDuration::from_secs(self.offset.seconds().into())
    }

    /// The instant, when a `jiff::Timestamp` can hold it.
    pub fn timestamp(&self) -> Option<Timestamp> {
        TimeZone::fixed(self.offset).to_timestamp(self.local).ok()
    }

    /// The wall-clock reading in UTC; `None` past either end of year 9999.
    pub fn utc(&self) -> Option<DateTime> {
        let offset = SignedDuration::from_secs(self.offset.seconds().into());
        self.local.checked_sub(offset).ok()
    }

    /// The wall-clock reading in `zone`; as the server wrote it when the
    /// instant is past what a zone's rules can be looked up for (a time in
    /// the wrong zone beats no time at all).
    pub fn in_zone(&self, zone: &TimeZone) -> DateTime {
        match self.timestamp() {
            Some(at) => zone.to_datetime(at),
            None => self.local,
        }
    }

    /// Milliseconds since the Unix epoch (cut toward zero), as the restore
    /// calls take a time.
    pub fn epoch_millis(&self) -> i128 {
        self.since_epoch().as_nanos() / 1_000_000
    }

    /// RFC 3339 in UTC (`2025-06-01T00:00:00.25Z`): a fraction only when
    /// there is one, no trailing zeros. `None` when UTC puts it outside
    /// years 0000 to 9999, which RFC 3339 cannot write.
    pub fn rfc3339_utc(&self) -> Option<String> {
        let utc = self.utc().filter(|t| t.year() >= 0)?;
        Some(utc.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string())
    }
}

impl From<Timestamp> for ApiTime {
    fn from(at: Timestamp) -> ApiTime {
        ApiTime {
            local: Offset::UTC.to_datetime(at),
            offset: Offset::UTC,
        }
    }
}

impl PartialEq for ApiTime {
    fn eq(&self, other: &ApiTime) -> bool {
        self.since_epoch() == other.since_epoch()
    }
}

impl Eq for ApiTime {}

impl PartialOrd for ApiTime {
    fn partial_cmp(&self, other: &ApiTime) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ApiTime {
    fn cmp(&self, other: &ApiTime) -> Ordering {
        self.since_epoch().cmp(&other.since_epoch())
    }
}

impl Hash for ApiTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.since_epoch().hash(state);
    }
}

/// `YYYY-MM-DDTHH:MM:SS` with an optional `.` and 1 to 9 fraction digits,
/// each field exactly as wide as written here. Written out by hand rather
/// than with a general ISO 8601 parser, which takes more forms (a space
/// for the `T`, week dates, ordinal dates) than the API writes.
fn parse_local(text: &str) -> Option<DateTime> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let b = whole.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let field = |at: std::ops::Range<usize>| whole.get(at).and_then(digits);
    let year = i16::try_from(field(0..4)?).ok()?;
    let month = i8::try_from(field(5..7)?).ok()?;
    let day = i8::try_from(field(8..10)?).ok()?;
    let hour = i8::try_from(field(11..13)?).ok()?;
    let minute = i8::try_from(field(14..16)?).ok()?;
    let second = i8::try_from(field(17..19)?).ok()?;
    let nanos = match fraction {
        None => 0,
        Some(f) if (1..=9).contains(&f.len()) => {
            let scale = 10u32.pow(9 - f.len() as u32);
            i32::try_from(digits(f)?.checked_mul(scale)?).ok()?
        }
        Some(_) => return None,
    };
    let date = Date::new(year, month, day).ok()?;
    let time = Time::new(hour, minute, second, nanos).ok()?;
    Some(date.to_datetime(time))
}

/// The value of a run of ASCII digits (no sign, no space), at most nine.
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_offset(zone: &str) -> Option<Offset> {
    if zone.eq_ignore_ascii_case("z") {
        return Some(Offset::UTC);
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
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..)?.parse().ok()?;
    // Real zones lie within ±14:00; anything past it is not a time.
    if hours > 14 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> ApiTime {
        ApiTime::parse(text).unwrap()
    }

    #[test]
    fn the_same_instant_in_any_offset_is_equal() {
        assert_eq!(at("2025-02-19T10:50:20+0800"), at("2025-02-19T02:50:20Z"));
        assert!(at("2025-02-19T10:50:21+0800") > at("2025-02-19T02:50:20Z"));
        assert_eq!(
            at("2025-02-19T02:50:20.123+00:00").epoch_millis(),
            1_739_933_420_123
        );
    }

    #[test]
    fn times_past_a_timestamp_still_parse_sort_and_keep_their_reading() {
        let late = at("9999-12-31T23:59:59-1400");
        let early = at("0000-01-01T00:00:00+1400");
        assert!(late > at("2025-01-01T00:00:00Z") && early < at("1970-01-01T00:00:00Z"));
        assert_eq!(late.timestamp(), None);
        assert_eq!(late.utc(), None);
        assert_eq!(late.rfc3339_utc(), None);
        assert_eq!(early.rfc3339_utc(), None, "year -1 in UTC");
        let zone = TimeZone::fixed(jiff::tz::offset(8));
        assert_eq!(
            late.in_zone(&zone),
            DateTime::constant(9999, 12, 31, 23, 59, 59, 0)
        );
    }

    #[test]
    fn rfc3339_in_utc_trims_the_fraction() {
        assert_eq!(
            at("2025-06-01T08:00:00.250+0800").rfc3339_utc().as_deref(),
            Some("2025-06-01T00:00:00.25Z")
        );
        assert_eq!(
            at("2025-06-02T00:00:00-0130").rfc3339_utc().as_deref(),
            Some("2025-06-02T01:30:00Z")
        );
    }

    #[test]
    fn odd_forms_are_no_time() {
        for bad in [
            "",
            "yesterday",
            "2025-02-19",
            "2025-02-19T02:50:20",
            "2025-02-19T02:50:20+99",
            "2025-02-30T02:50:20+0000",
            "2025-02-19T02:50:20+2500",
            "2025-02-19T02:50:20+0000x",
            "2025-02-19T02:50:60Z",
            "2025-02-19T02:50:20.Z",
            "2025-02-19T02:50:20.1234567890Z",
            "+2025-02-19T02:50:20Z",
            "2025-02-19 02:50:20Z",
        ] {
            assert_eq!(ApiTime::parse(bad), None, "{bad}");
        }
    }
}

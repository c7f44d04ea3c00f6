//! Durations as the config file writes them: `"90m"`, `"26h"`, `"2d"`,
//! `"1h30m"` (jiff's friendly format; ISO 8601 such as `"PT26H"` too).
//! Read as a jiff `Span` rather than a `SignedDuration`, because the latter
//! refuses days, and "2d" is how an operator writes a backup's age.

use jiff::{SignedDuration, Span, SpanRelativeTo};

/// The longest duration any setting takes: past a year, a threshold or an
/// interval is a typo, not a policy.
pub const MAX: SignedDuration = SignedDuration::from_hours(365 * 24);

/// The smallest duration above zero, for settings where any will do.
pub const ABOVE_ZERO: SignedDuration = SignedDuration::from_nanos(1);

/// The examples every duration message offers.
const LIKE: &str = "\"26h\", \"90m\", \"2d\" or \"1h30m\"";

/// The duration `text` names for the setting `key`, at least `min` (which
/// is above zero) and at most [`MAX`], or why not in words that name the
/// key and quote the value.
pub fn setting(key: &str, text: &str, min: SignedDuration) -> Result<SignedDuration, String> {
    let not_one = || format!("{key} must be a duration like {LIKE}, not {text:?}");
    let span: Span = text.trim().parse().map_err(|_| not_one())?;
    // Months and years have no fixed length; weeks and days are taken as
    // 7 x 24 and 24 hours, as an operator means them here.
    if span.get_years() != 0 || span.get_months() != 0 {
        return Err(format!(
            "{key} must be in weeks, days, hours or minutes (months and years vary in length), not {text:?}"
        ));
    }
    let duration = span
        .to_duration(SpanRelativeTo::days_are_24_hours())
        .map_err(|_| not_one())?;
    if duration < min {
        return Err(if min == ABOVE_ZERO {
            format!("{key} must be more than zero, not {text:?}")
        } else {
            format!("{key} must be at least {}, not {text:?}", shown(min))
        });
    }
    if duration > MAX {
        return Err(format!(
            "{key} must be at most {}, not {text:?}",
            shown(MAX)
        ));
    }
    Ok(duration)
}

/// `26h`, `1h 30m`, `2d`: the friendly form, whole days in days, as the
/// file would write it (jiff prints whole hours only).
pub fn shown(d: SignedDuration) -> String {
    let secs = d.as_secs();
    let day = 24 * 3600;
    if secs >= day && secs % day == 0 && d.subsec_nanos() == 0 {
        format!("{}d", secs / day)
    } else {
        format!("{d:#}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "health.warn_age";

    fn read(text: &str) -> Result<SignedDuration, String> {
        setting(KEY, text, ABOVE_ZERO)
    }

    #[test]
    fn the_forms_an_operator_writes() {
        for (text, minutes) in [
            ("90m", 90),
            ("26h", 26 * 60),
            ("2d", 2 * 24 * 60),
            ("1h30m", 90),
            ("1h 30m", 90),
            (" 26h ", 26 * 60),
            ("1w", 7 * 24 * 60),
            ("2 days", 2 * 24 * 60),
            ("PT26H", 26 * 60),
            ("365d", 365 * 24 * 60),
        ] {
            assert_eq!(read(text), Ok(SignedDuration::from_mins(minutes)), "{text}");
        }
    }

    #[test]
    fn what_is_refused_says_why() {
        for (text, why) in [
            ("26", "must be a duration like \"26h\""),
            ("", "must be a duration like"),
            ("26 hourz", "must be a duration like"),
            ("-1h", "must be more than zero, not \"-1h\""),
            ("1h ago", "must be more than zero"),
            ("0h", "must be more than zero, not \"0h\""),
            ("1mo", "months and years vary in length"),
            ("1y", "months and years vary in length"),
            ("366d", "must be at most 365d, not \"366d\""),
            ("8761h", "must be at most 365d"),
            ("99999999999h", "must be a duration like"),
        ] {
            let err = read(text).unwrap_err();
            assert!(err.starts_with(KEY) && err.contains(why), "{text}: {err}");
        }
        let err = setting("health.refresh", "30s", SignedDuration::from_mins(1)).unwrap_err();
        assert_eq!(err, "health.refresh must be at least 1m, not \"30s\"");
    }

    #[test]
    fn shown_as_the_file_would_write_it() {
        assert_eq!(shown(SignedDuration::from_hours(26)), "26h");
        assert_eq!(shown(SignedDuration::from_mins(90)), "1h 30m");
        assert_eq!(shown(SignedDuration::from_hours(48)), "2d");
        assert_eq!(shown(SignedDuration::from_hours(24)), "1d");
        assert_eq!(shown(SignedDuration::from_mins(1)), "1m");
    }
}

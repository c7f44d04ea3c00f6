//! When to try again, and how long to wait first.

use std::time::{Duration, SystemTime};

/// First try plus at most two retries.
pub const MAX_ATTEMPTS: u32 = 3;

/// Throttling and gateway hiccups are worth another try; nothing else is,
/// because a 4xx or 500 will not change on its own.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Exponential backoff with jitter, so many panes retrying at once spread out.
pub fn backoff(attempt: u32) -> Duration {
    let base_ms = 300u64 << attempt.saturating_sub(1).min(6);
    let jitter = 0.5 + fastrand::f64();
    Duration::from_millis((base_ms as f64 * jitter) as u64)
}

/// The longest server-requested wait we keep. A longer one cannot fit any
/// deadline either, and keeping it small means no later arithmetic on it
/// can overflow.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(24 * 3600);

/// Parses `Retry-After`: delta seconds or an HTTP date, cut to
/// [`MAX_SERVER_WAIT`]. A wait that does not fit the lookup's deadline ends
/// the lookup instead of retrying early against the server's wish.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    // RFC 9110: delay-seconds is 1*DIGIT. Rust's parser would also take a
    // leading `+`, and fails on digits past u64, which are still a (very
    // long) wait rather than garbage.
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        value
            .parse::<u64>()
            .map_or(MAX_SERVER_WAIT, Duration::from_secs)
    } else {
        let at = httpdate::parse_http_date(value).ok()?;
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_SERVER_WAIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_statuses_retry() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 400, 401, 403, 404, 500, 501] {
            assert!(!is_retryable_status(s));
        }
    }

    #[test]
    fn backoff_grows_and_is_jittered() {
        for _ in 0..100 {
            let first = backoff(1);
            assert!(first >= Duration::from_millis(150) && first <= Duration::from_millis(450));
            let second = backoff(2);
            assert!(second >= Duration::from_millis(300) && second <= Duration::from_millis(900));
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(5)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("3600", now),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("+5", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn huge_waits_are_clamped() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for value in [
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999999999999",
            "86401",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            assert_eq!(
                parse_retry_after(value, now),
                Some(MAX_SERVER_WAIT),
                "{value}"
            );
        }
        assert_eq!(
            parse_retry_after("86400", now),
            Some(Duration::from_secs(86400))
        );
    }
}

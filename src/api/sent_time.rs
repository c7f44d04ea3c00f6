//! A time field of a list row, read once: the text the server sent (JSON
//! output repeats it byte for byte, and a time that does not parse is
//! shown as sent) and the time it names, when it names one.

use serde::{Deserializer, Serialize, Serializer};

use super::{ApiTime, capped};

/// The server's text and, when it is a time the API writes, that time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentTime {
    sent: String,
    at: Option<ApiTime>,
}

impl SentTime {
    /// Reads the server's text; parsing happens here and nowhere else.
    pub fn parse(sent: &str) -> SentTime {
        SentTime {
            sent: sent.to_string(),
            at: ApiTime::parse(sent),
        }
    }

    /// The text as sent (not yet cleaned for a terminal).
    pub fn sent(&self) -> &str {
        &self.sent
    }

    /// The time, when the text is one.
    pub fn at(&self) -> Option<ApiTime> {
        self.at
    }
}

impl From<&str> for SentTime {
    fn from(sent: &str) -> SentTime {
        SentTime::parse(sent)
    }
}

impl From<String> for SentTime {
    fn from(sent: String) -> SentTime {
        let at = ApiTime::parse(&sent);
        SentTime { sent, at }
    }
}

impl Serialize for SentTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.sent)
    }
}

/// Reads an optional time field: text cut like every row string.
pub(super) fn sent_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SentTime>, D::Error> {
    Ok(capped::text(d)?.map(|text| SentTime::parse(&text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_kept_and_the_time_read_once() {
        let t = SentTime::parse("2025-02-19T10:50:20+0800");
        assert_eq!(t.sent(), "2025-02-19T10:50:20+0800");
        assert_eq!(t.at(), ApiTime::parse("2025-02-19T02:50:20Z"));
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2025-02-19T10:50:20+0800\""
        );
        let odd = SentTime::parse("yesterday\u{1b}[2J");
        assert_eq!((odd.sent(), odd.at()), ("yesterday\u{1b}[2J", None));
    }
}

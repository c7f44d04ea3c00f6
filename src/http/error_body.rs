//! Reading the many shapes of Huawei Cloud error bodies (API.md section 5).

use super::error_json::{self, Body, Nested};

/// What an error body says, whichever shape it came in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// An identity-policy denial's reasons, encrypted (a 403's
    /// `encoded_authorization_message`, kept as the official SDK keeps it).
    pub encoded_authorization_message: Option<String>,
}

/// What an error response's body turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// JSON in one of the known error shapes.
    Known(ErrorBody),
    /// JSON, but in none of them (an array, `{"a":1}`, ...).
    UnknownShape,
    /// Not JSON at all (HTML, text, truncated).
    NotJson,
}

/// Parses an error body (API.md section 5), building no value tree. The
/// shapes are tried in the order API.md lists them: DDM's own, the
/// gateway's, an error object nested below the body (IAM's `error`, or
/// any pair the official SDK would find there), then the generic ones.
pub fn parse(body: &[u8]) -> Parsed {
    let top = match error_json::read(body) {
        Body::Object(fields) => fields,
        Body::OtherJson => return Parsed::UnknownShape,
        Body::NotJson => return Parsed::NotJson,
    };
    let pairs = top.pairs();
    let flat = |i: usize| {
        let (code, message) = pairs[i];
        (code.is_some() || message.is_some()).then(|| (code.clone(), message.clone()))
    };
    let known = flat(0)
        .or_else(|| flat(1))
        .or_else(|| top.nested.as_deref().map(nested))
        .or_else(|| flat(2))
        .or_else(|| flat(3));
    match known {
        Some((code, message)) => Parsed::Known(ErrorBody {
            code,
            message,
            request_id: top.request_id.clone(),
            encoded_authorization_message: top.encoded_authorization_message.clone(),
        }),
        None => Parsed::UnknownShape,
    }
}

/// The code and message of an error object below the body. IAM's `error`
/// is read in its own way first (one key of the pair is enough); any
/// other needs both keys of a pair, as the SDK asks.
fn nested(found: &Nested) -> (Option<String>, Option<String>) {
    let fields = &found.fields;
    let iam = found.under_error.then(|| fields.iam_pair()).flatten();
    iam.or_else(|| fields.whole_pair().map(|(c, m)| (Some(c), Some(m))))
        .unwrap_or_default()
}

/// At most `max` characters, control characters dropped and runs of white
/// space folded, so a hostile body cannot move the cursor or paint the screen.
pub fn sanitize(raw: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_space = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if crate::terminal_text::is_unsafe(c) {
            continue;
        }
        if pending_space {
            if count + 1 >= max {
                break;
            }
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        if count >= max {
            break;
        }
        out.push(c);
        count += 1;
    }
    if raw
        .chars()
        .filter(|c| !crate::terminal_text::is_unsafe(*c))
        .count()
        > count
        && count >= max
    {
        out.push('…');
    }
    out
}

/// The `<title>` of an HTML body, cleaned for one line: how a proxy's or
/// portal's page is named in a status line instead of its markup. Only the
/// first 64 KiB are searched; tags are matched without case.
pub fn html_title(body: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let lower = head.to_ascii_lowercase();
    let open = lower.find("<title")?;
    // Past the tag's own attributes, if any.
    let start = open + lower[open..].find('>')? + 1;
    let end = start
        + lower[start..]
            .find("</title")
            .unwrap_or(lower.len() - start);
    // `to_ascii_lowercase` keeps byte offsets, so they index `head` too.
    let title = sanitize(&decode_entities(head.get(start..end)?), 120);
    (!title.is_empty()).then_some(title)
}

/// The few entities titles carry; anything else stays as written.
fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Advice for the codes operators meet most; `None` for the rest.
pub fn hint(status: u16, code: Option<&str>) -> Option<&'static str> {
    let hint = match code.unwrap_or_default() {
        "APIGW.0101" => "wrong endpoint host or path: check the region and endpoint",
        "APIGW.0301" => {
            "the token is wrong or expired, or an AK/SK signature failed (is the clock more than 15 min off?)"
        }
        "APIGW.0302" | "APIGW.0306" => {
            "this IAM user is not allowed to call the API: check its DDM permissions"
        }
        "APIGW.0307" => "the token has expired: get a new one",
        "APIGW.0308" => "throttled: retry after a few seconds",
        "APIGW.0201" if status == 494 => "request headers too large (tokens are big)",
        "DBS.280001" => "parameter error: check the instance ID, backup ID and project",
        "DBS.300002" | "DBS.300005" | "DBS.200412" => "server failure: retry later",
        _ => match status {
            401 => "check the token (it may have expired)",
            403 => "check the IAM user's DDM permissions",
            404 => "check the instance ID, backup ID, project and region",
            429 => "throttled: retry after a few seconds",
            502..=504 => "the gateway or service is unavailable: retry later",
            _ => return None,
        },
    };
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(body: &str) -> ErrorBody {
        match parse(body.as_bytes()) {
            Parsed::Known(e) => e,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn ddm_own_shape() {
        let e = parsed(r#"{"errCode":"DBS.280001","externalMessage":"Parameter error."}"#);
        assert_eq!(e.code.as_deref(), Some("DBS.280001"));
        assert_eq!(e.message.as_deref(), Some("Parameter error."));
    }

    #[test]
    fn gateway_shape_with_request_id() {
        let e =
            parsed(r#"{"error_code":"APIGW.0301","error_msg":"Bad token","request_id":"abc123"}"#);
        assert_eq!(e.code.as_deref(), Some("APIGW.0301"));
        assert_eq!(e.request_id.as_deref(), Some("abc123"));
    }

    #[test]
    fn iam_nested_shape_with_numeric_code() {
        let e = parsed(r#"{"error":{"code":401,"message":"Needs auth.","title":"Unauthorized"}}"#);
        assert_eq!(e.code, None, "the status again is no code");
        let e = parsed(r#"{"error":{"code":"IAM.0001","message":"Needs auth."}}"#);
        assert_eq!(e.code.as_deref(), Some("IAM.0001"));
        assert_eq!(e.message.as_deref(), Some("Needs auth."));
    }

    #[test]
    fn pairs_nested_under_any_key_are_read_as_the_sdk_reads_them() {
        // Before, each of these was a raw excerpt.
        let e = parsed(r#"{"error":{"error_code":"DBS.280001","error_msg":"Parameter error."}}"#);
        assert_eq!(e.code.as_deref(), Some("DBS.280001"));
        assert_eq!(e.message.as_deref(), Some("Parameter error."));
        let e = parsed(r#"{"error":{"code":"DDM.0001","message":"m"},"request_id":"r1"}"#);
        assert_eq!(
            (e.code.as_deref(), e.request_id.as_deref()),
            (Some("DDM.0001"), Some("r1"))
        );
        let e = parsed(r#"{"x":1,"data":{"list":[1],"fault":{"code":"F.1","message":"deep"}}}"#);
        assert_eq!(
            (e.code.as_deref(), e.message.as_deref()),
            (Some("F.1"), Some("deep"))
        );
        // Below the body, a pair needs both its keys (IAM's `error` aside).
        assert_eq!(
            parse(br#"{"data":{"code":"X"},"meta":{"message":"m"}}"#),
            Parsed::UnknownShape
        );
        // The first object that holds one, in body order.
        let e = parsed(
            r#"{"a":{"b":1},"first":{"code":"1","message":"one"},"second":{"code":"2","message":"two"}}"#,
        );
        assert_eq!(e.message.as_deref(), Some("one"));
        // A flat pair at the top still wins over a nested one.
        let e = parsed(
            r#"{"error":{"code":"N","message":"nested"},"error_code":"T","error_msg":"top"}"#,
        );
        assert_eq!(e.code.as_deref(), Some("T"));
    }

    #[test]
    fn an_encoded_authorization_message_is_kept_from_the_body_or_below() {
        let e = parsed(
            r#"{"error_code":"IAM5.0001","error_msg":"access denied","encoded_authorization_message":"HY0L8+G1/x=="}"#,
        );
        assert_eq!(
            e.encoded_authorization_message.as_deref(),
            Some("HY0L8+G1/x==")
        );
        let e = parsed(
            r#"{"error":{"code":"C","message":"m","encoded_authorization_message":"nested"}}"#,
        );
        assert_eq!(e.encoded_authorization_message.as_deref(), Some("nested"));
        // The body's own wins over one below; a long one is kept whole up
        // to what the decode API takes.
        let long = "A".repeat(10_240);
        let body = format!(
            r#"{{"x":{{"encoded_authorization_message":"below"}},"code":"C","message":"m","encoded_authorization_message":"{long}"}}"#
        );
        let e = parsed(&body);
        assert_eq!(e.encoded_authorization_message, Some(long));
        assert_eq!(
            parsed(r#"{"code":"C"}"#).encoded_authorization_message,
            None
        );
    }

    #[test]
    fn generic_shapes() {
        assert_eq!(
            parsed(r#"{"errorCode":"X.1","errorMsg":"m"}"#)
                .code
                .as_deref(),
            Some("X.1")
        );
        assert_eq!(
            parsed(r#"{"code":"Y.2","message":"m2"}"#)
                .message
                .as_deref(),
            Some("m2")
        );
    }

    #[test]
    fn ddm_shape_wins_over_later_ones() {
        let e = parsed(r#"{"code":"late","errCode":"DBS.1","externalMessage":"first"}"#);
        assert_eq!(e.code.as_deref(), Some("DBS.1"));
    }

    #[test]
    fn json_in_no_known_shape_is_told_from_what_is_not_json() {
        for body in ["<html>502</html>", "", "{\"errCode\":", "[1,2", "{} x"] {
            assert_eq!(parse(body.as_bytes()), Parsed::NotJson, "{body}");
        }
        for body in [
            "[1,2]",
            "{\"a\":1}",
            "null",
            "\"text\"",
            "{\"code\":null,\"message\":[\"m\"]}",
            "{\"error\":{\"code\":500}}",
            "{\"error\":\"boom\"}",
        ] {
            assert_eq!(parse(body.as_bytes()), Parsed::UnknownShape, "{body}");
        }
    }

    #[test]
    fn a_key_sent_twice_keeps_its_last_value() {
        let e = parsed(r#"{"errCode":"A","errCode":"B"}"#);
        assert_eq!(e.code.as_deref(), Some("B"));
    }

    #[test]
    fn messages_are_cleaned_for_the_terminal() {
        let e =
            parsed("{\"errCode\":\"X\",\"externalMessage\":\"a\\u001b[31mred\\n\\tline\\u202e\"}");
        assert_eq!(e.message.as_deref(), Some("a[31mred line"));
    }

    #[test]
    fn sanitize_caps_length() {
        let long = "x".repeat(300);
        let s = sanitize(&long, 200);
        assert_eq!(s.chars().count(), 201);
        assert!(s.ends_with('…'));
        assert_eq!(sanitize("  a \r\n b  ", 200), "a b");
    }

    #[test]
    fn html_titles_are_found_cleaned_and_cut() {
        let page = b"<html>\n<HEAD><Title lang=en>502 Bad\n Gateway</TITLE></head><body>x</body>";
        assert_eq!(html_title(page).as_deref(), Some("502 Bad Gateway"));
        assert_eq!(
            html_title(b"<title>A &amp; B \x1b[31m</title>").as_deref(),
            Some("A & B [31m")
        );
        // A title that never closes runs to the end of what was read.
        assert_eq!(html_title(b"<title>cut off").as_deref(), Some("cut off"));
        let long = format!("<title>{}</title>", "x".repeat(500));
        assert_eq!(
            html_title(long.as_bytes()).map(|t| t.chars().count()),
            Some(121)
        );
        for body in [
            &b"<html><body>no title</body>"[..],
            b"<title></title>",
            b"{}",
            b"",
        ] {
            assert_eq!(html_title(body), None);
        }
    }

    #[test]
    fn hints_for_known_codes_and_statuses() {
        assert!(hint(401, Some("APIGW.0301")).unwrap().contains("token"));
        assert!(
            hint(400, Some("DBS.280001"))
                .unwrap()
                .contains("instance ID")
        );
        assert!(hint(429, None).unwrap().contains("throttled"));
        assert_eq!(hint(400, Some("OTHER")), None);
    }
}

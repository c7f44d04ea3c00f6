//! An error body's fields read straight from its text, building no value
//! tree: a 500 whose body is 16 MiB of `[0,0,...]` became some 280 MiB of
//! values before. Only the few keys an error shape uses are kept, each
//! cleaned and cut as it is read; everything else is checked as JSON and
//! skipped.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The most characters a code, message or request ID keeps.
const MAX_CHARS: usize = 500;

/// The most characters an `encoded_authorization_message` keeps: the
/// length STS's decode API takes, so a kept one can still be decoded.
const MAX_ENCODED_CHARS: usize = 10_240;

/// How deep below the body an object is still read for its fields. IAM's
/// `error` is one level down; the official SDK looks into every nested
/// object, and no error shape anyone sends goes deeper than a few.
const MAX_DEPTH: u8 = 4;

/// The keys of one JSON object that some error shape uses, cleaned for one
/// line of a terminal (`None` when absent, empty, or not a string or
/// number). A key sent twice keeps its last value, as a JSON map would.
#[derive(Debug, Default)]
pub(super) struct Fields {
    /// `errCode` / `externalMessage`: DDM's own.
    pub err_code: Option<String>,
    pub external_message: Option<String>,
    /// `error_code` / `error_msg`: the reference page's and the gateway's.
    pub error_code: Option<String>,
    pub error_msg: Option<String>,
    /// `errorCode` / `errorMsg`.
    pub error_code_camel: Option<String>,
    pub error_msg_camel: Option<String>,
    /// `code` / `message` (and IAM's `title`).
    pub code: Option<String>,
    pub message: Option<String>,
    pub title: Option<String>,
    pub request_id: Option<String>,
    /// Why an identity policy denied the call, encrypted (IAM5 denials),
    /// from this object or, failing that, the first object below it.
    pub encoded_authorization_message: Option<String>,
    /// The first object below this one (in body order, at any depth up to
    /// [`MAX_DEPTH`]) that holds an error: `{"error": {...}}` and the like.
    pub nested: Option<Box<Nested>>,
}

/// An object below the body that holds an error.
#[derive(Debug)]
pub(super) struct Nested {
    /// It sat under a key named `error`, as IAM's does.
    pub under_error: bool,
    pub fields: Fields,
}

impl Fields {
    /// The code/message pairs, in API.md's order: DDM's own, the
    /// gateway's, `errorCode`/`errorMsg`, then `code`/`message`.
    pub fn pairs(&self) -> [(&Option<String>, &Option<String>); 4] {
        [
            (&self.err_code, &self.external_message),
            (&self.error_code, &self.error_msg),
            (&self.error_code_camel, &self.error_msg_camel),
            (&self.code, &self.message),
        ]
    }

    /// The first pair with both its keys, as the official SDK asks of an
    /// object below the body.
    pub fn whole_pair(&self) -> Option<(String, String)> {
        self.pairs()
            .into_iter()
            .find_map(|(code, message)| Some((code.as_ref()?.clone(), message.as_ref()?.clone())))
    }

    /// IAM's `{"code": 401, "message": ..., "title": ...}`: its code is the
    /// HTTP status again and adds nothing; the title stands in for a
    /// missing message.
    pub fn iam_pair(&self) -> Option<(Option<String>, Option<String>)> {
        let code = self
            .code
            .clone()
            .filter(|c| !c.bytes().all(|b| b.is_ascii_digit()));
        let message = self.message.clone().or_else(|| self.title.clone());
        (code.is_some() || message.is_some()).then_some((code, message))
    }

    /// Whether this object, found under `error` or another key, holds an
    /// error as [`super::error_body::parse`] reads one.
    fn holds_error(&self, under_error: bool) -> bool {
        (under_error && self.iam_pair().is_some()) || self.whole_pair().is_some()
    }
}

/// What a body is, told without building it.
#[derive(Debug)]
pub(super) enum Body {
    /// A JSON object, and the fields of it that error shapes use.
    Object(Box<Fields>),
    /// JSON, but not an object (an array, a string, a number, ...).
    OtherJson,
    NotJson,
}

/// Reads `body` once, keeping only [`Fields`].
pub(super) fn read(body: &[u8]) -> Body {
    let mut de = serde_json::Deserializer::from_slice(body);
    let item = ItemSeed {
        depth: 0,
        max_chars: MAX_CHARS,
    }
    .deserialize(&mut de)
    .and_then(|item| de.end().map(|()| item));
    match item {
        Ok(Item::Object(fields)) => Body::Object(fields),
        Ok(_) => Body::OtherJson,
        Err(_) => Body::NotJson,
    }
}

/// One value as far as an error shape cares.
enum Item {
    Text(String),
    Object(Box<Fields>),
    Other,
}

/// Reads one value found `depth` objects below the body; an object deeper
/// than [`MAX_DEPTH`] is only checked and skipped.
#[derive(Clone, Copy)]
struct ItemSeed {
    depth: u8,
    /// The most characters a string here keeps.
    max_chars: usize,
}

impl ItemSeed {
    fn below(self) -> ItemSeed {
        ItemSeed {
            depth: self.depth.saturating_add(1),
            max_chars: MAX_CHARS,
        }
    }
}

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = Item;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Item, E> {
        let clean = super::error_body::sanitize(v, self.max_chars);
        Ok(if clean.is_empty() {
            Item::Other
        } else {
            Item::Text(clean)
        })
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Item, E> {
        Ok(Item::Text(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Item, E> {
        Ok(Item::Text(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Item, E> {
        // Written as serde_json writes it, as the value tree did.
        Ok(serde_json::Number::from_f64(v).map_or(Item::Other, |n| Item::Text(n.to_string())))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Item, E> {
        Ok(Item::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Item, E> {
        Ok(Item::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Item::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        if self.depth > MAX_DEPTH {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Item::Other);
        }
        let mut fields = Fields::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let slot = match key {
                Key::ErrCode => &mut fields.err_code,
                Key::ExternalMessage => &mut fields.external_message,
                Key::ErrorCode => &mut fields.error_code,
                Key::ErrorMsg => &mut fields.error_msg,
                Key::ErrorCodeCamel => &mut fields.error_code_camel,
                Key::ErrorMsgCamel => &mut fields.error_msg_camel,
                Key::Code => &mut fields.code,
                Key::Message => &mut fields.message,
                Key::Title => &mut fields.title,
                Key::RequestId => &mut fields.request_id,
                Key::EncodedAuthorizationMessage => &mut fields.encoded_authorization_message,
                Key::Error | Key::Other => &mut None,
            };
            let mut seed = self.below();
            if let Key::EncodedAuthorizationMessage = key {
                seed.max_chars = MAX_ENCODED_CHARS;
            }
            match map.next_value_seed(seed)? {
                Item::Text(text) => *slot = Some(text),
                Item::Object(mut child) => {
                    // The SDK keeps one found below when the body has none.
                    if fields.encoded_authorization_message.is_none() {
                        fields.encoded_authorization_message =
                            child.encoded_authorization_message.take();
                    }
                    if fields.nested.is_some() {
                        continue;
                    }
                    let under_error = matches!(key, Key::Error);
                    fields.nested = if child.holds_error(under_error) {
                        Some(Box::new(Nested {
                            under_error,
                            fields: *child,
                        }))
                    } else {
                        // A match deeper down stands for this child.
                        child.nested
                    };
                }
                // A key sent twice keeps its last value, as a map would.
                Item::Other => *slot = None,
            }
        }
        Ok(Item::Object(Box::new(fields)))
    }
}

/// The keys [`Fields`] keeps; any other is skipped unread.
enum Key {
    ErrCode,
    ExternalMessage,
    ErrorCode,
    ErrorMsg,
    ErrorCodeCamel,
    ErrorMsgCamel,
    Code,
    Message,
    Title,
    RequestId,
    EncodedAuthorizationMessage,
    Error,
    Other,
}

/// Names a key without owning it.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "errCode" => Key::ErrCode,
            "externalMessage" => Key::ExternalMessage,
            "error_code" => Key::ErrorCode,
            "error_msg" => Key::ErrorMsg,
            "errorCode" => Key::ErrorCodeCamel,
            "errorMsg" => Key::ErrorMsgCamel,
            "code" => Key::Code,
            "message" => Key::Message,
            "title" => Key::Title,
            "request_id" => Key::RequestId,
            "encoded_authorization_message" => Key::EncodedAuthorizationMessage,
            "error" => Key::Error,
            _ => Key::Other,
        })
    }
}

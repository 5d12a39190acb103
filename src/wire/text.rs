//! Identifiers, codes and messages that arrive as JSON strings or numbers.

use serde::{de, Deserialize, Deserializer};

use crate::redact::excerpt;

use super::{with_raw_text, with_raw_text_or_null, RawJson, WireDecode};

/// Reads a JSON string or a number as text, digit for digit (`"101"`, `101`
/// and `254712345678901234567890` all read as written), so an identifier's
/// JSON type is never a reason to fail. Works from any serde_json input.
pub(crate) struct Text;

impl WireDecode for Text {
    type Value = String;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        with_raw_text(d, Text::read)
    }

    fn decode_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        with_raw_text_or_null(d, Text::read)
    }
}

impl Text {
    /// The text in a raw JSON value: a string's content or a number's text.
    fn read(text: &str) -> Result<String, String> {
        match text.as_bytes().first() {
            // Without escapes the text between the quotes is the value.
            Some(b'"') if !text.contains('\\') && text.len() >= 2 => Ok(text[1..text.len() - 1].to_string()),
            Some(b'"') => serde_json::from_str(text).map_err(|e| e.to_string()),
            Some(b'-' | b'0'..=b'9') => Ok(text.to_string()),
            _ => Err(format!("expected a string or a number, got {}", excerpt(text.as_bytes()))),
        }
    }
}

/// An HTTP status code from a JSON number or a string holding one.
pub(crate) struct HttpStatus;

impl WireDecode for HttpStatus {
    type Value = u16;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
        let text = Text::decode(d)?;
        text.parse().map_err(|_| de::Error::custom(format!("`{text}` is not an HTTP status code")))
    }
}

/// A string as is; any other JSON value as its raw text, so a field typed
/// String never fails an entry.
pub(crate) struct TextOrJson;

impl WireDecode for TextOrJson {
    type Value = String;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let raw = RawJson::deserialize(d)?;
        if raw.get().starts_with('"') {
            raw.decode().map_err(de::Error::custom)
        } else {
            Ok(raw.get().to_string())
        }
    }
}

//! Identifiers and codes that arrive as JSON strings or numbers.

use serde::Deserializer;

use crate::redact::excerpt;

use super::{with_raw_text, WireDecode};

/// Reads a JSON string or a number as text, digit for digit (`"101"`, `101`
/// and `254712345678901234567890` all read as written), so an identifier's
/// JSON type is never a reason to fail. Works from any serde_json input.
pub(crate) struct Text;

impl WireDecode for Text {
    type Value = String;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        with_raw_text(d, |text| match text.as_bytes().first() {
            // Without escapes the text between the quotes is the value.
            Some(b'"') if !text.contains('\\') && text.len() >= 2 => Ok(text[1..text.len() - 1].to_string()),
            Some(b'"') => serde_json::from_str(text).map_err(|e| e.to_string()),
            Some(b'-' | b'0'..=b'9') => Ok(text.to_string()),
            _ => Err(format!("expected a string or a number, got {}", excerpt(text.as_bytes()))),
        })
    }
}

/// `Deserialize` body for string-like newtypes: a string or a number.
pub(crate) fn deserialize_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Text::decode(d)
}

//! Identifiers and codes that arrive as JSON strings or numbers.

use serde::de;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::excerpt;

use super::WireDecode;

/// Reads a JSON string or a number as text, digit for digit (`"101"`, `101`
/// and `254712345678901234567890` all read as written), so an identifier's
/// JSON type is never a reason to fail. Works from any serde_json input.
pub(crate) struct Text;

impl WireDecode for Text {
    type Value = String;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        let text = raw.get();
        match text.as_bytes().first() {
            // Without escapes the text between the quotes is the value: the
            // raw buffer becomes the string, with no second allocation.
            Some(b'"') if !text.contains('\\') && text.len() >= 2 => {
                let mut owned = String::from(Box::<str>::from(raw));
                owned.pop();
                owned.remove(0);
                Ok(owned)
            }
            Some(b'"') => serde_json::from_str(text).map_err(de::Error::custom),
            Some(b'-' | b'0'..=b'9') => Ok(String::from(Box::<str>::from(raw))),
            _ => Err(de::Error::custom(format!("expected a string or a number, got {}", excerpt(text.as_bytes())))),
        }
    }
}

/// `Deserialize` body for string-like newtypes: a string or a number.
pub(crate) fn deserialize_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Text::decode(d)
}

//! Flags as servers write them: `1`/`0`, `true`/`false`, or either as a string.

use std::borrow::Cow;

use serde::{Deserializer, Serializer};

use super::{with_raw_text, WireDecode};
use crate::redact::excerpt;

/// Writes `true` as `1` and `false` as `0` (WaaS's `is_active` expects a number).
pub(crate) fn serialize<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u8(u8::from(*value))
}

/// Reads a flag through [`crate::wire::wire_object!`]: `1`/`0` (WaaS's
/// `is_active`), `true`/`false` (its `can_overdraw`), or either as a string.
/// Anything else is an error: it would be a guess.
pub(crate) struct Flag;

impl WireDecode for Flag {
    type Value = bool;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        with_raw_text(d, |text| {
            let unquoted: Cow<'_, str> = match text.strip_prefix('"') {
                Some(_) => serde_json::from_str(text).map_err(|e| e.to_string())?,
                None => Cow::Borrowed(text),
            };
            match unquoted.trim() {
                "1" | "true" => Ok(true),
                "0" | "false" => Ok(false),
                _ => Err(format!("flag {} is neither 1 nor 0", excerpt(text.as_bytes()))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{wire_object, Text};
    use serde::Serialize;

    wire_object! {
        /// Test shape.
        struct Sample {
            /// An id.
            pub id: String = required ["id"] via Text,
            /// A flag.
            pub active: Option<bool> = optional ["active"] via Flag,
        }
    }

    #[test]
    fn flags_read_loosely_and_write_as_numbers() {
        for (json, want) in
            [("1", true), ("0", false), ("true", true), ("false", false), (r#""1""#, true), (r#"" false""#, false)]
        {
            let s: Sample = serde_json::from_str(&format!(r#"{{"id":"x","active":{json}}}"#)).unwrap();
            assert_eq!(s.active, Some(want), "{json}");
        }
        let s: Sample = serde_json::from_str(r#"{"id":7209323323,"active":null}"#).unwrap();
        assert_eq!((s.id.as_str(), s.active), ("7209323323", None));
        for bad in ["2", "-1", "1.5", r#""yes""#, "[]"] {
            assert!(serde_json::from_str::<Sample>(&format!(r#"{{"id":"x","active":{bad}}}"#)).is_err(), "{bad}");
        }
        #[derive(Serialize)]
        struct Out(#[serde(serialize_with = "serialize")] bool);
        assert_eq!(serde_json::to_string(&Out(true)).unwrap(), "1");
        assert_eq!(serde_json::to_string(&Out(false)).unwrap(), "0");
    }
}

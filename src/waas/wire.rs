//! WaaS-only wire quirks: flags sent as `1`/`0`, and ISO 8601 timestamps
//! written the way JavaScript servers keep them. Identifiers, amounts and
//! timestamps in answers are read by [`crate::wire`] (`Text`, `Money`,
//! `Stamp`) like every provider's.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserializer, Serializer};

use crate::redact::excerpt;
use crate::wire::{with_raw_text, WireDecode};

/// A flag written as the number `1` or `0`, as WaaS's `is_active` expects.
pub(crate) mod flag {
    use super::*;

    /// Writes `true` as `1` and `false` as `0`.
    pub(crate) fn serialize<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(u8::from(*value))
    }
}

/// Reads a flag through [`crate::wire::wire_object!`]: `1`/`0` (the
/// document's `is_active`), `true`/`false` (its `can_overdraw`), or either
/// as a string. Anything else is an error: it would be a guess.
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

/// ISO 8601 in UTC with a `Z`: whole seconds when there is no fraction
/// (`2024-07-29T12:34:56Z`), otherwise milliseconds (`…56.789Z`), the
/// precision JavaScript servers keep.
pub(crate) mod iso8601 {
    use super::*;

    /// Writes the timestamp.
    pub(crate) fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        let format = if at.timestamp_subsec_nanos() == 0 { SecondsFormat::Secs } else { SecondsFormat::Millis };
        s.serialize_str(&at.to_rfc3339_opts(format, true))
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
        struct Out(#[serde(serialize_with = "flag::serialize")] bool);
        assert_eq!(serde_json::to_string(&Out(true)).unwrap(), "1");
        assert_eq!(serde_json::to_string(&Out(false)).unwrap(), "0");
    }

    #[test]
    fn timestamps_are_iso_8601_utc() {
        #[derive(Serialize)]
        struct At(#[serde(with = "iso8601")] DateTime<Utc>);
        let at = DateTime::parse_from_rfc3339("2024-07-29T12:34:56Z").unwrap().with_timezone(&Utc);
        assert_eq!(serde_json::to_string(&At(at)).unwrap(), r#""2024-07-29T12:34:56Z""#);
        let at = DateTime::parse_from_rfc3339("2024-07-29T14:34:56.789123+02:00").unwrap().with_timezone(&Utc);
        assert_eq!(serde_json::to_string(&At(at)).unwrap(), r#""2024-07-29T12:34:56.789Z""#);
    }
}

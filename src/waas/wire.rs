//! WaaS wire quirks in one place: flags sent as `1`/`0`, identifiers that
//! arrive as strings in one response and numbers in another, and ISO 8601
//! timestamps.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, Visitor};

use crate::wire::WireDecode;
use serde::{Deserializer, Serializer};

/// A string-like value (an id, a phone number) sent as a string or a number.
pub(crate) fn text<'de, D: Deserializer<'de>, T: From<String>>(d: D) -> Result<T, D::Error> {
    crate::wire::Text::decode(d).map(T::from)
}

/// [`text`] for an optional field (`null` or absent is `None`).
pub(crate) fn text_opt<'de, D: Deserializer<'de>, T: From<String>>(d: D) -> Result<Option<T>, D::Error> {
    struct Opt;
    impl<'de> Visitor<'de> for Opt {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null, a string or a number")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            crate::wire::Text::decode(d).map(Some)
        }
    }
    d.deserialize_option(Opt).map(|v| v.map(T::from))
}

/// A flag written as the number `1` or `0`, as WaaS's `is_active` expects.
pub(crate) mod flag {
    use super::*;

    /// Writes `true` as `1` and `false` as `0`.
    pub(crate) fn serialize<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(u8::from(*value))
    }
}

/// Reads a flag from `1`/`0`, `true`/`false`, or those as strings.
struct Flag;

impl<'de> Visitor<'de> for Flag {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("1, 0, true or false")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::custom(format!("flag {v} is neither 1 nor 0"))),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        u64::try_from(v).map_err(|_| E::custom(format!("flag {v} is neither 1 nor 0"))).and_then(|v| self.visit_u64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim() {
            "1" | "true" => Ok(true),
            "0" | "false" => Ok(false),
            other => Err(E::custom(format!("flag `{other}` is neither 1 nor 0"))),
        }
    }
}

/// An optional flag (`null` or absent is `None`).
pub(crate) fn flag_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    struct Opt;
    impl<'de> Visitor<'de> for Opt {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null or a flag")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Flag).map(Some)
        }
    }
    d.deserialize_option(Opt)
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
    use serde::Deserialize;
    use serde::Serialize;

    #[derive(Deserialize, Serialize)]
    struct Sample {
        #[serde(deserialize_with = "text", skip_serializing)]
        id: String,
        #[serde(default, deserialize_with = "text_opt", skip_serializing)]
        phone: Option<String>,
        #[serde(default, deserialize_with = "flag_opt", skip_serializing)]
        active: Option<bool>,
        #[serde(serialize_with = "flag::serialize", skip_deserializing)]
        out: bool,
    }

    #[test]
    fn text_takes_strings_and_numbers_digit_for_digit() {
        let s: Sample = serde_json::from_str(r#"{"id":7209323323,"phone":"0712"}"#).unwrap();
        assert_eq!((s.id.as_str(), s.phone.as_deref()), ("7209323323", Some("0712")));
        let s: Sample = serde_json::from_str(r#"{"id":"123","phone":254712345678901234567890}"#).unwrap();
        assert_eq!((s.id.as_str(), s.phone.as_deref()), ("123", Some("254712345678901234567890")));
        let s: Sample = serde_json::from_str(r#"{"id":"1","phone":null}"#).unwrap();
        assert_eq!(s.phone, None);
        assert!(serde_json::from_str::<Sample>(r#"{"id":true}"#).is_err());
    }

    #[test]
    fn flags_read_loosely_and_write_as_numbers() {
        for (json, want) in [("1", true), ("0", false), ("true", true), ("false", false), (r#""1""#, true)] {
            let s: Sample = serde_json::from_str(&format!(r#"{{"id":"x","active":{json}}}"#)).unwrap();
            assert_eq!(s.active, Some(want), "{json}");
        }
        assert!(serde_json::from_str::<Sample>(r#"{"id":"x","active":2}"#).is_err());
        let out = |b| serde_json::to_string(&Sample { id: String::new(), phone: None, active: None, out: b }).unwrap();
        assert_eq!(out(true), r#"{"out":1}"#);
        assert_eq!(out(false), r#"{"out":0}"#);
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

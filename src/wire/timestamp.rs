//! Timestamps in whatever form a provider sends them: ISO 8601 text (with
//! `Z`, an offset or neither; with or without fractions), a bare date, or
//! epoch seconds or milliseconds as a number or as text; and [`iso8601`],
//! the form written back.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserializer, Serializer};

use super::{with_raw_text, with_raw_text_or_null, WireDecode};

/// Epoch values at or above this are milliseconds: 1e11 seconds is the year
/// 5138, 1e11 milliseconds is March 1973.
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// A timestamp a document types only as "string": read when it can be, kept
/// as sent when it cannot, so an odd format never fails a page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Timestamp {
    /// A value that parsed.
    At(DateTime<Utc>),
    /// A value in no format walletkit knows, as its raw JSON.
    Unparsed(String),
}

impl Timestamp {
    /// The instant, when the value parsed.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            Timestamp::At(at) => Some(*at),
            Timestamp::Unparsed(_) => None,
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Timestamp::At(at) => write!(f, "{}", at.to_rfc3339()),
            Timestamp::Unparsed(raw) => f.write_str(raw),
        }
    }
}

/// An empty unparsed value, for tests that set the fields they need.
#[cfg(feature = "test-util")]
impl Default for Timestamp {
    fn default() -> Self {
        Timestamp::Unparsed(String::new())
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(at: DateTime<Utc>) -> Self {
        Timestamp::At(at)
    }
}

/// Reads a JSON number or string into a [`Timestamp`], never failing on the format.
pub(crate) struct Stamp;

impl WireDecode for Stamp {
    type Value = Timestamp;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        with_raw_text(d, Stamp::read)
    }

    fn decode_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        with_raw_text_or_null(d, Stamp::read)
    }
}

impl Stamp {
    /// The timestamp in a raw JSON value, or the value kept as sent.
    fn read(raw: &str) -> Result<Timestamp, String> {
        Ok(match parse_raw(raw) {
            Ok(at) => Timestamp::At(at),
            Err(_) => Timestamp::Unparsed(raw.to_string()),
        })
    }
}

/// Reads a JSON number or string into a `DateTime`, failing on an unknown format.
pub(crate) struct Strict;

impl WireDecode for Strict {
    type Value = DateTime<Utc>;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        with_raw_text(d, parse_raw)
    }

    fn decode_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        with_raw_text_or_null(d, parse_raw)
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

/// A raw JSON value: a number is an epoch, a string is text.
fn parse_raw(raw: &str) -> Result<DateTime<Utc>, String> {
    if raw.starts_with('"') {
        // Without escapes the text between the quotes is the value.
        if raw.len() >= 2 && !raw.contains('\\') {
            return parse_text(&raw[1..raw.len() - 1]);
        }
        let text: Cow<'_, str> = serde_json::from_str(raw).map_err(|e| e.to_string())?;
        parse_text(&text)
    } else {
        parse_epoch(raw)
    }
}

/// Reads an epoch number in seconds or milliseconds, fractions allowed.
fn parse_epoch(text: &str) -> Result<DateTime<Utc>, String> {
    // A whole number (the usual form) in integer arithmetic.
    if let Ok(whole) = text.parse::<i64>() {
        let (secs, nanos) = if whole.unsigned_abs() >= MILLIS_THRESHOLD.unsigned_abs() {
            (whole.div_euclid(1_000), whole.rem_euclid(1_000) * 1_000_000)
        } else {
            (whole, 0)
        };
        let out_of_range = || format!("epoch timestamp `{text}` is out of range");
        return DateTime::from_timestamp(secs, u32::try_from(nanos).map_err(|_| out_of_range())?)
            .ok_or_else(out_of_range);
    }
    let value = super::money::parse(text).map_err(|_| format!("`{text}` is not an epoch timestamp"))?;
    let per_unit = if value.abs() >= Decimal::from(MILLIS_THRESHOLD) { 1_000_000 } else { 1_000_000_000 };
    let out_of_range = || format!("epoch timestamp `{text}` is out of range");
    let nanos = value.checked_mul(Decimal::from(per_unit)).map(|n| n.round()).and_then(|n| n.to_i128());
    let nanos = nanos.ok_or_else(out_of_range)?;
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).map_err(|_| out_of_range())?;
    let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).map_err(|_| out_of_range())?;
    DateTime::from_timestamp(secs, sub).ok_or_else(out_of_range)
}

/// Reads ISO 8601 text (without an offset means UTC), a bare date (midnight
/// UTC), or an epoch number written as text.
fn parse_text(text: &str) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    let epoch_like = t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    if !t.is_empty() && epoch_like && !t[1..].contains('-') {
        return parse_epoch(t);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(dt) = DateTime::parse_from_str(t, format) {
            return Ok(dt.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, format) {
            return Ok(naive.and_utc());
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(date.and_time(NaiveTime::MIN).and_utc());
    }
    Err(format!("`{t}` is not a timestamp"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::wire_object;

    wire_object! {
        /// Test shape.
        pub struct T {
            /// Lenient.
            pub at: Option<Timestamp> = optional ["at"] via Stamp,
        }
    }

    fn read(json: &str) -> Option<Timestamp> {
        serde_json::from_str::<T>(json).unwrap().at
    }

    fn at(rfc3339: &str) -> Option<Timestamp> {
        Some(Timestamp::At(DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)))
    }

    #[test]
    fn every_documented_and_plausible_form() {
        let want = at("2022-07-21T13:45:49Z");
        assert_eq!(read(r#"{"at":1658411149}"#), want, "seconds");
        assert_eq!(read(r#"{"at":1658411149000}"#), want, "milliseconds");
        assert_eq!(read(r#"{"at":"1658411149000"}"#), want, "milliseconds as text");
        assert_eq!(read(r#"{"at":"2022-07-21T13:45:49Z"}"#), want, "ISO with Z");
        assert_eq!(read(r#"{"at":"2022-07-21T13:45:49.000Z"}"#), want, "ISO with Z and fraction");
        assert_eq!(read(r#"{"at":"2022-07-21T16:45:49+03:00"}"#), want, "ISO with offset");
        assert_eq!(read(r#"{"at":"2022-07-21T16:45:49.000+0300"}"#), want, "ISO with a colon-free offset");
        assert_eq!(read(r#"{"at":"2022-07-21T13:45:49"}"#), want, "ISO without offset is UTC");
        assert_eq!(read(r#"{"at":"2022-07-21 13:45:49"}"#), want, "space separator");
        assert_eq!(read(r#"{"at":1618832932.344}"#).unwrap().at().unwrap().timestamp_millis(), 1_618_832_932_344);
        assert_eq!(read(r#"{"at":"2020-1-1"}"#).unwrap().to_string(), "2020-01-01T00:00:00+00:00");
        assert_eq!(read(r#"{"at":null}"#), None);
        assert_eq!(read(r#"{}"#), None);
    }

    #[test]
    fn what_does_not_parse_is_kept_raw_instead_of_failing() {
        assert_eq!(read(r#"{"at":"yesterday"}"#), Some(Timestamp::Unparsed(r#""yesterday""#.into())));
        assert_eq!(read(r#"{"at":true}"#), Some(Timestamp::Unparsed("true".into())));
        assert_eq!(read(r#"{"at":1e40}"#), Some(Timestamp::Unparsed("1e40".into())));
        assert_eq!(read(r#"{"at":{"s":1}}"#), Some(Timestamp::Unparsed(r#"{"s":1}"#.into())));
    }

    #[test]
    fn writes_iso_8601_utc() {
        #[derive(serde::Serialize)]
        struct At(#[serde(with = "iso8601")] DateTime<Utc>);
        let at = DateTime::parse_from_rfc3339("2024-07-29T12:34:56Z").unwrap().with_timezone(&Utc);
        assert_eq!(serde_json::to_string(&At(at)).unwrap(), r#""2024-07-29T12:34:56Z""#);
        let at = DateTime::parse_from_rfc3339("2024-07-29T14:34:56.789123+02:00").unwrap().with_timezone(&Utc);
        assert_eq!(serde_json::to_string(&At(at)).unwrap(), r#""2024-07-29T12:34:56.789Z""#);
    }

    #[test]
    fn whole_epochs_read_alike_in_integer_and_decimal_arithmetic() {
        for whole in ["1658411149000", "1658411149", "-1658411149001", "99999999999", "100000000000", "0", "-1"] {
            let fraction = format!("{whole}.0");
            assert_eq!(parse_epoch(whole), parse_epoch(&fraction), "{whole}");
            assert!(parse_epoch(whole).is_ok(), "{whole}");
        }
        assert_eq!(parse_epoch("1658411149123").unwrap().timestamp_millis(), 1_658_411_149_123);
        assert!(parse_epoch(&i64::MIN.to_string()).is_err());
        assert!(parse_epoch(&i64::MAX.to_string()).is_err());
    }

    #[test]
    fn strict_reading_refuses_garbage() {
        let strict = |json: &str| Strict::decode(&mut serde_json::Deserializer::from_str(json));
        assert!(strict(r#""yesterday""#).is_err());
        assert_eq!(strict("1658411149").unwrap().timestamp(), 1_658_411_149);
    }
}

//! Timestamps as MilaCoins sends them: epoch seconds or milliseconds as JSON
//! numbers (`expiredAt`, `createdAt` on invoices), or ISO 8601 text
//! (`createdAt` on logs and transactions). All are read into `DateTime<Utc>`.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Epoch values at or above this are milliseconds: 1e11 seconds is the year
/// 5138, 1e11 milliseconds is March 1973.
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// Reads an epoch number in seconds or milliseconds, fractions allowed.
pub(crate) fn from_epoch(text: &str) -> Result<DateTime<Utc>, String> {
    let value = crate::money::parse(text).map_err(|_| format!("`{text}` is not an epoch timestamp"))?;
    let per_unit = if value.abs() >= Decimal::from(MILLIS_THRESHOLD) { 1_000_000 } else { 1_000_000_000 };
    let nanos = value
        .checked_mul(Decimal::from(per_unit))
        .map(|n| n.round())
        .and_then(|n| n.to_i128())
        .ok_or_else(|| format!("epoch timestamp `{text}` is out of range"))?;
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).map_err(|_| format!("`{text}` is out of range"))?;
    let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).map_err(|_| format!("`{text}` is out of range"))?;
    DateTime::from_timestamp(secs, sub).ok_or_else(|| format!("epoch timestamp `{text}` is out of range"))
}

/// Reads ISO 8601 text (with or without an offset; without one means UTC),
/// a bare date (midnight UTC), or an epoch number written as text.
pub(crate) fn from_text(text: &str) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') && !t[1..].contains('-') {
        return from_epoch(t);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
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

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp as epoch seconds, epoch milliseconds or ISO 8601 text")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        from_epoch(&v.to_string()).map(Some).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        from_epoch(&v.to_string()).map(Some).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        from_epoch(&v.to_string()).map(Some).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        from_text(v).map(Some).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        // serde_json's arbitrary-precision numbers arrive as a one-entry map.
        let number = serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
        from_epoch(number.as_str()).map(Some).map_err(de::Error::custom)
    }
}

/// Serde adapter for an optional timestamp (`null`, absent or `""` is `None`).
pub(crate) mod option {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        d.deserialize_any(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, with = "option")]
        at: Option<DateTime<Utc>>,
    }

    fn read(json: &str) -> Option<DateTime<Utc>> {
        serde_json::from_str::<T>(json).unwrap().at
    }

    #[test]
    fn numbers_strings_and_nothing() {
        let want = DateTime::parse_from_rfc3339("2022-07-21T13:45:49Z").unwrap().with_timezone(&Utc);
        assert_eq!(read(r#"{"at":1658411149}"#), Some(want), "seconds");
        assert_eq!(read(r#"{"at":1658411149000}"#), Some(want), "milliseconds");
        assert_eq!(read(r#"{"at":"1658411149000"}"#), Some(want), "milliseconds as text");
        assert_eq!(read(r#"{"at":"2022-07-21T13:45:49.000Z"}"#), Some(want), "ISO with Z");
        assert_eq!(read(r#"{"at":"2022-07-21T16:45:49+03:00"}"#), Some(want), "ISO with offset");
        assert_eq!(read(r#"{"at":"2022-07-21T13:45:49"}"#), Some(want), "ISO without offset is UTC");
        assert_eq!(read(r#"{"at":null}"#), None);
        assert_eq!(read(r#"{"at":""}"#), None);
        assert_eq!(read(r#"{}"#), None);
    }

    #[test]
    fn fractions_dates_and_garbage() {
        let at = read(r#"{"at":1618832932.344}"#).unwrap();
        assert_eq!(at.timestamp_millis(), 1_618_832_932_344);
        let at = read(r#"{"at":1658411149123}"#).unwrap();
        assert_eq!(at.timestamp_millis(), 1_658_411_149_123);
        let at = read(r#"{"at":"2020-1-1"}"#).unwrap();
        assert_eq!(at.to_rfc3339(), "2020-01-01T00:00:00+00:00");
        assert!(serde_json::from_str::<T>(r#"{"at":"yesterday"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"at":true}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"at":1e40}"#).is_err());
    }
}

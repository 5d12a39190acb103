//! Exact decimal amounts on the wire.
//!
//! Every amount is a [`Decimal`]. Reading accepts JSON numbers and JSON
//! strings (`10.5`, `"96.0000"`, `1e3`) without passing through `f64`: the
//! number's raw text (as serde_json's `RawValue` gives it) is parsed digit for digit, so
//! no global serde_json feature is needed and none is switched on. Writing
//! emits a JSON number in shortest form (`10`, `10.5`), which is what the
//! MilaCoins signature and `JSON.stringify` round-trips need.
//!
//! Use with `#[serde(with = "walletkit::money::number")]` or
//! `#[serde(with = "walletkit::money::option")]` on your own types, decoded
//! and encoded with serde_json (from text, bytes, a reader or a `Value`).

pub use rust_decimal::Decimal;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::{with_raw_text, with_raw_text_or_null, ViaOption, WireDecode};

/// Parses a decimal from its textual form exactly, accepting exponent notation.
///
/// # Errors
/// Returns a message when the text is not a number or does not fit a
/// [`Decimal`] exactly (more than 28 significant digits).
pub fn parse(text: &str) -> Result<Decimal, String> {
    if let Some(plain) = parse_plain(text) {
        return Ok(plain);
    }
    let text = text.trim();
    let parsed = match text.split_once(['e', 'E']) {
        None => Decimal::from_str_exact(text).map_err(|e| e.to_string()),
        Some((mantissa, exponent)) => {
            let mantissa = Decimal::from_str_exact(mantissa).map_err(|e| e.to_string())?;
            let exponent: i32 = exponent.parse().map_err(|_| "bad exponent".to_string())?;
            times_power_of_ten(mantissa, exponent).ok_or_else(|| "out of range".to_string())
        }
    };
    parsed.map_err(|e| format!("`{text}` is not an exact decimal amount: {e}"))
}

/// Parses one raw JSON value, a number or a string holding one, exactly.
///
/// # Errors
/// When the value is neither, or does not fit a [`Decimal`] exactly.
pub fn parse_json(raw: &str) -> Result<Decimal, String> {
    match raw.as_bytes().first() {
        Some(b'"') => {
            let text: std::borrow::Cow<'_, str> = serde_json::from_str(raw).map_err(|e| e.to_string())?;
            parse(&text)
        }
        Some(b'-' | b'0'..=b'9') => parse(raw),
        _ => Err(format!(
            "expected a decimal amount as a JSON number or string, got {}",
            crate::redact::excerpt(raw.as_bytes())
        )),
    }
}

/// The common case in one pass: `-?digits(.digits)?` with at most 28
/// digits, accumulated into the mantissa exactly. `None` for anything else
/// (exponents, signs, more digits), which takes the general path.
fn parse_plain(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    // Up to 19 digits fit a `u64`, whose arithmetic is cheaper than
    // `i128`'s; longer mantissas (to 28 digits) continue in `i128`.
    let (mut small, mut wide, mut digits, mut point) = (0u64, 0i128, 0usize, None);
    for (i, &b) in body.iter().enumerate() {
        match b {
            b'0'..=b'9' if digits < 19 => {
                small = small * 10 + u64::from(b - b'0');
                digits += 1;
            }
            // Past 28 digits the mantissa could overflow: the general path.
            b'0'..=b'9' if digits < 28 => {
                if digits == 19 {
                    wide = i128::from(small);
                }
                wide = wide * 10 + i128::from(b - b'0');
                digits += 1;
            }
            b'.' if point.is_none() && i > 0 => point = Some(i),
            _ => return None,
        }
    }
    // A trailing point (`1.`) is not plain.
    if digits == 0 || point.is_some_and(|p| p + 1 == body.len()) {
        return None;
    }
    let scale = u32::try_from(point.map_or(0, |p| body.len() - p - 1)).ok()?;
    if digits < 19 {
        // Fewer than 19 digits are below 10^18, well inside `i64`.
        let small = i64::try_from(small).ok()?;
        return Decimal::try_new(if negative { -small } else { small }, scale).ok();
    }
    let mantissa = if digits == 19 { i128::from(small) } else { wide };
    Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale).ok()
}

/// `value × 10^exponent` exactly, or `None` when that needs more than 28
/// decimal places or overflows. (`Decimal::from_scientific` rounds the
/// mantissa, which is why exponents are applied here.)
fn times_power_of_ten(mut value: Decimal, exponent: i32) -> Option<Decimal> {
    let scale = i64::from(value.scale()) - i64::from(exponent);
    if scale >= 0 {
        value.set_scale(u32::try_from(scale).ok()?).ok()?;
        return Some(value);
    }
    value.set_scale(0).ok()?;
    let power = 10i128.checked_pow(u32::try_from(-scale).ok()?)?;
    value.checked_mul(Decimal::try_from_i128_with_scale(power, 0).ok()?)
}

/// The amount in shortest form: no trailing zeros, no exponent (`10.00` → `10`).
pub fn shortest(amount: Decimal) -> String {
    amount.normalize().to_string()
}

/// The amount as raw JSON number text in shortest form, digit for digit.
pub fn to_json(amount: Decimal) -> Box<RawValue> {
    raw_number(shortest(amount))
}

/// Text known to be a JSON number, as a raw value.
pub(crate) fn raw_number(text: String) -> Box<RawValue> {
    // Decimal's Display is always valid JSON number text; the fallback only
    // guards that invariant without panicking.
    RawValue::from_string(text).unwrap_or_default()
}

/// Reads an amount through [`crate::wire::wire_object!`].
pub(crate) struct Money;

impl WireDecode for Money {
    type Value = Decimal;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        with_raw_text(d, parse_json)
    }

    fn decode_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        with_raw_text_or_null(d, parse_json)
    }
}

/// Serde adapter for a required [`Decimal`] amount.
pub mod number {
    use super::*;

    /// Writes the amount as a JSON number in shortest form.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        to_json(*amount).serialize(serializer)
    }

    /// Reads a JSON number or string exactly.
    ///
    /// # Errors
    /// When the value is neither, or does not fit a `Decimal` exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        Money::decode(deserializer)
    }
}

/// Serde adapter for an optional [`Decimal`] amount (`null` or absent is `None`).
pub mod option {
    use super::*;
    use serde::de::DeserializeSeed;

    /// Writes `Some` as a JSON number in shortest form, `None` as `null`.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(amount: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        match amount {
            Some(a) => super::number::serialize(a, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads `null`, a JSON number or a string exactly.
    ///
    /// # Errors
    /// When the value is none of those, or does not fit a `Decimal` exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
        ViaOption::<Money>::new().deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Amount {
        #[serde(with = "number")]
        amount: Decimal,
        #[serde(with = "option", default)]
        fee: Option<Decimal>,
    }

    fn round_trip(json: &str) -> String {
        let a: Amount = serde_json::from_str(json).unwrap();
        serde_json::to_string(&a).unwrap()
    }

    #[test]
    fn huge_and_tiny_numbers_survive_exactly() {
        assert_eq!(
            round_trip(r#"{"amount":12345678901234567.89,"fee":null}"#),
            r#"{"amount":12345678901234567.89,"fee":null}"#
        );
        assert_eq!(round_trip(r#"{"amount":0.1,"fee":0.2}"#), r#"{"amount":0.1,"fee":0.2}"#);
    }

    #[test]
    fn writes_shortest_form() {
        assert_eq!(round_trip(r#"{"amount":10.00}"#), r#"{"amount":10,"fee":null}"#);
        assert_eq!(round_trip(r#"{"amount":"10.50"}"#), r#"{"amount":10.5,"fee":null}"#);
        assert_eq!(round_trip(r#"{"amount":"96.0000"}"#), r#"{"amount":96,"fee":null}"#);
        assert_eq!(round_trip(r#"{"amount":-250.75}"#), r#"{"amount":-250.75,"fee":null}"#);
        assert_eq!(round_trip(r#"{"amount":1e3}"#), r#"{"amount":1000,"fee":null}"#);
        assert_eq!(round_trip(r#"{"amount":1.5E+2}"#), r#"{"amount":150,"fee":null}"#);
        assert_eq!(round_trip(r#"{"amount":5e-7}"#), r#"{"amount":0.0000005,"fee":null}"#);
        assert_eq!(round_trip(r#"{"amount":"-2.50e1"}"#), r#"{"amount":-25,"fee":null}"#);
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_parser() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let whole: String = (0..rng.usize(1..16)).map(|_| char::from(b'0' + rng.u8(0..10))).collect();
            let fraction: String = (0..rng.usize(0..14)).map(|_| char::from(b'0' + rng.u8(0..10))).collect();
            let sign = if rng.bool() { "-" } else { "" };
            let text = if fraction.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{fraction}") };
            let general = Decimal::from_str_exact(&text).ok();
            assert_eq!(parse_plain(&text), general, "{text}");
            assert_eq!(parse_plain(&text).map(|d| d.scale()), general.map(|d| d.scale()), "{text}");
        }
        for odd in ["", "-", ".", "1.", ".5", "+1", "1e3", "1_0", "0x10", "1.2.3", "--1", "١٢"] {
            assert_eq!(parse_plain(odd), None, "{odd:?}");
        }
        assert_eq!(
            parse_plain("9999999999999999999999999999"),
            Decimal::from_str_exact("9999999999999999999999999999").ok()
        );
        assert_eq!(parse_plain("99999999999999999999999999999"), None, "29 digits take the general path");
        assert_eq!(parse_plain(&"9".repeat(60)), None, "no overflow on long input");
    }

    #[test]
    fn strings_are_exact() {
        let a: Amount = serde_json::from_str(r#"{"amount":"12345678901234567.89"}"#).unwrap();
        assert_eq!(a.amount.to_string(), "12345678901234567.89");
    }

    #[test]
    fn exact_from_every_serde_json_entry_point() {
        let want: Decimal = "0.123456789012345678".parse().unwrap();
        let json = r#"{"amount":0.123456789012345678}"#;
        assert_eq!(serde_json::from_str::<Amount>(json).unwrap().amount, want);
        assert_eq!(serde_json::from_slice::<Amount>(json.as_bytes()).unwrap().amount, want);
        assert_eq!(serde_json::from_reader::<_, Amount>(json.as_bytes()).unwrap().amount, want);
        let big = r#"{"amount":"12345678901234567.89"}"#;
        let value: serde_json::Value = serde_json::from_str(big).unwrap();
        assert_eq!(serde_json::from_value::<Amount>(value).unwrap().amount.to_string(), "12345678901234567.89");
    }

    #[test]
    fn rejects_non_numbers_and_overlong_digits() {
        assert!(serde_json::from_str::<Amount>(r#"{"amount":"ten"}"#).is_err());
        assert!(serde_json::from_str::<Amount>(r#"{"amount":true}"#).is_err());
        assert!(serde_json::from_str::<Amount>(r#"{"amount":[1]}"#).is_err());
        assert!(serde_json::from_str::<Amount>(r#"{"amount":1.00000000000000000000000000001}"#).is_err());
        assert!(serde_json::from_str::<Amount>(r#"{"amount":1.00000000000000000000000000001e0}"#).is_err());
        assert!(serde_json::from_str::<Amount>(r#"{"amount":1e29}"#).is_err());
        assert!(serde_json::from_str::<Amount>(r#"{"amount":1e-29}"#).is_err());
    }
}

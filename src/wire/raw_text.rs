//! A JSON value's exact text, read without copying it when the input allows.
//!
//! `Box<RawValue>` gives a number's text (all that exact money needs) but
//! copies it into a fresh allocation first, one per amount, id and
//! timestamp. serde_json hands out raw text through a newtype struct named
//! by its raw-value token: as a one-entry map whose value is the text,
//! borrowed from the input when decoding from a slice or a `str` (which
//! walletkit always does), owned otherwise. [`with_raw_text`] takes part in
//! that exchange itself and reads the text in place. Should a serde_json
//! version stop answering to the token, the call arrives as a plain newtype
//! struct and falls back to `Box<RawValue>`: slower, never wrong. A unit test
//! checks that the locked serde_json lends the text in place.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// The name serde_json gives the newtype struct behind `RawValue`.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Calls `read` with the raw JSON text of the next value (`10.5`, `"KES"`,
/// `{"a":1}`), borrowed from the input when serde_json can lend it.
pub(crate) fn with_raw_text<'de, D, T, F>(d: D, read: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    d.deserialize_newtype_struct(RAW_VALUE_TOKEN, RawTextVisitor(read))
}

/// [`with_raw_text`] for a value that may be `null`: `None` for `null`,
/// `read`'s answer otherwise, in one visit of the value.
pub(crate) fn with_raw_text_or_null<'de, D, T, F>(d: D, read: F) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    with_raw_text(d, |text| if text == "null" { Ok(None) } else { read(text).map(Some) })
}

struct RawTextVisitor<F>(F);

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for RawTextVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// serde_json's raw-value exchange: `{TOKEN: "<the value's text>"}`.
    /// Any other map (a deserializer that ignores the name) is refused
    /// rather than read as if its first value were the raw text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        if map.next_key_seed(TokenKey)? != Some(true) {
            return Err(de::Error::custom("expected serde_json's raw value exchange, got a map"));
        }
        // `read` fails out here, not inside the entry, so an error path
        // (serde_path_to_error) names the field, not serde_json's token.
        let read: Result<T, String> = map.next_value_seed(TextSeed(self.0))?;
        read.map_err(de::Error::custom)
    }

    /// A deserializer that does not know the token: the public way.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        (self.0)(raw.get()).map_err(de::Error::custom)
    }
}

/// Reads a map key and tells whether it is serde_json's raw-value token.
struct TokenKey;

impl<'de> DeserializeSeed<'de> for TokenKey {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TokenKey {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("serde_json's raw value token")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == RAW_VALUE_TOKEN)
    }
}

struct TextSeed<F>(F);

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> DeserializeSeed<'de> for TextSeed<F> {
    type Value = Result<T, String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for TextSeed<F> {
    type Value = Result<T, String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw JSON text")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok((self.0)(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Text(String);

    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            with_raw_text(d, |t| Ok(Text(t.to_string())))
        }
    }

    fn read_all(json: &str) -> Vec<String> {
        let from_str: Vec<Text> = serde_json::from_str(json).unwrap();
        let from_slice: Vec<Text> = serde_json::from_slice(json.as_bytes()).unwrap();
        let from_reader: Vec<Text> = serde_json::from_reader(json.as_bytes()).unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let from_value: Vec<Text> = serde_json::from_value(value).unwrap();
        let texts: Vec<String> = from_str.into_iter().map(|t| t.0).collect();
        for other in [from_slice, from_reader] {
            assert_eq!(other.into_iter().map(|t| t.0).collect::<Vec<_>>(), texts);
        }
        assert_eq!(from_value.len(), texts.len());
        texts
    }

    #[test]
    fn reads_the_exact_text_from_every_serde_json_input() {
        let texts = read_all(r#"[12345678901234567.89, "a\"b", 1e3, {"k": [1, null]}, null, -0.0]"#);
        assert_eq!(texts, ["12345678901234567.89", r#""a\"b""#, "1e3", r#"{"k": [1, null]}"#, "null", "-0.0"]);
    }

    #[test]
    fn an_error_path_names_the_field() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Holder {
            amount: Failing,
        }
        #[derive(Debug)]
        struct Failing;
        impl<'de> Deserialize<'de> for Failing {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                with_raw_text(d, |t| Err(format!("no: {t}")))
            }
        }
        let de = &mut serde_json::Deserializer::from_str(r#"{"amount":"ten"}"#);
        let err = serde_path_to_error::deserialize::<_, Holder>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "amount");
        assert!(err.to_string().contains(r#"no: "ten""#), "{err}");
    }

    /// A deserializer that ignores the newtype name and shows a real map.
    struct MapOnly<'de>(&'de str);

    impl<'de> Deserializer<'de> for MapOnly<'de> {
        type Error = serde_json::Error;

        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            serde_json::Deserializer::from_str(self.0).deserialize_any(v)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, Self::Error> {
            self.deserialize_any(v)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
        }
    }

    #[test]
    fn a_plain_map_is_not_taken_for_raw_text() {
        let read = with_raw_text(MapOnly(r#"{"amount":"5"}"#), |t| Ok(t.to_string()));
        assert!(read.is_err(), "{read:?}");
    }

    /// Where the text handed to `read` lives, as an offset into the input.
    struct Offset(usize);

    impl<'de> Deserialize<'de> for Offset {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            with_raw_text(d, |t| Ok(Offset(t.as_ptr() as usize)))
        }
    }

    #[test]
    fn the_locked_serde_json_lends_the_text_in_place() {
        let json = r#"[1.5, "x"]"#;
        let offsets: Vec<Offset> = serde_json::from_slice(json.as_bytes()).unwrap();
        let start = json.as_ptr() as usize;
        let found: Vec<usize> = offsets.iter().map(|o| o.0.wrapping_sub(start)).collect();
        assert_eq!(found, [1, 6], "serde_json no longer lends raw text through its token");
    }
}

//! Exact JSON for request and response bodies, read and written by
//! serde_json.
//!
//! [`Json`] keeps every number as the text it was written with, so amounts
//! are never rounded through `f64` in either direction, without serde_json's
//! process-wide `arbitrary_precision` feature: numbers pass through its
//! `RawValue` both ways. Objects keep their order.
//! [`Fields`] reads request bodies field by field, so each API can answer
//! missing and mistyped fields with its own documented error.

mod fields;
mod parse;
#[cfg(test)]
mod tests;

pub(crate) use fields::{object, FieldError, Fields};
pub(crate) use parse::ParseError;

use std::fmt;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// A JSON value whose numbers are kept exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// A number's text, always valid JSON number syntax.
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Obj),
}

/// A JSON object in insertion order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Obj(Vec<(String, Json)>);

impl Obj {
    pub(crate) fn new() -> Self {
        Obj(Vec::new())
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key`, replacing its value in place when present.
    pub(crate) fn insert(&mut self, key: &str, value: Json) {
        match self.get_mut(key) {
            Some(slot) => *slot = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }

    /// Appends `key` even when it is already present (a duplicate key).
    pub(crate) fn push_duplicate(&mut self, key: &str, value: Json) {
        self.0.push((key.to_owned(), value));
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<Json> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Json)> {
        self.0.iter_mut().map(|(k, v)| (k.as_str(), v))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl From<Vec<(String, Json)>> for Obj {
    fn from(pairs: Vec<(String, Json)>) -> Self {
        let mut obj = Obj::new();
        for (k, v) in pairs {
            obj.insert(&k, v);
        }
        obj
    }
}

impl Json {
    /// The JSON type name, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Num(_) => "number",
            Json::Str(_) => "string",
            Json::Arr(_) => "array",
            Json::Obj(_) => "object",
        }
    }

    /// A member of an object (`None` for other values).
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        self.as_object().and_then(|o| o.get(key))
    }

    pub(crate) fn as_object(&self) -> Option<&Obj> {
        match self {
            Json::Obj(o) => Some(o),
            _ => None,
        }
    }

    pub(crate) fn as_object_mut(&mut self) -> Option<&mut Obj> {
        match self {
            Json::Obj(o) => Some(o),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A whole, non-negative number.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Num(n) => n.parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Parses one JSON text exactly (numbers keep their digits). A key
    /// repeated in an object keeps its last value, as `JSON.parse` does.
    pub(crate) fn parse(text: &[u8]) -> Result<Json, ParseError> {
        parse::parse(text)
    }
}

/// Written by serde_json, numbers as their text: a number is handed over as
/// a `RawValue`, so no feature is needed to keep its digits.
impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Num(n) => match serde_json::from_str::<&RawValue>(n) {
                Ok(raw) if raw.get() == n && n.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
                    raw.serialize(s)
                }
                // Not a number's text (a bug where the value was made): a
                // string, rather than a body that is not JSON.
                _ => s.serialize_str(n),
            },
            Json::Str(text) => s.serialize_str(text),
            Json::Arr(items) => s.collect_seq(items),
            Json::Obj(obj) => s.collect_map(obj.0.iter().map(|(k, v)| (k, v))),
        }
    }
}

/// Compact JSON text, numbers exactly as held.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Cannot fail: every key is a string and `serialize` has no error.
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

/// Values that render as JSON; [`obj!`] takes its values by reference
/// through this, as `serde_json::json!` does.
pub(crate) trait ToJson {
    fn to_json(&self) -> Json;
}

impl ToJson for Json {
    fn to_json(&self) -> Json {
        self.clone()
    }
}

impl ToJson for Obj {
    fn to_json(&self) -> Json {
        Json::Obj(self.clone())
    }
}

impl ToJson for str {
    fn to_json(&self) -> Json {
        Json::Str(self.to_owned())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::Str(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::Bool(*self)
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Json {
                Json::Num(self.to_string())
            }
        }
    )*};
}
integers!(u16, u32, u64, usize, i64);

/// A decimal is written digit for digit (`10.00` stays `10.00`).
impl ToJson for Decimal {
    fn to_json(&self) -> Json {
        Json::Num(self.to_string())
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        self.as_ref().map_or(Json::Null, ToJson::to_json)
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Json {
        Json::Arr(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn to_json(&self) -> Json {
        self[..].to_json()
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        self[..].to_json()
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Json {
        (**self).to_json()
    }
}

/// A JSON object from `"key": value` pairs, values taken by reference:
/// `obj! {"id": self.id, "amount": self.amount}`.
macro_rules! obj {
    ($($key:literal : $value:expr),* $(,)?) => {
        $crate::json::Json::Obj($crate::json::Obj::from(vec![
            $(($key.to_owned(), $crate::json::ToJson::to_json(&$value))),*
        ]))
    };
}
pub(crate) use obj;

/// A JSON response.
pub(crate) fn respond(status: StatusCode, body: &Json) -> Response {
    let mut resp = (status, body.to_string()).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

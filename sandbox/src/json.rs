//! Reading request bodies field by field, so each API can answer missing
//! and mistyped fields with its own documented error.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Number, Value};

/// Why a field was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldError {
    /// Required and absent (or `null`).
    Missing(String),
    /// Present with the wrong JSON type.
    WrongType { field: String, expected: &'static str, got: &'static str },
    /// Right type, unusable value.
    Invalid { field: String, reason: String },
}

impl FieldError {
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        FieldError::Invalid { field: field.into(), reason: reason.into() }
    }

    /// A readable message naming the field.
    pub(crate) fn message(&self) -> String {
        match self {
            FieldError::Missing(f) => format!("{f} is required"),
            FieldError::WrongType { field, expected, got } => {
                format!("{field} has the wrong type: expected {expected}, got {got}")
            }
            FieldError::Invalid { field, reason } => format!("{field} is invalid: {reason}"),
        }
    }
}

/// The JSON type name of a value, for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Parses a body that must be a JSON object.
pub(crate) fn object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!("the body must be a JSON object, got {}", type_name(&other))),
        Err(e) => Err(format!("the body is not valid JSON: {e}")),
    }
}

/// Reads an exact decimal from a JSON number (never through `f64`); `None`
/// when it cannot be held exactly (more than 28 decimal places, too many
/// digits, out of range), rather than a rounded value that would then pass
/// precision checks.
pub(crate) fn decimal(n: &Number) -> Option<Decimal> {
    let text = n.to_string();
    match text.split_once(['e', 'E']) {
        None => Decimal::from_str_exact(&text).ok(),
        // `from_scientific` parses the mantissa with rounding: check it first.
        Some((mantissa, _)) => {
            Decimal::from_str_exact(mantissa).ok()?;
            Decimal::from_scientific(&text).ok()
        }
    }
}

/// A JSON number carrying `d` digit for digit (`10.00` stays `10.00`).
pub(crate) fn number(d: Decimal) -> Value {
    Number::from_str(&d.to_string()).map_or_else(|_| Value::String(d.to_string()), Value::Number)
}

/// Typed access to the fields of one JSON object; `null` counts as absent.
pub(crate) struct Fields<'a>(pub(crate) &'a Map<String, Value>);

impl<'a> Fields<'a> {
    fn present(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    fn wrong(name: &str, expected: &'static str, got: &Value) -> FieldError {
        FieldError::WrongType { field: name.into(), expected, got: type_name(got) }
    }

    pub(crate) fn opt_str(&self, name: &str) -> Result<Option<&'a str>, FieldError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(Self::wrong(name, "string", v)),
        }
    }

    /// A required, non-empty string.
    pub(crate) fn str(&self, name: &str) -> Result<&'a str, FieldError> {
        match self.opt_str(name)? {
            None => Err(FieldError::Missing(name.into())),
            Some("") => Err(FieldError::invalid(name, "must not be empty")),
            Some(s) => Ok(s),
        }
    }

    pub(crate) fn opt_decimal(&self, name: &str) -> Result<Option<Decimal>, FieldError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                decimal(n).map(Some).ok_or_else(|| FieldError::invalid(name, "not representable as a decimal"))
            }
            Some(v) => Err(Self::wrong(name, "number", v)),
        }
    }

    pub(crate) fn decimal(&self, name: &str) -> Result<Decimal, FieldError> {
        self.opt_decimal(name)?.ok_or_else(|| FieldError::Missing(name.into()))
    }

    pub(crate) fn opt_bool(&self, name: &str) -> Result<Option<bool>, FieldError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(Self::wrong(name, "boolean", v)),
        }
    }

    pub(crate) fn bool(&self, name: &str) -> Result<bool, FieldError> {
        self.opt_bool(name)?.ok_or_else(|| FieldError::Missing(name.into()))
    }

    /// A required integer (as a JSON number without fraction).
    pub(crate) fn int(&self, name: &str) -> Result<i64, FieldError> {
        match self.present(name) {
            None => Err(FieldError::Missing(name.into())),
            Some(Value::Number(n)) => n.as_i64().ok_or_else(|| FieldError::invalid(name, "must be an integer")),
            Some(v) => Err(Self::wrong(name, "number", v)),
        }
    }

    /// An optional JSON object, kept as given.
    pub(crate) fn opt_object(&self, name: &str) -> Result<Option<&'a Value>, FieldError> {
        match self.present(name) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v)),
            Some(v) => Err(Self::wrong(name, "object", v)),
        }
    }

    /// The raw value of a field, when present.
    pub(crate) fn raw(&self, name: &str) -> Option<&'a Value> {
        self.present(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_exact() {
        let map = object(br#"{"a": 12345678901234567.89, "b": 10.00, "c": "10"}"#).unwrap();
        let f = Fields(&map);
        assert_eq!(f.decimal("a").unwrap().to_string(), "12345678901234567.89");
        assert_eq!(number(f.decimal("b").unwrap()).to_string(), "10.00");
        assert!(matches!(f.decimal("c"), Err(FieldError::WrongType { got: "string", .. })));
        assert_eq!(f.decimal("d"), Err(FieldError::Missing("d".into())));
    }

    #[test]
    fn numbers_that_would_round_are_refused() {
        let map = object(
            br#"{"long": 10.0000000000000000000000000001, "sci_long": 1.00000000000000000000000000001e1,
                 "huge": 1e40, "tiny": 1e-29, "sci": 1.5e3, "neg": -2.5E-2, "plus": 2e+2}"#,
        )
        .unwrap();
        let f = Fields(&map);
        for name in ["long", "sci_long", "huge", "tiny"] {
            assert!(matches!(f.decimal(name), Err(FieldError::Invalid { .. })), "{name}: {:?}", f.decimal(name));
        }
        assert_eq!(f.decimal("sci").unwrap(), Decimal::new(1500, 0));
        assert_eq!(f.decimal("neg").unwrap(), Decimal::new(-25, 3));
        assert_eq!(f.decimal("plus").unwrap(), Decimal::new(200, 0));
    }
}

//! Reading request bodies field by field, so each API can answer missing
//! and mistyped fields with its own documented error.

use rust_decimal::Decimal;

use super::{Json, Obj};

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

/// Parses a body that must be a JSON object.
pub(crate) fn object(body: &[u8]) -> Result<Obj, String> {
    match Json::parse(body) {
        Ok(Json::Obj(map)) => Ok(map),
        Ok(other) => Err(format!("the body must be a JSON object, got {}", other.type_name())),
        Err(e) => Err(format!("the body is not valid JSON: {e}")),
    }
}

/// Reads an exact decimal from a JSON number's text (never through `f64`);
/// `None` when it cannot be held exactly (more than 28 decimal places, too
/// many digits, out of range), rather than a rounded value that would then
/// pass precision checks.
fn decimal(text: &str) -> Option<Decimal> {
    match text.split_once(['e', 'E']) {
        None => Decimal::from_str_exact(text).ok(),
        // `from_scientific` parses the mantissa with rounding: check it first.
        Some((mantissa, _)) => {
            Decimal::from_str_exact(mantissa).ok()?;
            Decimal::from_scientific(text).ok()
        }
    }
}

/// Typed access to the fields of one JSON object; `null` counts as absent.
pub(crate) struct Fields<'a>(pub(crate) &'a Obj);

impl<'a> Fields<'a> {
    fn present(&self, name: &str) -> Option<&'a Json> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    fn wrong(name: &str, expected: &'static str, got: &Json) -> FieldError {
        FieldError::WrongType { field: name.into(), expected, got: got.type_name() }
    }

    pub(crate) fn opt_str(&self, name: &str) -> Result<Option<&'a str>, FieldError> {
        match self.present(name) {
            None => Ok(None),
            Some(Json::Str(s)) => Ok(Some(s)),
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
            Some(Json::Num(n)) => {
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
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(Self::wrong(name, "boolean", v)),
        }
    }

    pub(crate) fn bool(&self, name: &str) -> Result<bool, FieldError> {
        self.opt_bool(name)?.ok_or_else(|| FieldError::Missing(name.into()))
    }

    /// A required integer (a JSON number without fraction or exponent).
    pub(crate) fn int(&self, name: &str) -> Result<i64, FieldError> {
        match self.present(name) {
            None => Err(FieldError::Missing(name.into())),
            Some(Json::Num(n)) => n.parse().map_err(|_| FieldError::invalid(name, "must be an integer")),
            Some(v) => Err(Self::wrong(name, "number", v)),
        }
    }

    /// An optional JSON object, kept as given.
    pub(crate) fn opt_object(&self, name: &str) -> Result<Option<&'a Json>, FieldError> {
        match self.present(name) {
            None => Ok(None),
            Some(v @ Json::Obj(_)) => Ok(Some(v)),
            Some(v) => Err(Self::wrong(name, "object", v)),
        }
    }

    /// The raw value of a field, when present.
    pub(crate) fn raw(&self, name: &str) -> Option<&'a Json> {
        self.present(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::ToJson;

    #[test]
    fn numbers_stay_exact() {
        let map = object(br#"{"a": 12345678901234567.89, "b": 10.00, "c": "10", "e": 0.123456789012345678}"#).unwrap();
        let f = Fields(&map);
        assert_eq!(f.decimal("a").unwrap().to_string(), "12345678901234567.89");
        assert_eq!(f.decimal("b").unwrap().to_json().to_string(), "10.00");
        assert_eq!(f.decimal("e").unwrap().to_string(), "0.123456789012345678");
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

    #[test]
    fn integers_and_objects() {
        let map = object(br#"{"i": 1, "f": 1.0, "x": 1e0, "o": {"k": [1]}, "n": null}"#).unwrap();
        let f = Fields(&map);
        assert_eq!(f.int("i"), Ok(1));
        assert!(f.int("f").is_err() && f.int("x").is_err());
        assert_eq!(f.opt_object("o").unwrap().unwrap().to_string(), r#"{"k":[1]}"#);
        assert_eq!(f.raw("n"), None);
        assert_eq!(object(b"[1]").unwrap_err(), "the body must be a JSON object, got array");
    }
}

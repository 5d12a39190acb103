//! The `error` member providers put inside a body (a batch entry, an error
//! answer): an object with a name, code and message, or a bare text.

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::{wire_object, Extra, Text, WireDecode};

wire_object! {
    /// `{"name","code","message"}`, each optional; a numeric code is read as its digits.
    pub(crate) struct ErrorDetail {
        /// A name, e.g. `BadRequestError`.
        pub name: Option<String> = optional ["name"] via Text,
        /// A code, e.g. `INSUFFICIENT_FUNDS`.
        pub code: Option<String> = optional ["code", "errorCode"] via Text,
        /// What went wrong.
        pub message: Option<String> = optional ["message", "reason"] via Text,
    }
}

/// Reads `error` as an [`ErrorDetail`], or as text (its message); anything
/// else counts as absent rather than costing the rest of the body.
pub(crate) struct ErrorDetailWire;

impl WireDecode for ErrorDetailWire {
    type Value = ErrorDetail;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<ErrorDetail, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        let empty = || ErrorDetail { name: None, code: None, message: None, extra: Extra::default() };
        if let Ok(text) = serde_json::from_str::<String>(raw.get()) {
            return Ok(ErrorDetail { message: Some(text), ..empty() });
        }
        Ok(serde_json::from_str(raw.get()).unwrap_or_else(|_| empty()))
    }
}

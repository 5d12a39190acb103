//! Typed identifiers: a transfer id cannot be passed where a product id is
//! expected. Each reads from a JSON string or a number, digit for digit.
//!
//! An id is kept inline (no allocation) up to 23 bytes, which covers
//! numeric ids (even past 64 bits), short codes and MongoDB-style hex ids;
//! a longer one is kept on the heap. A page of ids thus decodes without
//! one allocation per id.

use serde::Deserializer;
use smol_str::SmolStr;

use super::{with_raw_text, with_raw_text_or_null, WireDecode};
use crate::redact::excerpt;

/// Reads a JSON string or a number as an inline string, digit for digit
/// (`"101"`, `101` and `254712345678901234567890` all read as written).
pub(crate) struct IdText;

impl IdText {
    /// The id in a raw JSON value: a string's content or a number's text.
    fn read(text: &str) -> Result<SmolStr, String> {
        match text.as_bytes().first() {
            // Without escapes the text between the quotes is the value.
            Some(b'"') if !text.contains('\\') && text.len() >= 2 => Ok(SmolStr::new(&text[1..text.len() - 1])),
            Some(b'"') => serde_json::from_str::<String>(text).map(SmolStr::from).map_err(|e| e.to_string()),
            Some(b'-' | b'0'..=b'9') => Ok(SmolStr::new(text)),
            _ => Err(format!("expected a string or a number, got {}", excerpt(text.as_bytes()))),
        }
    }
}

impl WireDecode for IdText {
    type Value = SmolStr;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<SmolStr, D::Error> {
        with_raw_text(d, IdText::read)
    }

    fn decode_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SmolStr>, D::Error> {
        with_raw_text_or_null(d, IdText::read)
    }
}

/// Declares an identifier newtype over an inline string, with the usual
/// conversions. The text is reached through `as_str`, `Deref<Target = str>`
/// or `Display`; `String::from(id)` takes it out.
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "test-util", derive(Default))]
        pub struct $name(::smol_str::SmolStr);

        /// Reads a JSON string or an integer: the document's type is a guess
        /// a provider may not share.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$crate::wire::IdText as $crate::wire::WireDecode>::decode(d).map($name)
            }
        }

        /// Writes the id as a JSON string.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.0.as_str())
            }
        }

        /// For `wire_object!`'s `via`: `null` and the id read in one visit.
        impl $crate::wire::WireDecode for $name {
            type Value = $name;

            fn decode<'de, D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                <$crate::wire::IdText as $crate::wire::WireDecode>::decode(d).map($name)
            }

            fn decode_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<$name>, D::Error> {
                <$crate::wire::IdText as $crate::wire::WireDecode>::decode_option(d).map(|id| id.map($name))
            }
        }

        impl $name {
            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                self.0.as_str()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.0.as_str()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(::smol_str::SmolStr::new(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(::smol_str::SmolStr::from(s))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }
    };
}
pub(crate) use string_id;

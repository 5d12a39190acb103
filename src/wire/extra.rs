//! Fields a response carries that walletkit does not name.

use std::fmt;
use std::ops::Index;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// Each unnamed field's name and raw JSON, in the order received.
type Fields = Vec<(String, Box<RawValue>)>;

/// The fields of a response object this version does not name, each kept as
/// its raw JSON text, so nothing a provider adds is lost and numbers stay
/// exact (`extra.get("fee")` prints `0.000000001`, not a float).
///
/// `Debug` lists the names only: an unknown field may hold anything.
#[derive(Clone, Default)]
pub struct Extra {
    /// Boxed: most responses carry no unnamed field, and one pointer keeps
    /// every response struct 16 bytes smaller than a `Vec` would.
    fields: Option<Box<Fields>>,
}

impl Extra {
    /// The fields, empty when there are none.
    fn fields(&self) -> &[(String, Box<RawValue>)] {
        self.fields.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The raw JSON of field `name`, if the response carried it.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.fields().iter().find(|(n, _)| n == name).map(|(_, v)| &**v)
    }

    /// Decodes field `name` into `T` (use [`crate::money`] adapters for amounts).
    pub fn decode<T: DeserializeOwned>(&self, name: &str) -> Option<serde_json::Result<T>> {
        self.get(name).map(|raw| serde_json::from_str(raw.get()))
    }

    /// Whether the response carried field `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every unnamed field, in the order received.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.fields().iter().map(|(n, v)| (n.as_str(), &**v))
    }

    /// How many unnamed fields there are.
    pub fn len(&self) -> usize {
        self.fields().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    /// Keeps the first value of a repeated name, like the named fields.
    pub(crate) fn insert(&mut self, name: String, value: Box<RawValue>) {
        if !self.contains_key(&name) {
            self.fields.get_or_insert_with(Box::default).push((name, value));
        }
    }

    /// Adds a field (test-util builders and tests).
    ///
    /// # Errors
    /// When `json` is not valid JSON.
    pub fn with(mut self, name: impl Into<String>, json: &str) -> serde_json::Result<Self> {
        self.insert(name.into(), RawValue::from_string(json.to_string())?);
        Ok(self)
    }
}

/// One JSON value kept exactly as received (numbers digit for digit), for
/// fields a document types only as "Any"; comparable by its text.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(transparent)]
pub struct RawJson(pub Box<RawValue>);

impl RawJson {
    /// The raw JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Decodes the value into `T` (use [`crate::money`] adapters for amounts).
    ///
    /// # Errors
    /// When the value does not fit `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.get())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self.fields().iter().zip(other.fields()).all(|((a, x), (b, y))| a == b && x.get() == y.get())
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.fields().iter().map(|(n, _)| n)).finish()
    }
}

impl Index<&str> for Extra {
    type Output = RawValue;

    /// # Panics
    /// When the field is absent, like indexing a map; use [`Extra::get`] otherwise.
    fn index(&self, name: &str) -> &RawValue {
        match self.get(name) {
            Some(v) => v,
            None => panic!("no unnamed field `{name}`"),
        }
    }
}

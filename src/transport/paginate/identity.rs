//! Telling a listing's items apart, so a stream yields each once however
//! the server pages: by id where the item has one, by its raw JSON otherwise.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hasher};

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// An item's identity in a listing: 128 bits of SipHash over its id or its
/// raw JSON, so remembering every item yielded costs 16 bytes each, not a
/// copy of the item. Two different items colliding is as likely as
/// guessing a 128-bit number, and a hostile server gains nothing by trying:
/// it could simply leave the item out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ItemKey(u128);

impl ItemKey {
    /// The identity of an item with this id.
    pub(crate) fn id(id: &str) -> Self {
        Self::digest(b'i', id.as_bytes())
    }

    /// The identity of an item without an id: its raw JSON text.
    pub(crate) fn content(raw: &str) -> Self {
        Self::digest(b'c', raw.as_bytes())
    }

    fn digest(kind: u8, bytes: &[u8]) -> Self {
        let half = |salt: u8| {
            let mut h = DefaultHasher::new();
            h.write_u8(kind);
            h.write_u8(salt);
            h.write(bytes);
            h.finish()
        };
        ItemKey((u128::from(half(0)) << 64) | u128::from(half(1)))
    }
}

/// Every item a listing has yielded.
#[derive(Debug, Default)]
pub(crate) struct Seen(HashSet<ItemKey>);

impl Seen {
    /// Records `key`; whether it is new.
    pub(crate) fn admit(&mut self, key: ItemKey) -> bool {
        self.0.insert(key)
    }

    /// How many distinct items were yielded.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// A listed type that may carry an id. Public only so that listings of
/// walletkit's types can name it in their bounds; it cannot be reached
/// from outside the crate.
pub trait Identify {
    /// The item's id, when it carries one.
    fn identity(&self) -> Option<&str>;
}

/// An item decoded together with its identity: its id when it has one,
/// otherwise its raw JSON (read once more from the raw text, exactly).
pub(crate) struct Keyed<T> {
    pub item: T,
    pub key: ItemKey,
}

impl<'de, T: DeserializeOwned + Identify> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <Box<RawValue>>::deserialize(d)?;
        let item: T = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
        let key = item.identity().map_or_else(|| ItemKey::content(raw.get()), ItemKey::id);
        Ok(Keyed { item, key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Named {
        id: Option<String>,
    }

    impl Identify for Named {
        fn identity(&self) -> Option<&str> {
            self.id.as_deref()
        }
    }

    impl<'de> Deserialize<'de> for Named {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            #[derive(Deserialize)]
            struct Wire {
                id: Option<String>,
            }
            Wire::deserialize(d).map(|w| Named { id: w.id })
        }
    }

    #[test]
    fn ids_decide_where_present_raw_text_otherwise() {
        let keys: Vec<Keyed<Named>> =
            serde_json::from_str(r#"[{"id":"a","n":1},{"id":"a","n":2},{"n":1},{"n":1},{"n":2}]"#).unwrap();
        let k: Vec<ItemKey> = keys.iter().map(|k| k.key).collect();
        assert_eq!(k[0], k[1], "same id, different content: the same item");
        assert_eq!(k[2], k[3], "same raw text without an id");
        assert_ne!(k[3], k[4]);
        assert_ne!(ItemKey::id("1"), ItemKey::content("1"), "an id never equals a raw text");
        assert_eq!(keys[0].item.id.as_deref(), Some("a"));
    }

    #[test]
    fn seen_counts_distinct_keys() {
        let mut seen = Seen::default();
        assert!(seen.admit(ItemKey::id("1")));
        assert!(!seen.admit(ItemKey::id("1")));
        assert!(seen.admit(ItemKey::id("2")));
        assert_eq!(seen.len(), 2);
    }
}

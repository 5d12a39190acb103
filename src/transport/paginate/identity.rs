//! Telling a listing's items apart, so a stream yields each once however
//! the server pages: by id where the item has one, by its raw JSON otherwise.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hasher};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::wire::with_raw_text;

/// An item's identity in a listing: 128 bits of SipHash over its id or its
/// raw JSON, so remembering every item yielded costs 16 bytes each, not a
/// copy of the item. Two different items colliding is as likely as
/// guessing a 128-bit number, and a hostile server gains nothing by trying:
/// it could simply leave the item out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ItemKey(u128);

impl ItemKey {
    /// The identity of an item with this id. An id of up to 15 bytes (most
    /// are: a Wallets page is 100 of them) is its own key, its bytes and
    /// length packed into the 128 bits: exact, and no hashing. A packed key
    /// equals a digest only by the same 128-bit chance as two digests.
    pub(crate) fn id(id: &str) -> Self {
        let bytes = id.as_bytes();
        match u8::try_from(bytes.len()) {
            Ok(len) if len <= 15 => {
                let mut packed = [0u8; 16];
                packed[..bytes.len()].copy_from_slice(bytes);
                packed[15] = 0x80 | len;
                ItemKey(u128::from_le_bytes(packed))
            }
            _ => Self::digest(b'i', bytes),
        }
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
    /// The raw text is read in place (borrowed from the body, not copied
    /// into a `Box<RawValue>` per item).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        with_raw_text(d, |raw| {
            let item: T = serde_json::from_str(raw).map_err(|e| e.to_string())?;
            let key = item.identity().map_or_else(|| ItemKey::content(raw), ItemKey::id);
            Ok(Keyed { item, key })
        })
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
        // Packed short ids and hashed long ones: every length, trailing NULs
        // and a shared prefix all keep ids apart.
        let ids: Vec<String> = (0..=17)
            .map(|n| "7".repeat(n))
            .chain(
                ["a", "a\0", "a\0\0", "101", "0101", "1010", "123456789012345", "1234567890123456"].map(String::from),
            )
            .collect();
        let distinct: HashSet<ItemKey> = ids.iter().map(|id| ItemKey::id(id)).collect();
        assert_eq!(distinct.len(), ids.len());
        assert_eq!(ItemKey::id("101"), ItemKey::id(&String::from("101")));
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

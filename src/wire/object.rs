//! [`wire_object!`]: response structs whose `Deserialize` tolerates every
//! plausible reading of a document.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::{Deserialize, Deserializer};

/// A way of decoding one field that a plain `Deserialize` does not give
/// (exact money, text from strings or numbers, lenient timestamps).
pub(crate) trait WireDecode {
    /// What the field holds.
    type Value;

    /// Decodes a present, non-null value.
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error>;

    /// Decodes a value that may be `null` (`None`). By default the
    /// deserializer is asked about `null` first; a decoder that reads the raw
    /// text overrides this to answer both in one visit.
    fn decode_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self::Value>, D::Error>
    where
        Self: Sized,
    {
        d.deserialize_option(ViaOption::<Self>(PhantomData))
    }
}

/// Seed decoding an optional field through `W`: `null` is `None`.
pub(crate) struct ViaOption<W>(PhantomData<W>);

impl<W> ViaOption<W> {
    pub(crate) fn new() -> Self {
        ViaOption(PhantomData)
    }
}

impl<'de, W: WireDecode> DeserializeSeed<'de> for ViaOption<W> {
    type Value = Option<W::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<W::Value>, D::Error> {
        W::decode_option(d)
    }
}

impl<'de, W: WireDecode> Visitor<'de> for ViaOption<W> {
    type Value = Option<W::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or a value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        W::decode(d).map(Some)
    }
}

/// An object key, borrowed from the input when it can be.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Where `key` ranks among a field's spellings (0 is the preferred one).
pub(crate) fn rank(key: &str, spellings: &[&str]) -> Option<usize> {
    spellings.iter().position(|s| *s == key)
}

/// One field's value while an object is read: the best-ranked non-null
/// spelling seen so far wins, so `{"balance":1,"available":2}` is not the
/// duplicate-field error serde's `alias` would make it.
pub(crate) struct Slot<T> {
    value: Option<(u8, T)>,
}

impl<T> Slot<T> {
    pub(crate) fn new() -> Self {
        Slot { value: None }
    }

    /// Offers a decoded value found under the spelling of rank `rank`;
    /// `None` (a `null`) never displaces anything.
    pub(crate) fn offer(&mut self, rank: usize, value: Option<T>) {
        let Some(value) = value else { return };
        let rank = u8::try_from(rank).unwrap_or(u8::MAX);
        if self.value.as_ref().is_none_or(|(held, _)| rank < *held) {
            self.value = Some((rank, value));
        }
    }

    /// The winning value.
    pub(crate) fn take(self) -> Option<T> {
        self.value.map(|(_, v)| v)
    }
}

/// Declares a response struct with a tolerant `Deserialize` and an `extra`
/// field for everything it does not name.
///
/// ```ignore
/// wire_object! {
///     /// A product.
///     pub struct Product {
///         /// Product id.
///         pub product_id: String = required ["productId", "id"] via Text,
///         /// Smallest amount accepted.
///         pub min_amount: Option<Decimal> = optional ["minAmount"] via Money,
///         /// Display name.
///         pub name: Option<String> = optional ["name"],
///     }
/// }
/// ```
///
/// Kinds: `required` (absent or `null` is an error; only for fields the
/// document names), `optional` (an `Option`; absent or `null` is `None`) and
/// `default` (absent or `null` is `Default::default()`). `via W` decodes the
/// value with a [`WireDecode`] instead of its own `Deserialize`.
macro_rules! wire_object {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty = $kind:ident [$first:literal $(, $wire:literal)* $(,)?] $(via $via:ty)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "test-util", derive(Default))]
        #[non_exhaustive]
        $vis struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Fields this version does not name, as raw JSON.
            pub extra: $crate::wire::Extra,
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        $( let mut $field = $crate::wire::Slot::<$ty>::new(); )*
                        let mut extra = $crate::wire::Extra::default();
                        while let Some($crate::wire::Key(key)) = map.next_key()? {
                            // A `match` on the spellings compiles to a few
                            // comparisons; the rank is looked up only for the
                            // field that matched.
                            match &*key {
                                $(
                                    $first $(| $wire)* => {
                                        // The document's spelling, by far the
                                        // most common, ranks first without a look-up.
                                        let rank = if &*key == $first {
                                            0
                                        } else {
                                            $crate::wire::rank(&key, &[$first $(, $wire)*]).unwrap_or(0)
                                        };
                                        let value = $crate::wire::wire_object!(@value map, $kind, $ty $(, $via)?);
                                        $field.offer(rank, value);
                                    }
                                )*
                                _ => extra.insert(key.into_owned(), map.next_value()?),
                            }
                        }
                        Ok($name {
                            $( $field: $crate::wire::wire_object!(@finish $field, $kind, $first), )*
                            extra,
                        })
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };

    (@value $map:ident, required, $ty:ty) => { $map.next_value::<Option<$ty>>()? };
    (@value $map:ident, required, $ty:ty, $via:ty) => {
        $map.next_value_seed($crate::wire::ViaOption::<$via>::new())?
    };
    (@value $map:ident, optional, $ty:ty) => {{
        let value: $ty = $map.next_value()?;
        value.is_some().then_some(value)
    }};
    (@value $map:ident, optional, $ty:ty, $via:ty) => {{
        let value: $ty = $map.next_value_seed($crate::wire::ViaOption::<$via>::new())?;
        value.is_some().then_some(value)
    }};
    (@value $map:ident, default, $ty:ty) => { $map.next_value::<Option<$ty>>()? };
    (@value $map:ident, default, $ty:ty, $via:ty) => {
        $map.next_value_seed($crate::wire::ViaOption::<$via>::new())?
    };

    (@finish $slot:ident, required, $first:literal) => {
        $slot.take().ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field($first))?
    };
    (@finish $slot:ident, optional, $first:literal) => { $slot.take().flatten() };
    (@finish $slot:ident, default, $first:literal) => { $slot.take().unwrap_or_default() };
}
pub(crate) use wire_object;

#[cfg(test)]
mod tests {
    use crate::wire::money::{Decimal, Money};
    use crate::wire::Text;

    wire_object! {
        /// A test shape.
        pub struct Sample {
            /// An id in two spellings.
            pub sample_id: String = required ["sampleId", "id"] via Text,
            /// Money in two spellings.
            pub amount: Option<Decimal> = optional ["amount", "balance", "available"] via Money,
            /// A plain optional.
            pub name: Option<String> = optional ["name"],
            /// A list.
            pub tags: Vec<String> = default ["tags"],
        }
    }

    fn read(json: &str) -> Sample {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn both_spellings_at_once_prefer_the_first_and_keep_the_rest_out_of_extra() {
        let s = read(r#"{"id":7,"sampleId":"S-1","available":"2.50","balance":1.25}"#);
        assert_eq!(s.sample_id, "S-1");
        assert_eq!(s.amount, Some(Decimal::new(125, 2)));
        assert!(s.extra.is_empty(), "{:?}", s.extra);
        let s = read(r#"{"sampleId":"S-1","id":7,"balance":1.25,"available":"2.50"}"#);
        assert_eq!(s.sample_id, "S-1");
        assert_eq!(s.amount, Some(Decimal::new(125, 2)));
    }

    #[test]
    fn nulls_are_absent_and_a_null_never_displaces_a_value() {
        let s = read(r#"{"id":1,"amount":null,"balance":3,"name":null,"tags":null}"#);
        assert_eq!(s.sample_id, "1");
        assert_eq!(s.amount, Some(Decimal::from(3)));
        assert_eq!(s.name, None);
        assert!(s.tags.is_empty());
    }

    #[test]
    fn unknown_fields_stay_reachable_exactly() {
        let s = read(r#"{"id":"x","fee":0.000000001,"nested":{"a":[1,2]},"big":12345678901234567.89}"#);
        assert_eq!(s.extra.get("fee").unwrap().get(), "0.000000001");
        assert_eq!(s.extra["big"].get(), "12345678901234567.89");
        assert_eq!(s.extra.get("nested").unwrap().get(), r#"{"a":[1,2]}"#);
        assert_eq!(s.extra.len(), 3);
    }

    #[test]
    fn a_missing_required_field_names_the_documented_spelling() {
        let err = serde_json::from_str::<Sample>(r#"{"name":"n"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `sampleId`"), "{err}");
        let err = serde_json::from_str::<Sample>(r#"{"id":null}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `sampleId`"), "{err}");
    }

    #[test]
    fn escaped_keys_and_values_from_a_reader() {
        let s: Sample =
            serde_json::from_reader(&br#"{"\u0069d":"a\"b","odd\nkey":1,"amount":0.123456789012345678}"#[..]).unwrap();
        assert_eq!(s.amount, Some("0.123456789012345678".parse().unwrap()));
        assert_eq!(s.sample_id, "a\"b");
        assert!(s.extra.contains_key("odd\nkey"));
    }
}

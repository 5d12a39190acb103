//! Numbers a server offers only as hints (totals, echoes of the position).

use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// A number the server offers as a hint, such as a paging total: kept when
/// it is a non-negative integer (or a string holding one) that fits a
/// `u64`, and `None` for anything else, so an odd hint never fails a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Hint(pub Option<u64>);

impl Hint {
    /// The hint as a `u32`, when it fits.
    pub(crate) fn as_u32(self) -> Option<u32> {
        self.0.and_then(|n| u32::try_from(n).ok())
    }
}

impl<'de> Deserialize<'de> for Hint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(HintVisitor).map(Hint)
    }
}

struct HintVisitor;

impl<'de> Visitor<'de> for HintVisitor {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(u64::try_from(v).ok())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse().ok())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_hints_are_absent_not_errors() {
        let read = |json: &str| serde_json::from_str::<Hint>(json).unwrap().0;
        assert_eq!(read("7"), Some(7));
        assert_eq!(read(r#"" 7 ""#), Some(7));
        assert_eq!(read("18446744073709551615"), Some(u64::MAX));
        for odd in ["-1", "1.5", "1e30", "184467440737095516150", r#""x""#, "true", "null", "[1,[2]]", r#"{"a":1}"#] {
            assert_eq!(read(odd), None, "{odd}");
        }
        assert_eq!(Hint(Some(u64::from(u32::MAX) + 1)).as_u32(), None);
    }
}

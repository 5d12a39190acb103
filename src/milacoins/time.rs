//! Timestamps as MilaCoins sends them: epoch seconds or milliseconds as JSON
//! numbers (`expiredAt`, `createdAt` on invoices), or ISO 8601 text
//! (`createdAt` on logs and transactions). Parsing lives in `crate::wire`.

/// Serde adapter for an optional timestamp (`null` or absent is `None`).
pub(crate) mod option {
    use chrono::{DateTime, Utc};
    use serde::de::DeserializeSeed;
    use serde::Deserializer;

    use crate::wire::{Strict, ViaOption};

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        ViaOption::<Strict>::new().deserialize(d)
    }
}

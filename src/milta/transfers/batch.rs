//! A batch's answer, read entry by entry.

use serde::{Deserialize, Deserializer};

use super::{ExternalId, TransferId, TransferStatus};
use crate::error::ErrorKind;
use crate::wire::{wire_object, ErrorDetail, ErrorDetailWire, Extra, RawJson, Text};

/// The answer to one batch request.
///
/// Entries are read one by one: an entry that cannot be read lands in
/// [`unreadable`](BatchResponse::unreadable) and never costs the others.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "test-util", derive(Default))]
#[non_exhaustive]
pub struct BatchResponse {
    /// The batch's id.
    pub batch_id: Option<String>,
    /// How many entries were accepted, when the server says.
    pub accepted: Option<u32>,
    /// How many were rejected, when the server says.
    pub rejected: Option<u32>,
    /// One outcome per readable entry, in the server's order.
    pub transfers: Vec<BatchEntry>,
    /// Entries the server sent that could not be read. The server may have
    /// accepted them: never put them in another batch. The same batch sent
    /// again unchanged within 24 h is safe (its key); after that, a person
    /// checks them by `externalId` (the document offers no lookup by it).
    pub unreadable: Vec<UnreadableEntry>,
    /// Fields this version does not name, as raw JSON.
    pub extra: Extra,
}

/// A batch entry that could not be read.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "test-util", derive(Default))]
#[non_exhaustive]
pub struct UnreadableEntry {
    /// Its position in the server's `transfers` array.
    pub index: usize,
    /// Its `externalId`, when that much could be read.
    pub external_id: Option<ExternalId>,
    /// Why it could not be read.
    pub message: String,
    /// The start of the entry's JSON.
    pub excerpt: String,
}

wire_object! {
    /// The batch answer as sent; entries are decoded one at a time afterwards.
    struct BatchWire {
        /// The batch's id.
        pub batch_id: Option<String> = optional ["batchId", "id"] via Text,
        /// Accepted count.
        pub accepted: Option<u32> = optional ["accepted"],
        /// Rejected count.
        pub rejected: Option<u32> = optional ["rejected"],
        /// The entries, still raw.
        pub transfers: Vec<RawJson> = default ["transfers", "items"],
    }
}

impl<'de> Deserialize<'de> for BatchResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let wire = BatchWire::deserialize(d)?;
        let mut transfers = Vec::with_capacity(wire.transfers.len());
        let mut unreadable = Vec::new();
        for (index, raw) in wire.transfers.iter().enumerate() {
            match serde_json::from_str::<BatchEntry>(raw.get()) {
                Ok(entry) => transfers.push(entry),
                Err(e) => unreadable.push(UnreadableEntry {
                    index,
                    external_id: serde_json::from_str::<ExternalIdOnly>(raw.get()).ok().and_then(|e| e.external_id),
                    // serde quotes the entry's values: the server's text, cleaned.
                    message: crate::redact::excerpt(e.to_string().as_bytes()),
                    excerpt: crate::redact::excerpt(raw.get().as_bytes()),
                }),
            }
        }
        Ok(BatchResponse {
            batch_id: wire.batch_id,
            accepted: wire.accepted,
            rejected: wire.rejected,
            transfers,
            unreadable,
            extra: wire.extra,
        })
    }
}

wire_object! {
    /// Just enough of an unreadable entry to reconcile it.
    struct ExternalIdOnly {
        /// Your reference.
        pub external_id: Option<ExternalId> = optional ["externalId"] via ExternalId,
    }
}

/// One entry's outcome in a batch.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "test-util", derive(Default))]
#[non_exhaustive]
pub struct BatchEntry {
    /// Your reference.
    pub external_id: ExternalId,
    /// The entry's state (`REJECTED` for refused entries).
    pub status: TransferStatus,
    /// Milta's id, for accepted entries.
    pub transfer_id: Option<TransferId>,
    /// Why an entry was rejected (`message`, `reason` or `error.message`).
    pub message: Option<String>,
    /// The rejection code exactly as sent (`code` or `error.code`), e.g. `INSUFFICIENT_FUNDS`.
    pub code: Option<String>,
    /// The rejection code normalised, so `INSUFFICIENT_FUNDS` and
    /// `INVALID_RECIPIENT` can be told apart without string matching.
    pub kind: Option<ErrorKind>,
    /// Fields this version does not name, as raw JSON.
    pub extra: Extra,
}

wire_object! {
    /// A batch entry as sent.
    struct BatchEntryWire {
        /// Your reference.
        pub external_id: ExternalId = required ["externalId"] via ExternalId,
        /// State.
        pub status: TransferStatus = required ["status"],
        /// Milta's id.
        pub transfer_id: Option<TransferId> = optional ["transferId", "id"] via TransferId,
        /// A message.
        pub message: Option<String> = optional ["message"],
        /// A reason.
        pub reason: Option<String> = optional ["reason"],
        /// A code.
        pub code: Option<String> = optional ["code", "errorCode"] via Text,
        /// An error, as text or as `{code, message}`.
        pub error: Option<ErrorDetail> = optional ["error"] via ErrorDetailWire,
    }
}

impl<'de> Deserialize<'de> for BatchEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let wire = BatchEntryWire::deserialize(d)?;
        let (error_code, error_message) = wire.error.map(|e| (e.code, e.message)).unwrap_or_default();
        let code = wire.code.or(error_code);
        let refused = matches!(wire.status, TransferStatus::Rejected | TransferStatus::Failed);
        let kind = match code.as_deref() {
            Some(code) => Some(crate::milta::error::kind_of(code).unwrap_or(ErrorKind::Other)),
            None => refused.then_some(ErrorKind::Other),
        };
        Ok(BatchEntry {
            external_id: wire.external_id,
            status: wire.status,
            transfer_id: wire.transfer_id,
            message: error_message.or(wire.message).or(wire.reason),
            code,
            kind,
            extra: wire.extra,
        })
    }
}

impl BatchEntry {
    /// Whether the server accepted this entry.
    pub fn is_accepted(&self) -> bool {
        self.transfer_id.is_some() && !matches!(self.status, TransferStatus::Rejected | TransferStatus::Failed)
    }
}

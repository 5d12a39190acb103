//! A transfer as the server reports it, and its lifecycle status.

use chrono::{DateTime, Utc};

use super::request::ExternalId;
use crate::wire::{string_id, wire_enum, wire_object, Money, Strict};
use crate::Decimal;

string_id!(
    /// Milta's transfer id, e.g. `T-9001`.
    TransferId
);

wire_enum! {
    /// A transfer's lifecycle state; unknown values are kept as sent.
    TransferStatus {
        /// Accepted, being processed.
        Pending = "PENDING",
        /// Deferred, waiting for `scheduledAt`.
        Scheduled = "SCHEDULED",
        /// Done.
        Completed = "COMPLETED",
        /// Failed.
        Failed = "FAILED",
        /// Cancelled before execution.
        Cancelled = "CANCELLED",
        /// A batch entry the server refused.
        Rejected = "REJECTED",
    }
}

impl TransferStatus {
    /// Whether the transfer has reached the end of its lifecycle
    /// (`COMPLETED`, `FAILED`, `CANCELLED`, or a `REJECTED` batch entry).
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            TransferStatus::Completed | TransferStatus::Failed | TransferStatus::Cancelled | TransferStatus::Rejected
        )
    }
}

wire_object! {
    /// A transfer as the server reports it (the document's shape).
    pub struct Transfer {
        /// Milta's id.
        pub transfer_id: TransferId = required ["transferId", "id"] via TransferId,
        /// Your reference.
        pub external_id: Option<ExternalId> = optional ["externalId"] via ExternalId,
        /// Current state.
        pub status: TransferStatus = required ["status"],
        /// When a deferred transfer executes.
        pub scheduled_at: Option<DateTime<Utc>> = optional ["scheduledAt"] via Strict,
        /// Amount, when reported.
        pub amount: Option<Decimal> = optional ["amount"] via Money,
        /// Currency, when reported.
        pub currency: Option<String> = optional ["currency", "currencyCode"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keeps_unknown_values() {
        let s: TransferStatus = serde_json::from_str(r#""ON_HOLD""#).unwrap();
        assert_eq!(s, TransferStatus::Unknown("ON_HOLD".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""ON_HOLD""#);
        let s: TransferStatus = serde_json::from_str(r#""CANCELLED""#).unwrap();
        assert_eq!(s, TransferStatus::Cancelled);
    }
}

//! What to send: a transfer request and the identifiers it carries.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::wire::string_id;
use crate::Decimal;

string_id!(
    /// Your unique reference for a transfer (`externalId`), e.g. `TXN-001`.
    /// Milta refuses a second transfer with it (`TRANSFER_ALREADY_EXISTS`);
    /// the document offers no lookup by it.
    ExternalId
);

string_id!(
    /// A product's id (`productId`), e.g. `PRODUCT_123`, from the catalogue.
    ProductId
);

string_id!(
    /// A recipient's phone number in international form, e.g. `+447700900001`.
    PhoneNumber
);

/// Most transfers one batch request may carry.
pub const MAX_BATCH: usize = 100;

/// A transfer to create: `POST /transfers`, or one entry of a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferRequest {
    external_id: ExternalId,
    product_id: ProductId,
    recipient_phone: PhoneNumber,
    #[serde(with = "crate::wire::money::number")]
    amount: Decimal,
    currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    deferred: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_at: Option<DateTime<Utc>>,
}

impl TransferRequest {
    /// A transfer of `amount` `currency` of `product_id` to `recipient_phone`.
    /// `external_id` is your unique reference (see [`ExternalId`]).
    ///
    /// The identifiers are distinct types, so a product id cannot land
    /// where the phone number goes:
    ///
    /// ```
    /// use walletkit::milta::{ExternalId, PhoneNumber, ProductId, TransferRequest};
    /// use walletkit::Decimal;
    ///
    /// let t = TransferRequest::new(
    ///     ExternalId::from("TXN-001"),
    ///     ProductId::from("PRODUCT_123"),
    ///     PhoneNumber::from("+447700900001"),
    ///     Decimal::new(1000, 2),
    ///     "GBP",
    /// );
    /// assert_eq!(t.external_id().as_str(), "TXN-001");
    /// ```
    pub fn new(
        external_id: ExternalId,
        product_id: ProductId,
        recipient_phone: PhoneNumber,
        amount: Decimal,
        currency: impl Into<String>,
    ) -> Self {
        TransferRequest {
            external_id,
            product_id,
            recipient_phone,
            amount,
            currency: currency.into(),
            deferred: None,
            scheduled_at: None,
        }
    }

    /// Defers execution until `at` (`deferred: true`, `scheduledAt`).
    pub fn scheduled_at(mut self, at: DateTime<Utc>) -> Self {
        self.deferred = Some(true);
        self.scheduled_at = Some(at);
        self
    }

    /// Your reference for this transfer.
    pub fn external_id(&self) -> &ExternalId {
        &self.external_id
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    pub(super) fn validate(&self) -> Result<()> {
        if self.amount <= Decimal::ZERO {
            return Err(Error::InvalidRequest(format!("a transfer amount must be positive, got {}", self.amount)));
        }
        if self.external_id.as_str().is_empty() {
            return Err(Error::InvalidRequest("a transfer needs a non-empty externalId".into()));
        }
        Ok(())
    }
}

/// Refuses a set of transfers that repeats an `externalId`: the server would
/// reject the repeats, and the outcomes could not be told apart.
pub(super) fn check_unique_external_ids(transfers: &[TransferRequest]) -> Result<()> {
    // Positions, not the id: an error's text names no reference.
    let mut seen = std::collections::HashMap::with_capacity(transfers.len());
    for (n, t) in transfers.iter().enumerate() {
        if let Some(first) = seen.insert(&t.external_id, n) {
            return Err(Error::InvalidRequest(format!(
                "transfers {} and {} share an externalId; each must be unique",
                first + 1,
                n + 1
            )));
        }
    }
    Ok(())
}

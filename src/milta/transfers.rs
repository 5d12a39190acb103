//! Transfers: create (now or deferred), status, cancel, and batches.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::client::{paths, rate_class, MiltaClient, IDEMPOTENCY_HEADER};
use super::envelope;
use crate::enums::wire_enum;
use crate::error::{Error, Result};
use crate::ids::string_id;
use crate::money::Decimal;
use crate::Request;

string_id!(
    /// Milta's transfer id, e.g. `T-9001`.
    TransferId
);

/// Most transfers one batch request may carry.
pub const MAX_BATCH: usize = 100;

/// How long before `scheduledAt` a deferred transfer can still be cancelled.
pub const CANCELLATION_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

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

/// A transfer to create: `POST /transfers`, or one entry of a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferRequest {
    external_id: String,
    product_id: String,
    recipient_phone: String,
    #[serde(with = "crate::money::number")]
    amount: Decimal,
    currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    deferred: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_at: Option<DateTime<Utc>>,
}

impl TransferRequest {
    /// A transfer of `amount` `currency` of `product_id` to `recipient_phone`.
    /// `external_id` is your unique reference: reconcile by it.
    pub fn new(
        external_id: impl Into<String>,
        product_id: impl Into<String>,
        recipient_phone: impl Into<String>,
        amount: Decimal,
        currency: impl Into<String>,
    ) -> Self {
        TransferRequest {
            external_id: external_id.into(),
            product_id: product_id.into(),
            recipient_phone: recipient_phone.into(),
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
    pub fn external_id(&self) -> &str {
        &self.external_id
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    fn validate(&self) -> Result<()> {
        if self.amount <= Decimal::ZERO {
            return Err(Error::InvalidRequest(format!(
                "transfer {} has amount {}; amounts must be positive",
                self.external_id, self.amount
            )));
        }
        if self.external_id.is_empty() {
            return Err(Error::InvalidRequest("a transfer needs a non-empty externalId".into()));
        }
        Ok(())
    }
}

/// A transfer as the server reports it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Transfer {
    /// Milta's id.
    pub transfer_id: TransferId,
    /// Your reference.
    pub external_id: Option<String>,
    /// Current state.
    pub status: TransferStatus,
    /// When a deferred transfer executes.
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Amount, when reported.
    #[serde(default, with = "crate::money::option")]
    pub amount: Option<Decimal>,
    /// Currency, when reported.
    pub currency: Option<String>,
}

#[derive(Serialize)]
struct BatchBody<'a> {
    transfers: &'a [TransferRequest],
}

/// The answer to one batch request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BatchResponse {
    /// The batch's id.
    pub batch_id: Option<String>,
    /// How many entries were accepted.
    pub accepted: u32,
    /// How many were rejected.
    pub rejected: u32,
    /// One outcome per submitted entry.
    pub transfers: Vec<BatchEntry>,
}

/// One entry's outcome in a batch.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BatchEntry {
    /// Your reference.
    pub external_id: String,
    /// The entry's state (`REJECTED` for refused entries).
    pub status: TransferStatus,
    /// Milta's id, for accepted entries.
    pub transfer_id: Option<TransferId>,
    /// Why an entry was rejected, when the server says.
    #[serde(alias = "reason", alias = "error")]
    pub message: Option<String>,
}

impl BatchEntry {
    /// Whether the server accepted this entry.
    pub fn is_accepted(&self) -> bool {
        self.transfer_id.is_some() && !matches!(self.status, TransferStatus::Rejected | TransferStatus::Failed)
    }
}

/// The outcome of one transfer submitted through [`Transfers::submit_all`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SubmitOutcome {
    /// The batch answered for this transfer (accepted or rejected: see
    /// [`BatchEntry::is_accepted`]).
    Entry(BatchEntry),
    /// The batch carrying this transfer failed as a whole; the error is shared
    /// by every transfer of that batch. Reconcile by `external_id` when it is
    /// [`Error::OutcomeUnknown`].
    BatchFailed {
        /// Your reference.
        external_id: String,
        /// Why the batch failed.
        error: Arc<Error>,
    },
}

/// Transfer calls; see [`MiltaClient::transfers`].
#[derive(Debug, Clone, Copy)]
pub struct Transfers<'a> {
    pub(crate) client: &'a MiltaClient,
}

impl Transfers<'_> {
    /// `POST /transfers` with a fresh idempotency key, reused by every retry.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a non-positive amount; API errors
    /// ([`crate::ErrorKind::Duplicate`] for a reused `externalId`); and
    /// [`Error::OutcomeUnknown`] when every attempt lost its answer.
    pub async fn create(&self, transfer: &TransferRequest) -> Result<Transfer> {
        self.create_with_key(transfer, new_idempotency_key()).await
    }

    /// `POST /transfers` with your own idempotency key (valid 24 h at Milta).
    ///
    /// # Errors
    /// As [`Transfers::create`].
    pub async fn create_with_key(&self, transfer: &TransferRequest, key: impl Into<String>) -> Result<Transfer> {
        transfer.validate()?;
        let req = Request::post(paths::TRANSFERS)
            .json(transfer)?
            .idempotency_key(IDEMPOTENCY_HEADER, key)
            .reference("externalId", transfer.external_id.clone())
            .rate_class(rate_class::TRANSFER_CREATE);
        envelope::data(&self.client.send_raw(req).await?)
    }

    /// `GET /transfers/{id}`.
    ///
    /// # Errors
    /// API errors ([`crate::ErrorKind::NotFound`]) and transport errors.
    pub async fn get(&self, id: &TransferId) -> Result<Transfer> {
        let req = Request::get(transfer_path(id)?).rate_class(rate_class::TRANSFER_READ);
        envelope::data(&self.client.send_raw(req).await?)
    }

    /// `DELETE /transfers/{id}` for a deferred transfer, refused client-side
    /// when less than five minutes remain before its `scheduledAt`.
    ///
    /// Returns the transfer when the server reports it.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] inside the window; API errors.
    pub async fn cancel(&self, transfer: &Transfer) -> Result<Option<Transfer>> {
        if let Some(at) = transfer.scheduled_at {
            check_cancellation_window(at, Utc::now())?;
        }
        let req = Request::delete(transfer_path(&transfer.transfer_id)?).rate_class(rate_class::TRANSFER_READ);
        let resp = self.client.send_raw(req).await?;
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        envelope::data::<Option<Transfer>>(&resp)
    }

    /// Reads the transfer, then [`cancel`](Transfers::cancel)s it.
    ///
    /// # Errors
    /// As [`Transfers::get`] and [`Transfers::cancel`].
    pub async fn cancel_by_id(&self, id: &TransferId) -> Result<Option<Transfer>> {
        let transfer = self.get(id).await?;
        self.cancel(&transfer).await
    }

    /// `POST /transfers/batch` with up to 100 transfers and a fresh idempotency key.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty batch, more than 100 entries or
    /// a non-positive amount; API and transport errors.
    pub async fn batch(&self, transfers: &[TransferRequest]) -> Result<BatchResponse> {
        self.batch_with_key(transfers, new_idempotency_key()).await
    }

    /// [`batch`](Transfers::batch) with your own idempotency key.
    ///
    /// # Errors
    /// As [`Transfers::batch`].
    pub async fn batch_with_key(&self, transfers: &[TransferRequest], key: impl Into<String>) -> Result<BatchResponse> {
        if transfers.is_empty() || transfers.len() > MAX_BATCH {
            return Err(Error::InvalidRequest(format!(
                "a batch carries 1 to {MAX_BATCH} transfers, got {}",
                transfers.len()
            )));
        }
        for t in transfers {
            t.validate()?;
        }
        let key = key.into();
        let req = Request::post(paths::TRANSFERS_BATCH)
            .json(&BatchBody { transfers })?
            .idempotency_key(IDEMPOTENCY_HEADER, key)
            .reference(
                "externalId",
                format!("{}..{}", transfers[0].external_id, transfers[transfers.len() - 1].external_id),
            )
            .rate_class(rate_class::TRANSFER_CREATE);
        envelope::data(&self.client.send_raw(req).await?)
    }

    /// Submits any number of transfers in batches of 100 and returns one
    /// outcome per transfer, in input order, rejected entries included.
    ///
    /// A batch that fails as a whole does not stop the others; its transfers
    /// carry the shared error.
    ///
    /// # Errors
    /// Only [`Error::InvalidRequest`] for invalid input, before anything is sent.
    pub async fn submit_all(&self, transfers: &[TransferRequest]) -> Result<Vec<SubmitOutcome>> {
        for t in transfers {
            t.validate()?;
        }
        let mut outcomes = Vec::with_capacity(transfers.len());
        for chunk in transfers.chunks(MAX_BATCH) {
            match self.batch(chunk).await {
                Ok(resp) => outcomes.extend(match_entries(chunk, resp.transfers)),
                Err(e) => {
                    let error = Arc::new(e);
                    outcomes.extend(chunk.iter().map(|t| SubmitOutcome::BatchFailed {
                        external_id: t.external_id.clone(),
                        error: error.clone(),
                    }));
                }
            }
        }
        Ok(outcomes)
    }
}

/// Puts the server's entries in the order of the submitted transfers,
/// matching by `externalId` (entries sharing one are taken in order).
fn match_entries(chunk: &[TransferRequest], entries: Vec<BatchEntry>) -> Vec<SubmitOutcome> {
    let mut pool: Vec<Option<BatchEntry>> = entries.into_iter().map(Some).collect();
    chunk
        .iter()
        .map(|t| {
            let found = pool
                .iter_mut()
                .find(|e| e.as_ref().is_some_and(|e| e.external_id == t.external_id))
                .and_then(Option::take);
            match found {
                Some(entry) => SubmitOutcome::Entry(entry),
                None => SubmitOutcome::BatchFailed {
                    external_id: t.external_id.clone(),
                    error: Arc::new(Error::Decode(Box::new(crate::error::DecodeError {
                        provider: crate::Provider::Milta,
                        status: 200,
                        json_path: Some("data.transfers".into()),
                        message: format!("the batch response has no entry for externalId {}", t.external_id),
                        excerpt: String::new(),
                    }))),
                },
            }
        })
        .collect()
}

fn transfer_path(id: &TransferId) -> Result<String> {
    if id.0.is_empty() || id.0.contains(['/', '?', '#']) {
        return Err(Error::InvalidRequest(format!("`{id}` is not a valid transfer id")));
    }
    Ok(format!("{}/{}", paths::TRANSFERS, id))
}

/// Refuses a cancellation less than five minutes before `scheduled_at`.
pub(crate) fn check_cancellation_window(scheduled_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    let left = scheduled_at - now;
    if left < CANCELLATION_WINDOW {
        return Err(Error::InvalidRequest(format!(
            "a deferred transfer can only be cancelled until 5 minutes before its scheduled time \
             ({scheduled_at}); {} s remain",
            left.num_seconds().max(0)
        )));
    }
    Ok(())
}

fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellation_window_is_five_minutes() {
        let now = Utc::now();
        assert!(check_cancellation_window(now + chrono::TimeDelta::minutes(6), now).is_ok());
        assert!(check_cancellation_window(now + chrono::TimeDelta::minutes(5), now).is_ok());
        let err = check_cancellation_window(now + chrono::TimeDelta::minutes(4), now).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("5 minutes")), "{err}");
        assert!(check_cancellation_window(now - chrono::TimeDelta::minutes(1), now).is_err());
    }

    #[test]
    fn status_keeps_unknown_values() {
        let s: TransferStatus = serde_json::from_str(r#""ON_HOLD""#).unwrap();
        assert_eq!(s, TransferStatus::Unknown("ON_HOLD".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""ON_HOLD""#);
        let s: TransferStatus = serde_json::from_str(r#""CANCELLED""#).unwrap();
        assert_eq!(s, TransferStatus::Cancelled);
    }

    #[test]
    fn path_ids_cannot_escape() {
        assert!(transfer_path(&TransferId::from("../balance")).is_err());
        assert_eq!(transfer_path(&TransferId::from("T-1")).unwrap(), "/transfers/T-1");
    }
}

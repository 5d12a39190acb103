//! Transfers: create (now or deferred), status, cancel, and batches.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::client::{paths, rate_class, MiltaClient, IDEMPOTENCY_HEADER};
use super::envelope;
use crate::enums::wire_enum;
use crate::error::{Error, ErrorKind, Result};
use crate::ids::string_id;
use crate::money::{Decimal, Money};
use crate::transport::request::check_idempotency_key;
use crate::wire::{wire_object, ErrorDetail, ErrorDetailWire, Extra, RawJson, Strict, Text};
use crate::Request;

string_id!(
    /// Milta's transfer id, e.g. `T-9001`.
    TransferId
);

string_id!(
    /// Your unique reference for a transfer (`externalId`), e.g. `TXN-001`:
    /// reconcile by it.
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
    external_id: ExternalId,
    product_id: ProductId,
    recipient_phone: PhoneNumber,
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

    fn validate(&self) -> Result<()> {
        if self.amount <= Decimal::ZERO {
            return Err(Error::InvalidRequest(format!(
                "transfer {} has amount {}; amounts must be positive",
                self.external_id, self.amount
            )));
        }
        if self.external_id.as_str().is_empty() {
            return Err(Error::InvalidRequest("a transfer needs a non-empty externalId".into()));
        }
        Ok(())
    }
}

wire_object! {
    /// A transfer as the server reports it (the document's shape).
    pub struct Transfer {
        /// Milta's id.
        pub transfer_id: TransferId = required ["transferId", "id"],
        /// Your reference.
        pub external_id: Option<ExternalId> = optional ["externalId"],
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

#[derive(Serialize)]
struct BatchBody<'a> {
    transfers: &'a [TransferRequest],
}

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
    /// accepted them: reconcile by `externalId`, never resend blindly.
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
        pub external_id: Option<ExternalId> = optional ["externalId"],
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
        pub external_id: ExternalId = required ["externalId"],
        /// State.
        pub status: TransferStatus = required ["status"],
        /// Milta's id.
        pub transfer_id: Option<TransferId> = optional ["transferId", "id"],
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
            Some(code) => Some(super::error::kind_of(code).unwrap_or(ErrorKind::Other)),
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
        external_id: ExternalId,
        /// Why the batch failed.
        error: Arc<Error>,
        /// The batch it travelled in: resend that batch as a unit.
        batch: BatchRef,
    },
    /// The server accepted the batch, but its entry for this transfer was
    /// missing or could not be read: the transfer may exist. Reconcile by
    /// `external_id` before sending it again.
    Unreadable {
        /// Your reference.
        external_id: ExternalId,
        /// What could not be read.
        message: String,
        /// The batch it travelled in.
        batch: BatchRef,
    },
}

/// Which batch of a [`Transfers::submit_all`] a transfer travelled in, so a
/// lost batch can be resent as a unit with
/// [`resend_batch`](Transfers::resend_batch) (or `batch_with_key`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchRef {
    /// The batch's position: it carried transfers `index * 100 ..` of the input.
    pub index: usize,
    /// The idempotency key it was sent with.
    pub idempotency_key: String,
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
    /// As [`Transfers::create`], and [`Error::InvalidRequest`] for a key
    /// that is not 1 to 255 visible ASCII characters (`!` to `~`, no space).
    pub async fn create_with_key(&self, transfer: &TransferRequest, key: impl Into<String>) -> Result<Transfer> {
        let req = create_request(transfer, key.into())?;
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

    /// Sends again a transfer whose outcome is unknown, with the same
    /// idempotency key, so Milta answers with the transfer it may already
    /// have made instead of making a second one. `transfer` must be the
    /// request that was sent, unchanged: its body is compared byte for byte
    /// with the one `unknown` recorded, because Milta may answer a changed
    /// body with the first transfer, or make a second one.
    ///
    /// The key's age keeps counting from its first use: an unknown outcome
    /// of the resend carries the same
    /// [`first_sent_at`](crate::Sent::first_sent_at).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when `unknown` carries no idempotency key or
    /// no recorded body, is for another call or another body, or its key is
    /// older than Milta's 24 hours (look the transfer up by `externalId`
    /// instead); otherwise as [`Transfers::create_with_key`].
    pub async fn resend(&self, transfer: &TransferRequest, unknown: &crate::OutcomeUnknown) -> Result<Transfer> {
        let key = resendable_key(unknown, std::time::SystemTime::now())?;
        let req = same_as_first_sent(create_request(transfer, key)?, unknown)?;
        envelope::data(&self.client.send_raw(req).await?)
    }

    /// [`resend`](Transfers::resend) for a batch whose outcome is unknown:
    /// the same transfers in the same order (the same bytes), the same key.
    ///
    /// # Errors
    /// As [`Transfers::resend`] and [`Transfers::batch_with_key`].
    pub async fn resend_batch(
        &self,
        transfers: &[TransferRequest],
        unknown: &crate::OutcomeUnknown,
    ) -> Result<BatchResponse> {
        let key = resendable_key(unknown, std::time::SystemTime::now())?;
        let req = same_as_first_sent(batch_request(transfers, key)?, unknown)?;
        envelope::data(&self.client.send_raw(req).await?)
    }

    /// `DELETE /transfers/{id}` for a deferred transfer, refused client-side
    /// when less than five minutes remain before its `scheduledAt`.
    ///
    /// The document says cancelling inside those five minutes is "not
    /// guaranteed", not forbidden; this refusal trusts the local clock. To
    /// try anyway, use [`cancel_inside_window`](Transfers::cancel_inside_window).
    ///
    /// Returns the transfer when the server reports it.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] inside the window; API errors.
    pub async fn cancel(&self, transfer: &Transfer) -> Result<Option<Transfer>> {
        if let Some(at) = transfer.scheduled_at {
            check_cancellation_window(at, Utc::now())?;
        }
        self.delete(&transfer.transfer_id).await
    }

    /// `DELETE /transfers/{id}` without the client-side five-minute check:
    /// for a transfer whose `scheduledAt` is close (or whose local clock you
    /// do not trust). The server decides; inside the window it may refuse,
    /// or the transfer may execute anyway, so read its status afterwards.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn cancel_inside_window(&self, id: &TransferId) -> Result<Option<Transfer>> {
        self.delete(id).await
    }

    async fn delete(&self, id: &TransferId) -> Result<Option<Transfer>> {
        let req = Request::delete(transfer_path(id)?).rate_class(rate_class::TRANSFER_READ);
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
    /// [`Error::InvalidRequest`] for an empty batch, more than 100 entries, a
    /// repeated `externalId` or a non-positive amount; API and transport errors.
    pub async fn batch(&self, transfers: &[TransferRequest]) -> Result<BatchResponse> {
        self.batch_with_key(transfers, new_idempotency_key()).await
    }

    /// [`batch`](Transfers::batch) with your own idempotency key.
    ///
    /// # Errors
    /// As [`Transfers::batch`] and, for the key, as
    /// [`Transfers::create_with_key`].
    pub async fn batch_with_key(&self, transfers: &[TransferRequest], key: impl Into<String>) -> Result<BatchResponse> {
        let req = batch_request(transfers, key.into())?;
        envelope::data(&self.client.send_raw(req).await?)
    }

    /// Submits any number of transfers in batches of 100 and returns one
    /// outcome per transfer, in input order, rejected entries included.
    ///
    /// A batch that fails as a whole does not stop the others; its transfers
    /// carry the shared error.
    ///
    /// # Errors
    /// Only [`Error::InvalidRequest`] for invalid input (including a repeated
    /// `externalId`), before anything is sent.
    pub async fn submit_all(&self, transfers: &[TransferRequest]) -> Result<Vec<SubmitOutcome>> {
        for t in transfers {
            t.validate()?;
        }
        check_unique_external_ids(transfers)?;
        let mut outcomes = Vec::with_capacity(transfers.len());
        for (index, chunk) in transfers.chunks(MAX_BATCH).enumerate() {
            let batch = BatchRef { index, idempotency_key: new_idempotency_key() };
            match self.batch_with_key(chunk, batch.idempotency_key.clone()).await {
                Ok(resp) => outcomes.extend(match_entries(chunk, resp, &batch)),
                Err(e) => {
                    let error = Arc::new(e);
                    outcomes.extend(chunk.iter().map(|t| SubmitOutcome::BatchFailed {
                        external_id: t.external_id.clone(),
                        error: error.clone(),
                        batch: batch.clone(),
                    }));
                }
            }
        }
        Ok(outcomes)
    }
}

/// `POST /transfers` for `transfer` under `key`: the one place its body is
/// made, so a resend produces the same bytes as the first send.
fn create_request(transfer: &TransferRequest, key: String) -> Result<Request> {
    transfer.validate()?;
    check_idempotency_key(&key)?;
    Ok(Request::post(paths::TRANSFERS)
        .json(transfer)?
        .idempotency_key(IDEMPOTENCY_HEADER, key)
        .reference("externalId", transfer.external_id.as_str())
        .recovery(RESEND)
        .rate_class(rate_class::TRANSFER_CREATE))
}

/// `POST /transfers/batch` for `transfers` under `key`; as [`create_request`].
fn batch_request(transfers: &[TransferRequest], key: String) -> Result<Request> {
    let (Some(first), Some(last)) = (transfers.first(), transfers.last()) else {
        return Err(Error::InvalidRequest(format!("a batch carries 1 to {MAX_BATCH} transfers, got 0")));
    };
    if transfers.len() > MAX_BATCH {
        return Err(Error::InvalidRequest(format!(
            "a batch carries 1 to {MAX_BATCH} transfers, got {}",
            transfers.len()
        )));
    }
    for t in transfers {
        t.validate()?;
    }
    check_unique_external_ids(transfers)?;
    check_idempotency_key(&key)?;
    Ok(Request::post(paths::TRANSFERS_BATCH)
        .json(&BatchBody { transfers })?
        .idempotency_key(IDEMPOTENCY_HEADER, key)
        .recovery(RESEND)
        .reference("externalId", format!("{}..{}", first.external_id, last.external_id))
        .rate_class(rate_class::TRANSFER_CREATE))
}

/// Lets `req` go out under `unknown`'s key only when it is the very call
/// first sent under it (method, path and body bytes), and carries the key's
/// first use into it so its 24 hours keep counting from there.
fn same_as_first_sent(req: Request, unknown: &crate::OutcomeUnknown) -> Result<Request> {
    let key = req.idempotency_key_value().unwrap_or_default();
    let reconcile = match &unknown.sent.reference {
        Some((field, value)) => format!("reconcile by {field} {value} instead"),
        None => "reconcile instead".to_string(),
    };
    if unknown.sent.method != req.method.as_str() || unknown.sent.path != req.path {
        return Err(Error::InvalidRequest(format!(
            "idempotency key {key} was first sent with {} {}, not {} {}: the request differs; {reconcile}",
            unknown.sent.method, unknown.sent.path, req.method, req.path
        )));
    }
    let Some(first) = &unknown.sent.body else {
        return Err(Error::InvalidRequest(format!(
            "the unknown outcome does not record the body first sent under idempotency key {key}, so a resend \
             cannot be shown to be the same request; {reconcile}"
        )));
    };
    if req.body() != Some(&first[..]) {
        return Err(Error::InvalidRequest(format!(
            "the request differs from the one first sent under idempotency key {key}; resend it unchanged \
             (same transfers, same order, same amounts) or {reconcile}"
        )));
    }
    Ok(req.first_sent_at(unknown.sent.first_sent_at))
}

/// Puts the server's entries in the order of the submitted transfers,
/// matching by `externalId`; a transfer whose entry is missing or unreadable
/// is [`SubmitOutcome::Unreadable`].
fn match_entries(chunk: &[TransferRequest], resp: BatchResponse, batch: &BatchRef) -> Vec<SubmitOutcome> {
    let mut pool: Vec<Option<BatchEntry>> = resp.transfers.into_iter().map(Some).collect();
    chunk
        .iter()
        .map(|t| {
            let found = pool
                .iter_mut()
                .find(|e| e.as_ref().is_some_and(|e| e.external_id == t.external_id))
                .and_then(Option::take);
            if let Some(entry) = found {
                return SubmitOutcome::Entry(entry);
            }
            let unreadable = resp.unreadable.iter().find(|u| u.external_id.as_ref() == Some(&t.external_id));
            let message = match unreadable {
                Some(u) => format!("entry {} could not be read: {}", u.index, u.message),
                None => "the accepted batch answer has no readable entry for it".to_string(),
            };
            SubmitOutcome::Unreadable { external_id: t.external_id.clone(), message, batch: batch.clone() }
        })
        .collect()
}

/// Refuses a set of transfers that repeats an `externalId`: the server would
/// reject the repeats, and the outcomes could not be told apart.
fn check_unique_external_ids(transfers: &[TransferRequest]) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(transfers.len());
    for t in transfers {
        if !seen.insert(&t.external_id) {
            return Err(Error::InvalidRequest(format!(
                "externalId {} appears twice; each must be unique",
                t.external_id
            )));
        }
    }
    Ok(())
}

fn transfer_path(id: &TransferId) -> Result<crate::transport::request::RequestPath> {
    crate::transport::path::with_id(paths::TRANSFER, "transfer id", id.as_str())
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

/// How to reconcile a Milta transfer or batch whose outcome is unknown.
const RESEND: &str = "resend it unchanged with the same idempotency key within 24 h \
                      (Transfers::resend / resend_batch): Milta answers with what it already did";

/// How long Milta keeps an idempotency key.
pub const IDEMPOTENCY_KEY_LIFETIME: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// The key of an unknown outcome, while resending with it is still safe.
fn resendable_key(unknown: &crate::OutcomeUnknown, now: std::time::SystemTime) -> Result<String> {
    let Some(key) = unknown.sent.idempotency_key.clone() else {
        return Err(Error::InvalidRequest("the unknown outcome carries no idempotency key to resend with".into()));
    };
    // A hand-built unknown may hold any text; it is checked before it is echoed.
    check_idempotency_key(&key)?;
    let age = now.duration_since(unknown.sent.first_sent_at).unwrap_or_default();
    if age >= IDEMPOTENCY_KEY_LIFETIME {
        return Err(Error::InvalidRequest(format!(
            "idempotency key {key} was first sent {} h ago; Milta keeps keys 24 h, so resending could transfer twice: \
             look the transfer up by its externalId instead",
            age.as_secs() / 3600
        )));
    }
    Ok(key)
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
    fn a_key_older_than_24_hours_is_not_resent() {
        let mut unknown = crate::OutcomeUnknown::new(crate::Provider::Milta, "POST", "/transfers", "reset");
        assert!(
            matches!(resendable_key(&unknown, unknown.sent.first_sent_at), Err(Error::InvalidRequest(_))),
            "no key"
        );
        unknown.sent.idempotency_key = Some("k".into());
        let sent = unknown.sent.first_sent_at;
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(resendable_key(&unknown, sent + 23 * hour).unwrap(), "k");
        let err = resendable_key(&unknown, sent + 24 * hour).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("24 h")), "{err}");
    }

    #[test]
    fn a_resend_must_be_the_call_first_sent_and_keeps_its_first_use() {
        let t = TransferRequest::new(
            ExternalId::from("TXN-1"),
            ProductId::from("P"),
            PhoneNumber::from("+1"),
            Decimal::ONE,
            "GBP",
        );
        let first = create_request(&t, "k".into()).unwrap();
        let mut unknown = crate::OutcomeUnknown::new(crate::Provider::Milta, "POST", "/transfers", "reset");
        unknown.sent.idempotency_key = Some("k".into());
        unknown.sent.first_sent_at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000);
        let err = same_as_first_sent(create_request(&t, "k".into()).unwrap(), &unknown).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("does not record")), "{err}");

        unknown.sent.body = first.body().map(bytes::Bytes::copy_from_slice);
        let again = same_as_first_sent(create_request(&t, "k".into()).unwrap(), &unknown).unwrap();
        assert_eq!(
            again.first_sent_at,
            Some(unknown.sent.first_sent_at),
            "the key's first use travels with the resend"
        );
        let err = same_as_first_sent(batch_request(std::slice::from_ref(&t), "k".into()).unwrap(), &unknown);
        assert!(matches!(err, Err(Error::InvalidRequest(ref m)) if m.contains("/transfers/batch")), "{err:?}");
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
        assert_eq!(transfer_path(&TransferId::from("T-1")).unwrap().path, "/transfers/T-1");
    }
}

//! `POST /transfers` and `GET /transfers/{id}`.

use super::resend::RESEND;
use super::{new_idempotency_key, transfer_path, Transfer, TransferId, TransferRequest, Transfers};
use crate::error::Result;
use crate::milta::client::{paths, rate_class, IDEMPOTENCY_HEADER};
use crate::milta::envelope;
use crate::transport::request::check_idempotency_key;
use crate::Request;

impl Transfers<'_> {
    /// `POST /transfers` with a fresh idempotency key, reused by every retry.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) for a non-positive amount; API errors
    /// ([`crate::ErrorKind::Duplicate`] for a reused `externalId`); and
    /// [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown) when every attempt lost its answer.
    pub async fn create(&self, transfer: &TransferRequest) -> Result<Transfer> {
        self.create_with_key(transfer, new_idempotency_key()).await
    }

    /// `POST /transfers` with your own idempotency key (valid 24 h at Milta).
    ///
    /// # Errors
    /// As [`Transfers::create`], and [`Error::InvalidRequest`](crate::Error::InvalidRequest) for a key
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
}

/// `POST /transfers` for `transfer` under `key`: the one place its body is
/// made, so a resend produces the same bytes as the first send.
pub(super) fn create_request(transfer: &TransferRequest, key: String) -> Result<Request> {
    transfer.validate()?;
    check_idempotency_key(&key)?;
    Ok(Request::post(paths::TRANSFERS)
        .json(transfer)?
        .idempotency_key(IDEMPOTENCY_HEADER, key)
        .reference("externalId", transfer.external_id().as_str())
        .recovery(RESEND)
        .rate_class(rate_class::TRANSFER_CREATE))
}

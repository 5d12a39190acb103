//! `POST /transfers` and `GET /transfers/{id}`.

use super::resend::RESEND;
use super::{keyed, transfer_path, Transfer, TransferId, TransferRequest, Transfers};
use crate::error::Result;
use crate::milta::client::{paths, rate_class};
use crate::milta::envelope;
use crate::Request;

impl Transfers<'_> {
    /// `POST /transfers` under an idempotency key that follows the payment:
    /// derived from your API key id and the exact request body, so the same
    /// transfer sent again (by a retry, a resend, or your service after a
    /// restart that lost the answer) carries the same key, and Milta answers
    /// it with the transfer it made, within its 24 hours. A transfer that
    /// differs in any field carries another key.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) for a non-positive amount; API errors
    /// ([`crate::ErrorKind::Duplicate`] for a reused `externalId`); and
    /// [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown) when every attempt lost its answer.
    pub async fn create(&self, transfer: &TransferRequest) -> Result<Transfer> {
        let req = self.keyed_by_content(unkeyed_create(transfer)?)?;
        envelope::data(&self.client.send_raw(req).await?)
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

/// `POST /transfers` for `transfer` under `key`.
pub(super) fn create_request(transfer: &TransferRequest, key: String) -> Result<Request> {
    keyed(unkeyed_create(transfer)?, key)
}

/// `POST /transfers` for `transfer`, not yet keyed: the one place its body
/// is made, so a resend (and a derived key) sees the same bytes as the
/// first send.
fn unkeyed_create(transfer: &TransferRequest) -> Result<Request> {
    transfer.validate()?;
    Ok(Request::post(paths::TRANSFERS)
        .json(transfer)?
        .reference("externalId", transfer.external_id().as_str())
        .journaled("transfers.create")
        .recovery(RESEND)
        .rate_class(rate_class::TRANSFER_CREATE))
}

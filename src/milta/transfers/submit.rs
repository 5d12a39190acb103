//! `POST /transfers/batch`: one batch, or any number in batches of 100.

use std::sync::Arc;

use serde::Serialize;

use super::request::check_unique_external_ids;
use super::resend::RESEND;
use super::{keyed, BatchEntry, BatchResponse, ExternalId, TransferRequest, Transfers, MAX_BATCH};
use crate::error::{Error, Result};
use crate::milta::client::{paths, rate_class};
use crate::milta::envelope;
use crate::Request;

#[derive(Serialize)]
struct BatchBody<'a> {
    transfers: &'a [TransferRequest],
}

/// The outcome of one transfer submitted through [`Transfers::submit_all`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SubmitOutcome {
    /// The batch answered for this transfer (accepted or rejected: see
    /// [`BatchEntry::is_accepted`]).
    Entry(BatchEntry),
    /// The batch carrying this transfer failed as a whole; the error is shared
    /// by every transfer of that batch. When it is [`Error::OutcomeUnknown`],
    /// send that batch again as a unit within 24 h
    /// ([`resend_batch`](Transfers::resend_batch)); after that, a person
    /// checks its transfers by `external_id`.
    BatchFailed {
        /// Your reference.
        external_id: ExternalId,
        /// Why the batch failed.
        error: Arc<Error>,
        /// The batch it travelled in: resend that batch as a unit.
        batch: BatchRef,
    },
    /// The server accepted the batch, but its entry for this transfer was
    /// missing or could not be read: the transfer may exist. Never send it
    /// in another batch: the same batch again within 24 h is safe (its key);
    /// after that, a person checks it by `external_id`.
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

impl Transfers<'_> {
    /// `POST /transfers/batch` with up to 100 transfers, under an
    /// idempotency key that follows the batch's exact bytes (as
    /// [`create`](Transfers::create)): the same batch sent again carries the
    /// same key.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty batch, more than 100 entries, a
    /// repeated `externalId` or a non-positive amount; API and transport errors.
    pub async fn batch(&self, transfers: &[TransferRequest]) -> Result<BatchResponse> {
        let req = self.keyed_by_content(unkeyed_batch(transfers)?)?;
        envelope::data(&self.client.send_raw(req).await?)
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
            let req = unkeyed_batch(chunk).and_then(|req| self.keyed_by_content(req));
            let key = req.as_ref().ok().and_then(|req| req.idempotency_key_value()).unwrap_or_default();
            let batch = BatchRef { index, idempotency_key: key.to_string() };
            let answer = match req {
                Ok(req) => self.client.send_raw(req).await.and_then(|resp| envelope::data(&resp)),
                Err(e) => Err(e),
            };
            match answer {
                Ok(resp) => outcomes.extend(match_entries(chunk, resp, &batch)),
                Err(e) => {
                    let error = Arc::new(e);
                    outcomes.extend(chunk.iter().map(|t| SubmitOutcome::BatchFailed {
                        external_id: t.external_id().clone(),
                        error: error.clone(),
                        batch: batch.clone(),
                    }));
                }
            }
        }
        Ok(outcomes)
    }
}

/// `POST /transfers/batch` for `transfers` under `key`.
pub(super) fn batch_request(transfers: &[TransferRequest], key: String) -> Result<Request> {
    keyed(unkeyed_batch(transfers)?, key)
}

/// `POST /transfers/batch` for `transfers`, not yet keyed; as `unkeyed_create`.
fn unkeyed_batch(transfers: &[TransferRequest]) -> Result<Request> {
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
    Ok(Request::post(paths::TRANSFERS_BATCH)
        .json(&BatchBody { transfers })?
        .recovery(RESEND)
        .reference("externalId", format!("{}..{}", first.external_id(), last.external_id()))
        .journaled("transfers.batch")
        .rate_class(rate_class::TRANSFER_CREATE))
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
                .find(|e| e.as_ref().is_some_and(|e| e.external_id == *t.external_id()))
                .and_then(Option::take);
            if let Some(entry) = found {
                return SubmitOutcome::Entry(entry);
            }
            let unreadable = resp.unreadable.iter().find(|u| u.external_id.as_ref() == Some(t.external_id()));
            let message = match unreadable {
                Some(u) => format!("entry {} could not be read: {}", u.index, u.message),
                None => "the accepted batch answer has no readable entry for it".to_string(),
            };
            SubmitOutcome::Unreadable { external_id: t.external_id().clone(), message, batch: batch.clone() }
        })
        .collect()
}

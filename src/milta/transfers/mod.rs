//! Transfers: create (now or deferred), status, cancel, and batches.
//!
//! One concept a file: the request and its identifiers, the transfer and
//! its status, creating and reading, batches and their answers, submitting
//! many, resending after an unknown outcome, and cancelling.

mod batch;
mod cancel;
mod create;
mod recover;
mod request;
mod resend;
mod submit;
mod transfer;

pub use batch::{BatchEntry, BatchResponse, UnreadableEntry};
pub use cancel::CANCELLATION_WINDOW;
pub use request::{ExternalId, PhoneNumber, ProductId, TransferRequest, MAX_BATCH};
pub use submit::{BatchRef, SubmitOutcome};
pub use transfer::{Transfer, TransferId, TransferStatus};

use super::client::{paths, MiltaClient};
use crate::error::Result;

/// Transfer calls; see [`MiltaClient::transfers`].
#[derive(Debug, Clone, Copy)]
pub struct Transfers<'a> {
    pub(crate) client: &'a MiltaClient,
}

fn transfer_path(id: &TransferId) -> Result<crate::transport::request::RequestPath> {
    crate::transport::path::with_id(paths::TRANSFER, "transfer id", id.as_str())
}

/// `req` under idempotency key `key`, refused before sending when the key
/// is not one the server can tell apart.
fn keyed(req: crate::Request, key: String) -> Result<crate::Request> {
    crate::transport::request::check_idempotency_key(&key)?;
    Ok(req.idempotency_key(super::client::IDEMPOTENCY_HEADER, key))
}

impl Transfers<'_> {
    /// `req` under the key that follows the payment: derived from this
    /// client's credentials and `req`'s exact bytes (see [`Transfers::create`]).
    fn keyed_by_content(&self, req: crate::Request) -> Result<crate::Request> {
        let key = self.client.transport.derived_idempotency_key(&req);
        keyed(req, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_cannot_escape() {
        assert!(transfer_path(&TransferId::from("../balance")).is_err());
        assert_eq!(transfer_path(&TransferId::from("T-1")).unwrap().path, "/transfers/T-1");
    }
}

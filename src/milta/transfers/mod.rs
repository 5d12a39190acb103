//! Transfers: create (now or deferred), status, cancel, and batches.
//!
//! One concept a file: the request and its identifiers, the transfer and
//! its status, creating and reading, batches and their answers, submitting
//! many, resending after an unknown outcome, and cancelling.

mod batch;
mod cancel;
mod create;
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

fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
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

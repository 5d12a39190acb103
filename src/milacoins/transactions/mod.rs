//! Transactions: `GET /transactions` (filtered, paged) and `GET /transactions/{id}`.

mod filters;
mod transaction;

pub use filters::DateBound;
pub use transaction::{Customer, ExchangeRate, Refund, RefundStatus, Transaction, TransactionId, TransactionStatus};

use super::client::{paths, MilaCoinsClient};
use super::listing::Listing;
use crate::error::Result;
use crate::transport::path::with_id;
use crate::Request;

/// Transaction calls; see [`MilaCoinsClient::transactions`].
#[derive(Debug, Clone, Copy)]
pub struct Transactions<'a> {
    pub(crate) client: &'a MilaCoinsClient,
}

impl Transactions<'_> {
    /// `GET /transactions`: add filters, then get one page or stream them all.
    pub fn list(&self) -> Listing<Transaction> {
        Listing::new(self.client, paths::TRANSACTIONS)
    }

    /// `GET /transactions/{id}`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for an id that is not one path segment;
    /// API errors ([`crate::ErrorKind::NotFound`]) and transport errors.
    pub async fn get(&self, id: &TransactionId) -> Result<Transaction> {
        let req = Request::get(with_id(paths::TRANSACTION, "transaction id", id.as_str())?);
        self.client.send_raw(req).await?.json()
    }

    /// The transaction of the invoice created with `external_id`, or `None`
    /// when there is none: how to reconcile an invoice whose creation ended
    /// in [`crate::Error::OutcomeUnknown`] before creating it again.
    /// `GET /transactions?externalID=…`, every page, keeping only exact
    /// matches (a server that ignored the filter cannot fool it).
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn find_by_external_id(&self, external_id: &str) -> Result<Option<Transaction>> {
        let mut all = self.list().external_id(external_id).stream();
        while let Some(tx) = futures_util::TryStreamExt::try_next(&mut all).await? {
            if tx.external_id.as_deref() == Some(external_id) {
                return Ok(Some(tx));
            }
        }
        Ok(None)
    }
}

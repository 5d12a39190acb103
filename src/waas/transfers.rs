//! Internal transfers between two accounts: `POST /api/v1/account-transfers`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::accounts::AccountNumber;
use super::client::{paths, rate_class, WaasClient};
use super::services::ClientServiceCode;
use super::transactions::{validate, SourceTransactionId, TransactionPair, TransactionSource};
use super::wire;
use crate::error::Result;
use crate::money::Decimal;
use crate::Request;

/// A transfer between two accounts. Every field of the document's payload
/// table is here: required ones are [`AccountTransferRequest::new`]'s
/// arguments, optional ones have setters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountTransferRequest {
    source_account_number: AccountNumber,
    destination_account_number: AccountNumber,
    client_service_code: ClientServiceCode,
    #[serde(with = "crate::money::number")]
    transaction_amount: Decimal,
    source_transaction_id: SourceTransactionId,
    transaction_source: TransactionSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_transaction_data: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_narration: Option<String>,
    #[serde(serialize_with = "wire::iso8601::serialize")]
    transaction_date: DateTime<Utc>,
}

impl AccountTransferRequest {
    /// Moves `transaction_amount` (positive, sent as an exact JSON number)
    /// from `source_account_number` to `destination_account_number` under
    /// `client_service_code`, with your unique `source_transaction_id` (see
    /// [`SourceTransactionId::generate`]), its source (typically
    /// [`TransactionSource::Internal`]) and the time it occurred.
    pub fn new(
        source_account_number: impl Into<AccountNumber>,
        destination_account_number: impl Into<AccountNumber>,
        client_service_code: impl Into<ClientServiceCode>,
        transaction_amount: Decimal,
        source_transaction_id: impl Into<SourceTransactionId>,
        transaction_source: TransactionSource,
        transaction_date: DateTime<Utc>,
    ) -> Self {
        AccountTransferRequest {
            source_account_number: source_account_number.into(),
            destination_account_number: destination_account_number.into(),
            client_service_code: client_service_code.into(),
            transaction_amount,
            source_transaction_id: source_transaction_id.into(),
            transaction_source,
            source_transaction_data: None,
            transaction_narration: None,
            transaction_date,
        }
    }

    /// Additional data about the transfer, a JSON object.
    pub fn source_transaction_data(mut self, data: Map<String, Value>) -> Self {
        self.source_transaction_data = Some(data);
        self
    }

    /// A short description, e.g. `Transfer for payment`.
    pub fn transaction_narration(mut self, narration: impl Into<String>) -> Self {
        self.transaction_narration = Some(narration.into());
        self
    }

    /// Your reference for this transfer.
    pub fn source_transaction_id(&self) -> &SourceTransactionId {
        &self.source_transaction_id
    }
}

/// Internal-transfer calls; see [`WaasClient::account_transfers`].
#[derive(Debug, Clone, Copy)]
pub struct AccountTransfers<'a> {
    pub(crate) client: &'a WaasClient,
}

impl AccountTransfers<'_> {
    /// `POST /api/v1/account-transfers`: returns the debit on the source
    /// account and the credit on the destination account.
    ///
    /// Not idempotent and never re-sent after a lost answer: that is
    /// [`crate::Error::OutcomeUnknown`] carrying the `source_transaction_id`.
    /// A success answer that cannot be read is
    /// [`crate::Error::AcceptedUnreadable`] carrying it too: the server took the request, so reconcile.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for a non-positive amount or an
    /// empty reference (before sending); API errors; transport errors;
    /// [`crate::Error::OutcomeUnknown`]; [`crate::Error::AcceptedUnreadable`].
    pub async fn create(&self, request: &AccountTransferRequest) -> Result<TransactionPair> {
        validate(request.transaction_amount, &request.source_transaction_id)?;
        let req = Request::post(paths::ACCOUNT_TRANSFERS)
            .json(request)?
            .reference("source_transaction_id", request.source_transaction_id.as_str())
            .rate_class(rate_class::TRANSACTIONS);
        self.client.send_raw(req).await?.json()
    }
}

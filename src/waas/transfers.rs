//! Internal transfers between two accounts: `POST /api/v1/account-transfers`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::accounts::AccountNumber;
use super::client::{paths, rate_class, WaasClient};
use super::services::ClientServiceCode;
use super::transactions::{validate, SourceTransactionId, TransactionPair, TransactionSource};
use crate::error::Result;
use crate::Decimal;
use crate::Request;

/// A transfer between two accounts. Every field of the document's payload
/// table is here: the required ones come together in an
/// [`AccountTransferRequired`] given to [`AccountTransferRequest::new`], the
/// optional ones have setters.
///
/// ```
/// use chrono::Utc;
/// use walletkit::waas::{
///     AccountNumber, AccountTransferRequest, AccountTransferRequired, ClientServiceCode, SourceTransactionId,
///     TransactionSource,
/// };
/// use walletkit::Decimal;
///
/// let transfer = AccountTransferRequest::new(AccountTransferRequired {
///     source_account_number: AccountNumber::from("10000014"),
///     destination_account_number: AccountNumber::from("10000015"),
///     client_service_code: ClientServiceCode::from("INT_NHQ5Y77"),
///     transaction_amount: Decimal::TEN,
///     source_transaction_id: SourceTransactionId::generate(), // store it before sending
///     transaction_source: TransactionSource::Internal,
///     transaction_date: Utc::now(),
/// })
/// .transaction_narration("Transfer for payment");
/// assert_eq!(transfer.source_account_number().as_str(), "10000014");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountTransferRequest {
    source_account_number: AccountNumber,
    destination_account_number: AccountNumber,
    client_service_code: ClientServiceCode,
    #[serde(with = "crate::wire::money::number")]
    transaction_amount: Decimal,
    source_transaction_id: SourceTransactionId,
    transaction_source: TransactionSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_transaction_data: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_narration: Option<String>,
    #[serde(serialize_with = "crate::wire::iso8601::serialize")]
    transaction_date: DateTime<Utc>,
}

/// The fields the document requires of an internal transfer, by name. Both
/// ends are account numbers, so they are named rather than positional: a
/// struct literal must name every field, so none can be left out and the
/// source cannot silently be taken for the destination.
///
/// Left out, one does not compile:
///
/// ```compile_fail
/// use chrono::Utc;
/// use walletkit::waas::{
///     AccountNumber, AccountTransferRequest, AccountTransferRequired, ClientServiceCode, SourceTransactionId,
///     TransactionSource,
/// };
/// use walletkit::Decimal;
///
/// let transfer = AccountTransferRequest::new(AccountTransferRequired {
///     source_account_number: AccountNumber::from("10000014"),
///     destination_account_number: AccountNumber::from("10000015"),
///     client_service_code: ClientServiceCode::from("INT_NHQ5Y77"),
///     transaction_amount: Decimal::TEN,
///     transaction_source: TransactionSource::Internal,
///     transaction_date: Utc::now(),
/// });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTransferRequired {
    /// The account funds leave.
    pub source_account_number: AccountNumber,
    /// The account funds reach.
    pub destination_account_number: AccountNumber,
    /// The client service that authorizes the transfer.
    pub client_service_code: ClientServiceCode,
    /// The amount to move: positive, sent as an exact JSON number.
    pub transaction_amount: Decimal,
    /// Your unique reference, to reconcile by (see
    /// [`SourceTransactionId::generate`]).
    pub source_transaction_id: SourceTransactionId,
    /// Where the transfer comes from, e.g. [`TransactionSource::Internal`].
    pub transaction_source: TransactionSource,
    /// When the transfer occurred (sent as ISO 8601).
    pub transaction_date: DateTime<Utc>,
}

impl AccountTransferRequest {
    /// A transfer with the document's required fields. The amount and the
    /// reference are checked when it is sent.
    pub fn new(required: AccountTransferRequired) -> Self {
        let AccountTransferRequired {
            source_account_number,
            destination_account_number,
            client_service_code,
            transaction_amount,
            source_transaction_id,
            transaction_source,
            transaction_date,
        } = required;
        AccountTransferRequest {
            source_account_number,
            destination_account_number,
            client_service_code,
            transaction_amount,
            source_transaction_id,
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

    /// The account funds leave.
    pub fn source_account_number(&self) -> &AccountNumber {
        &self.source_account_number
    }

    /// The account funds reach.
    pub fn destination_account_number(&self) -> &AccountNumber {
        &self.destination_account_number
    }

    /// The amount.
    pub fn transaction_amount(&self) -> Decimal {
        self.transaction_amount
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
            .journaled("account_transfers.create")
            .recovery(super::transactions::WAAS_RECOVERY)
            .rate_class(rate_class::TRANSACTIONS);
        self.client.send_raw(req).await?.json()
    }
}

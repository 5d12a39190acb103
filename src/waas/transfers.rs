//! Internal transfers between two accounts: `POST /api/v1/account-transfers`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::accounts::AccountNumber;
use super::client::{paths, rate_class, WaasClient};
use super::services::ClientServiceCode;
use super::transactions::{validate, SourceTransactionId, TransactionPair, TransactionSource};
use crate::error::{Error, Result};
use crate::Decimal;
use crate::Request;

/// A transfer between two accounts. Every field of the document's payload
/// table is here. Both ends are account numbers, so they are set by name
/// through [`AccountTransferRequest::builder`]: the source cannot be taken
/// for the destination.
///
/// ```
/// use walletkit::waas::{AccountNumber, AccountTransferRequest, ClientServiceCode, SourceTransactionId};
/// use walletkit::Decimal;
///
/// let transfer = AccountTransferRequest::builder()
///     .source_account_number(AccountNumber::from("10000014"))
///     .destination_account_number(AccountNumber::from("10000015"))
///     .client_service_code(ClientServiceCode::from("INT_NHQ5Y77"))
///     .transaction_amount(Decimal::TEN)
///     .source_transaction_id(SourceTransactionId::generate()) // store it before sending
///     .transaction_narration("Transfer for payment")
///     .build()?;
/// assert_eq!(transfer.source_account_number().as_str(), "10000014");
/// # Ok::<(), walletkit::Error>(())
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

impl AccountTransferRequest {
    /// A builder with nothing set.
    pub fn builder() -> AccountTransferRequestBuilder {
        AccountTransferRequestBuilder::default()
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

/// Builds an [`AccountTransferRequest`], one named setter per field of the
/// document's payload. Required: `source_account_number`,
/// `destination_account_number`, `client_service_code`, `transaction_amount`
/// and `source_transaction_id`; [`build`](AccountTransferRequestBuilder::build)
/// names any that is missing. The document requires `transaction_source` and
/// `transaction_date` too: unless set, they are
/// [`TransactionSource::Internal`] (a transfer within the wallet system) and
/// the time of `build`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountTransferRequestBuilder {
    source_account_number: Option<AccountNumber>,
    destination_account_number: Option<AccountNumber>,
    client_service_code: Option<ClientServiceCode>,
    transaction_amount: Option<Decimal>,
    source_transaction_id: Option<SourceTransactionId>,
    transaction_source: Option<TransactionSource>,
    source_transaction_data: Option<Map<String, Value>>,
    transaction_narration: Option<String>,
    transaction_date: Option<DateTime<Utc>>,
}

impl AccountTransferRequestBuilder {
    /// The account funds leave (required).
    pub fn source_account_number(mut self, account: AccountNumber) -> Self {
        self.source_account_number = Some(account);
        self
    }

    /// The account funds reach (required).
    pub fn destination_account_number(mut self, account: AccountNumber) -> Self {
        self.destination_account_number = Some(account);
        self
    }

    /// The client service that authorizes the transfer (required).
    pub fn client_service_code(mut self, code: ClientServiceCode) -> Self {
        self.client_service_code = Some(code);
        self
    }

    /// The amount to move: positive, sent as an exact JSON number (required).
    pub fn transaction_amount(mut self, amount: Decimal) -> Self {
        self.transaction_amount = Some(amount);
        self
    }

    /// Your unique reference, to reconcile by (required; see
    /// [`SourceTransactionId::generate`]).
    pub fn source_transaction_id(mut self, reference: SourceTransactionId) -> Self {
        self.source_transaction_id = Some(reference);
        self
    }

    /// Where the transfer comes from (default [`TransactionSource::Internal`]).
    pub fn transaction_source(mut self, source: TransactionSource) -> Self {
        self.transaction_source = Some(source);
        self
    }

    /// When the transfer occurred (default: the time of `build`).
    pub fn transaction_date(mut self, at: DateTime<Utc>) -> Self {
        self.transaction_date = Some(at);
        self
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

    /// The request, once every required field is set. The amount and the
    /// reference are checked when it is sent.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming every required field that is missing.
    pub fn build(self) -> Result<AccountTransferRequest> {
        match (
            self.source_account_number,
            self.destination_account_number,
            self.client_service_code,
            self.transaction_amount,
            self.source_transaction_id,
        ) {
            (
                Some(source_account_number),
                Some(destination_account_number),
                Some(client_service_code),
                Some(transaction_amount),
                Some(source_transaction_id),
            ) => Ok(AccountTransferRequest {
                source_account_number,
                destination_account_number,
                client_service_code,
                transaction_amount,
                source_transaction_id,
                transaction_source: self.transaction_source.unwrap_or(TransactionSource::Internal),
                source_transaction_data: self.source_transaction_data,
                transaction_narration: self.transaction_narration,
                transaction_date: self.transaction_date.unwrap_or_else(Utc::now),
            }),
            (source, destination, service, amount, reference) => {
                let missing: Vec<&str> = [
                    ("source_account_number", source.is_none()),
                    ("destination_account_number", destination.is_none()),
                    ("client_service_code", service.is_none()),
                    ("transaction_amount", amount.is_none()),
                    ("source_transaction_id", reference.is_none()),
                ]
                .into_iter()
                .filter_map(|(name, absent)| absent.then_some(name))
                .collect();
                Err(Error::InvalidRequest(format!("an account transfer needs {}", missing.join(", "))))
            }
        }
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
            .recovery(super::transactions::WAAS_RECOVERY)
            .rate_class(rate_class::TRANSACTIONS);
        self.client.send_raw(req).await?.json()
    }
}

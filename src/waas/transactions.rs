//! Credits, debits and reversals: `POST /api/v1/transactions?command=CREDIT|DEBIT`
//! and `POST /api/v1/transactions/{id}?command=REVERSE`, plus the ledger
//! entry type every transaction call returns.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::accounts::AccountNumber;
use super::client::{paths, rate_class, WaasClient};
use super::services::ClientServiceCode;
use crate::error::{Error, Result};
use crate::transport::path::with_id;
use crate::wire::{string_id, wire_enum, wire_object, Money, Stamp, Text, Timestamp};
use crate::Decimal;
use crate::Request;

/// What to do after a WaaS call whose outcome is unknown, as the end of the
/// error's sentence. The document offers no endpoint that reads anything
/// back (no transaction, balance or client read), and calls
/// `source_transaction_id` "a unique reference ID" without saying what a
/// repeat does: only a person who can see the ledger can tell.
pub(crate) const WAAS_RECOVERY: &str =
    "do not send it again: no read is documented, so a person checks it by its reference";

string_id!(
    /// WaaS's id for a ledger entry, e.g. `7607`; reversals take it.
    TransactionId
);

string_id!(
    /// Your unique reference for a transaction, sent as
    /// `source_transaction_id`: reconcile by it when an answer is lost.
    /// [`SourceTransactionId::generate`] makes one if you have none.
    SourceTransactionId
);

impl SourceTransactionId {
    /// A new unique reference (a random UUID v4, e.g.
    /// `0b9f3c1e-6f0e-4b8e-9c39-5d1f2a7c8e41`). Store it before sending, so a
    /// lost answer can be reconciled.
    pub fn generate() -> Self {
        SourceTransactionId::from(uuid::Uuid::new_v4().to_string())
    }
}

wire_enum!(
    /// Which side of the ledger an entry is on.
    TransactionType {
        /// Funds added to the account.
        Credit = "CREDIT",
        /// Funds taken from the account.
        Debit = "DEBIT",
    }
);

wire_enum!(
    /// Where a transaction comes from.
    TransactionSource {
        /// From outside the wallet system.
        External = "EXTERNAL",
        /// From inside the wallet system (transfers, reversals).
        Internal = "INTERNAL",
    }
);

/// A credit or debit to post. Every field of the document's payload table
/// is here: required ones are [`TransactionRequest::new`]'s arguments,
/// optional ones have setters. Send it with [`Transactions::credit`] or
/// [`Transactions::debit`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransactionRequest {
    account_number: AccountNumber,
    client_service_code: ClientServiceCode,
    transaction_source: TransactionSource,
    #[serde(with = "crate::wire::money::number")]
    transaction_amount: Decimal,
    source_transaction_id: SourceTransactionId,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_transaction_data: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_narration: Option<String>,
    #[serde(serialize_with = "crate::wire::iso8601::serialize")]
    transaction_date: DateTime<Utc>,
}

impl TransactionRequest {
    /// `transaction_amount` (positive, sent as an exact JSON number) on
    /// `account_number` under `client_service_code`, from `transaction_source`,
    /// with your unique `source_transaction_id` (see
    /// [`SourceTransactionId::generate`]) and the time it occurred.
    ///
    /// The three identifiers are distinct types, so the account number
    /// cannot land where the service code or your reference goes:
    ///
    /// ```
    /// use chrono::Utc;
    /// use walletkit::waas::{AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource};
    /// use walletkit::Decimal;
    ///
    /// let reference = SourceTransactionId::generate(); // store it before sending
    /// let credit = TransactionRequest::new(
    ///     AccountNumber::from("10000110"),       // or a created account's `account_number`
    ///     ClientServiceCode::from("PAY1CNAELX"), // or a created service's `client_service_code`
    ///     TransactionSource::External,
    ///     Decimal::new(9600, 2),
    ///     reference.clone(),
    ///     Utc::now(),
    /// );
    /// assert_eq!(credit.source_transaction_id(), &reference);
    /// ```
    ///
    /// Swapped, they do not compile:
    ///
    /// ```compile_fail
    /// # use walletkit::waas::{AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource};
    /// # use walletkit::Decimal;
    /// let credit = TransactionRequest::new(
    ///     ClientServiceCode::from("PAY1CNAELX"),
    ///     AccountNumber::from("10000110"),
    ///     TransactionSource::External,
    ///     Decimal::new(9600, 2),
    ///     SourceTransactionId::generate(),
    ///     chrono::Utc::now(),
    /// );
    /// ```
    pub fn new(
        account_number: AccountNumber,
        client_service_code: ClientServiceCode,
        transaction_source: TransactionSource,
        transaction_amount: Decimal,
        source_transaction_id: SourceTransactionId,
        transaction_date: DateTime<Utc>,
    ) -> Self {
        TransactionRequest {
            account_number,
            client_service_code,
            transaction_source,
            transaction_amount,
            source_transaction_id,
            source_transaction_data: None,
            transaction_narration: None,
            transaction_date,
        }
    }

    /// Additional data from the source system, a JSON object.
    pub fn source_transaction_data(mut self, data: Map<String, Value>) -> Self {
        self.source_transaction_data = Some(data);
        self
    }

    /// A short description of the transaction.
    pub fn transaction_narration(mut self, narration: impl Into<String>) -> Self {
        self.transaction_narration = Some(narration.into());
        self
    }

    /// Your reference for this transaction.
    pub fn source_transaction_id(&self) -> &SourceTransactionId {
        &self.source_transaction_id
    }
}

/// Refuses a non-positive amount or an empty reference before sending.
pub(crate) fn validate(amount: Decimal, reference: &SourceTransactionId) -> Result<()> {
    if amount <= Decimal::ZERO {
        return Err(Error::InvalidRequest(format!("transaction amount {amount} must be positive")));
    }
    if reference.as_str().trim().is_empty() {
        return Err(Error::InvalidRequest(
            "a transaction needs a non-empty source_transaction_id (see SourceTransactionId::generate)".into(),
        ));
    }
    Ok(())
}

/// The source system's additional data (`source_transaction_data`), kept
/// as the raw JSON WaaS sent: numbers digit for digit, nothing reordered.
///
/// [`get`](SourceTransactionData::get) gives the text;
/// [`decode`](SourceTransactionData::decode) reads it into your own type.
#[derive(Clone)]
pub struct SourceTransactionData(Box<RawValue>);

impl SourceTransactionData {
    /// The raw JSON text, as sent.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The raw JSON value, as sent.
    pub fn as_raw(&self) -> &RawValue {
        &self.0
    }

    /// Decodes the data into `T` (use [`crate::money`]'s adapters for
    /// amounts; a `serde_json::Value` rounds fractional numbers to `f64`).
    ///
    /// # Errors
    /// When the data does not fit `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.get())
    }
}

/// Compares the raw text: the same data written differently is not equal.
impl PartialEq for SourceTransactionData {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for SourceTransactionData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SourceTransactionData").field(&self.get()).finish()
    }
}

impl Serialize for SourceTransactionData {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SourceTransactionData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(SourceTransactionData)
    }
}

wire_object! {
    /// One ledger entry: a credit or debit on one account, with the balance
    /// before and after.
    ///
    /// Amounts arrive as four-decimal strings (`"96.0000"`) and are read
    /// exactly, as are numbers; identifiers are read from strings or numbers.
    /// The identifiers, type and amounts are required (`transaction_id` is
    /// also read as `transactionId` or `id`, `account` as `account_number`);
    /// the other fields are optional because the document shows few examples.
    /// A key repeated in the object (the document's reversal example repeats
    /// `transaction_id`) keeps its first value.
    pub struct Transaction {
        /// WaaS's id for this entry.
        pub transaction_id: TransactionId = required ["transaction_id", "transactionId", "id"] via TransactionId,
        /// The account the entry is on.
        pub account: AccountNumber = required ["account", "account_number", "accountNumber"] via AccountNumber,
        /// The client service it was processed under.
        pub client_service: Option<ClientServiceCode> =
            optional ["client_service", "client_service_code", "clientServiceCode"],
        /// Credit or debit.
        pub transaction_type: TransactionType = required ["transaction_type", "transactionType"],
        /// Currency, e.g. `KES`.
        pub currency: Option<String> = optional ["currency"] via Text,
        /// The amount moved (always positive; see `transaction_type`).
        pub transaction_amount: Decimal = required ["transaction_amount", "amount"] via Money,
        /// Balance before the entry.
        pub previous_balance: Decimal = required ["previous_balance"] via Money,
        /// Balance after the entry.
        pub current_balance: Decimal = required ["current_balance"] via Money,
        /// The other account involved, when any.
        pub other_party_account: Option<AccountNumber> = optional ["other_party_account"] via AccountNumber,
        /// The other party's transaction hash (`N/A` when none).
        pub other_party_transaction_hash: Option<String> = optional ["other_party_transaction_hash"] via Text,
        /// Where the transaction came from.
        pub transaction_source: Option<TransactionSource> = optional ["transaction_source"],
        /// The source system's reference.
        pub source_transaction_id: Option<SourceTransactionId> =
            optional ["source_transaction_id", "sourceTransactionId"],
        /// The source system's additional data, exactly as sent.
        pub source_transaction_data: Option<SourceTransactionData> = optional ["source_transaction_data"],
        /// Narration.
        pub transaction_narration: Option<String> = optional ["transaction_narration"] via Text,
        /// When the transaction occurred; kept as sent when it does not parse.
        pub transaction_date: Option<Timestamp> = optional ["transaction_date", "transactionDate"] via Stamp,
    }
}

impl Transaction {
    /// How this entry changed the account's balance: `current - previous`
    /// (negative for a debit); `None` if the server's figures are so far
    /// apart that the difference does not fit a `Decimal`.
    pub fn balance_change(&self) -> Option<Decimal> {
        self.current_balance.checked_sub(self.previous_balance)
    }
}

wire_object! {
    /// The two entries of an internal transfer or a reversal: the debit on
    /// the source account and the credit on the destination account.
    pub struct TransactionPair {
        /// The entry on the account funds left.
        pub source_transaction: Transaction = required ["source_transaction", "sourceTransaction"],
        /// The entry on the account funds reached.
        pub destination_transaction: Transaction = required ["destination_transaction", "destinationTransaction"],
    }
}

/// Credit, debit and reversal calls; see [`WaasClient::transactions`].
#[derive(Debug, Clone, Copy)]
pub struct Transactions<'a> {
    pub(crate) client: &'a WaasClient,
}

impl Transactions<'_> {
    /// `POST /api/v1/transactions?command=CREDIT`: adds funds to the account.
    ///
    /// Not idempotent and never re-sent after a lost answer: that is
    /// [`Error::OutcomeUnknown`] carrying the `source_transaction_id` to
    /// reconcile by. A success answer that cannot be read is
    /// [`Error::AcceptedUnreadable`] carrying it too: the server took the request, so reconcile.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a non-positive amount or an empty
    /// reference (before sending); API errors; transport errors;
    /// [`Error::OutcomeUnknown`]; [`Error::AcceptedUnreadable`].
    pub async fn credit(&self, request: &TransactionRequest) -> Result<Transaction> {
        self.post(request, TransactionType::Credit).await
    }

    /// `POST /api/v1/transactions?command=DEBIT`: takes funds from the account.
    ///
    /// Not idempotent, as [`Transactions::credit`].
    ///
    /// # Errors
    /// As [`Transactions::credit`].
    pub async fn debit(&self, request: &TransactionRequest) -> Result<Transaction> {
        self.post(request, TransactionType::Debit).await
    }

    async fn post(&self, request: &TransactionRequest, command: TransactionType) -> Result<Transaction> {
        validate(request.transaction_amount, &request.source_transaction_id)?;
        let req = Request::post(paths::TRANSACTIONS)
            .query("command", command.as_str())
            .json(request)?
            .reference("source_transaction_id", request.source_transaction_id.as_str())
            .journaled(if command == TransactionType::Credit { "transactions.credit" } else { "transactions.debit" })
            .recovery(WAAS_RECOVERY)
            .rate_class(rate_class::TRANSACTIONS);
        self.client.send_raw(req).await?.json()
    }

    /// `POST /api/v1/transactions/{id}?command=REVERSE` (no body): undoes a
    /// transaction, returning the entries that move the funds back.
    ///
    /// Not idempotent: a lost or unreadable answer is
    /// [`Error::OutcomeUnknown`] or [`Error::AcceptedUnreadable`] carrying the
    /// `transaction_id` (the document gives a reversal no reference of its
    /// own); check whether the reversal happened before sending it again.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an id that is not one path segment
    /// (empty, `..`, `/`, `?`, whitespace, …), before anything is sent; API
    /// errors; transport errors; [`Error::OutcomeUnknown`];
    /// [`Error::AcceptedUnreadable`].
    pub async fn reverse(&self, transaction_id: &TransactionId) -> Result<TransactionPair> {
        let path = with_id(paths::TRANSACTION, "transaction id", transaction_id.as_str())?;
        let req = Request::post(path)
            .query("command", "REVERSE")
            .reference("transaction_id", transaction_id.as_str())
            .journaled("transactions.reverse")
            .recovery(WAAS_RECOVERY)
            .rate_class(rate_class::TRANSACTIONS);
        self.client.send_raw(req).await?.json()
    }
}

//! Credits, debits and reversals: `POST /api/v1/transactions?command=CREDIT|DEBIT`
//! and `POST /api/v1/transactions/{id}?command=REVERSE`, plus the ledger
//! entry type every transaction call returns.

use chrono::{DateTime, Utc};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::accounts::AccountNumber;
use super::client::{paths, rate_class, WaasClient};
use super::services::ClientServiceCode;
use super::wire;
use crate::enums::wire_enum;
use crate::error::{Error, Result};
use crate::ids::string_id;
use crate::money::Decimal;
use crate::Request;

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
        SourceTransactionId(uuid::Uuid::new_v4().to_string())
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
    #[serde(with = "crate::money::number")]
    transaction_amount: Decimal,
    source_transaction_id: SourceTransactionId,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_transaction_data: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_narration: Option<String>,
    #[serde(serialize_with = "wire::iso8601::serialize")]
    transaction_date: DateTime<Utc>,
}

impl TransactionRequest {
    /// `transaction_amount` (positive, sent as an exact JSON number) on
    /// `account_number` under `client_service_code`, from `transaction_source`,
    /// with your unique `source_transaction_id` (see
    /// [`SourceTransactionId::generate`]) and the time it occurred.
    pub fn new(
        account_number: impl Into<AccountNumber>,
        client_service_code: impl Into<ClientServiceCode>,
        transaction_source: TransactionSource,
        transaction_amount: Decimal,
        source_transaction_id: impl Into<SourceTransactionId>,
        transaction_date: DateTime<Utc>,
    ) -> Self {
        TransactionRequest {
            account_number: account_number.into(),
            client_service_code: client_service_code.into(),
            transaction_source,
            transaction_amount,
            source_transaction_id: source_transaction_id.into(),
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

/// One ledger entry: a credit or debit on one account, with the balance
/// before and after.
///
/// Amounts arrive as four-decimal strings (`"96.0000"`) and are read
/// exactly; identifiers are read from strings or numbers. Identifiers and
/// amounts are required; the other fields are optional because the document
/// shows few examples. In API answers a key repeated in the object (the
/// document's reversal example repeats `transaction_id`) takes its last value.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Transaction {
    /// WaaS's id for this entry.
    #[serde(deserialize_with = "wire::text")]
    pub transaction_id: TransactionId,
    /// The account the entry is on.
    #[serde(deserialize_with = "wire::text")]
    pub account: AccountNumber,
    /// The client service it was processed under.
    #[serde(default, deserialize_with = "wire::text_opt")]
    pub client_service: Option<ClientServiceCode>,
    /// Credit or debit.
    pub transaction_type: TransactionType,
    /// Currency, e.g. `KES`.
    pub currency: Option<String>,
    /// The amount moved (always positive; see `transaction_type`).
    #[serde(with = "crate::money::number")]
    pub transaction_amount: Decimal,
    /// Balance before the entry.
    #[serde(with = "crate::money::number")]
    pub previous_balance: Decimal,
    /// Balance after the entry.
    #[serde(with = "crate::money::number")]
    pub current_balance: Decimal,
    /// The other account involved, when any.
    #[serde(default, deserialize_with = "wire::text_opt")]
    pub other_party_account: Option<AccountNumber>,
    /// The other party's transaction hash (`N/A` when none).
    #[serde(default, deserialize_with = "wire::text_opt")]
    pub other_party_transaction_hash: Option<String>,
    /// Where the transaction came from.
    pub transaction_source: Option<TransactionSource>,
    /// The source system's reference.
    #[serde(default, deserialize_with = "wire::text_opt")]
    pub source_transaction_id: Option<SourceTransactionId>,
    /// The source system's additional data.
    pub source_transaction_data: Option<Value>,
    /// Narration.
    #[serde(default, deserialize_with = "wire::text_opt")]
    pub transaction_narration: Option<String>,
    /// When the transaction occurred.
    pub transaction_date: Option<DateTime<Utc>>,
}

/// Reads a ledger entry from an API answer, tolerating a repeated key.
///
/// serde's derive refuses a repeated key; a map keeps the last value. A
/// `Value` holds numbers exactly but hands fractions to visitors as `f64`,
/// so top-level numbers (amounts, ids) continue as their exact text, while
/// nested data is left as it came.
fn entry<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Transaction, D::Error> {
    let mut map = Map::deserialize(d)?;
    for value in map.values_mut() {
        if let Value::Number(n) = value {
            *value = Value::String(n.to_string());
        }
    }
    let mut track = serde_path_to_error::Track::new();
    Transaction::deserialize(serde_path_to_error::Deserializer::new(Value::Object(map), &mut track))
        .map_err(|e| D::Error::custom(format!("{e} (at `{}`)", track.path())))
}

/// A single ledger entry as an API answer.
#[derive(Deserialize)]
struct Entry(#[serde(deserialize_with = "entry")] Transaction);

impl Transaction {
    /// How this entry changed the account's balance: `current - previous`
    /// (negative for a debit); `None` if the server's figures are so far
    /// apart that the difference does not fit a `Decimal`.
    pub fn balance_change(&self) -> Option<Decimal> {
        self.current_balance.checked_sub(self.previous_balance)
    }
}

/// The two entries of an internal transfer or a reversal: the debit on the
/// source account and the credit on the destination account.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TransactionPair {
    /// The entry on the account funds left.
    #[serde(deserialize_with = "entry")]
    pub source_transaction: Transaction,
    /// The entry on the account funds reached.
    #[serde(deserialize_with = "entry")]
    pub destination_transaction: Transaction,
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
    /// reconcile by.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a non-positive amount or an empty
    /// reference (before sending); API errors; transport errors;
    /// [`Error::OutcomeUnknown`].
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
            .rate_class(rate_class::TRANSACTIONS);
        self.client.send_raw(req).await?.json::<Entry>().map(|e| e.0)
    }

    /// `POST /api/v1/transactions/{id}?command=REVERSE` (no body): undoes a
    /// transaction, returning the entries that move the funds back.
    ///
    /// Not idempotent: a lost answer is [`Error::OutcomeUnknown`] carrying
    /// the `transaction_id`; check whether the reversal happened before
    /// sending it again.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an id that is not a plain identifier;
    /// API errors; transport errors; [`Error::OutcomeUnknown`].
    pub async fn reverse(&self, transaction_id: &TransactionId) -> Result<TransactionPair> {
        let id = transaction_id.as_str();
        let plain = id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if id.is_empty() || !plain || id.chars().all(|c| c == '.') {
            return Err(Error::InvalidRequest(format!("`{id}` is not a valid transaction id")));
        }
        let req = Request::post(format!("{}/{id}", paths::TRANSACTIONS))
            .query("command", "REVERSE")
            .reference("transaction_id", id)
            .rate_class(rate_class::TRANSACTIONS);
        self.client.send_raw(req).await?.json()
    }
}

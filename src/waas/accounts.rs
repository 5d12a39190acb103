//! Accounts (wallets): `POST /api/v1/accounts`, opened for a client by its code.

use serde::Serialize;

use super::client::{paths, rate_class, WaasClient};
use super::clients::ClientCode;
use crate::error::Result;
use crate::wire::{string_id, wire_enum, wire_object, Flag, Money, Stamp, Text, Timestamp};
use crate::Decimal;
use crate::Request;

string_id!(
    /// The id WaaS gives an account, e.g. `1`.
    AccountId
);

string_id!(
    /// An account's number, e.g. `10000110`; transactions name accounts by it.
    AccountNumber
);

string_id!(
    /// The name you give an account "for identification purposes" (the
    /// document's words), e.g. `Collection Account KES 2`: a lost answer to
    /// [`Accounts::create`] is reconciled by it.
    AccountName
);

wire_enum!(
    /// What an account is for: the seven documented types.
    AccountTypeCode {
        /// `FLOAT_ACCOUNT`.
        FloatAccount = "FLOAT_ACCOUNT",
        /// `AVAILABLE_COLLECTIONS`.
        AvailableCollections = "AVAILABLE_COLLECTIONS",
        /// `HYBRID_ACCOUNT`.
        HybridAccount = "HYBRID_ACCOUNT",
        /// `ACQUIRER_RESERVE`.
        AcquirerReserve = "ACQUIRER_RESERVE",
        /// `ROLLING_RESERVE`.
        RollingReserve = "ROLLING_RESERVE",
        /// `COMMISSION_ACCOUNT`.
        CommissionAccount = "COMMISSION_ACCOUNT",
        /// `COMMISSION_TAX_ACCOUNT`.
        CommissionTaxAccount = "COMMISSION_TAX_ACCOUNT",
    }
);

wire_enum!(
    /// Whether an account can be used.
    AccountStatus {
        /// `ACTIVE`.
        Active = "ACTIVE",
        /// `INACTIVE`.
        Inactive = "INACTIVE",
    }
);

/// An account to open. Every field of the document's payload table is here:
/// required ones are [`AccountRequest::new`]'s arguments, optional ones have
/// setters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountRequest {
    client_code: ClientCode,
    account_type_code: AccountTypeCode,
    account_name: AccountName,
    currency: String,
    #[serde(with = "crate::wire::money::number")]
    minimum_balance: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    can_overdraw: Option<bool>,
    status: AccountStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_description: Option<String>,
}

impl AccountRequest {
    /// An account of `account_type_code` named `account_name` in `currency`
    /// (e.g. `KES`) for the client `client_code`, with a minimum balance
    /// (typically zero) and a status.
    ///
    /// The client code and the name are distinct types, so neither can land
    /// where the other (or the currency) goes:
    ///
    /// ```
    /// use walletkit::waas::{AccountName, AccountRequest, AccountStatus, AccountTypeCode, ClientCode};
    /// use walletkit::Decimal;
    ///
    /// let request = AccountRequest::new(
    ///     ClientCode::from("LIPNZPMF7O"), // or a created client's `client_code`
    ///     AccountTypeCode::FloatAccount,
    ///     AccountName::from("Collection Account KES 2"),
    ///     "KES",
    ///     Decimal::ZERO,
    ///     AccountStatus::Active,
    /// );
    /// assert_eq!(request.account_name().as_str(), "Collection Account KES 2");
    /// ```
    pub fn new(
        client_code: ClientCode,
        account_type_code: AccountTypeCode,
        account_name: AccountName,
        currency: impl Into<String>,
        minimum_balance: Decimal,
        status: AccountStatus,
    ) -> Self {
        AccountRequest {
            client_code,
            account_type_code,
            account_name,
            currency: currency.into(),
            minimum_balance,
            can_overdraw: None,
            status,
            status_description: None,
        }
    }

    /// The account's name: what a lost answer is reconciled by.
    pub fn account_name(&self) -> &AccountName {
        &self.account_name
    }

    /// Whether the account may be overdrawn.
    pub fn can_overdraw(mut self, can_overdraw: bool) -> Self {
        self.can_overdraw = Some(can_overdraw);
        self
    }

    /// A short description of the account's purpose or status.
    pub fn status_description(mut self, description: impl Into<String>) -> Self {
        self.status_description = Some(description.into());
        self
    }
}

wire_object! {
    /// An account as WaaS reports it. The identifiers are required
    /// (`account_id`, also read as `accountId` or `id`; `account_number`, also
    /// `accountNumber`); the rest is optional because the document shows a
    /// single example. Amounts arrive as four-decimal strings (`"0.1000"`) and
    /// are read exactly, as are numbers; timestamps that do not parse are kept
    /// as sent.
    pub struct Account {
        /// WaaS's id for the account.
        pub account_id: AccountId = required ["account_id", "accountId", "id"] via AccountId,
        /// The account number transactions use.
        pub account_number: AccountNumber = required ["account_number", "accountNumber"] via AccountNumber,
        /// Name of the account.
        pub account_name: Option<String> = optional ["account_name"] via Text,
        /// The owning client, when reported.
        pub client_code: Option<ClientCode> = optional ["client_code", "clientCode"] via ClientCode,
        /// The account type, when reported.
        pub account_type_code: Option<AccountTypeCode> = optional ["account_type_code"],
        /// Currency, e.g. `KES`.
        pub currency: Option<String> = optional ["currency"] via Text,
        /// Minimum balance.
        pub minimum_balance: Option<Decimal> = optional ["minimum_balance"] via Money,
        /// Whether the account may be overdrawn (`true`/`false`, or `1`/`0`).
        pub can_overdraw: Option<bool> = optional ["can_overdraw"] via Flag,
        /// Status.
        pub status: Option<AccountStatus> = optional ["status"],
        /// Description of the purpose or status.
        pub status_description: Option<String> = optional ["status_description"] via Text,
        /// When the account was created.
        pub created_at: Option<Timestamp> = optional ["created_at", "createdAt"] via Stamp,
        /// When the account last changed.
        pub updated_at: Option<Timestamp> = optional ["updated_at", "updatedAt"] via Stamp,
    }
}

/// Account calls; see [`WaasClient::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    pub(crate) client: &'a WaasClient,
}

impl Accounts<'_> {
    /// `POST /api/v1/accounts`. Not idempotent: a lost answer is
    /// [`crate::Error::OutcomeUnknown`] carrying the `account_name` to look for.
    ///
    /// # Errors
    /// API errors, transport errors, and [`crate::Error::OutcomeUnknown`].
    pub async fn create(&self, request: &AccountRequest) -> Result<Account> {
        let req = Request::post(paths::ACCOUNTS)
            .json(request)?
            .reference("account_name", request.account_name.as_str())
            .recovery(super::transactions::WAAS_RECOVERY)
            .rate_class(rate_class::SETUP);
        self.client.send_raw(req).await?.json()
    }
}

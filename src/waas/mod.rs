//! Wallet-as-a-Service: client profiles, accounts (wallets), client
//! services, credits, debits, internal transfers and reversals, with a
//! Bearer token from `POST /api/v1/auth/login`.
//!
//! The login is cached and shared by every concurrent call (one login, not
//! one per task), replaced shortly before `expires_in` runs out, and
//! replaced once when a call is rejected with 401. WaaS documents no public
//! host, so a base URL is always required.
//!
//! Money moves here: credits, debits, transfers and reversals are never
//! re-sent after a lost answer. You get [`crate::Error::OutcomeUnknown`]
//! carrying your `source_transaction_id` (or the reversed `transaction_id`).
//! The document offers no endpoint that reads a transaction back and does
//! not say what a repeated `source_transaction_id` does, so do not send it
//! again: a person who can see the ledger checks it by that reference.
//! [`SourceTransactionId::generate`] makes unique references.
//!
//! ```no_run
//! # async fn run() -> walletkit::Result<()> {
//! use chrono::Utc;
//! use walletkit::waas::{
//!     AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource, WaasClient,
//! };
//! use walletkit::Decimal;
//!
//! let waas = WaasClient::builder()
//!     .base_url("https://waas.example.com")
//!     .credentials("USERNAME", "PASSWORD")
//!     .build()?;
//!
//! let reference = SourceTransactionId::generate(); // store it before sending
//! let credit = TransactionRequest::new(
//!     AccountNumber::from("10000110"),
//!     ClientServiceCode::from("PAY1CNAELX"),
//!     TransactionSource::External,
//!     Decimal::new(9600, 2), // 96.00
//!     reference,
//!     Utc::now(),
//! );
//! let entry = waas.transactions().credit(&credit).await?;
//! let currency = entry.currency.as_deref().unwrap_or("");
//! println!("{} {currency} -> {} {currency}", entry.previous_balance.normalize(), entry.current_balance.normalize());
//! # Ok(()) }
//! ```

mod accounts;
mod client;
mod clients;
mod error;
mod login;
mod login_answer;
mod recover;
mod services;
mod transactions;
mod transfers;

pub use accounts::{
    Account, AccountId, AccountName, AccountNumber, AccountRequest, AccountStatus, AccountTypeCode, Accounts,
};
pub use client::{rate_class, WaasApi, WaasClient, WaasClientBuilder};
pub use clients::{Client, ClientCode, ClientId, ClientRequest, ClientRequired, Clients};
pub use login::{LoginDetails, WaasLogin, WaasLoginBuilder};
pub use services::{
    ClientService, ClientServiceCode, ClientServiceId, ClientServiceRequest, ClientServiceRequired, ClientServices,
    FeeType, ServiceCode,
};
pub use transactions::{
    SourceTransactionData, SourceTransactionId, Transaction, TransactionId, TransactionPair, TransactionRequest,
    TransactionSource, TransactionType, Transactions,
};
pub use transfers::{AccountTransferRequest, AccountTransferRequired, AccountTransfers};

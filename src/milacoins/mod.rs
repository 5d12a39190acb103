//! MilaCoins payment gateway: API logs, currencies and wallets, invoices and
//! hosted payment pages, and transactions, over HMAC-signed requests.
//!
//! Every request carries `X-api-key`, `X-time` (integer seconds) and `X-Sig`,
//! the lowercase hex HMAC-SHA256 of `X-time + METHOD + path?query + body`
//! computed per attempt over the exact bytes sent. When the server answers
//! `INVALID_TIME` (4303) the client learns the offset from its `Date` header,
//! retries once, and signs every later request with the corrected time. A
//! `Date` more than [`MAX_CLOCK_OFFSET`] (one day) from the local clock is
//! ignored with a warning and the error returned; the next `INVALID_TIME`
//! learns again.
//!
//! ```no_run
//! # async fn run() -> walletkit::Result<()> {
//! use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, WalletName};
//! use walletkit::Decimal;
//!
//! let mila = MilaCoinsClient::from_env()?;
//! let invoice = InvoiceRequest::new(WalletName::from("BTC"), Decimal::new(1050, 2), "EUR").external_id("ORDER-42");
//! let created = mila.invoices().create(&invoice).await?;
//! println!("pay at {}", created.url.as_deref().unwrap_or("?"));
//! # Ok(()) }
//! ```

mod amount;
mod callbacks;
mod client;
mod confirm;
mod confirm_once;
mod error;
mod invoices;
mod listing;
mod logs;
mod recover;
mod reference;
#[cfg(test)]
mod signature_tests;
mod transactions;

pub use crate::transport::auth::MAX_CLOCK_OFFSET;
pub use callbacks::{
    parse_callback, parse_callback_parts, Callback, CallbackEvent, CallbackUrl, EVENT, EXTERNAL_ID, INVOICE_ID,
};
pub use client::{
    rate_class, Environment, MilaCoinsApi, MilaCoinsClient, MilaCoinsClientBuilder, PRODUCTION_BASE_URL,
    SANDBOX_BASE_URL,
};
pub use invoices::{
    CancelUrl, CompletedUrl, Invoice, InvoiceId, InvoiceRequest, Invoices, PaymentPageRequest, WalletName,
};
pub use listing::{Listing, MAX_LIMIT};
pub use logs::{LogEntry, LogId, Logs};
pub use reference::{Currency, Reference, Wallet};
pub use transactions::{
    Customer, DateBound, ExchangeRate, Refund, RefundStatus, Transaction, TransactionId, TransactionStatus,
    Transactions,
};

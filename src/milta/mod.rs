//! Milta Wallet Partner API: reference data, transfers (immediate, deferred,
//! batched), balance and pricing, with HTTP Basic auth.
//!
//! ```no_run
//! # async fn run() -> walletkit::Result<()> {
//! use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
//! use walletkit::Decimal;
//!
//! let milta = MiltaClient::from_env()?;
//! let transfer = TransferRequest::new(
//!     ExternalId::from("TXN-001"),
//!     ProductId::from("PRODUCT_123"),
//!     PhoneNumber::from("+447700900001"),
//!     Decimal::new(1000, 2),
//!     "GBP",
//! );
//! let created = milta.transfers().create(&transfer).await?;
//! println!("{} is {:?}", created.transfer_id, created.status);
//! # Ok(()) }
//! ```

mod account;
mod client;
mod envelope;
mod error;
mod inventories;
mod tracking;
mod transfers;
mod webhook_once;

pub use account::{Account, Balance, PricingEstimate, PricingRequest};
pub use client::{rate_class, Locale, MiltaApi, MiltaClient, MiltaClientBuilder, DEFAULT_BASE_URL};
pub use inventories::{Brand, Category, Country, Currency, Inventories, Listing, Product, ProviderId, ProviderInfo};
pub use transfers::{
    BatchEntry, BatchRef, BatchResponse, ExternalId, PhoneNumber, ProductId, SubmitOutcome, Transfer, TransferId,
    TransferRequest, TransferStatus, Transfers, UnreadableEntry, CANCELLATION_WINDOW, MAX_BATCH,
};

//! # walletkit
//!
//! Typed async clients for four wallet and payment APIs, sharing one
//! transport: [Milta Partner](milta), [MilaCoins](milacoins),
//! [Wallets](wallets) and [Wallet-as-a-Service](waas).
//!
//! What every client guarantees:
//!
//! - **Money is exact.** Every amount is a [`Decimal`]; JSON numbers and
//!   strings are read digit for digit and written in shortest form. No `f64`.
//! - **No double spends from retries.** Only idempotent requests are retried
//!   after a lost answer; Milta transfers carry an idempotency key reused by
//!   every retry; any other POST that loses its answer or meets a server
//!   failure returns [`Error::OutcomeUnknown`] with the reference to
//!   reconcile by, never a "retryable" error that invites a second send.
//! - **One error type.** [`Error`] says what to do next: retry, reconcile,
//!   or fix the request. [`Error::kind`] normalises every provider's codes.
//! - **Secrets stay secret.** Credentials are [`secrecy::SecretString`] and
//!   never appear in `Debug`, `Display`, errors or traces.
//! - **Polite by default.** Retries with backoff, `Retry-After`, a retry
//!   budget, client-side rate limits, timeouts, a response size cap, and no
//!   redirects (which would forward credential headers to another host).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod enums;
mod env;
pub mod error;
mod ids;
pub mod milacoins;
pub mod milta;
pub mod money;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
pub mod waas;
pub mod wallets;
mod wire;

pub use error::{ApiError, DecodeError, Error, ErrorKind, OutcomeUnknown, Provider, Result};
pub use rust_decimal::Decimal;
pub use secrecy::SecretString;
pub use transport::auth::{StaticToken, TokenSource};
pub use transport::options::TransportOptions;
pub use transport::paginate::{ItemStream, Page};
pub use transport::ratelimit::{Rate, RateLimits};
pub use transport::request::Request;
pub use transport::response::RawResponse;
pub use transport::retry::RetryPolicy;
pub use wire::{Extra, RawJson, Timestamp};

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

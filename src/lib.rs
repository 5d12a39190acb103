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
//! - **A good citizen.** No global state: no process-wide serde_json
//!   features, no subscriber, no environment read outside `from_env`. Bring
//!   your own `reqwest::Client`, add a user-agent suffix, hook every attempt
//!   for metrics, and follow calls in `tracing` spans named after
//!   OpenTelemetry's HTTP conventions.
//!
//! # A complete program
//!
//! ```no_run
//! use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
//! use walletkit::{Decimal, Error, ErrorKind};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // One client per provider, built once and shared by cheap clones.
//!     let milta = MiltaClient::from_env()?; // MILTA_API_KEY_ID, MILTA_API_KEY_SECRET
//!
//!     let balance = milta.account().balance().await?;
//!     println!("balance: {:?} {:?}", balance.amount, balance.currency);
//!
//!     let transfer = TransferRequest::new(
//!         ExternalId::from("TXN-001"),
//!         ProductId::from("PRODUCT_123"),
//!         PhoneNumber::from("+447700900001"),
//!         Decimal::new(1000, 2),
//!         "GBP",
//!     );
//!     match milta.transfers().create(&transfer).await {
//!         Ok(created) => println!("{} is {}", created.transfer_id, created.status),
//!         // The server may have acted: the sentence says what to do (for Milta,
//!         // send the same transfer again within 24 h); the references are fields.
//!         Err(Error::OutcomeUnknown(unknown)) => eprintln!("{unknown} reference: {:?}", unknown.sent.reference),
//!         Err(Error::AcceptedUnreadable(accepted)) => eprintln!("{accepted} reference: {:?}", accepted.sent.reference),
//!         Err(e) if e.kind() == ErrorKind::InsufficientFunds => eprintln!("top up first: {e}"),
//!         Err(e) if e.is_retryable() => eprintln!("try again after {:?}: {e}", e.retry_after()),
//!         Err(e) => return Err(e.into()),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! Every provider has a sandbox (stateful fakes on loopback, with ready
//! clients: `walletkit::sandbox`, feature `sandbox`) and wiremock helpers
//! behind the `test-util` feature.
//!
//! # Features
//!
//! - `rustls` (default): TLS through rustls. `native-tls`: the platform's TLS.
//!   With neither, building a client for an `https` URL is a
//!   [`Error::Config`] unless you pass your own client.
//! - `test-util`: matchers, fixture responders and constructors for your tests.
//! - `sandbox`: the stateful fakes of the four APIs and ready clients for
//!   them, for your tests.
//! - `redis`: client-side rate limits and login tokens shared by replicas.
//! - `journal-sqlite`, `journal-postgres`: the durable [`journal`] of money
//!   movements in an SQLite file or in PostgreSQL.
//! - `metrics`: durations, attempts, 429s, retries, unknown outcomes,
//!   rate-limit waits and logins through the `metrics` facade (names in
//!   `walletkit::metrics`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod client;
mod env;
pub mod error;
pub mod journal;
pub mod milacoins;
pub mod milta;
/// The names of the metrics walletkit records (feature `metrics`), and
/// [`describe`](metrics::describe) to give your recorder their units; see
/// the README's "Metrics".
#[cfg(feature = "metrics")]
pub mod metrics {
    pub use crate::transport::metrics::{
        describe, ATTEMPTS, LOGINS, OUTCOME_UNKNOWN, RATE_LIMITED, RATE_LIMITER_WAIT, REQUEST_DURATION, RETRIES,
    };
}
mod redact;
#[cfg(feature = "sandbox")]
pub mod sandbox;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
pub mod waas;
pub mod wallets;
mod wire;

pub use error::{ApiError, DecodeError, Error, ErrorKind, OutcomeUnknown, Provider, Result, Sent};
pub use rust_decimal::Decimal;
pub use secrecy::SecretString;
pub use transport::auth::{StaticToken, TokenSource};
pub use transport::hook::{AttemptHook, AttemptInfo, AttemptOutcome, AttemptReport};
pub use transport::meta::{MetaFuture, ResponseMeta, WithMeta};
pub use transport::options::{CallOptions, TransportOptions};
pub use transport::paginate::{ItemStream, Page};
pub use transport::ratelimit::{Rate, RateClass, RateLimiter, RateLimits, Refusal};
#[cfg(feature = "redis")]
pub use transport::redis_ask::RedisOptions;
#[cfg(feature = "redis")]
pub use transport::redis_limiter::{RedisRateLimiter, WhenUnavailable};
#[cfg(feature = "redis")]
pub use transport::redis_token_cache::RedisTokenCache;
pub use transport::request::{Request, RequestPath};
pub use transport::response::RawResponse;
pub use transport::retry::RetryPolicy;
pub use wire::{money, Extra, RawJson, Timestamp};

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

//! Helpers for your own wiremock tests (feature `test-util`):
//!
//! - **matchers** that check each provider's auth on a received request:
//!   [`basic_auth`], [`bearer_token`], [`milacoins_signature`], [`Target`];
//! - **[`fixtures`]**: a success responder for every operation the four
//!   documents describe, built from their examples, and their error bodies;
//! - **failure responders**, the same for every API: [`too_many_requests`]
//!   (429 with `Retry-After`), [`server_error`] (5xx), [`garbage`] (a 200
//!   that is not JSON), [`slow`];
//! - **[`LostAnswer`]**: the server acts, then the connection closes without
//!   a byte of the answer, which no wiremock responder can do.
//!
//! ```
//! use walletkit::milta::MiltaClient;
//! use walletkit::test_util::{basic_auth, fixtures};
//! use wiremock::matchers::{method, path};
//! use wiremock::{Mock, MockServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = MockServer::start().await;
//! Mock::given(method("GET"))
//!     .and(path("/api/v1/partner/inventories/countries"))
//!     .and(basic_auth("key-id", "key-secret"))
//!     .respond_with(fixtures::milta::countries())
//!     .expect(1)
//!     .mount(&server)
//!     .await;
//!
//! // Milta's base URL includes `/api/v1/partner`; the others are scheme and host.
//! let milta = MiltaClient::builder()
//!     .base_url(format!("{}/api/v1/partner", server.uri()))
//!     .credentials("key-id", "key-secret")
//!     .build()
//!     .unwrap();
//! let countries = milta.inventories().countries().get().await.unwrap();
//! assert_eq!(countries.items[0].code, "GB");
//! # }
//! ```
//!
//! # My code handles an unknown outcome
//!
//! A transfer the server made but whose answer never arrived. The mock
//! records the request (the server acted); [`LostAnswer`] closes the
//! connection before any byte of the answer; walletkit reports
//! [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown) with the
//! reference and idempotency key to reconcile by:
//!
//! ```
//! # use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
//! # use walletkit::test_util::{fixtures, Lose, LostAnswer};
//! # use walletkit::{Decimal, Error, RetryPolicy};
//! # use wiremock::{matchers::method, Mock, MockServer};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let mock = MockServer::start().await;
//! Mock::given(method("POST")).respond_with(fixtures::milta::transfer_created()).mount(&mock).await;
//! let lost = LostAnswer::start(&mock, Lose::posts()).await.unwrap();
//! let milta = MiltaClient::builder().base_url(lost.uri()).credentials("id", "secret")
//!     .retry_policy(RetryPolicy::none()).build().unwrap();
//! let transfer = TransferRequest::new(ExternalId::from("TXN-001"), ProductId::from("PRODUCT_123"),
//!     PhoneNumber::from("+447700900001"), Decimal::new(1000, 2), "GBP");
//! let Err(Error::OutcomeUnknown(unknown)) = milta.transfers().create(&transfer).await else { panic!() };
//! assert_eq!(unknown.sent.reference, Some(("externalId".into(), "TXN-001".into())));
//! assert!(unknown.sent.idempotency_key.is_some());
//! assert_eq!(mock.received_requests().await.unwrap().len(), 1);
//! # }
//! ```
//!
//! Retries are off above so the mock sees exactly one request. With the
//! default policy, a Milta transfer (which carries an idempotency key) is
//! sent again after a lost answer under the same key: [`Lose::first`] loses
//! only the first answers, to test that the retry gets the transfer. A
//! MilaCoins invoice or a WaaS transaction (no key) is never resent.
//!
//! Against the stateful sandbox instead of a mock, `walletkit-sandbox`'s
//! `Faults::drop_after_post` does the same (fault spec `drop-first` or
//! `drop-every=N`): it books the POST, then closes the connection unanswered.

mod lost_answer;
mod matchers;
mod responders;

pub mod fixtures;

pub use lost_answer::{Lose, LostAnswer};
pub use matchers::{
    basic_auth, bearer_token, milacoins_signature, request_target, HeaderEquals, MilaCoinsSignature, Target,
};
pub use responders::{garbage, server_error, slow, too_many_requests};

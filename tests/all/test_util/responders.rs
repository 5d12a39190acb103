//! Each failure responder leads to walletkit's documented behaviour. Real
//! short waits (a 1 s `Retry-After`, a 200 ms attempt timeout) rather than a
//! paused clock, which does not drive real sockets.

use std::time::{Duration, Instant};

use walletkit::test_util::{fixtures, garbage, server_error, slow, too_many_requests};
use walletkit::wallets::WalletId;
use walletkit::{Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use super::{milacoins, milta, order_42, txn_001, MILTA, SECOND};
use crate::support::{fast, wallets_client};

async fn hits(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

fn idempotency_key(request: &wiremock::Request) -> Option<&str> {
    request.headers.get("x-idempotency-key").and_then(|v| v.to_str().ok())
}

/// A 429 is retried for any method (the server did not act), after the
/// `Retry-After` it carries: here a Milta transfer (keyed) and a MilaCoins
/// invoice (not keyed), each then created.
#[tokio::test]
async fn a_429_is_retried_after_its_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(too_many_requests(SECOND))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(fixtures::milta::transfer_created()).mount(&server).await;
    let started = Instant::now();
    let created = milta(&server.uri(), fast()).transfers().create(&txn_001()).await.unwrap();
    assert!(started.elapsed() >= SECOND, "retried after {:?}", started.elapsed());
    assert_eq!(created.transfer_id.as_str(), "T-9001");
    let sent = hits(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(idempotency_key(&sent[0]).is_some());
    assert_eq!(idempotency_key(&sent[0]), idempotency_key(&sent[1]), "the retry carries the same key");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(fixtures::milacoins::rate_limited(SECOND))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(fixtures::milacoins::invoice()).mount(&server).await;
    let started = Instant::now();
    let invoice = milacoins(&server.uri(), fast()).invoices().create(&order_42()).await.unwrap();
    assert!(started.elapsed() >= SECOND, "retried after {:?}", started.elapsed());
    assert_eq!(invoice.external_id.as_deref(), Some("ORDER-42"));
    assert_eq!(hits(&server).await.len(), 2);
}

/// Without retries left, the 429 is the caller's: rate limited, retryable,
/// with the server's wait.
#[tokio::test]
async fn a_429_without_retries_left_is_rate_limited_with_its_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(too_many_requests(Duration::from_millis(1500))).mount(&server).await;
    let client = walletkit::wallets::WalletsClient::builder()
        .base_url(server.uri())
        .token("t")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.wallets().get(&WalletId::from(101)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)), "whole seconds, rounded up");
}

/// A 5xx on a POST that moves money proves nothing about what the server
/// did: the outcome is unknown, the reference comes back, and an unkeyed
/// POST is not sent again.
#[tokio::test]
async fn a_5xx_on_a_money_post_is_outcome_unknown_and_not_resent() {
    for status in [500, 502, 503, 504] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path("/invoices")).respond_with(server_error(status)).mount(&server).await;
        let err = milacoins(&server.uri(), fast()).invoices().create(&order_42()).await.unwrap_err();
        let Error::OutcomeUnknown(unknown) = &err else { panic!("{status}: {err:?}") };
        assert_eq!(unknown.sent.reference, Some(("externalID".into(), "ORDER-42".into())), "{status}");
        assert!(unknown.cause.contains(&status.to_string()), "{status}: {}", unknown.cause);
        assert_eq!(hits(&server).await.len(), 1, "{status}: not resent");
    }
}

/// A Milta transfer carries an idempotency key, so a 5xx is retried under
/// it; when every attempt fails, the outcome is still unknown.
#[tokio::test]
async fn a_5xx_on_a_keyed_milta_transfer_is_retried_under_its_key_then_outcome_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{MILTA}/transfers")))
        .respond_with(server_error(500))
        .mount(&server)
        .await;
    let err = milta(&server.uri(), fast()).transfers().create(&txn_001()).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    let sent = hits(&server).await;
    assert_eq!(sent.len(), 4, "the first attempt and the default policy's 3 retries");
    assert!(sent.iter().all(|r| idempotency_key(r) == unknown.sent.idempotency_key.as_deref()));
    assert!(unknown.sent.idempotency_key.is_some());
}

/// A 5xx on a read is retried, then reported as the retryable server error.
#[tokio::test]
async fn a_5xx_on_a_read_is_retried_then_a_retryable_server_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(server_error(503)).mount(&server).await;
    let err = wallets_client(&server).wallets().get(&WalletId::from(101)).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Unavailable, Some(503)));
    assert!(err.is_retryable());
    assert_eq!(hits(&server).await.len(), 4);
}

/// A status that is not a server error is served as 500, never as a success.
#[tokio::test]
async fn server_error_refuses_to_serve_anything_but_a_5xx() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/ok")).respond_with(server_error(200)).mount(&server).await;
    Mock::given(method("GET")).and(path("/599")).respond_with(server_error(599)).mount(&server).await;
    let http = reqwest::Client::new();
    assert_eq!(http.get(format!("{}/ok", server.uri())).send().await.unwrap().status(), 500);
    assert_eq!(http.get(format!("{}/599", server.uri())).send().await.unwrap().status(), 599);
}

/// A 200 that is not JSON: a decode error on a read; on a POST with side
/// effects, accepted but unreadable (a 2xx says the server acted).
#[tokio::test]
async fn garbage_is_a_decode_error_on_a_read_and_accepted_unreadable_on_a_money_post() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(garbage()).mount(&server).await;
    let err = milta(&server.uri(), fast()).account().balance().await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, Some(200)), "{err}");
    assert!(!err.is_retryable());

    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(garbage()).mount(&server).await;
    let err = milacoins(&server.uri(), fast()).invoices().create(&order_42()).await.unwrap_err();
    let accepted = err.as_accepted_unreadable().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(accepted.sent.reference, Some(("externalID".into(), "ORDER-42".into())));
    assert_eq!(hits(&server).await.len(), 1);
}

/// An answer slower than the attempt timeout: a POST with side effects is
/// an unknown outcome (the mock received it) and is not resent; a read is a
/// retryable network error.
#[tokio::test]
async fn slow_beyond_the_attempt_timeout_is_outcome_unknown_for_a_post_and_network_for_a_read() {
    let timeout = Some(Duration::from_millis(200));
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(slow(SECOND * 3, fixtures::milacoins::invoice())).mount(&server).await;
    Mock::given(method("GET")).respond_with(slow(SECOND * 3, fixtures::milta::balance())).mount(&server).await;

    let mila = walletkit::milacoins::MilaCoinsClient::builder()
        .base_url(server.uri())
        .credentials("k", "s")
        .attempt_timeout(timeout)
        .retry_policy(fast())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = mila.invoices().create(&order_42()).await.unwrap_err();
    assert!(started.elapsed() < SECOND * 3, "ended by the attempt timeout, after {:?}", started.elapsed());
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(unknown.sent.reference, Some(("externalID".into(), "ORDER-42".into())));
    assert_eq!(hits(&server).await.len(), 1, "received once, not resent");

    let client = walletkit::milta::MiltaClient::builder()
        .base_url(format!("{}{MILTA}", server.uri()))
        .credentials("id", "secret")
        .attempt_timeout(timeout)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.account().balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.is_retryable());
}

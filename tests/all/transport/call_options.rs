//! Per-call control on typed calls: extra headers (checked so they never
//! replace credentials or idempotency keys, refused before anything is
//! sent) and an attempt timeout, through `with_call_options`.

use std::time::{Duration, Instant};

use walletkit::milacoins::MilaCoinsClient;
use walletkit::wallets::WalletId;
use walletkit::{CallOptions, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::wallets_client;

const GET: &str = include_str!("../../../fixtures/wallets/get.json");

#[tokio::test]
async fn a_call_header_reaches_the_wire_on_a_typed_call_beside_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets/101"))
        .and(header("x-correlation-id", "order-1234"))
        .and(header("authorization", "Bearer tok-123"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(GET, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let plain = wallets_client(&server);
    let tagged = plain.with_call_options(CallOptions::new().header("X-Correlation-Id", "order-1234").unwrap());
    tagged.wallets().get(&WalletId::from(101)).await.unwrap();
    // The handle it came from sends no such header.
    plain.wallets().get(&WalletId::from(101)).await.unwrap_err();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    assert!(!sent[1].headers.contains_key("x-correlation-id"));
}

#[tokio::test]
async fn headers_that_would_replace_credentials_or_keys_or_split_lines_are_refused_when_added() {
    for (name, value) in [
        ("Authorization", "Bearer mine"),
        ("proxy-authorization", "Basic eA=="),
        ("X-Idempotency-Key", "k-1"),
        ("Idempotency-Key", "k-1"),
        ("Content-Length", "0"),
        ("X-Note", "one\r\nAuthorization: Bearer forged"),
        ("X-Note", "one\ntwo"),
        ("Bad Name", "v"),
    ] {
        let err = CallOptions::new().header(name, value).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{name}");
        assert!(!err.to_string().contains("forged"), "the value is never echoed: {err}");
    }
}

#[tokio::test]
async fn a_header_the_providers_signing_sets_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("[]")).mount(&server).await;
    let mila = MilaCoinsClient::builder().base_url(server.uri()).credentials("k", "s").build().unwrap();
    for name in ["X-Sig", "x-api-key", "X-Time"] {
        let forged = mila.with_call_options(CallOptions::new().header(name, "forged").unwrap());
        let err = forged.reference().currencies().await.unwrap_err();
        assert!(matches!(err, Error::Config(ref m) if m.contains(&name.to_ascii_lowercase())), "{name}: {err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn the_attempt_timeout_of_the_call_options_replaces_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(GET, "application/json").set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let client = wallets_client(&server);
    let hurried = client.with_call_options(
        CallOptions::new().attempt_timeout(Some(Duration::from_millis(100))).retry_policy(RetryPolicy::none()),
    );
    let started = Instant::now();
    let err = hurried.wallets().get(&WalletId::from(101)).await.unwrap_err();
    assert!(matches!(err, Error::Network { ref message, .. } if message.contains("timed out after 100ms")), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(350), "{:?}", started.elapsed());
    // The client's own (30 s) still serves the handle it came from.
    client.wallets().get(&WalletId::from(101)).await.unwrap();
}

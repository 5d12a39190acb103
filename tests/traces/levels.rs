//! Issue 24, item 2: at `debug` each attempt is one short line (method,
//! route, result, elapsed, attempt, what next) with no query, secret or
//! idempotency key; the detail (the full URL, header names, the error) is at
//! `trace`; an unknown outcome is exactly one `WARN`.

use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::waas::{
    AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource, WaasClient,
};
use walletkit::{Decimal, ErrorKind, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::Captured;

const SECRETS: [&str; 4] = ["ks-SECRET-milta", "ms-SECRET-mila", "pw-SECRET-waas", "tok-SECRET-9"];
const KEY: &str = "IDEM-KEY-4242";

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(2))
}

/// What was captured since the last call, emptied.
fn take(captured: &Captured) -> String {
    String::from_utf8(std::mem::take(&mut *captured.0.lock().unwrap())).unwrap()
}

/// walletkit's per-attempt lines in `text`.
fn attempt_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.contains(" walletkit: attempt ")).collect()
}

fn warnings(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.contains(" WARN ")).collect()
}

/// Every attempt line is short and holds no query, secret or key.
fn assert_short(what: &str, text: &str) {
    for line in attempt_lines(text) {
        assert!(line.chars().count() < 200, "{what}: {} characters: {line}", line.chars().count());
        assert!(!line.contains('?') && !line.contains("http://"), "{what}: a query or URL: {line}");
        for secret in SECRETS.iter().chain([&KEY]) {
            assert!(!line.contains(secret), "{what}: {secret} in {line}");
        }
    }
    for line in text.lines().filter(|l| l.contains("walletkit")) {
        for secret in SECRETS {
            assert!(!line.contains(secret), "{what}: {secret} in {line}");
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_unknown_outcome_warns_once_and_each_attempt_is_one_short_debug_line() {
    let captured = Captured::default();
    let _guard = captured.install(tracing::Level::DEBUG);

    // Milta: a keyed transfer meets a 502 on each of its 4 attempts.
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let milta = MiltaClient::builder()
        .base_url(format!("{}/api/v1/partner", server.uri()))
        .credentials("kid-milta", SECRETS[0])
        .retry_policy(fast())
        .build()
        .unwrap();
    let transfer = TransferRequest::new(
        ExternalId::from("TXN-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::TEN,
        "GBP",
    );
    let err = milta.transfers().create_with_key(&transfer, KEY).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    let text = take(&captured);
    let sent = server.received_requests().await.unwrap().len();
    assert_eq!(sent, 4, "a keyed transfer is retried");
    let lines = attempt_lines(&text);
    assert_eq!(lines.len(), sent, "one debug line per attempt:\n{text}");
    assert!(
        lines[0].contains("method=\"POST\"")
            && lines[0].contains("route=\"/transfers\"")
            && lines[0].contains("status=502"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("attempt=1") && lines[0].contains("next=\"retry in "), "{}", lines[0]);
    assert!(lines[3].contains("attempt=4") && lines[3].contains("next=\"stop: retries used up\""), "{}", lines[3]);
    let warned = warnings(&text);
    assert_eq!(warned.len(), 1, "one warning for one unknown outcome:\n{text}");
    assert!(warned[0].contains("outcome unknown") && warned[0].contains("externalId=TXN-1"), "{}", warned[0]);
    assert!(!warned[0].contains(KEY), "the key stays in the error: {}", warned[0]);
    assert_short("milta", &text);

    // MilaCoins: the invoice's answer never comes (one attempt); a listing
    // filtered by externalID sends a query, which no debug line shows.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"count": 0, "limit": 100, "skip": 0, "docs": []})),
        )
        .mount(&server)
        .await;
    let mila = MilaCoinsClient::builder()
        .base_url(server.uri())
        .credentials("mk-mila", SECRETS[1])
        .retry_policy(fast())
        .attempt_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    let invoice = InvoiceRequest::new(WalletName::from("BTC"), Decimal::ONE, "EUR").external_id("ORDER-1");
    let err = mila.invoices().create(&invoice).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(mila.transactions().find_by_external_id("ORDER-1").await.unwrap(), None);
    let text = take(&captured);
    assert_eq!(attempt_lines(&text).len(), 2, "{text}");
    assert_eq!(warnings(&text).len(), 1, "{text}");
    assert!(!text.contains("externalID=ORDER-1&"), "the query is at trace only:\n{text}");
    assert_short("milacoins", &text);

    // WaaS: a credit meets a 502 after the login; the login's attempt is a line too.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": SECRETS[3], "expires_in": 3600})))
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let waas = WaasClient::builder()
        .base_url(server.uri())
        .credentials("ops", SECRETS[2])
        .retry_policy(fast())
        .build()
        .unwrap();
    let credit = TransactionRequest::new(
        AccountNumber::from("10000110"),
        ClientServiceCode::from("PAY1CNAELX"),
        TransactionSource::External,
        Decimal::TEN,
        SourceTransactionId::from("SRC-1"),
        Utc::now(),
    );
    let err = waas.transactions().credit(&credit).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    let text = take(&captured);
    assert_eq!(attempt_lines(&text).len(), 2, "the login and the credit:\n{text}");
    let warned = warnings(&text);
    assert_eq!(warned.len(), 1, "{text}");
    assert!(warned[0].contains("source_transaction_id=SRC-1"), "{}", warned[0]);
    assert_short("waas", &text);
}

#[tokio::test(flavor = "current_thread")]
async fn the_detail_of_each_attempt_is_at_trace() {
    let captured = Captured::default();
    let _guard = captured.install(tracing::Level::TRACE);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"count": 0, "limit": 100, "skip": 0, "docs": []})),
        )
        .mount(&server)
        .await;
    let mila = MilaCoinsClient::builder().base_url(server.uri()).credentials("mk-mila", SECRETS[1]).build().unwrap();
    assert_eq!(mila.transactions().find_by_external_id("ORDER-1").await.unwrap(), None);
    let text = take(&captured);
    let detail = text
        .lines()
        .find(|l| l.contains(" TRACE ") && l.contains("walletkit") && l.contains("answer"))
        .unwrap_or_else(|| panic!("no trace detail:\n{text}"));
    assert!(detail.contains("externalID=ORDER-1") && detail.contains("content-type"), "{detail}");
    assert!(!text.contains(SECRETS[1]), "{text}");
}

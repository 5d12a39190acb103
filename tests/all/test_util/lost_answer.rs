//! `LostAnswer`: the mock acts, the connection closes without a byte, and
//! walletkit does what it documents for each call; everything else passes
//! through untouched.

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use walletkit::test_util::{fixtures, Lose, LostAnswer};
use walletkit::waas::{AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource};
use walletkit::{Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{milacoins, milta, order_42, txn_001, MILTA};
use crate::support::{dec, fast};

async fn received(mock: &MockServer) -> Vec<wiremock::Request> {
    mock.received_requests().await.unwrap()
}

async fn transfers_mock() -> MockServer {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{MILTA}/transfers")))
        .respond_with(fixtures::milta::transfer_created())
        .mount(&mock)
        .await;
    mock
}

/// The module documentation's test, with retries off: one request, an
/// unknown outcome carrying the reference and the key.
#[tokio::test]
async fn a_milta_transfer_whose_answer_is_lost_is_outcome_unknown_with_its_reference_and_key() {
    let mock = transfers_mock().await;
    let lost = LostAnswer::start(&mock, Lose::posts()).await.unwrap();
    let err = milta(&lost.uri(), RetryPolicy::none()).transfers().create(&txn_001()).await.unwrap_err();
    let Error::OutcomeUnknown(unknown) = &err else { panic!("{err:?}") };
    assert_eq!(unknown.sent.reference, Some(("externalId".into(), "TXN-001".into())));
    let sent = received(&mock).await;
    assert_eq!(sent.len(), 1, "the server acted once");
    let key = sent[0].headers.get("x-idempotency-key").unwrap().to_str().unwrap();
    assert_eq!(unknown.sent.idempotency_key.as_deref(), Some(key));
    assert!(!err.is_retryable());
    assert_eq!(lost.lost(), 1);
}

/// What the transport does by default: a Milta transfer carries an
/// idempotency key, so a lost answer is retried under the same key and the
/// same body; when every answer is lost, the outcome is unknown.
#[tokio::test]
async fn a_milta_transfer_is_retried_under_its_key_while_answers_are_lost_then_outcome_unknown() {
    let mock = transfers_mock().await;
    let lost = LostAnswer::start(&mock, Lose::posts()).await.unwrap();
    let err = milta(&lost.uri(), fast()).transfers().create(&txn_001()).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    let sent = received(&mock).await;
    assert_eq!(sent.len(), 4, "the first attempt and the default policy's 3 retries");
    for request in &sent {
        let key = request.headers.get("x-idempotency-key").and_then(|v| v.to_str().ok());
        assert_eq!(key, unknown.sent.idempotency_key.as_deref());
        assert_eq!(request.body, sent[0].body, "the same bytes every time");
    }
    assert_eq!(lost.lost(), 4);
}

/// Only the first answer lost: the retry under the same key gets the transfer.
#[tokio::test]
async fn a_milta_transfer_whose_first_answer_is_lost_gets_it_on_the_retry() {
    let mock = transfers_mock().await;
    let lost = LostAnswer::start(&mock, Lose::posts().first(1)).await.unwrap();
    let created = milta(&lost.uri(), fast()).transfers().create(&txn_001()).await.unwrap();
    assert_eq!(created.transfer_id.as_str(), "T-9001");
    let sent = received(&mock).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].headers.get("x-idempotency-key"), sent[1].headers.get("x-idempotency-key"));
    assert_eq!(lost.lost(), 1);
}

/// A MilaCoins invoice has no idempotency key: never resent, reconcile by `externalID`.
#[tokio::test]
async fn a_milacoins_invoice_whose_answer_is_lost_is_outcome_unknown_and_sent_once() {
    let mock = MockServer::start().await;
    Mock::given(method("POST")).and(path("/invoices")).respond_with(fixtures::milacoins::invoice()).mount(&mock).await;
    let lost = LostAnswer::start(&mock, Lose::posts()).await.unwrap();
    let err = milacoins(&lost.uri(), fast()).invoices().create(&order_42()).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(unknown.sent.reference, Some(("externalID".into(), "ORDER-42".into())));
    assert_eq!(unknown.sent.idempotency_key, None);
    assert_eq!(received(&mock).await.len(), 1);
}

/// A WaaS credit loses its answer while the login, matched by no rule, is answered.
#[tokio::test]
async fn a_waas_credit_whose_answer_is_lost_is_outcome_unknown_and_sent_once() {
    let mock = MockServer::start().await;
    Mock::given(path("/api/v1/auth/login")).respond_with(fixtures::waas::login("w")).expect(1).mount(&mock).await;
    Mock::given(path("/api/v1/transactions")).respond_with(fixtures::waas::transaction()).mount(&mock).await;
    let lost = LostAnswer::start(&mock, Lose::posts().path("/api/v1/transactions")).await.unwrap();
    let waas = walletkit::waas::WaasClient::builder()
        .base_url(lost.uri())
        .credentials("ops", "pw")
        .retry_policy(fast())
        .build()
        .unwrap();
    let credit = TransactionRequest::new(
        AccountNumber::from("10000099"),
        ClientServiceCode::from("FLOIQ2XAFJ"),
        TransactionSource::External,
        dec("100.0"),
        SourceTransactionId::from("12325524445"),
        Utc.with_ymd_and_hms(2024, 7, 29, 12, 34, 56).unwrap(),
    );
    let err = waas.transactions().credit(&credit).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    let (field, value) = unknown.sent.reference.clone().expect("a reference");
    assert_eq!((field.as_str(), value.as_str()), ("source_transaction_id", "12325524445"));
    let credits: Vec<_> =
        received(&mock).await.into_iter().filter(|r| r.url.path() == "/api/v1/transactions").collect();
    assert_eq!(credits.len(), 1);
    assert_eq!(lost.lost(), 1);
}

/// On the wire: the request reaches the mock, and the client reads nothing
/// before the connection ends.
#[tokio::test]
async fn a_lost_answer_is_a_closed_connection_with_no_byte_written() {
    let mock = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_string("made")).mount(&mock).await;
    let lost = LostAnswer::start(&mock, Lose::posts()).await.unwrap();
    let addr: SocketAddr = lost.uri().trim_start_matches("http://").parse().unwrap();
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = "POST /pay HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // A reset instead of an orderly close is as good: still no byte. An
    // answered request would leave the connection open: the wait is bounded.
    let read = tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection stayed open; read {:?}", String::from_utf8_lossy(&answer));
    assert!(answer.is_empty(), "wrote {:?}", String::from_utf8_lossy(&answer));
    let sent = received(&mock).await;
    assert_eq!((sent.len(), sent[0].body.as_slice()), (1, b"{}".as_slice()));
}

/// Requests the rule does not match reach the mock as sent and come back as
/// the mock answered: status, headers and body bytes, on a kept-alive
/// connection, a POST to another path included.
#[tokio::test]
async fn requests_the_rule_does_not_match_pass_through_unchanged() {
    let mock = MockServer::start().await;
    let body: Vec<u8> = vec![0, 159, 146, 150, b'{', 255];
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(418)
                .insert_header("x-answer", "exact value; with=parts")
                .insert_header("cache-control", "no-store")
                .set_body_raw(body.clone(), "application/octet-stream"),
        )
        .mount(&mock)
        .await;
    let lost = LostAnswer::start(&mock, Lose::posts().path("/elsewhere")).await.unwrap();
    let http = reqwest::Client::new();
    let target = "/a%2Fb/c?q=1%202&q=%E2%82%AC&empty=";
    let sent_body = b"\x01binary\xff body".to_vec();
    for base in [mock.uri(), lost.uri(), lost.uri()] {
        let resp = http
            .post(format!("{base}{target}"))
            .header("x-request", "kept as is")
            .body(sent_body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 418, "{base}");
        assert_eq!(resp.headers()["x-answer"], "exact value; with=parts");
        assert_eq!(resp.headers()["cache-control"], "no-store");
        assert_eq!(resp.headers()["content-type"], "application/octet-stream");
        assert_eq!(resp.bytes().await.unwrap().as_ref(), body.as_slice());
    }
    let get = http.get(format!("{}/plain", lost.uri())).send().await.unwrap();
    assert_eq!((get.status().as_u16(), get.bytes().await.unwrap().to_vec()), (418, body.clone()));

    let seen = received(&mock).await;
    assert_eq!(seen.len(), 4);
    for (i, request) in seen.iter().take(3).enumerate() {
        assert_eq!(walletkit::test_util::request_target(request), target, "request {i}");
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.body, sent_body, "request {i}");
        assert_eq!(request.headers["x-request"], "kept as is");
    }
    assert_eq!(lost.lost(), 0);
}

/// Nothing listening behind it: a 502 saying so, never a lost answer (nothing acted).
#[tokio::test]
async fn an_unreachable_mock_is_a_502_not_a_lost_answer() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let lost = LostAnswer::in_front_of(addr, Lose::posts()).await.unwrap();
    let resp = reqwest::Client::new().post(lost.uri()).body("{}").send().await.unwrap();
    assert_eq!(resp.status(), 502);
    assert!(resp.text().await.unwrap().contains("could not forward"));
    assert_eq!(lost.lost(), 0);
}

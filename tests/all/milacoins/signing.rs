//! The MilaCoins signature on the wire: the known-answer vectors are the bytes
//! the client really sends, retries are re-signed, and no secret leaks into
//! `Debug`, errors or tracing output.

use crate::support::milacoins_sig as sig;

use std::str::FromStr;
use std::time::Duration;

use serde::Deserialize;
use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, TransactionId, TransactionStatus, WalletName};
use walletkit::{Decimal, Request, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use sig::{MilaCoinsSignature, Target};

#[derive(Deserialize)]
struct Vectors {
    api_key: String,
    secret: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    time: String,
    target: String,
    body: String,
    expected: String,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../../../fixtures/milacoins/signatures.json")).unwrap()
}

fn client(server: &MockServer, key: &str, secret: &str) -> MilaCoinsClient {
    MilaCoinsClient::builder()
        .credentials(key, secret)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// Sends each vector's request through the client and checks that the bytes
/// on the wire are the vector's, and that signing them at the vector's time
/// gives the value computed outside Rust.
#[tokio::test]
async fn the_known_answer_vectors_are_what_goes_on_the_wire() {
    let all = vectors();
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .and(MilaCoinsSignature::new(&all.api_key, &all.secret))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(
                r#"{"count":0,"limit":100,"skip":0,"docs":[],"id":"i","currencies":[]}"#,
                "application/json",
            ),
        )
        .mount(&server)
        .await;
    let mila = client(&server, &all.api_key, &all.secret);

    for v in &all.vectors {
        match v.name.as_str() {
            "get_with_query" => {
                let req = Request::get("/transactions").query("from", "2020-1-1").query("to", "2022-1-1");
                mila.send_raw(req).await.unwrap();
            }
            "get_percent_encoded_query" => {
                mila.transactions()
                    .list()
                    .external_id("order 42/ü")
                    .statuses([TransactionStatus::New, TransactionStatus::WaitingForConfirmation])
                    .get()
                    .await
                    .unwrap();
            }
            "post_non_ascii_body" => {
                let req = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from_str("10.50").unwrap(), "EUR")
                    .external_id("Zoë-Ørsted-日本-€");
                mila.invoices().create(&req).await.unwrap();
            }
            "milauth_python_convention" => {
                let req = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from_str("10.500").unwrap(), "USD")
                    .external_id("INV-1");
                mila.invoices().create(&req).await.unwrap();
            }
            other => panic!("no wire test for vector {other}"),
        }
        let received = server.received_requests().await.unwrap();
        let last = received.last().unwrap();
        assert_eq!(sig::target(last), v.target, "{}: target on the wire", v.name);
        assert_eq!(last.body, v.body.as_bytes(), "{}: body on the wire", v.name);
        let at_vector_time =
            sig::signature(all.secret.as_bytes(), &v.time, last.method.as_str(), &v.target, &last.body);
        assert_eq!(at_vector_time, v.expected, "{}", v.name);
    }
    assert_eq!(server.received_requests().await.unwrap().len(), all.vectors.len(), "each signature verified");
}

#[tokio::test]
async fn amounts_go_out_in_shortest_form_and_tiny_ones_as_javascript_writes_them() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(MilaCoinsSignature::new("k", "s"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id":"i"}"#, "application/json"))
        .mount(&server)
        .await;
    let mila = client(&server, "k", "s");
    for (amount, sent) in [("10.50", "10.5"), ("10.00", "10"), ("0.00000050", "5e-7"), ("0.00012300", "0.000123")] {
        let req = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from_str(amount).unwrap(), "EUR");
        mila.invoices().create(&req).await.unwrap();
        let received = server.received_requests().await.unwrap();
        let body = String::from_utf8(received.last().unwrap().body.clone()).unwrap();
        assert_eq!(body, format!(r#"{{"wallet":"BTC","amount":{sent},"currency":"EUR"}}"#), "{amount}");
    }
}

#[tokio::test]
async fn a_retried_request_carries_a_new_time_and_a_valid_signature() {
    let server = MockServer::start().await;
    // 429 with `Retry-After: 1`: the transport waits one real second, so the
    // retry's X-time must differ if it is recomputed per attempt.
    Mock::given(method("GET"))
        .and(Target("/transactions/t1".into()))
        .and(MilaCoinsSignature::new("k", "s"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_raw(
            r#"{"requestID":"r","name":"LIMIT_ERROR","message":"slow down","code":4302}"#,
            "application/json",
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(Target("/transactions/t1".into()))
        .and(MilaCoinsSignature::new("k", "s"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id":"t1","status":"new"}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let tx = client(&server, "k", "s").transactions().get(&TransactionId::from("t1")).await.unwrap();
    assert_eq!(tx.status, TransactionStatus::New);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    let (first, second) = (sig::x_time(&received[0]).unwrap(), sig::x_time(&received[1]).unwrap());
    assert!(second > first, "X-time {first} then {second}");
    assert_ne!(sig::header(&received[0], "x-sig"), sig::header(&received[1], "x-sig"));
    for r in &received {
        MilaCoinsSignature::new("k", "s").verify(r).unwrap();
    }
}

//! MilaCoins callbacks are unsigned, so `confirm` reads the transaction back
//! through the signed API and refuses a callback whose claims (invoice id,
//! external id, event, amount, currency) that transaction contradicts.
//! Issue 22, item 3: a paid 1 EUR invoice's id with an unpaid 999 EUR
//! order's external id confirmed as `completed`.

use std::time::Duration;

use serde_json::{json, Value};
use walletkit::milacoins::{parse_callback, Callback, MilaCoinsClient, TransactionStatus};
use walletkit::{Error, ErrorKind, Provider, Result, RetryPolicy};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> MilaCoinsClient {
    MilaCoinsClient::builder()
        .credentials("mila-test-key", "mila-test-secret")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

fn tx(id: &str, status: &str, amount: &str, external: &str) -> Value {
    json!({"id": id, "status": status, "invoiceAmount": amount, "invoiceCurrency": "EUR",
           "wallet": "BTC", "externalID": external})
}

/// A shop's MilaCoins account: a paid 1 EUR order, an unpaid 999 EUR order
/// and a cancelled one, each readable by invoice id and by external id.
async fn shop() -> MockServer {
    let server = MockServer::start().await;
    for doc in [
        tx("INV-PAID", "completed", "1", "ORDER-CHEAP"),
        tx("INV-UNPAID", "new", "999", "ORDER-999"),
        tx("INV-GONE", "invalid", "5", "ORDER-GONE"),
    ] {
        let (id, external) = (doc["id"].as_str().unwrap(), doc["externalID"].as_str().unwrap());
        Mock::given(method("GET"))
            .and(path(format!("/transactions/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(&doc))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/transactions"))
            .and(query_param("externalID", external))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"count": 1, "limit": 100, "skip": 0, "docs": [doc]})),
            )
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/transactions/INV-NOWHERE"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"requestID": "r", "name": "DOCUMENT_NOT_FOUND", "message": "No Invoice found", "code": 1604}),
        ))
        .mount(&server)
        .await;
    server
}

fn callback(query: &str) -> Callback {
    parse_callback(&http::Request::get(format!("/hooks/milacoins?{query}")).body(bytes::Bytes::new()).unwrap()).unwrap()
}

/// The refused claim as `(field, callback's value, API's value)`; panics
/// when `result` is anything but a mismatch.
fn refused<T: std::fmt::Debug>(result: Result<T>) -> (&'static str, String, Option<String>) {
    let err = match result {
        Err(err) => err,
        Ok(confirmed) => panic!("confirmed: {confirmed:?}"),
    };
    assert_eq!(err.kind(), ErrorKind::CallbackMismatch, "{err}");
    assert!(!err.is_retryable(), "{err}");
    assert!(err.to_string().contains("do not act on it"), "{err}");
    let Error::CallbackMismatch(m) = err else { panic!("not a mismatch: {err}") };
    assert_eq!(m.provider, Provider::MilaCoins);
    (m.field, m.callback, m.fetched)
}

fn claim(field: &'static str, callback: &str, fetched: Option<&str>) -> (&'static str, String, Option<String>) {
    (field, callback.to_string(), fetched.map(str::to_string))
}

#[tokio::test]
async fn a_paid_invoice_id_with_an_unpaid_orders_external_id_is_not_confirmed() {
    let server = shop().await;
    let forged = callback("event=complete&invoice=INV-PAID&external=ORDER-999");
    let result = client(&server).confirm(&forged).await;
    assert_eq!(refused(result), claim("externalID", "ORDER-999", Some("ORDER-CHEAP")));
}

#[tokio::test]
async fn an_event_the_fetched_status_contradicts_is_not_confirmed() {
    let server = shop().await;
    let mila = client(&server);
    for (query, event, status) in [
        // Says paid; MilaCoins says still waiting for the customer.
        ("event=complete&invoice=INV-UNPAID&external=ORDER-999", "complete", "new"),
        // Says cancelled; MilaCoins says paid.
        ("event=cancel&invoice=INV-PAID&external=ORDER-CHEAP", "cancel", "completed"),
        // An event nobody documented cannot be bound to any status.
        ("event=refunded&invoice=INV-PAID&external=ORDER-CHEAP", "refunded", "completed"),
    ] {
        let result = mila.confirm(&callback(query)).await;
        assert_eq!(refused(result), claim("event", event, Some(status)), "{query}");
    }
}

#[tokio::test]
async fn the_fallback_by_external_id_binds_the_same_fields() {
    let server = shop().await;
    let mila = client(&server);
    for (query, refusal) in [
        // No invoice id: found by external id, but the order is unpaid.
        ("event=complete&external=ORDER-999", claim("event", "complete", Some("new"))),
        // An invoice id MilaCoins does not know, and a paid order's external id.
        (
            "event=complete&invoice=INV-NOWHERE&external=ORDER-CHEAP",
            claim("invoiceID", "INV-NOWHERE", Some("INV-PAID")),
        ),
    ] {
        let result = mila.confirm(&callback(query)).await;
        assert_eq!(refused(result), refusal, "{query}");
    }
    // Neither id known: nothing to confirm, and nothing confirmed.
    let nowhere = callback("event=complete&invoice=INV-NOWHERE");
    assert!(mila.confirm(&nowhere).await.unwrap().is_none());
}

#[tokio::test]
async fn an_amount_or_currency_the_callback_names_must_match() {
    let server = shop().await;
    let mila = client(&server);
    for (query, refusal) in [
        (
            "event=complete&invoice=INV-PAID&external=ORDER-CHEAP&amount=999&currency=EUR",
            claim("amount", "999", Some("1")),
        ),
        (
            "event=complete&invoice=INV-PAID&external=ORDER-CHEAP&amount=1&currency=USD",
            claim("currency", "USD", Some("EUR")),
        ),
    ] {
        let result = mila.confirm(&callback(query)).await;
        assert_eq!(refused(result), refusal, "{query}");
    }
    let body = br#"{"event":"complete","invoice":"INV-PAID","externalID":"ORDER-CHEAP","amount":"999.00"}"#;
    let posted = http::Request::post("/hooks/milacoins").body(&body[..]).unwrap();
    let result = mila.confirm(&parse_callback(&posted).unwrap()).await;
    assert_eq!(refused(result), claim("amount", "999.00", Some("1")), "JSON body");
    // An amount that cannot be read is refused when the callback is read.
    let unreadable = http::Request::get("/h?event=complete&invoice=INV-PAID&amount=lots").body(Vec::new()).unwrap();
    let err = parse_callback(&unreadable).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
}

#[tokio::test]
async fn genuine_callbacks_still_confirm() {
    let server = shop().await;
    let mila = client(&server);
    for (query, status) in [
        ("event=complete&invoice=INV-PAID&external=ORDER-CHEAP", TransactionStatus::Completed),
        ("event=complete&invoice=INV-PAID&external=ORDER-CHEAP&amount=1.00&currency=eur", TransactionStatus::Completed),
        ("event=complete&invoice=INV-PAID", TransactionStatus::Completed),
        ("event=complete&external=ORDER-CHEAP", TransactionStatus::Completed),
        ("event=cancel&invoice=INV-GONE&external=ORDER-GONE", TransactionStatus::Invalid),
    ] {
        let tx = mila.confirm(&callback(query)).await.unwrap().unwrap_or_else(|| panic!("{query}: not found"));
        assert_eq!(tx.status, status, "{query}");
    }
    assert!(mila.confirm(&callback("event=complete")).await.unwrap().is_none(), "nothing to look up");
}

/// What a forger puts in a callback reaches the error cut short and on one
/// line, so logging the refusal cannot forge log lines.
#[tokio::test]
async fn a_refusal_is_safe_to_log() {
    let server = shop().await;
    // Longer than any URI `http` holds (64 KiB), so in a form body.
    let external = format!("ORDER-1%0D%0Alevel=INFO%20msg=paid{}", "x".repeat(100_000));
    let posted = http::Request::post("/hooks/milacoins")
        .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("event=complete&invoice=INV-PAID&external={external}"))
        .unwrap();
    let result = client(&server).confirm(&parse_callback(&posted).unwrap()).await;
    let err = result.unwrap_err();
    let text = err.to_string();
    assert!(!text.contains(['\r', '\n']) && text.len() < 200 && !text.contains("ORDER-1"), "{text}");
    let mismatch = err.as_callback_mismatch().unwrap_or_else(|| panic!("{err:?}"));
    assert!(!mismatch.callback.contains(['\r', '\n']) && mismatch.callback.len() < 400, "{mismatch:?}");
    assert!(mismatch.callback.contains(r"ORDER-1\r\nlevel=INFO msg=paid"), "{mismatch:?}");
}

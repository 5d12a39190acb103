//! Contract tests for every MilaCoins operation: exact method, path, query,
//! headers and body bytes, with every request's signature recomputed from the
//! raw bytes the mock server received.

use crate::support::milacoins_sig as sig;

use std::str::FromStr;
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use futures_util::TryStreamExt;
use serde_json::json;
use walletkit::milacoins::{
    CancelUrl, CompletedUrl, InvoiceRequest, LogId, MilaCoinsClient, PaymentPageRequest, RefundStatus, TransactionId,
    TransactionStatus, WalletName,
};
use walletkit::{Decimal, Error, ErrorKind, RetryPolicy, Timestamp};
use wiremock::matchers::{body_string, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use sig::{MilaCoinsSignature, Target};

pub(super) const KEY: &str = "mila-test-key";
pub(super) const SECRET: &str = "mila-test-secret";

pub(super) fn signed() -> MilaCoinsSignature {
    MilaCoinsSignature::new(KEY, SECRET).max_skew(Duration::from_secs(60))
}

pub(super) fn client(server: &MockServer) -> MilaCoinsClient {
    MilaCoinsClient::builder()
        .credentials(KEY, SECRET)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

pub(super) fn json_body(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// A GET to exactly `target`, signed, asking for JSON, answered with `body`, once.
pub(super) async fn expect_get(server: &MockServer, target: &str, body: &str) {
    Mock::given(method("GET"))
        .and(Target(target.into()))
        .and(header("accept", "application/json"))
        .and(signed())
        .respond_with(json_body(body))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn logs_list_reads_one_page() {
    let server = MockServer::start().await;
    expect_get(&server, "/logs?limit=2&page=1", include_str!("../../../fixtures/milacoins/logs_page.json")).await;

    let page = client(&server).logs().list().page_size(2).get().await.unwrap();
    assert_eq!((page.page, page.next_page, page.total_items, page.total_pages), (1, Some(2), Some(3), Some(2)));
    assert_eq!(page.items.len(), 2);
    let first = &page.items[0];
    assert_eq!(first.id, LogId::from("62d956eda0a3bf0730f5fd18"));
    assert_eq!((first.status, first.method.as_deref()), (Some(200), Some("GET")));
    assert_eq!(
        first.created_at,
        Some(Timestamp::At(
            Utc.with_ymd_and_hms(2022, 7, 21, 13, 45, 49).unwrap() + chrono::TimeDelta::milliseconds(117)
        ))
    );
    assert_eq!(first.query.as_ref().unwrap().decode::<serde_json::Value>().unwrap()["from"], "2020-1-1");
    let second = &page.items[1];
    assert_eq!(
        second.created_at.as_ref().and_then(Timestamp::at).unwrap().timestamp_millis(),
        1_658_411_150_000,
        "epoch milliseconds"
    );
    assert_eq!(second.error.as_deref(), Some("Not Found"));
    assert_eq!(second.extra["userAgent"].get(), r#""walletkit/0.1.0""#, "unknown fields stay reachable");
    assert_eq!(
        second.body.as_ref().unwrap().get(),
        r#"{"wallet": "BTC", "amount": 10.5, "currency": "EUR"}"#,
        "payloads as recorded, exactly"
    );
}

#[tokio::test]
async fn logs_stream_walks_every_page() {
    let server = MockServer::start().await;
    expect_get(&server, "/logs?limit=2&page=1", include_str!("../../../fixtures/milacoins/logs_page.json")).await;
    let page2 =
        json!({"count": 3, "limit": 2, "skip": 2, "docs": [{"id": "third", "createdAt": "2022-07-22T00:00:00Z"}]});
    expect_get(&server, "/logs?limit=2&page=2", &page2.to_string()).await;

    let ids: Vec<String> =
        client(&server).logs().list().page_size(2).stream().map_ok(|e| e.id.to_string()).try_collect().await.unwrap();
    assert_eq!(ids, ["62d956eda0a3bf0730f5fd18", "62d956eda0a3bf0730f5fd19", "third"]);
}

#[tokio::test]
async fn log_by_id() {
    let server = MockServer::start().await;
    expect_get(&server, "/logs/62d956eda0a3bf0730f5fd18", include_str!("../../../fixtures/milacoins/log.json")).await;

    let entry = client(&server).logs().get(&LogId::from("62d956eda0a3bf0730f5fd18")).await.unwrap();
    assert_eq!(entry.uri.as_deref(), Some("/currencies"));
    assert_eq!(entry.response.unwrap().decode::<serde_json::Value>().unwrap()["currencies"][3], "EUR");
}

#[tokio::test]
async fn currencies_and_wallets() {
    let server = MockServer::start().await;
    expect_get(&server, "/currencies", include_str!("../../../fixtures/milacoins/currencies.json")).await;
    expect_get(&server, "/wallets", include_str!("../../../fixtures/milacoins/wallets.json")).await;

    let mila = client(&server);
    let currencies = mila.reference().currencies().await.unwrap();
    assert_eq!(currencies.len(), 12);
    assert!(currencies.iter().any(|c| c == "EUR"));
    assert_eq!(mila.reference().wallets().await.unwrap(), ["BTC", "ETH", "USDT", "USDC", "LTC"]);
}

#[tokio::test]
async fn create_invoice_sends_compact_json_with_amounts_in_shortest_form() {
    let server = MockServer::start().await;
    let body = r#"{"wallet":"BTC","amount":10.5,"currency":"EUR","externalID":"ORDER-42","expiredAt":"2022-07-21T14:45:49.000Z"}"#;
    Mock::given(method("POST"))
        .and(Target("/invoices".into()))
        .and(header("content-type", "application/json"))
        .and(body_string(body))
        .and(signed())
        .respond_with(json_body(include_str!("../../../fixtures/milacoins/invoice.json")))
        .expect(1)
        .mount(&server)
        .await;

    let request = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from_str("10.50").unwrap(), "EUR")
        .external_id("ORDER-42")
        .expired_at(Utc.with_ymd_and_hms(2022, 7, 21, 14, 45, 49).unwrap());
    let invoice = client(&server).invoices().create(&request).await.unwrap();
    assert_eq!(invoice.id.as_str(), "62d8df9142d15eaa837f8ace");
    assert_eq!(invoice.amount, Some(Decimal::from_str("10.5").unwrap()));
    assert_eq!(invoice.external_id.as_deref(), Some("ORDER-42"));
    assert_eq!(invoice.expired_at, Some(Utc.with_ymd_and_hms(2022, 7, 21, 14, 45, 49).unwrap()));
    assert_eq!(invoice.created_at, Some(Utc.with_ymd_and_hms(2022, 7, 21, 13, 45, 49).unwrap()));
    assert!(invoice.url.unwrap().ends_with("/invoice/62d8df9142d15eaa837f8ace"));
}

#[tokio::test]
async fn create_payment_page_sends_placeholders_untouched() {
    let server = MockServer::start().await;
    let cancel = "https://shop.example/cancel?invoice={INVOICE_ID}&ref={EXTERNAL_ID}";
    let completed = "https://shop.example/done/{INVOICE_ID}/{EXTERNAL_ID}";
    let callback = "https://shop.example/hook/{EVENT}?invoice={INVOICE_ID}&ref={EXTERNAL_ID}";
    let body = format!(
        r#"{{"wallet":"USDT","amount":250,"currency":"USD","externalID":"ORDER-43","cancelUrl":"{cancel}","completedUrl":"{completed}","callbackUrl":"{callback}","customerEmail":"zoe@example.com","customerLastName":"Ørsted","customerFirstName":"Zoë"}}"#
    );
    Mock::given(method("POST"))
        .and(Target("/invoices/payment-page".into()))
        .and(header("content-type", "application/json"))
        .and(body_string(body))
        .and(signed())
        .respond_with(json_body(include_str!("../../../fixtures/milacoins/payment_page.json")))
        .expect(1)
        .mount(&server)
        .await;

    let request = PaymentPageRequest::new(
        WalletName::from("USDT"),
        Decimal::from_str("250.00").unwrap(),
        "USD",
        CancelUrl::from(cancel),
        CompletedUrl::from(completed),
    )
    .external_id("ORDER-43")
    .callback_url(callback)
    .customer_email("zoe@example.com")
    .customer_first_name("Zoë")
    .customer_last_name("Ørsted");
    let page = client(&server).invoices().create_payment_page(&request).await.unwrap();
    assert_eq!(page.id.as_str(), "62d8df9142d15eaa837f8acf");
    assert_eq!(page.amount, Some(Decimal::from(250)));
    assert_eq!(page.created_at.unwrap().timestamp(), 1_658_411_149, "epoch seconds");
}

#[tokio::test]
async fn transactions_list_sends_every_filter() {
    let server = MockServer::start().await;
    expect_get(
        &server,
        "/transactions?from=2020-01-01&to=2022-01-01T00%3A00%3A00.000Z&wallet=BTC&externalID=ORDER-42\
         &status=new%2Ccompleted&type=deposit&limit=50&page=2",
        include_str!("../../../fixtures/milacoins/transactions_page.json"),
    )
    .await;

    let page = client(&server)
        .transactions()
        .list()
        .from(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap())
        .to(Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap())
        .wallet("BTC")
        .external_id("ORDER-42")
        .status(TransactionStatus::New)
        .status(TransactionStatus::Completed)
        .status(TransactionStatus::New)
        .transaction_type("deposit")
        .page_size(50)
        .page(2)
        .get()
        .await
        .unwrap();
    assert_eq!((page.page, page.next_page, page.total_items, page.total_pages), (2, None, Some(52), Some(2)));
    let [done, waiting] = &page.items[..] else { panic!("two transactions") };
    assert_eq!(done.status, TransactionStatus::Completed);
    assert_eq!(done.wallet_credited, Some(Decimal::from_str("0.00054221").unwrap()));
    assert_eq!(done.exchange_rate.as_ref().unwrap().rate, Some(Decimal::from_str("19365.1").unwrap()));
    assert_eq!(done.customer.as_ref().unwrap().first_name.as_deref(), Some("Zoë"));
    assert_eq!(waiting.status, TransactionStatus::WaitingForConfirmation);
    assert_eq!(waiting.invoice_amount.unwrap().to_string(), "12345678901234567.89", "string amount, exact");
    assert_eq!(waiting.network_amount_received.unwrap().to_string(), "12345678901234567.89", "number, exact");
    assert_eq!(waiting.wallet_credited, None);
    assert!(waiting.txs.is_empty(), "null txs read as none");
    assert_eq!(waiting.created_at.as_ref().and_then(Timestamp::at).unwrap().timestamp_millis(), 1_658_411_307_512);
}

#[tokio::test]
async fn transaction_by_id() {
    let server = MockServer::start().await;
    expect_get(
        &server,
        "/transactions/62d95a1ba0a3bf0730f5fd2a",
        include_str!("../../../fixtures/milacoins/transaction.json"),
    )
    .await;

    let tx = client(&server).transactions().get(&TransactionId::from("62d95a1ba0a3bf0730f5fd2a")).await.unwrap();
    assert_eq!(tx.status, TransactionStatus::OverPaid);
    assert_eq!(tx.receipt_id.as_deref(), Some("100231"));
    assert_eq!(tx.transaction_type.as_deref(), Some("deposit"));
    assert_eq!(tx.invoice_amount, Some(Decimal::from_str("10.5").unwrap()));
    assert_eq!(tx.network_amount_received, Some(Decimal::from_str("0.00055848").unwrap()));
    let refund = tx.refund.unwrap();
    assert_eq!(refund.status, Some(RefundStatus::Completed));
    assert_eq!(refund.amount, Some(Decimal::from_str("0.00001627").unwrap()));
    assert_eq!(refund.created_at, Some(Timestamp::At(Utc.with_ymd_and_hms(2022, 7, 21, 14, 10, 12).unwrap())));
    assert!(refund.tx_id.unwrap().starts_with("9f2c"));
    assert_eq!(tx.customer.unwrap().email.as_deref(), Some("zoe@example.com"));
    assert_eq!(tx.external_id.as_deref(), Some("ORDER-42"));
}

fn tx(id: u32) -> serde_json::Value {
    json!({"id": format!("t{id}"), "status": "completed", "invoiceAmount": "1.50", "createdAt": "2022-07-21T00:00:00Z"})
}

#[tokio::test]
async fn paging_across_several_pages_sees_every_item_exactly_once() {
    let server = MockServer::start().await;
    for (page, skip, ids) in [(1, 0, 1..=3), (2, 3, 4..=6), (3, 6, 7..=7)] {
        let body = json!({"count": 7, "limit": 3, "skip": skip, "docs": ids.map(tx).collect::<Vec<_>>()});
        expect_get(&server, &format!("/transactions?status=completed&limit=3&page={page}"), &body.to_string()).await;
    }

    let listing = client(&server).transactions().list().status(TransactionStatus::Completed).page_size(3);
    let ids: Vec<String> = listing.stream().map_ok(|t| t.id.to_string()).try_collect().await.unwrap();
    assert_eq!(ids, ["t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn paging_stops_on_an_empty_page_even_if_count_says_more() {
    let server = MockServer::start().await;
    let first = json!({"count": 10, "limit": 2, "skip": 0, "docs": [tx(1), tx(2)]});
    let empty = json!({"count": 10, "limit": 2, "skip": 2, "docs": []});
    expect_get(&server, "/transactions?limit=2&page=1", &first.to_string()).await;
    expect_get(&server, "/transactions?limit=2&page=2", &empty.to_string()).await;

    let all: Vec<_> = client(&server).transactions().list().page_size(2).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn limits_and_ids_are_checked_before_sending() {
    let server = MockServer::start().await;
    let mila = client(&server);
    let err = mila.transactions().list().page_size(501).get().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("500")), "{err}");
    assert!(matches!(mila.logs().list().page(0).get().await, Err(Error::InvalidRequest(_))));
    assert!(matches!(mila.transactions().get(&TransactionId::from("../logs")).await, Err(Error::InvalidRequest(_))));
    let zero = InvoiceRequest::new(WalletName::from("BTC"), Decimal::ZERO, "EUR");
    assert!(matches!(mila.invoices().create(&zero).await, Err(Error::InvalidRequest(_))));
    // Both URLs are constructor arguments; a blank one is still refused.
    let page = |cancel: &str, completed: &str| {
        PaymentPageRequest::new(
            WalletName::from("BTC"),
            Decimal::ONE,
            "EUR",
            CancelUrl::from(cancel),
            CompletedUrl::from(completed),
        )
    };
    for (page, blank) in [
        (page("", " "), "cancelUrl and completedUrl"),
        (page("https://c", "\t"), "completedUrl"),
        (page(" ", "https://d"), "cancelUrl"),
    ] {
        let err = mila.invoices().create_payment_page(&page).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest(m) if m.ends_with(&format!("non-blank {blank}"))), "{err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

async fn lost_answer(server: &MockServer, target: &str) {
    Mock::given(method("POST"))
        .and(Target(target.into()))
        .and(signed())
        .respond_with(json_body("{}").set_delay(Duration::from_secs(5)))
        .mount(server)
        .await;
}

fn impatient(server: &MockServer) -> MilaCoinsClient {
    MilaCoinsClient::builder()
        .credentials(KEY, SECRET)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .attempt_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_lost_invoice_answer_is_outcome_unknown_with_the_external_id() {
    let server = MockServer::start().await;
    lost_answer(&server, "/invoices").await;

    let request = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from(1), "EUR").external_id("ORDER-42");
    let err = impatient(&server).invoices().create(&request).await.unwrap_err();
    let Error::OutcomeUnknown(outcome) = &err else { panic!("expected OutcomeUnknown, got {err:?}") };
    assert_eq!(outcome.sent.reference, Some(("externalID".to_string(), "ORDER-42".to_string())));
    assert_eq!((outcome.sent.method.as_str(), outcome.sent.path.as_str()), ("POST", "/invoices"));
    assert_eq!(outcome.sent.idempotency_key, None);
    assert!(!err.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never re-sent");
}

#[tokio::test]
async fn a_lost_payment_page_answer_is_outcome_unknown_with_the_external_id() {
    let server = MockServer::start().await;
    lost_answer(&server, "/invoices/payment-page").await;

    let request = PaymentPageRequest::new(
        WalletName::from("BTC"),
        Decimal::from(1),
        "EUR",
        CancelUrl::from("https://c"),
        CompletedUrl::from("https://d"),
    )
    .external_id("P-7");
    let err = impatient(&server).invoices().create_payment_page(&request).await.unwrap_err();
    let outcome = err.as_outcome_unknown().expect("outcome unknown");
    assert_eq!(outcome.sent.reference, Some(("externalID".to_string(), "P-7".to_string())));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never re-sent");
}

#[tokio::test]
async fn every_documented_error_code_maps_over_http() {
    #[rustfmt::skip]
    let table: &[(u16, u32, &str, ErrorKind)] = &[
        (401, 1603, "PROVIDE_ID", ErrorKind::Validation),
        (404, 1604, "DOCUMENT_NOT_FOUND", ErrorKind::NotFound),
        (401, 1600, "DB_CAST", ErrorKind::Validation),
        (401, 1601, "DB_DUPLICATE", ErrorKind::Duplicate),
        (401, 1602, "DB_INVALID_INPUT", ErrorKind::Validation),
        (404, 404, "NOT_FOUND", ErrorKind::NotFound),
        (429, 4302, "LIMIT_ERROR", ErrorKind::RateLimited),
        (403, 4303, "INVALID_TIME", ErrorKind::ClockSkew),
        (403, 4304, "FAIL_TO_AUTH", ErrorKind::Unauthorized),
        (403, 4301, "IP_WHITE_LIST", ErrorKind::Forbidden),
        (401, 1001, "VALIDATION_REQUEST_INCORRECT_TYPE", ErrorKind::Validation),
        (401, 1002, "VALIDATION_REQUEST_ALLOWED_FILED", ErrorKind::Validation),
        (401, 1003, "VALIDATION_REQUEST_FILED_REQUIRED", ErrorKind::Validation),
        (401, 1004, "VALIDATION_REQUEST_ENUM_VALUE", ErrorKind::Validation),
        (401, 1005, "VALIDATION_REQUEST_ENUM_STATUS", ErrorKind::Validation),
        (401, 1006, "VALIDATION_REQUEST_ENUM_WALLETS", ErrorKind::Validation),
        (401, 1007, "VALIDATION_REQUEST_ENUM_CURRENCY", ErrorKind::Validation),
    ];
    let server = MockServer::start().await;
    for (status, code, name, _) in table {
        let body = json!({"requestID": format!("req-{code}"), "name": name, "message": "documented", "code": code});
        Mock::given(method("GET"))
            .and(Target(format!("/transactions/e{code}")))
            .and(signed())
            .respond_with(
                ResponseTemplate::new(*status).set_body_raw(body.to_string().into_bytes(), "application/json"),
            )
            .mount(&server)
            .await;
    }
    let mila = MilaCoinsClient::builder()
        .credentials(KEY, SECRET)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    for (status, code, name, kind) in table {
        let err = mila.transactions().get(&TransactionId::from(format!("e{code}"))).await.unwrap_err();
        assert_eq!(err.kind(), *kind, "{code}");
        assert_eq!(err.status(), Some(*status));
        let api = err.as_api().expect("an API error");
        assert_eq!(api.code.as_deref(), Some(code.to_string().as_str()));
        assert_eq!(api.request_id.as_deref(), Some(format!("req-{code}").as_str()));
        assert!(api.message.contains(name), "{api:?}");
        assert!(err.to_string().contains(&format!("({code})")), "{err}");
    }
    let limited = mila.transactions().get(&TransactionId::from("e4302")).await.unwrap_err();
    assert!(limited.is_retryable(), "4302 is a rate limit");
}

//! MilaCoins contract, edge cases: the signature matcher, Send and Sync, rate
//! limits, hostile ids, unreadable answers to money calls, huge amounts, other
//! readings of the document's answers, credential setters.

use crate::support::hostile_ids as hostile;
use crate::support::milacoins_sig as sig;

use std::str::FromStr;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use walletkit::milacoins::{
    CancelUrl, CompletedUrl, InvoiceRequest, LogId, MilaCoinsClient, PaymentPageRequest, RefundStatus, TransactionId,
    TransactionStatus, WalletName,
};
use walletkit::{Decimal, Error, ErrorKind, Provider, Timestamp};
use wiremock::matchers::{body_string, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use sig::{MilaCoinsSignature, Target};

use super::contract::{client, expect_get, json_body, signed, KEY, SECRET};

#[test]
fn the_signature_matcher_rejects_requests_signed_over_other_bytes() {
    use reqwest::header::{HeaderMap, HeaderValue};
    let make = |method: &str, url: &str, body: &[u8], time: &str, sig: &str| {
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", HeaderValue::from_static(KEY));
        headers.insert("x-time", HeaderValue::from_str(time).unwrap());
        headers.insert("x-sig", HeaderValue::from_str(sig).unwrap());
        wiremock::Request { url: url.parse().unwrap(), method: method.parse().unwrap(), headers, body: body.to_vec() }
    };
    let body = br#"{"wallet":"BTC","amount":10.5,"currency":"EUR"}"#;
    let good = sig::signature(SECRET.as_bytes(), "1618832932", "POST", "/invoices?x=1", body);
    let matcher = MilaCoinsSignature::new(KEY, SECRET);
    assert!(matcher.verify(&make("POST", "http://h/invoices?x=1", body, "1618832932", &good)).is_ok());
    let other_body = br#"{"wallet":"BTC","amount":10.50,"currency":"EUR"}"#;
    assert!(matcher.verify(&make("POST", "http://h/invoices?x=1", other_body, "1618832932", &good)).is_err());
    assert!(matcher.verify(&make("POST", "http://h/invoices?x=2", body, "1618832932", &good)).is_err());
    assert!(matcher.verify(&make("POST", "http://h/invoices", body, "1618832932", &good)).is_err());
    assert!(matcher.verify(&make("PUT", "http://h/invoices?x=1", body, "1618832932", &good)).is_err());
    assert!(matcher.verify(&make("POST", "http://h/invoices?x=1", body, "1618832933", &good)).is_err());
    assert!(MilaCoinsSignature::new(KEY, "other")
        .verify(&make("POST", "http://h/invoices?x=1", body, "1618832932", &good))
        .is_err());
    assert!(MilaCoinsSignature::new("k2", SECRET)
        .verify(&make("POST", "http://h/invoices?x=1", body, "1618832932", &good))
        .is_err());
    let skewed = MilaCoinsSignature::new(KEY, SECRET).max_skew(Duration::from_secs(30));
    assert!(skewed.verify(&make("POST", "http://h/invoices?x=1", body, "1618832932", &good)).is_err(), "2021 is stale");
}

#[test]
fn clients_futures_and_streams_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    let mila = MilaCoinsClient::builder().credentials(KEY, SECRET).build().unwrap();
    send_sync(&mila);
    send_sync(&mila.transactions().list().stream());
    send_sync(&mila.logs().list());
    let invoice = InvoiceRequest::new(WalletName::from("BTC"), Decimal::ONE, "EUR");
    let invoices = mila.invoices();
    send_sync(&invoices.create(&invoice));
    let transactions = mila.transactions();
    let id = TransactionId::from("t");
    send_sync(&transactions.get(&id));
    send_sync(&mila.reference().currencies());
}

#[tokio::test]
async fn a_rate_limit_set_on_the_builder_takes_effect() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"currencies":["EUR"]}"#, "application/json"))
        .mount(&server)
        .await;
    let window = std::time::Duration::from_millis(300);
    let mila = MilaCoinsClient::builder()
        .base_url(server.uri())
        .credentials("k", "s")
        .rate_limit(walletkit::milacoins::rate_class::READ, Some(walletkit::Rate::new(1, window)))
        .build()
        .unwrap();
    let start = std::time::Instant::now();
    mila.reference().currencies().await.unwrap();
    mila.reference().currencies().await.unwrap();
    assert!(start.elapsed() >= window, "the second read waited only {:?}", start.elapsed());
}

#[tokio::test]
async fn log_by_id_is_one_signed_get_of_exactly_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/logs/62d956eda0a3bf0730f5fd18"))
        .and(Target("/logs/62d956eda0a3bf0730f5fd18".into()))
        .and(header("x-api-key", KEY))
        .and(header("accept", "application/json"))
        .and(signed())
        .respond_with(json_body(include_str!("../../../fixtures/milacoins/log.json")))
        .expect(1)
        .mount(&server)
        .await;

    let entry = client(&server).logs().get(&LogId::from("62d956eda0a3bf0730f5fd18")).await.unwrap();
    assert_eq!(entry.id.as_str(), "62d956eda0a3bf0730f5fd18");
    assert_eq!(entry.status, Some(200));
    assert_eq!(entry.device.as_ref().map(|d| d.get()), Some(r#"{"os": "Linux"}"#));
    assert_eq!(entry.body, None, "a null payload");
    assert_eq!(entry.error.as_deref(), Some(""));

    let received = server.received_requests().await.unwrap();
    let [req] = &received[..] else { panic!("one request, got {}", received.len()) };
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), "/logs/62d956eda0a3bf0730f5fd18");
    assert_eq!(req.url.query(), None);
    assert!(req.body.is_empty(), "a GET carries no body");
    assert!(sig::header(req, "content-type").is_none());
    let time = sig::header(req, "x-time").unwrap();
    assert!(sig::x_time(req).is_some(), "integer seconds: {time}");
    let want = sig::signature(SECRET.as_bytes(), time, "GET", "/logs/62d956eda0a3bf0730f5fd18", b"");
    assert_eq!(sig::header(req, "x-sig"), Some(want.as_str()), "X-Sig over time + GET + path");
}

#[tokio::test]
async fn every_id_taking_call_refuses_every_hostile_id_before_sending() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(json_body("{}")).mount(&server).await;
    let mila = client(&server);
    for id in hostile::HOSTILE_IDS {
        let err = mila.logs().get(&LogId::from(*id)).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "logs().get({id:?}): {err:?}");
        let err = mila.transactions().get(&TransactionId::from(*id)).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "transactions().get({id:?}): {err:?}");
        assert!(!err.is_retryable());
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

/// A 2xx answer to `target` that cannot be read as an invoice.
async fn accepted_unreadable(server: &MockServer, target: &str, body: &str) {
    Mock::given(method("POST"))
        .and(Target(target.into()))
        .and(signed())
        .respond_with(ResponseTemplate::new(201).set_body_raw(body.as_bytes().to_vec(), "application/json"))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_unreadable_invoice_answer_is_accepted_unreadable_with_the_external_id() {
    for (body, json_path) in [
        ("<html>created</html>", None),
        (r#"{"wallet":"BTC","url":"https://pay"}"#, None),
        (r#"{"id":"i1","amount":"ten euros"}"#, Some("amount")),
        ("", None),
    ] {
        let server = MockServer::start().await;
        accepted_unreadable(&server, "/invoices", body).await;

        let request = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from(1), "EUR").external_id("ORDER-42");
        let err = client(&server).invoices().create(&request).await.unwrap_err();
        let accepted = err.as_accepted_unreadable().unwrap_or_else(|| panic!("{body:?}: {err:?}"));
        assert_eq!(accepted.sent.reference, Some(("externalID".to_string(), "ORDER-42".to_string())), "{body:?}");
        assert_eq!((accepted.sent.method.as_str(), accepted.sent.path.as_str()), ("POST", "/invoices"));
        assert_eq!((accepted.status, accepted.provider), (201, Provider::MilaCoins));
        assert_eq!(accepted.json_path.as_deref(), json_path, "{body:?}");
        assert_eq!(accepted.sent.idempotency_key, None);
        assert_eq!(err.kind(), ErrorKind::AcceptedUnreadable);
        assert!(!err.is_retryable(), "the server acted: never resend");
        assert!(err.to_string().contains("do not send it again") && !err.to_string().contains("ORDER-42"), "{err}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "never re-sent");
    }
}

#[tokio::test]
async fn an_unreadable_payment_page_answer_is_accepted_unreadable_with_the_external_id() {
    let server = MockServer::start().await;
    accepted_unreadable(&server, "/invoices/payment-page", r#"{"id":{"unexpected":"object"}}"#).await;

    let request = PaymentPageRequest::new(
        WalletName::from("BTC"),
        Decimal::from(1),
        "EUR",
        CancelUrl::from("https://c"),
        CompletedUrl::from("https://d"),
    )
    .external_id("P-7");
    let err = client(&server).invoices().create_payment_page(&request).await.unwrap_err();
    let Error::AcceptedUnreadable(accepted) = &err else { panic!("expected AcceptedUnreadable, got {err:?}") };
    assert_eq!(accepted.sent.reference, Some(("externalID".to_string(), "P-7".to_string())));
    assert_eq!((accepted.sent.path.as_str(), accepted.status), ("/invoices/payment-page", 201));
    assert_eq!(accepted.json_path.as_deref(), Some("id"));
    assert!(!err.is_retryable());
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never re-sent");
}

#[tokio::test]
async fn a_huge_amount_is_signed_and_sent_exactly() {
    let server = MockServer::start().await;
    let body = r#"{"wallet":"USDT","amount":12345678901234567.89,"currency":"USD","externalID":"BIG-1"}"#;
    Mock::given(method("POST"))
        .and(Target("/invoices".into()))
        .and(body_string(body))
        .and(signed())
        .respond_with(json_body(include_str!("../../../fixtures/milacoins/invoice_variants.json")))
        .expect(1)
        .mount(&server)
        .await;

    let request =
        InvoiceRequest::new(WalletName::from("USDT"), Decimal::from_str("12345678901234567.890").unwrap(), "USD")
            .external_id("BIG-1");
    client(&server).invoices().create(&request).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let time = sig::header(&received[0], "x-time").unwrap();
    let want = sig::signature(SECRET.as_bytes(), time, "POST", "/invoices", body.as_bytes());
    assert_eq!(sig::header(&received[0], "x-sig"), Some(want.as_str()), "signed over the exact digits");

    let page = PaymentPageRequest::new(
        WalletName::from("BTC"),
        Decimal::from_str("0.123456789012345678").unwrap(),
        "EUR",
        CancelUrl::from("c"),
        CompletedUrl::from("d"),
    );
    let sent = serde_json::to_string(&page).unwrap();
    assert!(sent.contains(r#""amount":0.123456789012345678,"#), "{sent}");
}

#[tokio::test]
async fn an_invoice_answer_in_other_readings_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(Target("/invoices".into()))
        .and(signed())
        .respond_with(json_body(include_str!("../../../fixtures/milacoins/invoice_variants.json")))
        .expect(1)
        .mount(&server)
        .await;

    let request = InvoiceRequest::new(WalletName::from("BTC"), Decimal::ONE, "EUR").external_id("ORDER-42");
    let invoice = client(&server).invoices().create(&request).await.unwrap();
    assert_eq!(invoice.id.as_str(), "62d8df9142d15eaa837f8ace");
    assert_eq!(invoice.amount.unwrap().to_string(), "12345678901234567.89");
    assert_eq!(invoice.external_id.as_deref(), Some("ORDER-42"));
    assert_eq!(invoice.expired_at, Some(Utc.with_ymd_and_hms(2022, 7, 21, 14, 45, 49).unwrap()), "ISO at +02:00");
    assert_eq!(invoice.created_at, Some(Utc.with_ymd_and_hms(2022, 7, 21, 13, 45, 49).unwrap()), "epoch ms");
    assert_eq!(invoice.extra["updatedAt"].get(), r#""2022-07-21T13:45:49.000000Z""#);
    assert_eq!(invoice.extra["status"].get(), r#""new""#);
    assert_eq!(invoice.extra["fees"].get(), r#"{"network": 0.000000001}"#);
    assert_eq!(invoice.extra.len(), 3, "{:?}", invoice.extra);
}

#[tokio::test]
async fn a_transactions_page_in_other_readings_decodes_exactly() {
    let server = MockServer::start().await;
    expect_get(
        &server,
        "/transactions?limit=2&page=1",
        include_str!("../../../fixtures/milacoins/transactions_page_variants.json"),
    )
    .await;

    let page = client(&server).transactions().list().page_size(2).get().await.unwrap();
    assert_eq!((page.total_items, page.next_page), (Some(2), None));
    let [first, second] = &page.items[..] else { panic!("two transactions") };

    assert_eq!(first.id.as_str(), "62d95a1ba0a3bf0730f5fd2a");
    assert_eq!(first.receipt_id.as_deref(), Some("100231"));
    assert_eq!(first.external_id.as_deref(), Some("ORDER-42"));
    assert_eq!(first.invoice_amount.unwrap().to_string(), "12345678901234567.89");
    assert_eq!(first.wallet_credited.unwrap().to_string(), "0.123456789012345678");
    assert_eq!(first.network_amount_received.unwrap().to_string(), "0.123456789012345678");
    let created = Utc.with_ymd_and_hms(2022, 7, 21, 13, 48, 27).unwrap() + chrono::TimeDelta::milliseconds(512);
    assert_eq!(first.created_at, Some(Timestamp::At(created)), "ISO at +02:00");
    assert_eq!(first.updated_at, Some(Timestamp::At(created)), "ISO with microseconds");
    assert!(first.txs.is_empty(), "null txs");
    let refund = first.refund.as_ref().unwrap();
    assert_eq!(refund.status, Some(RefundStatus::Unknown("refunded".into())));
    assert_eq!((refund.id.as_deref(), refund.tx_id.as_deref()), (Some("62d95b44a0a3bf0730f5fd31"), Some("9f2c8a0b")));
    assert_eq!(refund.amount, Some(Decimal::from_str("0.00001627").unwrap()));
    assert_eq!(refund.created_at, Some(Timestamp::At(Utc.with_ymd_and_hms(2022, 7, 21, 14, 10, 12).unwrap())));
    assert_eq!(refund.agent, None);
    assert!(refund.extra.is_empty(), "{:?}", refund.extra);
    let customer = first.customer.as_ref().unwrap();
    assert_eq!((customer.first_name.as_deref(), customer.last_name.as_deref()), (Some("Zoë"), None));
    assert_eq!(first.extra["confirmations"].get(), "12345678901234567.89");
    assert_eq!(first.extra["risk"].get(), r#"{"score": 0.000000001, "flags": ["new-address"]}"#);
    assert_eq!(first.extra["cancelUrl"].get(), "null");
    let names: Vec<&str> = first.extra.iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["cancelUrl", "completedUrl", "callbackUrl", "confirmations", "risk"]);

    assert_eq!(second.id.as_str(), "100232", "a numeric _id");
    assert_eq!(second.receipt_id.as_deref(), Some("100232"));
    assert_eq!(second.status, TransactionStatus::Unknown("settledElsewhere".into()));
    assert_eq!(second.invoice_amount.unwrap().to_string(), "12345678901234567.89");
    assert_eq!(second.created_at, Some(Timestamp::Unparsed(r#""sometime in July""#.into())), "kept, not fatal");
    assert_eq!((second.refund.as_ref(), second.customer.as_ref(), second.wallet.as_deref()), (None, None, None));
    assert!(second.extra.is_empty(), "{:?}", second.extra);
}

#[tokio::test]
async fn reference_data_as_strings_or_objects() {
    let server = MockServer::start().await;
    expect_get(
        &server,
        "/currencies",
        r#"{"currencies":["EUR",{"code":"USD","name":"US Dollar"},{"currencyCode":"GBP"}]}"#,
    )
    .await;
    expect_get(&server, "/wallets", r#"{"wallets":[{"name":"BTC","network":"bitcoin","minAmount":0.0001},"ETH"]}"#)
        .await;

    let mila = client(&server);
    let currencies = mila.reference().currencies().await.unwrap();
    assert_eq!(currencies, ["EUR", "USD", "GBP"]);
    assert_eq!(currencies[1].name.as_deref(), Some("US Dollar"));
    let wallets = mila.reference().wallets().await.unwrap();
    assert_eq!(wallets, ["BTC", "ETH"]);
    assert_eq!(wallets[0].network.as_deref(), Some("bitcoin"));
    assert_eq!(wallets[0].extra["minAmount"].get(), "0.0001");
}

#[tokio::test]
async fn a_log_page_in_other_readings_never_fails_on_a_payload() {
    let server = MockServer::start().await;
    let body = r#"{"count":1,"limit":100,"skip":0,"docs":[{"_id":"l-1","id":"l-1","status":"500","method":"POST",
        "uri":"/invoices","device":"curl/8","headers":[["x-api-key","***"]],"body":"{not json}","params":7,
        "query":{"page":"1"},"response":{"amount":12345678901234567.89},"error":{"name":"DB_CAST","code":1600},
        "createdAt":1658411149000,"updatedAt":"2022-07-21T15:45:49+02:00","latency":0.000000001}]}"#;
    expect_get(&server, "/logs?limit=100&page=1", body).await;

    let page = client(&server).logs().list().get().await.unwrap();
    let [entry] = &page.items[..] else { panic!("one entry") };
    assert_eq!((entry.id.as_str(), entry.status), ("l-1", Some(500)));
    assert_eq!(entry.device.as_ref().unwrap().get(), r#""curl/8""#);
    assert_eq!(entry.params.as_ref().unwrap().get(), "7");
    assert_eq!(entry.response.as_ref().unwrap().get(), r#"{"amount":12345678901234567.89}"#);
    assert_eq!(entry.error.as_deref(), Some(r#"{"name":"DB_CAST","code":1600}"#));
    let at = Timestamp::At(Utc.with_ymd_and_hms(2022, 7, 21, 13, 45, 49).unwrap());
    assert_eq!((entry.created_at.as_ref(), entry.updated_at.as_ref()), (Some(&at), Some(&at)));
    assert_eq!(entry.extra["latency"].get(), "0.000000001");
    assert_eq!(entry.extra.len(), 1);
}

#[tokio::test]
async fn named_credential_setters_sign_like_credentials_in_any_order() {
    let server = MockServer::start().await;
    expect_get(&server, "/logs?limit=2&page=1", include_str!("../../../fixtures/milacoins/logs_page.json")).await;
    let mila = MilaCoinsClient::builder().secret_key(SECRET).api_key(KEY).base_url(server.uri()).build().unwrap();
    assert_eq!(mila.logs().list().page_size(2).get().await.unwrap().items.len(), 2);

    let err = MilaCoinsClient::builder().api_key(KEY).base_url(server.uri()).build().unwrap_err();
    let Error::Config(message) = &err else { panic!("a config error: {err}") };
    assert!(message.contains("`.secret_key(..)`") && !message.contains("`.api_key(..)`"), "{message}");
    assert!(!message.contains(KEY), "the key never appears in the message: {message}");
}

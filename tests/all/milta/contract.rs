//! Milta wire contract: exact method, path, query, headers and body of every
//! operation, and the document's examples decoded into types.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures_util::TryStreamExt;
use serde_json::json;
use walletkit::milta::{
    ExternalId, Locale, MiltaClient, PhoneNumber, ProductId, TransferId, TransferRequest, TransferStatus,
};
use walletkit::{Decimal, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{body_string, header, header_exists, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(super) const BASIC: &str = "Basic a2V5LWlkOmtleS1zZWNyZXQ="; // base64("key-id:key-secret")
pub(super) const BASE: &str = "/api/v1/partner";

pub(super) async fn setup() -> (MockServer, MiltaClient) {
    let server = MockServer::start().await;
    let client = MiltaClient::builder()
        .base_url(format!("{}{BASE}", server.uri()))
        .credentials("key-id", "key-secret")
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    (server, client)
}

pub(super) fn ok(data: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "status": "success", "data": data }))
}

pub(super) fn fixture(name: &str) -> ResponseTemplate {
    fixture_with_status(name, 200)
}

pub(super) fn fixture_with_status(name: &str, status: u16) -> ResponseTemplate {
    let body = std::fs::read_to_string(format!("{}/fixtures/milta/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

pub(super) fn p(rest: &str) -> String {
    format!("{BASE}{rest}")
}

pub(super) fn gbp(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

#[tokio::test]
async fn countries_sends_basic_auth_and_user_agent_and_decodes_the_document_example() {
    let (server, milta) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("/inventories/countries")))
        .and(query_param("page", "1"))
        .and(header("authorization", BASIC))
        .and(header("accept", "application/json"))
        .and(header("user-agent", concat!("walletkit/", env!("CARGO_PKG_VERSION"))))
        .respond_with(fixture("countries.json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = milta.inventories().countries().get().await.unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.items[0].code, "GB");
    assert_eq!(page.items[2].currency_code.as_deref(), Some("NGN"));
    assert!(!page.has_more(), "a listing without pagination is one page");
}

#[tokio::test]
async fn currencies_categories_providers_hit_their_paths() {
    let (server, milta) = setup().await;
    for (route, item) in [
        ("/inventories/currencies", json!({"code": "GBP", "name": "Pound sterling"})),
        ("/inventories/categories", json!({"categoryId": "TOPUP", "name": "Mobile top-up"})),
        ("/inventories/providers", json!({"providerId": "P-1", "name": "Op", "country": "GB", "logo": "x.png"})),
    ] {
        Mock::given(method("GET"))
            .and(path(p(route)))
            .and(header("authorization", BASIC))
            .respond_with(ok(json!({ "items": [item] })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let inv = milta.inventories();
    assert_eq!(inv.currencies().get().await.unwrap().items[0].code.as_deref(), Some("GBP"));
    assert_eq!(inv.categories().get().await.unwrap().items[0].category_id.as_deref(), Some("TOPUP"));
    let provider = inv.providers().get().await.unwrap().items.remove(0);
    assert_eq!(provider.provider_id.as_deref(), Some("P-1"));
    assert_eq!(provider.extra["logo"].get(), r#""x.png""#, "unknown fields stay reachable");
}

#[tokio::test]
async fn products_filters_paging_and_stream_of_every_page() {
    let (server, milta) = setup().await;
    for page in 1..=3u32 {
        let items: Vec<_> = (0..2)
            .map(|i| json!({"productId": format!("PR-{page}-{i}"), "productType": "TOPUP", "minAmount": 1.5, "maxAmount": "12345678901234567.89"}))
            .collect();
        Mock::given(method("GET"))
            .and(path(p("/inventories/products")))
            .and(query_param("country", "GB"))
            .and(query_param("currency", "GBP"))
            .and(query_param("providerId", "P-1"))
            .and(query_param("productType", "TOPUP"))
            .and(query_param("page", page.to_string()))
            .and(query_param("pageSize", "2"))
            .respond_with(ok(json!({
                "items": items,
                "pagination": {"page": page, "pageSize": 2, "totalItems": 6, "totalPages": 3}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let listing = milta
        .inventories()
        .products()
        .country("GB")
        .currency("GBP")
        .provider_id("P-1")
        .product_type("TOPUP")
        .page_size(2);
    let all: Vec<_> = listing.stream().try_collect().await.unwrap();
    let ids: Vec<_> = all.iter().filter_map(|p| p.product_id.as_deref()).collect();
    assert_eq!(ids, ["PR-1-0", "PR-1-1", "PR-2-0", "PR-2-1", "PR-3-0", "PR-3-1"]);
    assert_eq!(all[0].min_amount, Some(gbp(15, 1)));
    assert_eq!(all[0].max_amount.unwrap().to_string(), "12345678901234567.89");

    let err = milta.inventories().products().page_size(101).get().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("pageSize")), "{err}");
}

#[tokio::test]
async fn brands_use_limit_category_and_shorten() {
    let (server, milta) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("/inventories/brands")))
        .and(query_param("page", "2"))
        .and(query_param("limit", "200"))
        .and(query_param("category", "games"))
        .and(query_param("shorten", "true"))
        .and(query_param_is_missing("pageSize"))
        .respond_with(ok(json!({"items": [{"id": "B1", "name": "Brand"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let brands = milta.inventories().brands().page(2).page_size(200).category("games").shorten(true);
    assert_eq!(brands.get().await.unwrap().items[0].name.as_deref(), Some("Brand"));
    let err = milta.inventories().brands().page_size(201).get().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn localisation_headers_per_client_and_overridden_per_request() {
    let server = MockServer::start().await;
    let milta = MiltaClient::builder()
        .base_url(format!("{}{BASE}", server.uri()))
        .credentials("key-id", "key-secret")
        .locale(Locale::new("en-GB", "GBP", "GB"))
        .build()
        .unwrap();
    for (lang, cur, country) in [("en-GB", "GBP", "GB"), ("fr-FR", "EUR", "FR")] {
        Mock::given(method("GET"))
            .and(path(p("/inventories/products")))
            .and(header("accept-language", lang))
            .and(header("x-currency", cur))
            .and(header("x-country", country))
            .respond_with(ok(json!({"items": []})))
            .expect(1)
            .mount(&server)
            .await;
    }
    milta.inventories().products().get().await.unwrap();
    milta.with_locale(Locale::new("fr-FR", "EUR", "FR")).inventories().products().get().await.unwrap();
}

#[tokio::test]
async fn create_transfer_sends_exact_body_and_a_key_that_follows_the_payment() {
    let (server, milta) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("/transfers")))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/json"))
        .and(header_exists("x-idempotency-key"))
        .and(body_string(
            r#"{"externalId":"TXN-001","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":10,"currency":"GBP"}"#,
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"status": "success", "data": {
            "transferId": "T-9001", "externalId": "TXN-001", "status": "PENDING", "amount": 10.00, "currency": "GBP"
        }})))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok(json!({"transferId": "T-9002", "status": "PENDING"})))
        .mount(&server)
        .await;
    let req = TransferRequest::new(
        ExternalId::from("TXN-001"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        gbp(1000, 2),
        "GBP",
    );
    let t = milta.transfers().create(&req).await.unwrap();
    assert_eq!((t.transfer_id.as_str(), &t.status), ("T-9001", &TransferStatus::Pending));
    assert_eq!(t.amount, Some(gbp(10, 0)));
    milta.transfers().create(&req).await.unwrap();
    // A restarted service: a new client, the same account.
    let same_account = MiltaClient::builder()
        .base_url(format!("{}{BASE}", server.uri()))
        .credentials("key-id", "key-secret")
        .build()
        .unwrap();
    same_account.transfers().create(&req).await.unwrap();
    let other_account = MiltaClient::builder()
        .base_url(format!("{}{BASE}", server.uri()))
        .credentials("key-id-2", "key-secret")
        .build()
        .unwrap();
    other_account.transfers().create(&req).await.unwrap();
    let other_amount = TransferRequest::new(
        ExternalId::from("TXN-001"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        gbp(1001, 2),
        "GBP",
    );
    milta.transfers().create(&other_amount).await.unwrap();
    let keys: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["x-idempotency-key"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(keys[0], keys[1], "the same payment carries the same key");
    assert_eq!(keys[0], keys[2], "from any client of the same account, as after a restart");
    assert_ne!(keys[0], keys[3], "another account's payment has another key");
    assert_ne!(keys[0], keys[4], "another amount is another payment");
    assert!(uuid::Uuid::parse_str(&keys[0]).is_ok_and(|u| u.get_version_num() == 8), "{}", keys[0]);
}

#[tokio::test]
async fn caller_chosen_idempotency_key_and_exact_money_both_ways() {
    let (server, milta) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("/transfers")))
        .and(header("x-idempotency-key", "my-key-1"))
        .and(body_string(
            r#"{"externalId":"BIG","productId":"P","recipientPhone":"+1","amount":12345678901234567.89,"currency":"GBP"}"#,
        ))
        .respond_with(ResponseTemplate::new(201).set_body_raw(
            r#"{"status":"success","data":{"transferId":"T-1","status":"PENDING","amount":12345678901234567.89}}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("/transfers")))
        .and(body_string(
            r#"{"externalId":"TINY","productId":"P","recipientPhone":"+1","amount":0.1,"currency":"GBP"}"#,
        ))
        .respond_with(ResponseTemplate::new(201).set_body_raw(
            r#"{"status":"success","data":{"transferId":"T-2","status":"PENDING","amount":0.1}}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let big: Decimal = "12345678901234567.89".parse().unwrap();
    let t = milta
        .transfers()
        .create_with_key(
            &TransferRequest::new(ExternalId::from("BIG"), ProductId::from("P"), PhoneNumber::from("+1"), big, "GBP"),
            "my-key-1",
        )
        .await
        .unwrap();
    assert_eq!(t.amount, Some(big));
    let t = milta
        .transfers()
        .create(&TransferRequest::new(
            ExternalId::from("TINY"),
            ProductId::from("P"),
            PhoneNumber::from("+1"),
            gbp(1, 1),
            "GBP",
        ))
        .await
        .unwrap();
    assert_eq!(t.amount.unwrap().to_string(), "0.1");
}

/// Issue 22, item 10: a key the server cannot tell apart from no key (empty),
/// may cut or fold (over 255 bytes, spaces, control characters) is refused
/// before anything is sent, by every call that takes one: such a key made a
/// money POST look safe to retry.
#[tokio::test]
async fn idempotency_keys_that_are_empty_too_long_or_not_printable_are_refused_before_sending() {
    let (server, milta) = setup().await;
    Mock::given(method("POST"))
        .respond_with(ok(json!({"transferId": "T-1", "status": "PENDING"})))
        .mount(&server)
        .await;
    let t =
        TransferRequest::new(ExternalId::from("K"), ProductId::from("P"), PhoneNumber::from("+1"), gbp(1, 0), "GBP");
    let too_long = "k".repeat(256);
    for bad in ["", too_long.as_str(), "a\nb", "a b", " key", "a\tb", "cl\u{e9}"] {
        let refused = |err: Error| matches!(err, Error::InvalidRequest(ref m) if m.contains("idempotency key"));
        let err = milta.transfers().create_with_key(&t, bad).await.unwrap_err();
        assert!(refused(err), "create_with_key({bad:?})");
        let err = milta.transfers().batch_with_key(std::slice::from_ref(&t), bad).await.unwrap_err();
        assert!(refused(err), "batch_with_key({bad:?})");
        let raw = walletkit::Request::post("/transfers").idempotency_key("X-Idempotency-Key", bad);
        let err = milta.send_raw(raw).await.unwrap_err();
        assert!(refused(err), "send_raw with key {bad:?}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0, "nothing sent");

    // 255 visible ASCII characters is the longest key accepted.
    let longest: String = (0x21u8..=0x7e).map(char::from).cycle().take(255).collect();
    milta.transfers().create_with_key(&t, longest.clone()).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers["x-idempotency-key"], longest.as_str());
}

#[tokio::test]
async fn deferred_transfer_status_and_cancel() {
    let (server, milta) = setup().await;
    let at = Utc.with_ymd_and_hms(2099, 1, 15, 9, 0, 0).unwrap();
    Mock::given(method("POST"))
        .and(path(p("/transfers")))
        .and(body_string(
            r#"{"externalId":"TXN-20260101-001","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":10,"currency":"GBP","deferred":true,"scheduledAt":"2099-01-15T09:00:00Z"}"#,
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"status": "success", "data": {
            "transferId": "T-9001", "status": "SCHEDULED", "scheduledAt": "2099-01-15T09:00:00Z"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("/transfers/T-9001")))
        .and(header("authorization", BASIC))
        .respond_with(fixture("transfer_scheduled.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(p("/transfers/T-9001")))
        .and(header("authorization", BASIC))
        .respond_with(ok(json!({"transferId": "T-9001", "status": "CANCELLED", "scheduledAt": "2099-01-15T09:00:00Z"})))
        .expect(1)
        .mount(&server)
        .await;

    let req = TransferRequest::new(
        ExternalId::from("TXN-20260101-001"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        gbp(1000, 2),
        "GBP",
    )
    .scheduled_at(at);
    let created = milta.transfers().create(&req).await.unwrap();
    assert_eq!(created.status, TransferStatus::Scheduled);
    assert_eq!(created.scheduled_at, Some(at));

    // The document's status example is in the past: cancelling it is refused
    // before anything is sent (the DELETE mock expects exactly one call, below).
    let doc_example = milta.transfers().get(&TransferId::from("T-9001")).await.unwrap();
    assert_eq!(doc_example.amount, Some(gbp(10, 0)));
    let err = milta.transfers().cancel(&doc_example).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("5 minutes")), "{err}");

    let cancelled = milta.transfers().cancel(&created).await.unwrap().unwrap();
    assert_eq!(cancelled.status, TransferStatus::Cancelled);
}

#[tokio::test]
async fn cancel_refused_client_side_inside_the_window() {
    let (server, milta) = setup().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let soon = Utc::now() + chrono::TimeDelta::minutes(4);
    let t: walletkit::milta::Transfer =
        serde_json::from_value(json!({"transferId": "T-1", "status": "SCHEDULED", "scheduledAt": soon})).unwrap();
    let err = milta.transfers().cancel(&t).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
}

//! Milta answers read the way a server following the document (or reading
//! it a little differently) may send them: both id spellings, aliases side
//! by side, amounts as strings, `null`s, unknown fields, lists without a
//! pagination block, errors inside 2xx envelopes, unreadable answers to
//! money calls, and hostile ids.

use crate::support::hostile_ids;

use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::json;
use walletkit::milta::{
    ExternalId, MiltaClient, PhoneNumber, ProductId, SubmitOutcome, Transfer, TransferId, TransferRequest,
    TransferStatus,
};
use walletkit::{Decimal, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASE: &str = "/api/v1/partner";

async fn setup() -> (MockServer, MiltaClient) {
    let server = MockServer::start().await;
    let client = MiltaClient::builder()
        .base_url(format!("{}{BASE}", server.uri()))
        .credentials("key-id", "key-secret")
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    (server, client)
}

fn p(rest: &str) -> String {
    format!("{BASE}{rest}")
}

fn ok(data: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "status": "success", "data": data }))
}

fn raw(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn transfer(external_id: &str) -> TransferRequest {
    TransferRequest::new(
        ExternalId::from(external_id),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(1000, 2),
        "GBP",
    )
}

#[tokio::test]
async fn identifiers_in_either_spelling_both_at_once_and_as_numbers() {
    let (server, milta) = setup().await;
    let items = r#"{"status":"success","data":{"items":[
        {"productId":"PR-1","id":"legacy-1","providerId":7,"minAmount":"1.50","maxAmount":12345678901234567.89},
        {"id":42,"productId":null,"name":null,"minAmount":null,"currency":null},
        {"productId":"PR-3"}
    ]}}"#;
    Mock::given(method("GET")).and(path(p("/inventories/products"))).respond_with(raw(200, items)).mount(&server).await;
    for (route, body) in [
        ("/inventories/providers", r#"{"items":[{"providerId":"P-1","id":"x"},{"id":9}]}"#),
        ("/inventories/categories", r#"{"items":[{"id":"TOPUP","categoryId":"C-1"},{"id":3}]}"#),
        ("/inventories/brands", r#"{"items":[{"brandId":"B-1","id":"x","category":5},{"id":"B-2"}]}"#),
        ("/inventories/currencies", r#"{"items":[{"currencyCode":"EUR","code":"GBP"},{"currencyCode":"USD"}]}"#),
    ] {
        let body = format!(r#"{{"status":"success","data":{body}}}"#);
        Mock::given(method("GET")).and(path(p(route))).respond_with(raw(200, &body)).mount(&server).await;
    }
    let inv = milta.inventories();
    let products = inv.products().get().await.unwrap().items;
    assert_eq!(products[0].product_id.as_deref(), Some("PR-1"), "the document's spelling wins");
    assert_eq!(products[0].provider_id.as_deref(), Some("7"));
    assert_eq!((products[0].min_amount, products[0].max_amount), (Some(dec("1.5")), Some(dec("12345678901234567.89"))));
    assert_eq!(products[1].product_id.as_deref(), Some("42"), "a null never displaces the other spelling");
    assert_eq!((products[1].name.as_deref(), products[1].min_amount), (None, None));
    assert!(products.iter().all(|p| !p.extra.contains_key("id") && !p.extra.contains_key("productId")));

    let providers = inv.providers().get().await.unwrap().items;
    assert_eq!([providers[0].provider_id.as_deref(), providers[1].provider_id.as_deref()], [Some("P-1"), Some("9")]);
    let categories = inv.categories().get().await.unwrap().items;
    assert_eq!([categories[0].category_id.as_deref(), categories[1].category_id.as_deref()], [Some("C-1"), Some("3")]);
    let brands = inv.brands().get().await.unwrap().items;
    assert_eq!([brands[0].brand_id.as_deref(), brands[1].brand_id.as_deref()], [Some("B-1"), Some("B-2")]);
    assert_eq!(brands[0].category.as_deref(), Some("5"));
    let currencies = inv.currencies().get().await.unwrap().items;
    assert_eq!([currencies[0].code.as_deref(), currencies[1].code.as_deref()], [Some("GBP"), Some("USD")]);
}

#[tokio::test]
async fn balance_and_pricing_aliases_side_by_side_strings_nulls_and_unknown_fields() {
    let (server, milta) = setup().await;
    let balance = r#"{"status":"success","data":{"available":"1.00","balance":"0.123456789012345678","amount":5,
        "currency":"GBP","reserved":{"amount":12345678901234567.89},"updatedAt":null}}"#;
    Mock::given(method("GET")).and(path(p("/balance"))).respond_with(raw(200, balance)).mount(&server).await;
    let pricing = r#"{"status":"success","data":{"amount":"10.00","fee":null,"total":10.5,"totalAmount":"99",
        "exchangeRate":null,"rate":"1.25","currency":null,"promo":true}}"#;
    Mock::given(method("POST")).and(path(p("/pricing"))).respond_with(raw(200, pricing)).mount(&server).await;

    let b = milta.account().balance().await.unwrap();
    assert_eq!(b.amount, Some(dec("0.123456789012345678")), "`balance` is the preferred spelling");
    assert_eq!(b.extra["reserved"].get(), r#"{"amount":12345678901234567.89}"#);
    assert!(b.extra.contains_key("updatedAt"));

    let req = walletkit::milta::PricingRequest::new(ProductId::from("PRODUCT_123"), Decimal::TEN, "GBP");
    let e = milta.account().pricing(&req).await.unwrap();
    assert_eq!((e.amount, e.fee, e.total), (Some(Decimal::TEN), None, Some(dec("10.5"))));
    assert_eq!((e.exchange_rate, e.currency.as_deref()), (Some(dec("1.25")), None), "a null gives way to `rate`");
    assert_eq!(e.extra["promo"].get(), "true");
}

#[tokio::test]
async fn a_transfer_with_nulls_string_amounts_and_unknown_fields() {
    let (server, milta) = setup().await;
    let body = r#"{"status":"success","data":{"transferId":1001,"externalId":null,"status":"PENDING",
        "scheduledAt":null,"amount":"12345678901234567.89","currency":null,"fees":[{"x":0.123456789012345678}]}}"#;
    Mock::given(method("GET")).and(path(p("/transfers/1001"))).respond_with(raw(200, body)).mount(&server).await;
    let t = milta.transfers().get(&TransferId::from("1001")).await.unwrap();
    assert_eq!(t.transfer_id.as_str(), "1001");
    assert_eq!((t.external_id, t.scheduled_at, t.currency), (None, None, None));
    assert_eq!(t.amount, Some(dec("12345678901234567.89")));
    assert_eq!(t.extra["fees"].get(), r#"[{"x":0.123456789012345678}]"#);
}

#[tokio::test]
async fn an_error_inside_a_2xx_envelope_is_an_api_error_with_string_or_numeric_code() {
    let (server, milta) = setup().await;
    let body = r#"{"status":"error","message":"Account balance too low","code":"INSUFFICIENT_FUNDS"}"#;
    Mock::given(method("GET")).and(path(p("/balance"))).respond_with(raw(200, body)).mount(&server).await;
    let body = r#"{"status":"error","message":"no","code":4001,"data":null}"#;
    Mock::given(method("GET")).and(path(p("/transfers/T-1"))).respond_with(raw(200, body)).mount(&server).await;

    let err = milta.account().balance().await.unwrap_err();
    let api = err.as_api().expect("an API error, not a decode error");
    assert_eq!(
        (api.status, api.kind, api.code.as_deref()),
        (200, ErrorKind::InsufficientFunds, Some("INSUFFICIENT_FUNDS"))
    );
    assert_eq!(api.message, "Account balance too low");
    let err = milta.transfers().get(&TransferId::from("T-1")).await.unwrap_err();
    assert_eq!(err.as_api().and_then(|a| a.code.as_deref()), Some("4001"), "{err}");
}

#[tokio::test]
async fn without_a_pagination_block_paging_goes_on_while_pages_are_full() {
    let (server, milta) = setup().await;
    let page = |n: u32, count: u32| {
        let items: Vec<_> = (0..count).map(|i| json!({"code": format!("C{n}{i}"), "name": "x"})).collect();
        ok(json!({ "items": items }))
    };
    for (n, count) in [(1, 3), (2, 3), (3, 1)] {
        Mock::given(method("GET"))
            .and(path(p("/inventories/countries")))
            .and(query_param("page", n.to_string()))
            .and(query_param("pageSize", "3"))
            .respond_with(page(n, count))
            .expect(1)
            .mount(&server)
            .await;
    }
    let all: Vec<_> = milta.inventories().countries().page_size(3).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 7, "two full pages, then a short one ends the listing");

    // The document's default page size (20) when none is asked for; an empty page ends too.
    let (server, milta) = setup().await;
    for (n, count) in [(1, 20), (2, 0)] {
        Mock::given(method("GET"))
            .and(path(p("/inventories/currencies")))
            .and(query_param("page", n.to_string()))
            .respond_with(page(n, count))
            .expect(1)
            .mount(&server)
            .await;
    }
    let all: Vec<_> = milta.inventories().currencies().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 20);
}

#[tokio::test]
async fn every_listing_takes_the_documented_filters() {
    let (server, milta) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("/inventories/providers")))
        .and(query_param("country", "GB"))
        .and(query_param("currency", "GBP"))
        .and(query_param("providerId", "P-1"))
        .and(query_param("productType", "TOPUP"))
        .respond_with(ok(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;
    let page = milta
        .inventories()
        .providers()
        .country("GB")
        .currency("GBP")
        .provider_id("P-1")
        .product_type("TOPUP")
        .get()
        .await
        .unwrap();
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn batch_entries_keep_their_codes_and_one_unreadable_entry_costs_no_other() {
    let (server, milta) = setup().await;
    let body = r#"{"status":"success","data":{"batchId":"B-1","accepted":1,"rejected":2,"transfers":[
        {"externalId":"T-1","status":"PENDING","transferId":"T-9001"},
        {"externalId":"T-2","status":"REJECTED","message":"m","reason":"r",
         "error":{"code":"INSUFFICIENT_FUNDS","message":"Account balance too low"}},
        {"externalId":"T-3","status":"REJECTED","code":"INVALID_RECIPIENT","reason":"unknown number"},
        {"externalId":"T-4","status":{"odd":true}}
    ]}}"#;
    Mock::given(method("POST")).and(path(p("/transfers/batch"))).respond_with(raw(200, body)).mount(&server).await;
    let batch: Vec<_> = ["T-1", "T-2", "T-3", "T-4"].map(transfer).to_vec();

    let resp = milta.transfers().batch(&batch).await.unwrap();
    assert_eq!(resp.transfers.len(), 3, "the readable entries are all kept");
    let t2 = &resp.transfers[1];
    assert_eq!((t2.kind, t2.code.as_deref()), (Some(ErrorKind::InsufficientFunds), Some("INSUFFICIENT_FUNDS")));
    assert_eq!(t2.message.as_deref(), Some("Account balance too low"));
    let t3 = &resp.transfers[2];
    assert_eq!((t3.kind, t3.code.as_deref()), (Some(ErrorKind::InvalidRecipient), Some("INVALID_RECIPIENT")));
    assert_eq!(t3.message.as_deref(), Some("unknown number"));
    assert_eq!((resp.transfers[0].kind, resp.transfers[0].is_accepted()), (None, true));
    assert_eq!(resp.unreadable.len(), 1);
    assert_eq!((resp.unreadable[0].index, resp.unreadable[0].external_id.as_deref()), (3, Some("T-4")));

    let outcomes = milta.transfers().submit_all(&batch).await.unwrap();
    assert!(matches!(&outcomes[0], SubmitOutcome::Entry(e) if e.status == TransferStatus::Pending));
    assert!(matches!(&outcomes[3], SubmitOutcome::Unreadable { external_id, .. } if external_id == "T-4"));
}

#[tokio::test]
async fn repeated_external_ids_are_refused_before_sending() {
    let (server, milta) = setup().await;
    Mock::given(method("POST")).respond_with(ok(json!({}))).expect(0).mount(&server).await;
    let batch = [transfer("T-1"), transfer("T-2"), transfer("T-1")];
    let err = milta.transfers().batch(&batch).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("transfers 1 and 3 share")), "{err}");
    assert!(!err.to_string().contains("T-1"), "no reference in the text: {err}");
    let err = milta.transfers().submit_all(&batch).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
}

#[tokio::test]
async fn an_accepted_transfer_whose_answer_is_unreadable_carries_its_references() {
    let (server, milta) = setup().await;
    let body = r#"{"status":"success","data":{"externalId":"TXN-1","status":"PENDING"}}"#;
    Mock::given(method("POST")).and(path(p("/transfers"))).respond_with(raw(201, body)).expect(1).mount(&server).await;
    let err = milta.transfers().create_with_key(&transfer("TXN-1"), "key-1").await.unwrap_err();
    let Error::AcceptedUnreadable(e) = &err else { panic!("{err:?}") };
    assert_eq!((e.status, e.sent.idempotency_key.as_deref()), (201, Some("key-1")));
    assert_eq!(e.sent.reference, Some(("externalId".to_string(), "TXN-1".to_string())));
    assert!(e.json_path.as_deref().is_some_and(|p| p.starts_with("data")), "{e:?}");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("do not send it again"), "{err}");

    let (server, milta) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("/transfers/batch")))
        .respond_with(raw(200, "<html>accepted</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let err = milta.transfers().batch(&[transfer("T-1")]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AcceptedUnreadable, "{err}");
    assert!(err.as_accepted_unreadable().unwrap().sent.idempotency_key.is_some());

    // A read that cannot be decoded is a plain decode error.
    let (server, milta) = setup().await;
    Mock::given(method("GET")).respond_with(raw(200, "<html>")).mount(&server).await;
    let err = milta.transfers().get(&TransferId::from("T-1")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}

#[tokio::test]
async fn hostile_transfer_ids_are_refused_before_sending() {
    let (server, milta) = setup().await;
    Mock::given(method("GET")).respond_with(ok(json!({}))).expect(0).mount(&server).await;
    Mock::given(method("DELETE")).respond_with(ok(json!({}))).expect(0).mount(&server).await;
    for id in hostile_ids::HOSTILE_IDS {
        let id = TransferId::from(*id);
        let err = milta.transfers().get(&id).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "get {id:?}: {err}");
        let err = milta.transfers().cancel_inside_window(&id).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "cancel_inside_window {id:?}: {err}");
        let err = milta.transfers().cancel_by_id(&id).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "cancel_by_id {id:?}: {err}");
        let t: Transfer = serde_json::from_value(json!({"transferId": id.as_str(), "status": "SCHEDULED"})).unwrap();
        let err = milta.transfers().cancel(&t).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "cancel {id:?}: {err}");
    }
}

#[tokio::test]
async fn cancelling_inside_the_window_is_refused_by_default_and_possible_on_request() {
    let (server, milta) = setup().await;
    let soon = (chrono::Utc::now() + chrono::TimeDelta::minutes(2)).to_rfc3339();
    Mock::given(method("DELETE"))
        .and(path(p("/transfers/T-9")))
        .respond_with(ok(json!({"transferId": "T-9", "status": "CANCELLED"})))
        .expect(1)
        .mount(&server)
        .await;
    let t: Transfer =
        serde_json::from_value(json!({"transferId": "T-9", "status": "SCHEDULED", "scheduledAt": soon})).unwrap();
    let err = milta.transfers().cancel(&t).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("5 minutes")), "{err}");
    let cancelled = milta.transfers().cancel_inside_window(&t.transfer_id).await.unwrap().unwrap();
    assert_eq!(cancelled.status, TransferStatus::Cancelled);
}

#[tokio::test]
async fn a_prefetching_stream_yields_every_page_once_in_order() {
    let (server, milta) = setup().await;
    for n in 1..=5u32 {
        let items: Vec<_> = (0..2).map(|i| json!({"productId": format!("P-{n}-{i}")})).collect();
        Mock::given(method("GET"))
            .and(path(p("/inventories/products")))
            .and(query_param("page", n.to_string()))
            .respond_with(
                ok(json!({"items": items, "pagination": {"page": n, "pageSize": 2, "totalItems": 10, "totalPages": 5}}))
                    .set_delay(Duration::from_millis(u64::from(60 - n * 10))),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let all: Vec<_> = milta.inventories().products().page_size(2).prefetch(3).stream().try_collect().await.unwrap();
    let ids: Vec<_> = all.iter().filter_map(|p| p.product_id.as_deref()).collect();
    let want: Vec<String> = (1..=5).flat_map(|n| (0..2).map(move |i| format!("P-{n}-{i}"))).collect();
    assert_eq!(ids, want, "later pages answer first, items still come in page order");
}

#[tokio::test]
async fn an_oversized_answer_to_a_transfer_is_accepted_but_unreadable_only_when_it_is_a_2xx() {
    let big = format!(r#"{{"status":"success","data":{{"pad":"{}"}}}}"#, "x".repeat(4096));
    for (status, want) in [(201, ErrorKind::AcceptedUnreadable), (400, ErrorKind::Decode)] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(raw(status, &big)).mount(&server).await;
        let milta = MiltaClient::builder()
            .base_url(format!("{}{BASE}", server.uri()))
            .credentials("key-id", "key-secret")
            .retry_policy(RetryPolicy::none())
            .max_body_bytes(1024)
            .build()
            .unwrap();
        let err = milta.transfers().create(&transfer("TXN-BIG")).await.unwrap_err();
        assert_eq!(err.kind(), want, "status {status}: {err}");
        let message = match &err {
            Error::AcceptedUnreadable(a) => &a.message,
            Error::Decode(d) => &d.message,
            other => panic!("{other:?}"),
        };
        assert!(message.contains("1024-byte cap"), "{err:?}");
    }
}

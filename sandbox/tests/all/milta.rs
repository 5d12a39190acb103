//! The Milta fake over plain HTTP: auth, reference data, transfers, idempotency,
//! batches, deferred cancellation, balance, pricing and documented limits.

use crate::common;

use std::time::Duration;

use common::{milta, send, start, start_with};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use walletkit_sandbox::{Limit, MiltaLimits, SandboxConfig};

/// A transfer as JSON text, the amount exactly as given.
fn transfer_text(external_id: &str, amount: &str) -> String {
    format!(
        r#"{{"externalId":"{external_id}","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":{amount},"currency":"GBP"}}"#
    )
}

/// A transfer to edit (numbers pass through `f64`: use whole amounts).
pub(crate) fn transfer(external_id: &str, amount: &str) -> Value {
    serde_json::from_str(&transfer_text(external_id, amount)).unwrap()
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused() {
    let sb = start().await;
    let url = format!("{}/balance", sb.milta().base_url());
    let none = send(common::http().get(&url)).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.json["code"], "INVALID_API_KEY");
    assert_eq!(none.json["status"], "error");
    let wrong = send(common::http().get(&url).basic_auth(sb.milta().key_id(), Some("nope"))).await;
    assert_eq!(wrong.status, 401);
    let ok = send(milta(&sb, Method::GET, "/balance")).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json["status"], "success");
}

#[tokio::test]
async fn reference_lists_answer_whole_as_the_documents_example() {
    let sb = start().await;
    let count = sb.milta().product_count();
    for query in ["", "?page=1", "?page=2", "?page=7&pageSize=20", "?pageSize=5"] {
        let a = send(milta(&sb, Method::GET, &format!("/inventories/products{query}"))).await;
        assert_eq!(a.status, 200, "{query}");
        let data = a.json["data"].as_object().unwrap();
        assert_eq!(data.keys().collect::<Vec<_>>(), ["items"], "{query}: no pagination block");
        assert_eq!(data["items"].as_array().unwrap().len(), count, "{query}: the whole list whatever page says");
    }
    let big = send(milta(&sb, Method::GET, "/inventories/products?pageSize=101")).await;
    assert_eq!(big.status, 400, "malformed paging is still refused");
    let zero = send(milta(&sb, Method::GET, "/inventories/countries?page=0")).await;
    assert_eq!(zero.status, 400);
    for (list, len) in [("countries", 7), ("currencies", 6), ("categories", 4), ("providers", 21)] {
        for page in [1, 2] {
            let a = send(milta(&sb, Method::GET, &format!("/inventories/{list}?page={page}&pageSize=2"))).await;
            assert_eq!(a.status, 200, "{list}");
            assert!(a.json["data"].get("pagination").is_none(), "{list} page {page}: {}", a.json);
            assert_eq!(a.json["data"]["items"].as_array().unwrap().len(), len, "{list} page {page}");
        }
    }
    let countries = send(milta(&sb, Method::GET, "/inventories/countries")).await;
    assert_eq!(
        countries.json,
        json!({"status": "success", "data": {"items": [
            {"code": "GB", "name": "United Kingdom", "currencyCode": "GBP"},
            {"code": "FR", "name": "France", "currencyCode": "EUR"},
            {"code": "DE", "name": "Germany", "currencyCode": "EUR"},
            {"code": "NG", "name": "Nigeria", "currencyCode": "NGN"},
            {"code": "KE", "name": "Kenya", "currencyCode": "KES"},
            {"code": "US", "name": "United States", "currencyCode": "USD"},
            {"code": "IN", "name": "India", "currencyCode": "INR"},
        ]}}),
        "exactly the documented shape"
    );
}

#[tokio::test]
async fn products_filter_and_brands_page_with_limit() {
    let sb = start().await;
    let gb = send(milta(&sb, Method::GET, "/inventories/products?country=GB&currency=GBP&productType=TOPUP")).await;
    let items = gb.json["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().any(|p| p["productId"] == "PRODUCT_123"));
    assert!(items.iter().all(|p| p["country"] == "GB" && p["productType"] == "TOPUP"));
    assert!(items.iter().all(|p| p.get("id").is_none()), "the document's <entity>Id, not id: {items:?}");
    assert_eq!(gb.raw_at("/data/items/0/minAmount"), "1.00", "amounts exactly as held");
    let by_provider = send(milta(&sb, Method::GET, "/inventories/products?providerId=PRV-GB-01&page=3")).await;
    assert_eq!(
        by_provider.json["data"]["items"].as_array().unwrap().len(),
        4,
        "the providerId filter matches providerId"
    );

    let brands = send(milta(&sb, Method::GET, "/inventories/brands?limit=200&shorten=true&category=GIFT_CARD")).await;
    let brands = brands.json["data"]["items"].as_array().unwrap().clone();
    assert!(!brands.is_empty());
    for b in &brands {
        let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["brandId", "name"], "shortened brands carry brandId and name only");
    }
    let full = send(milta(&sb, Method::GET, "/inventories/brands?limit=200")).await;
    assert_eq!(full.json["data"]["pagination"]["limit"], 200);
    let first = send(milta(&sb, Method::GET, "/inventories/brands")).await;
    assert_eq!(
        first.json["data"]["pagination"],
        json!({"page": 1, "pageSize": 20, "limit": 20, "totalItems": 34, "totalPages": 2}),
        "brands stay paged"
    );
    let last = send(milta(&sb, Method::GET, "/inventories/brands?page=2")).await;
    assert_eq!(last.json["data"]["items"].as_array().unwrap().len(), 14);
    assert_eq!(send(milta(&sb, Method::GET, "/inventories/brands?limit=201")).await.status, 400);

    for (list, id) in [
        ("countries", "code"),
        ("currencies", "code"),
        ("categories", "categoryId"),
        ("providers", "providerId"),
        ("brands", "brandId"),
    ] {
        let a = send(milta(&sb, Method::GET, &format!("/inventories/{list}"))).await;
        assert_eq!(a.status, 200, "{list}");
        assert!(a.json["data"]["items"].as_array().unwrap().len() >= 4, "{list}");
        for item in a.json["data"]["items"].as_array().unwrap() {
            assert!(item[id].is_string(), "{list} items carry {id}: {item}");
            assert!(item.get("id").is_none(), "{list}: {item}");
        }
    }
}

#[tokio::test]
async fn transfer_is_pending_then_completed_and_charges_the_balance() {
    let sb = start().await;
    let before = sb.milta().balance();
    let created = send(milta(&sb, Method::POST, "/transfers").body(transfer_text("TXN-1", "10.00"))).await;
    assert_eq!(created.status, 201, "{}", created.json);
    let data = &created.json["data"];
    assert_eq!(data["status"], "PENDING");
    assert_eq!(created.raw_at("/data/amount"), "10.00");
    assert_eq!(created.raw_at("/data/fee"), "0.15");
    assert!(data.get("id").is_none() && data.get("scheduledAt").is_none());
    let id = data["transferId"].as_str().unwrap();
    let read = send(milta(&sb, Method::GET, &format!("/transfers/{id}"))).await;
    assert_eq!(read.json["data"]["status"], "COMPLETED");
    let total = created.dec("/data/total");
    assert_eq!(sb.milta().balance(), before - total);
    let balance = send(milta(&sb, Method::GET, "/balance")).await;
    assert_eq!(balance.dec("/data/amount"), before - total);
    assert_eq!(balance.raw_at("/data/amount"), "99989.85");
    let missing = send(milta(&sb, Method::GET, "/transfers/T-1")).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn duplicates_validation_and_insufficient_funds() {
    let sb = start().await;
    let ok = send(milta(&sb, Method::POST, "/transfers").body(transfer("DUP", "10").to_string())).await;
    assert_eq!(ok.status, 201);
    let dup = send(milta(&sb, Method::POST, "/transfers").body(transfer("DUP", "10").to_string())).await;
    assert_eq!((dup.status.as_u16(), dup.json["code"].as_str()), (409, Some("TRANSFER_ALREADY_EXISTS")));
    assert_eq!(sb.milta().transfers_with_external_id("DUP"), 1);

    let mut missing = transfer("V1", "10");
    missing.as_object_mut().unwrap().remove("recipientPhone");
    let a = send(milta(&sb, Method::POST, "/transfers").body(missing.to_string())).await;
    assert_eq!((a.status.as_u16(), a.json["code"].as_str()), (400, Some("VALIDATION_ERROR")));
    assert!(a.json["message"].as_str().unwrap().contains("recipientPhone"));
    let mut mistyped = transfer("V2", "10");
    mistyped["amount"] = json!("10");
    let a = send(milta(&sb, Method::POST, "/transfers").body(mistyped.to_string())).await;
    assert_eq!(a.status, 400);
    let a = send(milta(&sb, Method::POST, "/transfers").body(transfer("V3", "0.5").to_string())).await;
    assert_eq!(a.json["code"], "INVALID_AMOUNT");
    let a = send(milta(&sb, Method::POST, "/transfers").body("not json")).await;
    assert_eq!(a.status, 400);

    sb.milta().set_balance(Decimal::new(500, 2));
    let poor = send(milta(&sb, Method::POST, "/transfers").body(transfer("POOR", "10").to_string())).await;
    assert_eq!((poor.status.as_u16(), poor.json["code"].as_str()), (400, Some("INSUFFICIENT_FUNDS")));
    assert_eq!(sb.milta().transfers_with_external_id("POOR"), 0);
    assert_eq!(sb.milta().balance(), Decimal::new(500, 2));
}

#[tokio::test]
async fn idempotency_key_replays_the_first_answer_without_acting_again() {
    let sb = start().await;
    let body = transfer_text("IDEM-1", "10.00");
    let first =
        send(milta(&sb, Method::POST, "/transfers").header("X-Idempotency-Key", "key-1").body(body.clone())).await;
    let balance = sb.milta().balance();
    let again =
        send(milta(&sb, Method::POST, "/transfers").header("X-Idempotency-Key", "key-1").body(body.clone())).await;
    assert_eq!(first.status, 201);
    assert_eq!(again.status, first.status);
    assert_eq!(again.raw, first.raw, "the replay is byte for byte the first answer");
    assert_eq!(sb.milta().transfers_with_external_id("IDEM-1"), 1);
    assert_eq!(sb.milta().balance(), balance);
    // The same key with another body is refused.
    let other = transfer_text("IDEM-2", "10.00");
    let clash = send(milta(&sb, Method::POST, "/transfers").header("X-Idempotency-Key", "key-1").body(other)).await;
    assert_eq!(clash.status, 409);
    assert_eq!(sb.milta().transfers_with_external_id("IDEM-2"), 0);
}

#[tokio::test]
async fn batch_rejects_duplicates_per_entry() {
    let sb = start().await;
    send(milta(&sb, Method::POST, "/transfers").body(transfer("OLD", "10").to_string())).await;
    let body = json!({"transfers": [
        transfer("B-1", "10"), transfer("B-2", "10"), transfer("B-2", "10"), transfer("OLD", "10"), transfer("B-3", "0"),
    ]});
    let a = send(milta(&sb, Method::POST, "/transfers/batch").body(body.to_string())).await;
    assert_eq!(a.status, 200, "{}", a.json);
    let d = &a.json["data"];
    assert_eq!((d["accepted"].as_u64(), d["rejected"].as_u64()), (Some(1), Some(4)));
    let entries = d["transfers"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[0]["status"], "PENDING");
    assert!(entries[0]["transferId"].is_string());
    for e in &entries[1..] {
        assert_eq!(e["status"], "REJECTED", "{e}");
        assert!(e.get("transferId").is_none());
        assert!(e["message"].is_string());
    }
    assert!(d["batchId"].as_str().unwrap().starts_with("BATCH-"));
    assert_eq!(sb.milta().transfers_with_external_id("B-2"), 0);
    assert_eq!(sb.milta().transfers_with_external_id("OLD"), 1);
    let too_many = json!({"transfers": (0..101).map(|i| transfer(&format!("X{i}"), "10")).collect::<Vec<_>>()});
    let a = send(milta(&sb, Method::POST, "/transfers/batch").body(too_many.to_string())).await;
    assert_eq!(a.status, 400);
}

#[tokio::test]
async fn deferred_transfers_cancel_until_five_minutes_before() {
    let sb = start().await;
    let at =
        |mins: i64| (chrono::Utc::now() + chrono::TimeDelta::minutes(mins)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let deferred = |id: &str, mins: i64| {
        let mut t = transfer(id, "10");
        t["deferred"] = json!(true);
        t["scheduledAt"] = json!(at(mins));
        t.to_string()
    };
    let before = sb.milta().balance();
    let far = send(milta(&sb, Method::POST, "/transfers").body(deferred("D-FAR", 60))).await;
    assert_eq!(far.json["data"]["status"], "SCHEDULED");
    let id = far.json["data"]["transferId"].as_str().unwrap().to_owned();
    let cancelled = send(milta(&sb, Method::DELETE, &format!("/transfers/{id}"))).await;
    assert_eq!(cancelled.status, 200);
    assert_eq!(cancelled.json["data"]["status"], "CANCELLED");
    assert_eq!(sb.milta().balance(), before, "cancelling refunds the charge");
    let again = send(milta(&sb, Method::DELETE, &format!("/transfers/{id}"))).await;
    assert_eq!(again.status, 409);

    let near = send(milta(&sb, Method::POST, "/transfers").body(deferred("D-NEAR", 3))).await;
    let id = near.json["data"]["transferId"].as_str().unwrap().to_owned();
    let late = send(milta(&sb, Method::DELETE, &format!("/transfers/{id}"))).await;
    assert_eq!(late.status, 409);
    assert_eq!(sb.milta().transfer(&id).unwrap().status, "SCHEDULED");
    let unknown = send(milta(&sb, Method::DELETE, "/transfers/T-404")).await;
    assert_eq!(unknown.status, 404);
    let past = send(milta(&sb, Method::POST, "/transfers").body(deferred("D-PAST", -1))).await;
    assert_eq!(past.status, 400);
}

#[tokio::test]
async fn pricing_quotes_amount_fee_total() {
    let sb = start().await;
    let body = json!({"productId": "PRODUCT_456", "amount": 5.00, "currency": "GBP"});
    let a = send(milta(&sb, Method::POST, "/pricing").body(body.to_string())).await;
    assert_eq!(a.status, 200, "{}", a.json);
    let d = &a.json["data"];
    assert_eq!(a.dec("/data/amount") + a.dec("/data/fee"), a.dec("/data/total"));
    assert_eq!(a.raw_at("/data/amount"), "5.00");
    assert_eq!((a.raw_at("/data/minAmount"), a.raw_at("/data/maxAmount")), ("1.00".into(), "200.00".into()));
    assert_eq!(d["currency"], "GBP");
    assert_eq!(d["productId"], "PRODUCT_456");
    let wrong = json!({"productId": "PRODUCT_456", "amount": 5, "currency": "EUR"});
    let a = send(milta(&sb, Method::POST, "/pricing").body(wrong.to_string())).await;
    assert_eq!(a.json["code"], "PRODUCT_NOT_AVAILABLE");
}

#[tokio::test]
async fn documented_limits_answer_429_with_retry_after() {
    let mut config = SandboxConfig::default();
    config.milta.limits =
        Some(MiltaLimits { balance: Limit { max: 2, window: Duration::from_secs(60) }, ..MiltaLimits::documented() });
    let sb = start_with(config).await;
    for _ in 0..2 {
        assert_eq!(send(milta(&sb, Method::GET, "/balance")).await.status, 200);
    }
    let limited = send(milta(&sb, Method::GET, "/balance")).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json["code"], "RATE_LIMIT_EXCEEDED");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Other classes are counted separately.
    assert_eq!(send(milta(&sb, Method::GET, "/inventories/countries")).await.status, 200);

    // The documented 60/min on GET /balance holds by default ...
    let sb = start().await;
    for _ in 0..60 {
        assert_eq!(send(milta(&sb, Method::GET, "/balance")).await.status, 200);
    }
    assert_eq!(send(milta(&sb, Method::GET, "/balance")).await.status, 429);
    // ... and can be switched off.
    let mut config = SandboxConfig::default();
    config.milta.limits = None;
    let sb = start_with(config).await;
    for _ in 0..70 {
        assert_eq!(send(milta(&sb, Method::GET, "/balance")).await.status, 200);
    }
}

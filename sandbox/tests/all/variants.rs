//! The `variants` switch: every API serves the other plausible readings of
//! its document (both id spellings, aliases side by side, amounts as
//! strings or numbers, unknown fields, nulls, other timestamp formats, Milta
//! lists without `pagination`) with values equal to the plain answers, and
//! with the same state and validation.

use crate::common;

use chrono::{DateTime, Utc};
use common::{dec, http, milacoins, milta, raw_at, send, start, start_with, waas, waas_token, Answer};
use reqwest::Method;
use serde_json::{json, Value};
use walletkit_sandbox::{Faults, Sandbox, SandboxConfig};

/// A sandbox with `variants` on for one API (and Milta's limits off, so
/// the paging loops below never meet a 429).
async fn with_variants(api: &str) -> Sandbox {
    let mut config = SandboxConfig::default().with_fault_spec(&format!("{api}:variants")).unwrap();
    config.milta.limits = None;
    start_with(config).await
}

async fn plain() -> Sandbox {
    let mut config = SandboxConfig::default();
    config.milta.limits = None;
    start_with(config).await
}

/// The instant of a timestamp given as an ISO 8601 string or as epoch
/// milliseconds.
fn instant(raw: &str) -> DateTime<Utc> {
    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(iso) => DateTime::parse_from_rfc3339(iso).unwrap().with_timezone(&Utc),
        None => DateTime::from_timestamp_millis(raw.parse().unwrap()).unwrap(),
    }
}

fn is_string(raw: &str) -> bool {
    raw.starts_with('"')
}

/// The unknown fields every object of a variant answer carries.
fn assert_unknown_fields(a: &Answer, pointer: &str) {
    assert_eq!(a.raw_at(&format!("{pointer}/sandboxVariant")), "true", "{pointer}");
    assert_eq!(a.raw_at(&format!("{pointer}/sandboxBig")), "12345678901234567.89", "{pointer}");
    assert_eq!(a.raw_at(&format!("{pointer}/sandboxHuge")), "123456789012345678901234567890", "{pointer}");
    assert_eq!(a.raw_at(&format!("{pointer}/sandboxNull")), "null", "{pointer}");
    assert!(a.raw_at(&format!("{pointer}/sandboxExtra/nested/list")).starts_with('['), "{pointer}");
}

/// An amount spelled as a string in `variant` and as a number in `plain`
/// (or the other way round), with the same digits.
fn assert_flipped_amount(variant: &Answer, plain: &Answer, pointer: &str) {
    let (v, p) = (variant.raw_at(pointer), plain.raw_at(pointer));
    assert_ne!(is_string(&v), is_string(&p), "{pointer}: {v} vs {p}");
    assert_eq!(v.trim_matches('"'), p.trim_matches('"'), "{pointer}: same digits");
    assert_eq!(dec(&v), dec(&p), "{pointer}");
}

fn items(a: &Answer) -> Vec<Value> {
    a.json["data"]["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn milta_serves_both_spellings_string_amounts_and_lists_without_pagination() {
    let (sb, base) = (with_variants("milta").await, plain().await);
    let get = |sb: &Sandbox, path: &str| send(milta(sb, Method::GET, path));

    // Odd pages come without `pagination`; every item has both id spellings.
    let (v, p) = (get(&sb, "/inventories/products").await, get(&base, "/inventories/products").await);
    assert_eq!(v.status, 200);
    assert_eq!((v.json["status"].as_str(), v.raw_at("/message")), (Some("success"), "null".into()));
    assert!(v.json["data"].get("pagination").is_none(), "page 1 has no pagination block");
    assert_eq!(items(&v).len(), 20);
    for (i, item) in items(&v).iter().enumerate() {
        assert_eq!(item["productId"], item["id"], "{item}");
        assert_eq!(item["productId"], p.json["data"]["items"][i]["productId"]);
        assert_flipped_amount(&v, &p, &format!("/data/items/{i}/minAmount"));
        assert_flipped_amount(&v, &p, &format!("/data/items/{i}/maxAmount"));
    }
    assert_eq!(v.raw_at("/data/items/0/minAmount"), r#""1.00""#);
    assert_unknown_fields(&v, "");
    assert_unknown_fields(&v, "/data");
    assert_unknown_fields(&v, "/data/items/3");
    let second = get(&sb, "/inventories/products?page=2").await;
    assert_eq!(second.json["data"]["pagination"]["page"], 2, "even pages keep it");
    assert_unknown_fields(&second, "/data/pagination");

    for (list, field, alias) in [
        ("providers", "providerId", "id"),
        ("brands", "brandId", "id"),
        ("categories", "categoryId", "id"),
        ("countries", "code", "countryCode"),
        ("currencies", "code", "currencyCode"),
    ] {
        let a = get(&sb, &format!("/inventories/{list}")).await;
        for item in items(&a) {
            assert!(item[field].is_string() && item[field] == item[alias], "{list}: {item}");
        }
    }
    let shortened = get(&sb, "/inventories/brands?shorten=true&limit=5").await;
    assert_eq!(shortened.json["data"]["items"][0]["brandId"], shortened.json["data"]["items"][0]["id"]);
    let countries = get(&sb, "/inventories/countries").await;
    assert_eq!(countries.json["data"]["items"][0]["currencyCode"], "GBP", "documented fields stay");

    // Without `pagination` a client reads on while pages are full: page and
    // pageSize are honoured, and the listing ends on a short or empty page.
    for (size, last_page, last_len) in [(20, 5, 4), (28, 4, 0), (100, 1, 84)] {
        let mut seen = Vec::new();
        let mut page = 1;
        loop {
            let a = get(&sb, &format!("/inventories/products?page={page}&pageSize={size}")).await;
            let got = items(&a);
            assert_eq!(a.json["data"].get("pagination").is_some(), page % 2 == 0, "page {page}");
            seen.extend(got.iter().map(|p| p["productId"].as_str().unwrap().to_owned()));
            if got.len() < size {
                assert_eq!((page, got.len()), (last_page, last_len), "pageSize {size}");
                break;
            }
            page += 1;
        }
        let unique: std::collections::HashSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), unique.len()), (84, 84), "pageSize {size}: every product once");
    }

    // The balance as `amount`, `balance` and `available` at once.
    let (v, p) = (get(&sb, "/balance").await, get(&base, "/balance").await);
    for alias in ["amount", "balance", "available"] {
        assert_eq!(v.raw_at(&format!("/data/{alias}")), r#""100000.00""#, "{alias}");
    }
    assert_eq!(p.raw_at("/data/amount"), "100000.00");

    // A transfer: `id` beside `transferId`, string amounts, null for the
    // absent `scheduledAt` and `batchId`, createdAt with a fraction.
    let body = r#"{"externalId":"V-1","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":10.50,"currency":"GBP"}"#;
    let post = |sb: &Sandbox, key: &str| {
        send(milta(sb, Method::POST, "/transfers").header("X-Idempotency-Key", key.to_owned()).body(body))
    };
    let (v, p) = (post(&sb, "k-1").await, post(&base, "k-1").await);
    assert_eq!((v.status.as_u16(), p.status.as_u16()), (201, 201), "{}", v.json);
    assert_eq!(v.json["data"]["transferId"], v.json["data"]["id"]);
    for field in ["amount", "fee", "total"] {
        assert_flipped_amount(&v, &p, &format!("/data/{field}"));
    }
    assert_eq!(v.raw_at("/data/amount"), r#""10.50""#);
    assert_eq!((v.raw_at("/data/scheduledAt"), v.raw_at("/data/batchId")), ("null".into(), "null".into()));
    let created = v.raw_at("/data/createdAt");
    assert!(created.ends_with(".000000Z\""), "fractional seconds: {created}");
    let replay = post(&sb, "k-1").await;
    assert_eq!(replay.raw, v.raw, "a replay is spelled the same");
    assert_eq!(sb.milta().balance(), base.milta().balance(), "the same state");
    let id = v.json["data"]["transferId"].as_str().unwrap();
    let read = get(&sb, &format!("/transfers/{id}")).await;
    assert_eq!((read.json["data"]["status"].as_str(), read.json["data"]["id"].as_str()), (Some("COMPLETED"), Some(id)));

    // A deferred transfer's `scheduledAt` at +02:00, the same instant.
    let at = (Utc::now() + chrono::TimeDelta::hours(2)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let deferred = format!(
        r#"{{"externalId":"V-2","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":10,"currency":"GBP","deferred":true,"scheduledAt":"{at}"}}"#
    );
    let v = send(milta(&sb, Method::POST, "/transfers").body(deferred)).await;
    let scheduled = v.raw_at("/data/scheduledAt");
    assert!(scheduled.ends_with("+02:00\""), "{scheduled}");
    assert_eq!(instant(&scheduled), instant(&format!("\"{at}\"")));

    // A batch: a rejected entry carries message, reason and error together.
    let batch = json!({"transfers": [
        {"externalId": "B-1", "productId": "PRODUCT_123", "recipientPhone": "+447700900001", "amount": 10, "currency": "GBP"},
        {"externalId": "B-2", "productId": "NOPE", "recipientPhone": "+447700900001", "amount": 10, "currency": "GBP"},
    ]});
    let v = send(milta(&sb, Method::POST, "/transfers/batch").body(batch.to_string())).await;
    assert_eq!(v.status, 200);
    let d = &v.json["data"];
    assert_eq!((d["accepted"].as_u64(), d["rejected"].as_u64()), (Some(1), Some(1)));
    let (ok, no) = (&d["transfers"][0], &d["transfers"][1]);
    assert_eq!(ok["transferId"], ok["id"]);
    assert!(ok["message"].is_null() && ok["code"].is_null());
    assert_eq!(no["status"], "REJECTED");
    assert!(no["transferId"].is_null());
    assert_eq!(no["reason"], no["message"]);
    assert_eq!(no["error"]["message"], no["message"]);
    assert_eq!(
        (no["code"].as_str(), no["error"]["code"].as_str()),
        (Some("PRODUCT_NOT_AVAILABLE"), Some("PRODUCT_NOT_AVAILABLE"))
    );

    // Errors stay errors, successes successes, and validation is the same.
    let bad = r#"{"externalId":"V-3","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":"10","currency":"GBP"}"#;
    let (v, p) = (
        send(milta(&sb, Method::POST, "/transfers").body(bad)).await,
        send(milta(&base, Method::POST, "/transfers").body(bad)).await,
    );
    assert_eq!((v.status, v.json["status"].as_str()), (p.status, Some("error")));
    assert_eq!(
        (v.json["code"].as_str(), v.json["error"]["code"].as_str()),
        (Some("VALIDATION_ERROR"), Some("VALIDATION_ERROR"))
    );
    assert_eq!(v.json["message"], p.json["message"]);
    assert!(v.json["data"].is_null());
    let unauthorised = send(http().get(format!("{}/balance", sb.milta().base_url()))).await;
    assert_eq!(
        (unauthorised.status.as_u16(), unauthorised.json["error"]["code"].as_str()),
        (401, Some("INVALID_API_KEY"))
    );
    let pricing = json!({"productId": "PRODUCT_456", "amount": 5, "currency": "GBP"}).to_string();
    let (v, p) = (
        send(milta(&sb, Method::POST, "/pricing").body(pricing.clone())).await,
        send(milta(&base, Method::POST, "/pricing").body(pricing)).await,
    );
    for field in ["amount", "fee", "total", "exchangeRate", "debitAmount", "minAmount", "maxAmount"] {
        assert_flipped_amount(&v, &p, &format!("/data/{field}"));
    }
}

#[tokio::test]
async fn milta_variants_page_the_reference_lists() {
    let (sb, base) = (with_variants("milta").await, plain().await);
    for (list, id, total) in [
        ("countries", "code", 7u64),
        ("currencies", "code", 6),
        ("categories", "categoryId", 4),
        ("providers", "providerId", 21),
        ("products", "productId", 84),
    ] {
        let whole = send(milta(&base, Method::GET, &format!("/inventories/{list}?page=2&pageSize=2"))).await;
        assert!(whole.json["data"].get("pagination").is_none(), "{list}: plain answers carry no block");
        assert_eq!(items(&whole).len() as u64, total, "{list}: plain answers are whole");

        let odd = send(milta(&sb, Method::GET, &format!("/inventories/{list}?page=1&pageSize=2"))).await;
        assert_eq!(items(&odd).len(), 2, "{list}: paged");
        assert!(odd.json["data"].get("pagination").is_none(), "{list}: odd pages lose the block");
        let even = send(milta(&sb, Method::GET, &format!("/inventories/{list}?page=2&pageSize=2"))).await;
        assert_eq!(items(&even).len(), 2, "{list}");
        let p = &even.json["data"]["pagination"];
        assert_eq!(
            (p["page"].as_u64(), p["pageSize"].as_u64(), p["totalItems"].as_u64(), p["totalPages"].as_u64()),
            (Some(2), Some(2), Some(total), Some(total.div_ceil(2))),
            "{list}: the block is back"
        );
        assert_eq!(items(&even)[0][id], whole.json["data"]["items"][2][id], "{list}: the third item opens page 2");
    }
}

#[tokio::test]
async fn milacoins_serves_aliases_string_amounts_and_other_timestamps() {
    let (sb, base) = (with_variants("milacoins").await, plain().await);
    let get = |sb: &Sandbox, target: &str| send(milacoins(sb, Method::GET, target, ""));

    let (v, p) = (get(&sb, "/transactions?limit=6").await, get(&base, "/transactions?limit=6").await);
    assert_eq!(v.status, 200, "signatures verify as before");
    assert_eq!(v.json["count"], p.json["count"]);
    let formats: Vec<String> = (0..6).map(|i| v.raw_at(&format!("/docs/{i}/createdAt"))).collect();
    assert!(!is_string(&formats[0]), "epoch milliseconds: {}", formats[0]);
    assert!(formats[1].ends_with("+02:00\"") && formats[1].contains('.'), "offset and fraction: {}", formats[1]);
    assert!(formats[2].ends_with(".000000Z\""), "UTC with microseconds: {}", formats[2]);
    for i in 0..6 {
        let doc = format!("/docs/{i}");
        assert_eq!(instant(&v.raw_at(&format!("{doc}/createdAt"))), instant(&p.raw_at(&format!("{doc}/createdAt"))));
        assert_eq!(
            instant(&v.raw_at(&format!("{doc}/updatedAt"))),
            instant(&p.raw_at(&format!("{doc}/createdAt"))),
            "updatedAt beside createdAt"
        );
        let d = &v.json["docs"][i];
        assert_eq!(d["_id"], d["id"]);
        assert_eq!(d["receiptId"], d["receiptID"]);
        assert_eq!(d["externalId"], d["externalID"]);
        assert_eq!(is_string(&v.raw_at(&format!("{doc}/receiptID"))), i % 2 == 0, "receiptID type flips by item");
        assert_eq!(v.raw_at(&format!("{doc}/receiptID")).trim_matches('"'), p.raw_at(&format!("{doc}/receiptID")));
        for field in ["invoiceAmount", "walletCredited", "networkAmountReceived"] {
            assert_flipped_amount(&v, &p, &format!("{doc}/{field}"));
        }
        assert!(d["cancelUrl"].is_null() && d.get("cancelUrl").is_some(), "null, not absent");
        assert_unknown_fields(&v, &doc);
        if p.json["docs"][i]["txs"].as_array().unwrap().is_empty() {
            assert!(d["txs"].is_null(), "an empty list as null");
        }
        if !p.json["docs"][i]["exchangeRate"].is_null() {
            assert_flipped_amount(&v, &p, &format!("{doc}/exchangeRate/rate"));
            assert_unknown_fields(&v, &format!("{doc}/exchangeRate"));
        }
    }
    assert_unknown_fields(&v, "");

    // Error bodies carry requestID and requestId.
    let refused = send(http().get(format!("{}/wallets", sb.milacoins().base_url()))).await;
    assert_eq!((refused.status.as_u16(), refused.json["code"].as_u64()), (403, Some(4304)));
    assert!(refused.json["requestID"].is_string());
    assert_eq!(refused.json["requestId"], refused.json["requestID"]);
    assert_unknown_fields(&refused, "");

    // An invoice: string amount, epoch-millisecond times as ISO strings.
    let body = r#"{"wallet":"EUR","amount":10.50,"currency":"EUR","externalID":"inv-1"}"#;
    let (v, p) = (
        send(milacoins(&sb, Method::POST, "/invoices", body)).await,
        send(milacoins(&base, Method::POST, "/invoices", body)).await,
    );
    assert_eq!((v.status.as_u16(), p.status.as_u16()), (201, 201), "{}", v.json);
    assert_eq!(v.raw_at("/amount"), r#""10.50""#);
    assert_eq!(p.raw_at("/amount"), "10.50");
    for field in ["createdAt", "expiredAt"] {
        let raw = v.raw_at(&format!("/{field}"));
        assert!(is_string(&raw) && raw.ends_with("+02:00\""), "{field}: {raw}");
        assert!(!is_string(&p.raw_at(&format!("/{field}"))));
    }
    let created = instant(&v.raw_at("/createdAt"));
    assert!((created - sb.milacoins().now()).num_seconds().abs() < 60);
    assert_eq!(sb.milacoins().invoices_with_external_id("inv-1"), 1);

    // The log keeps what was sent and answered, in the plain spelling.
    let logs = get(&sb, "/logs?limit=3").await;
    let entry = (0..3).find(|i| logs.json["docs"][i]["uri"] == "/invoices").unwrap();
    assert_eq!(logs.raw_at(&format!("/docs/{entry}/body/amount")), "10.50", "the body as sent");
    assert_eq!(logs.raw_at(&format!("/docs/{entry}/response/amount")), "10.50", "the plain answer");
    assert!(logs.json["docs"][entry]["response"].get("sandboxVariant").is_none());
    assert!(logs.json["docs"][entry]["headers"].get("sandboxVariant").is_none(), "payloads left alone");
    assert_unknown_fields(&logs, &format!("/docs/{entry}/device"));
}

#[tokio::test]
async fn wallets_serve_string_ids_and_amounts_side_by_side_with_numbers() {
    let (sb, base) = (with_variants("wallets").await, plain().await);
    let get = |sb: &Sandbox, path: &str| {
        send(http().get(format!("{}{path}", sb.wallets().base_url())).bearer_auth(sb.wallets().token()))
    };
    let (v, p) = (get(&sb, "/api/v1/wallets?limit=4").await, get(&base, "/api/v1/wallets?limit=4").await);
    assert_eq!(v.status, 200);
    assert_eq!(v.header("x-total-count"), p.header("x-total-count"), "paging headers unchanged");
    for i in 0..4 {
        let item = format!("/{i}");
        let id = v.raw_at(&format!("{item}/id"));
        assert_eq!(is_string(&id), i % 2 == 0, "ids as strings on every other wallet: {id}");
        assert_eq!(id.trim_matches('"'), p.raw_at(&format!("{item}/id")));
        assert_eq!(v.raw_at(&format!("{item}/wallet_id")), id, "both id spellings");
        assert_eq!(is_string(&v.raw_at(&format!("{item}/currency_id"))), i % 2 == 0);
        assert_flipped_amount(&v, &p, &format!("{item}/amount"));
        assert_eq!(v.json[i]["type"], p.json[i]["type"]);
        assert_unknown_fields(&v, &item);
    }
    let (one, plain_one) = (get(&sb, "/api/v1/wallets/101").await, get(&base, "/api/v1/wallets/101").await);
    assert_eq!((one.raw_at("/id"), one.raw_at("/wallet_id")), (r#""101""#.into(), r#""101""#.into()));
    assert_flipped_amount(&one, &plain_one, "/amount");

    let missing = get(&sb, "/api/v1/wallets/99999").await;
    assert_eq!((missing.status.as_u16(), missing.json["error"]["code"].as_str()), (404, Some("NOT_FOUND")));
    assert_eq!(missing.json["message"], missing.json["error"]["message"], "the message at both levels");
    assert_unknown_fields(&missing, "/error");
    let bad = get(&sb, "/api/v1/wallets?limit=0").await;
    assert_eq!(bad.status, 400, "validation unchanged");
}

/// Creates a client, an account and a service; returns (service code,
/// account number, the three answers).
async fn waas_setup(sb: &Sandbox, token: &str) -> (String, String, [Answer; 3]) {
    let client = send(waas(
        sb,
        token,
        "/api/v1/clients",
        &json!({
            "client_name": "Variant", "client_email": "v@example.com", "client_phone_number": "254712345678",
            "contact_person_name": "V", "contact_person_email": "v@example.com",
            "contact_person_msisdn": "254712345678", "business_pin": "1", "country": "KE", "is_active": 1,
        }),
    ))
    .await;
    let code = client.json["client_code"].as_str().unwrap().to_owned();
    let account = json!({
        "client_code": code, "account_type_code": "FLOAT_ACCOUNT", "account_name": "Float",
        "currency": "KES", "minimum_balance": 0, "status": "ACTIVE",
    });
    let account = send(waas(sb, token, "/api/v1/accounts", &account)).await;
    let number = account.raw_at("/account_number").trim_matches('"').to_owned();
    let service = format!(
        r#"{{"client_code":"{code}","client_service_name":"Payout","service_code":"CUSTOM_SERVICE",
            "has_transaction_fee":true,"transaction_fee_type":"FIXED","transaction_fee":0.0,
            "minimum_transaction_amount":1.0,"maximum_transaction_amount":1000.00,"is_active":1}}"#
    );
    let service = send(waas(sb, token, "/api/v1/client-services", &service)).await;
    let service_code = service.json["client_service_code"].as_str().unwrap().to_owned();
    (service_code, number, [client, account, service])
}

#[tokio::test]
async fn waas_serves_numeric_amounts_and_ids_aliases_and_the_documents_repeated_key() {
    let (sb, base) = (with_variants("waas").await, plain().await);
    let login = json!({"username": sb.waas().username(), "password": sb.waas().password()}).to_string();
    let answer = send(http().post(format!("{}/api/v1/auth/login", sb.waas().base_url())).body(login)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json["accessToken"], answer.json["access_token"]);
    assert_eq!((answer.json["tokenType"].as_str(), answer.json["expiresIn"].as_u64()), (Some("Bearer"), Some(3600)));
    assert_eq!(answer.json["expires_in"], 3600);
    assert!(answer.json["refresh_token"].is_null() && answer.json.get("refresh_token").is_some());
    assert_unknown_fields(&answer, "");
    let token = answer.json["access_token"].as_str().unwrap().to_owned();
    let base_token = waas_token(&base).await;

    let (service, account, [client, acct, svc]) = waas_setup(&sb, &token).await;
    let (base_service, base_account, [plain_client, plain_acct, plain_svc]) = waas_setup(&base, &base_token).await;
    assert_eq!((client.status.as_u16(), acct.status.as_u16(), svc.status.as_u16()), (201, 201, 201));
    assert_eq!(client.raw_at("/client_id"), "1", "identifiers as numbers");
    assert_eq!(client.raw_at("/client_phone_number"), r#""254712345678""#, "phone numbers as strings");
    assert_eq!(plain_client.raw_at("/client_phone_number"), "254712345678");
    assert!(client.json["physical_address"].is_null());
    assert_eq!(acct.raw_at("/account_number"), account, "an account number as a number");
    assert_flipped_amount(&acct, &plain_acct, "/minimum_balance");
    assert_eq!(acct.raw_at("/minimum_balance"), "0.0000");
    assert!(acct.raw_at("/created_at").ends_with("+02:00\""), "{}", acct.raw_at("/created_at"));
    let updated = acct.raw_at("/updated_at");
    assert!(updated.ends_with("Z\"") && updated.split('.').nth(1).is_some_and(|f| f.len() == 8), "{updated}");
    assert_eq!(instant(&acct.raw_at("/created_at")), instant(&acct.raw_at("/updated_at")));
    for field in ["transaction_fee", "minimum_transaction_amount", "maximum_transaction_amount"] {
        assert_flipped_amount(&svc, &plain_svc, &format!("/{field}"));
    }
    assert_eq!(svc.raw_at("/maximum_transaction_amount"), r#""1000.00""#);

    let credit = |sb: &Sandbox, token: &str, account: &str, service: &str| {
        let body = format!(
            r#"{{"account_number":"{account}","client_service_code":"{service}","transaction_source":"EXTERNAL",
                "transaction_amount":96,"source_transaction_id":"W-1","source_transaction_data":{{"data":"test","n":1.50}},
                "transaction_narration":"Test","transaction_date":"2024-07-29T12:34:56Z"}}"#
        );
        send(waas(sb, token, "/api/v1/transactions?command=CREDIT", &body))
    };
    let (v, p) =
        (credit(&sb, &token, &account, &service).await, credit(&base, &base_token, &base_account, &base_service).await);
    assert_eq!((v.status.as_u16(), p.status.as_u16()), (201, 201), "{}", v.json);
    for field in ["transaction_amount", "previous_balance", "current_balance"] {
        assert_flipped_amount(&v, &p, &format!("/{field}"));
    }
    assert_eq!(v.raw_at("/transaction_amount"), "96.0000", "a number with the same four places");
    assert!(!is_string(&v.raw_at("/transaction_id")) && !is_string(&v.raw_at("/account")));
    assert_eq!(v.raw_at("/transaction_date"), r#""2024-07-29T14:34:56.000+02:00""#);
    assert_eq!(v.raw_at("/source_transaction_data"), r#"{"data":"test","n":1.50}"#, "echoed data left alone");
    assert_unknown_fields(&v, "");
    assert_eq!(sb.waas().balance(&account), base.waas().balance(&base_account), "the same state");

    // The reversal's destination repeats transaction_id, as the document shows.
    let id = v.raw_at("/transaction_id");
    let reversed = send(waas(&sb, &token, &format!("/api/v1/transactions/{id}?command=REVERSE"), &"{}")).await;
    assert_eq!(reversed.status, 201, "{}", reversed.json);
    let destination = reversed.raw_at("/destination_transaction");
    let repeated = destination.matches(r#""transaction_id":"#).count();
    assert_eq!(repeated, 2, "{destination}");
    let source = reversed.raw_at("/source_transaction");
    assert_eq!(source.matches(r#""transaction_id":"#).count(), 1);
    assert_eq!(raw_at(&destination, "/transaction_amount").unwrap(), "96.0000");
    assert_eq!(raw_at(&destination, "/current_balance").unwrap(), "0.0000", "the settlement account made whole");
    assert_eq!(sb.waas().reversals_of_source_id("W-1"), 1);

    // Errors: statusCode beside status_code; validation unchanged.
    let twice = send(waas(&sb, &token, &format!("/api/v1/transactions/{id}?command=REVERSE"), &"{}")).await;
    assert_eq!((twice.status.as_u16(), twice.json["code"].as_str()), (409, Some("ALREADY_REVERSED")));
    assert_eq!((twice.json["status_code"].as_u64(), twice.json["statusCode"].as_u64()), (Some(409), Some(409)));
    let unauthorised = send(waas(&sb, "nope", "/api/v1/clients", &"{}")).await;
    assert_eq!((unauthorised.status.as_u16(), unauthorised.json["statusCode"].as_u64()), (401, Some(401)));
}

#[tokio::test]
async fn variants_switch_on_and_off_at_run_time() {
    let sb = start().await;
    let get = || send(milta(&sb, Method::GET, "/balance"));
    assert!(get().await.json["data"].get("balance").is_none());
    sb.milta().set_faults(Faults { variants: true, ..Faults::default() });
    assert!(sb.milta().faults().variants);
    let a = get().await;
    assert_eq!(a.json["data"]["balance"], a.json["data"]["amount"]);
    sb.milta().set_faults(Faults::default());
    assert!(get().await.json["data"].get("balance").is_none());
    // Faults and variants together: an injected 429 is re-spelled as well.
    sb.wallets().set_faults(Faults {
        too_many_requests: Some(walletkit_sandbox::Trigger::First),
        variants: true,
        ..Faults::default()
    });
    let limited =
        send(http().get(format!("{}/api/v1/wallets/101", sb.wallets().base_url())).bearer_auth(sb.wallets().token()))
            .await;
    assert_eq!((limited.status.as_u16(), limited.header("retry-after")), (429, Some("1")));
    assert_eq!(limited.json["message"], limited.json["error"]["message"]);
}

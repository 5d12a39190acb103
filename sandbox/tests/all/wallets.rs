//! The Wallets fake over plain HTTP: Bearer auth, header paging, ordering,
//! zero-decimal amounts and the documented error body.

use crate::common;

use common::{http, send, start, start_with};
use serde_json::Value;
use walletkit_sandbox::{Sandbox, SandboxConfig};

fn get(sb: &Sandbox, path: &str) -> reqwest::RequestBuilder {
    http().get(format!("{}{path}", sb.wallets().base_url())).bearer_auth(sb.wallets().token())
}

#[tokio::test]
async fn bearer_token_is_required() {
    let sb = start().await;
    let none = send(http().get(format!("{}/api/v1/wallets", sb.wallets().base_url()))).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.json["error"]["code"], "UNAUTHORIZED");
    assert_eq!(none.json["error"]["name"], "UnauthorizedError");
    let wrong = send(http().get(format!("{}/api/v1/wallets", sb.wallets().base_url())).bearer_auth("nope")).await;
    assert_eq!(wrong.status, 401);
}

#[tokio::test]
async fn listing_pages_through_headers_newest_first() {
    let sb = start().await;
    let first = send(get(&sb, "/api/v1/wallets")).await;
    assert_eq!(first.status, 200);
    let total: usize = first.header("x-total-count").unwrap().parse().unwrap();
    assert!(total >= 200);
    assert_eq!(total, sb.wallets().wallet_count());
    assert_eq!(first.header("x-page"), Some("1"));
    assert_eq!(first.header("x-per-page"), Some("50"));
    assert_eq!(first.header("x-page-size"), Some("50"));
    assert_eq!(first.header("x-has-more"), Some("true"));
    assert_eq!(first.header("x-total-pages").unwrap(), total.div_ceil(50).to_string());

    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let a = send(get(&sb, &format!("/api/v1/wallets?limit=70&page={page}"))).await;
        let items = a.json.as_array().unwrap();
        assert_eq!(a.header("x-page-size").unwrap(), items.len().to_string());
        seen.extend(items.iter().map(|w| w["id"].as_u64().unwrap()));
        if a.header("x-has-more") == Some("false") {
            break;
        }
        page += 1;
    }
    assert_eq!(seen.len(), total);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "sorted by id descending");

    let all = send(get(&sb, "/api/v1/wallets?limit=10000")).await;
    let wallets = all.json.as_array().unwrap();
    assert!(wallets.iter().any(|w| w["type"] == "PREPAID"));
    assert!(wallets.iter().any(|w| w["type"] == "POSTPAID" && w["amount"].to_string().starts_with('-')));
    let keys: Vec<&String> = wallets[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["amount", "currency_id", "id", "name", "type"], "the documented fields, plus name (sorted)");
    let currencies: std::collections::HashSet<u64> =
        wallets.iter().map(|w| w["currency_id"].as_u64().unwrap()).collect();
    assert!(currencies.len() >= 4);
}

#[tokio::test]
async fn filters_and_zero_decimal_currency() {
    let sb = start().await;
    let jpy = send(get(&sb, "/api/v1/wallets?currency=JPY&limit=10000")).await;
    let items = jpy.json.as_array().unwrap();
    assert!(!items.is_empty());
    for i in 0..items.len() {
        let amount = jpy.raw_at(&format!("/{i}/amount"));
        assert!(!amount.contains('.'), "JPY has no fraction: {amount}");
    }
    let usd = send(get(&sb, "/api/v1/wallets?currency=1&limit=10000")).await;
    for (i, w) in usd.json.as_array().unwrap().iter().enumerate() {
        assert_eq!(w["currency_id"], 1);
        let amount = usd.raw_at(&format!("/{i}/amount"));
        assert_eq!(amount.split('.').nth(1).map(str::len), Some(2), "two places: {amount}");
    }
    let named = send(get(&sb, "/api/v1/wallets?name=treasury&limit=10000")).await;
    let named: &Vec<Value> = named.json.as_array().unwrap();
    assert!(!named.is_empty());
    assert!(named.iter().all(|w| w["name"].as_str().unwrap().contains("Treasury")));
}

#[tokio::test]
async fn single_wallet_and_errors() {
    let sb = start().await;
    let one = send(get(&sb, "/api/v1/wallets/101")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json["id"], 101);
    assert_eq!(one.raw_at("/amount"), sb.wallets().balance(101).unwrap().to_string());
    sb.wallets().set_balance(101, common::decimal("12345678901234567.89"));
    let big = send(get(&sb, "/api/v1/wallets/101")).await;
    assert_eq!(big.raw_at("/amount"), "12345678901234567.89", "written exactly, never through f64");
    let missing = send(get(&sb, "/api/v1/wallets/99999")).await;
    assert_eq!((missing.status.as_u16(), &missing.json["error"]["code"]), (404, &Value::from("NOT_FOUND")));
    let bad = send(get(&sb, "/api/v1/wallets/abc")).await;
    assert_eq!((bad.status.as_u16(), &bad.json["error"]["code"]), (400, &Value::from("BAD_REQUEST")));
    for query in ["limit=0", "limit=10001", "page=0", "page=x"] {
        let a = send(get(&sb, &format!("/api/v1/wallets?{query}"))).await;
        assert_eq!(a.status, 400, "{query}");
        assert_eq!(a.json["error"]["name"], "BadRequestError");
    }
}

#[tokio::test]
async fn injected_500s_carry_the_documented_message_of_each_endpoint() {
    let sb = start_with(SandboxConfig::default().with_fault_spec("wallets:5xx-first").unwrap()).await;
    let list = send(get(&sb, "/api/v1/wallets")).await;
    assert_eq!(list.status, 500);
    assert_eq!(list.json["error"]["message"], "Could not retrieve wallets");
    let one = send(get(&sb, "/api/v1/wallets/101")).await;
    assert_eq!(one.status, 500);
    assert_eq!(one.json["error"]["name"], "InternalServerError");
    assert_eq!(one.json["error"]["code"], "INTERNAL_SERVER_ERROR");
    assert_eq!(one.json["error"]["message"], "Failed to retrieve wallet");
}

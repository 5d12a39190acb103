//! The MilaCoins fake over plain HTTP: signatures, the time window, paging,
//! filters, invoices and payment pages (and the hosted page), logs,
//! documented error codes and the callbacks of ended invoices.

use crate::common;

use common::{http, milacoins, milacoins_at, milacoins_sig, send, start, start_with};
use reqwest::Method;
use serde_json::json;
use walletkit_sandbox::{CallbackCall, CallbackMethod, InvoiceEnd, SandboxConfig};

#[tokio::test]
async fn a_signed_request_is_accepted_and_a_tampered_one_rejected() {
    let sb = start().await;
    let ok = send(milacoins(&sb, Method::GET, "/transactions?from=2024-1-1&to=2024-12-31&limit=5", "")).await;
    assert_eq!(ok.status, 200, "{}", ok.json);

    // Signed for one query, sent with another.
    let mc = sb.milacoins();
    let time = chrono::Utc::now().timestamp().to_string();
    let sig = milacoins_sig(mc.secret_key(), &time, "GET", "/transactions?limit=5", b"");
    let tampered = http()
        .get(format!("{}/transactions?limit=6", mc.base_url()))
        .header("X-api-key", mc.api_key())
        .header("X-time", &time)
        .header("X-Sig", &sig);
    let a = send(tampered).await;
    assert_eq!(a.status, 403);
    assert_eq!((a.json["code"].as_u64(), a.json["name"].as_str()), (Some(4304), Some("FAIL_TO_AUTH")));
    assert!(a.json["requestID"].is_string());

    // A body changed after signing.
    let body = r#"{"wallet":"EUR","amount":10,"currency":"EUR"}"#;
    let sig = milacoins_sig(mc.secret_key(), &time, "POST", "/invoices", body.as_bytes());
    let changed = http()
        .post(format!("{}/invoices", mc.base_url()))
        .header("X-api-key", mc.api_key())
        .header("X-time", &time)
        .header("X-Sig", &sig)
        .body(body.replace("10", "1000"));
    assert_eq!(send(changed).await.json["code"], 4304);
    assert!(mc.invoices().is_empty());

    // Wrong key.
    let wrong = http().get(format!("{}/currencies", mc.base_url())).header("X-api-key", "nope");
    assert_eq!(send(wrong).await.json["code"], 4304);
}

#[tokio::test]
async fn stale_x_time_gets_4303_with_the_server_date() {
    let mut config = SandboxConfig::default();
    config.milacoins.clock_skew_secs = 120;
    let sb = start_with(config).await;
    let now = chrono::Utc::now().timestamp();
    let stale = send(milacoins_at(&sb, Method::GET, "/currencies", "", now)).await;
    assert_eq!(stale.status, 403);
    assert_eq!((stale.json["code"].as_u64(), stale.json["name"].as_str()), (Some(4303), Some("INVALID_TIME")));
    let date = httpdate::parse_http_date(stale.header("date").unwrap()).unwrap();
    let server = chrono::DateTime::<chrono::Utc>::from(date).timestamp();
    assert!((server - now - 120).abs() <= 2, "Date carries the server clock");
    let fixed = send(milacoins_at(&sb, Method::GET, "/currencies", "", server)).await;
    assert_eq!(fixed.status, 200);
    assert_eq!(fixed.json["currencies"].as_array().unwrap().len(), 12);
    // Within 30 s is fine; beyond is not.
    assert_eq!(send(milacoins_at(&sb, Method::GET, "/wallets", "", server - 25)).await.status, 200);
    assert_eq!(send(milacoins_at(&sb, Method::GET, "/wallets", "", server - 40)).await.status, 403);
}

#[tokio::test]
async fn transactions_page_and_filter() {
    let sb = start().await;
    let all = send(milacoins(&sb, Method::GET, "/transactions?limit=500&page=1", "")).await;
    let count = all.json["count"].as_u64().unwrap();
    assert!(count >= 1000, "{count}");
    assert_eq!((all.json["limit"].as_u64(), all.json["skip"].as_u64()), (Some(500), Some(0)));
    assert_eq!(all.json["docs"].as_array().unwrap().len(), 500);
    let last_page = count.div_ceil(500);
    let last = send(milacoins(&sb, Method::GET, &format!("/transactions?limit=500&page={last_page}"), "")).await;
    assert_eq!(last.json["skip"].as_u64(), Some((last_page - 1) * 500));
    assert_eq!(last.json["docs"].as_array().unwrap().len() as u64, count - (last_page - 1) * 500);
    let beyond =
        send(milacoins(&sb, Method::GET, &format!("/transactions?limit=500&page={}", last_page + 1), "")).await;
    assert!(beyond.json["docs"].as_array().unwrap().is_empty());

    let statuses: std::collections::HashSet<String> =
        all.json["docs"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap().to_owned()).collect();
    assert!(statuses.len() >= 6, "mixed statuses: {statuses:?}");

    let some = send(milacoins(&sb, Method::GET, "/transactions?status=new,completed&wallet=EUR&limit=500", "")).await;
    let docs = some.json["docs"].as_array().unwrap();
    assert!(!docs.is_empty());
    assert!(docs.iter().all(|d| (d["status"] == "new" || d["status"] == "completed") && d["wallet"] == "EUR"));

    let ranged = send(milacoins(&sb, Method::GET, "/transactions?from=2024-3-1&to=2024-3-31&limit=500", "")).await;
    let docs = ranged.json["docs"].as_array().unwrap();
    assert!(!docs.is_empty());
    assert!(docs.iter().all(|d| d["createdAt"].as_str().unwrap().starts_with("2024-03")));

    let over = send(milacoins(&sb, Method::GET, "/transactions?limit=501", "")).await;
    assert!(over.status.is_client_error());
    let bad_status = send(milacoins(&sb, Method::GET, "/transactions?status=lost", "")).await;
    assert_eq!(bad_status.json["code"], 1005);
    let bad_wallet = send(milacoins(&sb, Method::GET, "/transactions?wallet=XXX", "")).await;
    assert_eq!(bad_wallet.json["code"], 1006);
    let missing = send(milacoins(&sb, Method::GET, "/transactions/000000000000000000000000", "")).await;
    assert_eq!((missing.status.as_u16(), missing.json["code"].as_u64()), (404, Some(1604)));
}

#[tokio::test]
async fn invoices_and_payment_pages_become_transactions() {
    let sb = start().await;
    let body = r#"{"wallet":"EUR","amount":10.5,"currency":"EUR","externalID":"order-A"}"#;
    let inv = send(milacoins(&sb, Method::POST, "/invoices", body)).await;
    assert!(inv.status.is_success(), "{}", inv.json);
    assert_eq!(inv.json["amount"].to_string(), "10.5");
    assert!(inv.json["createdAt"].is_number() && inv.json["expiredAt"].is_number());
    let id = inv.json["id"].as_str().unwrap();
    let txn = send(milacoins(&sb, Method::GET, &format!("/transactions/{id}"), "")).await;
    assert_eq!(txn.status, 200);
    assert_eq!((txn.json["externalID"].as_str(), txn.json["type"].as_str()), (Some("order-A"), Some("invoice")));
    let by_ref = send(milacoins(&sb, Method::GET, "/transactions?externalID=order-A", "")).await;
    assert_eq!(by_ref.json["count"], 1);

    let page = json!({
        "wallet": "USD", "amount": 25, "currency": "USD", "externalID": "order-B",
        "cancelUrl": "https://shop.example/cancel?invoice={INVOICE_ID}&ref={EXTERNAL_ID}",
        "completedUrl": "https://shop.example/done/{INVOICE_ID}",
        "callbackUrl": "https://shop.example/hook/{EVENT}/{INVOICE_ID}/{EXTERNAL_ID}",
        "customerEmail": "a@example.com", "customerFirstName": "Ada", "customerLastName": "L",
    })
    .to_string();
    let created = send(milacoins(&sb, Method::POST, "/invoices/payment-page", &page)).await;
    assert!(created.status.is_success(), "{}", created.json);
    let stored = sb.milacoins().invoices().into_iter().find(|i| i.external_id.as_deref() == Some("order-B")).unwrap();
    assert_eq!(stored.kind, "paymentPage");
    assert_eq!(
        stored.cancel_url.as_deref(),
        Some("https://shop.example/cancel?invoice={INVOICE_ID}&ref={EXTERNAL_ID}")
    );
    assert_eq!(stored.callback_url.as_deref(), Some("https://shop.example/hook/{EVENT}/{INVOICE_ID}/{EXTERNAL_ID}"));
    let txn = send(milacoins(&sb, Method::GET, &format!("/transactions/{}", stored.id), "")).await;
    assert_eq!(txn.json["customer"]["firstName"], "Ada");
    assert_eq!(sb.milacoins().invoices_with_external_id("order-B"), 1);
}

#[tokio::test]
async fn invoice_validation_uses_documented_codes() {
    let sb = start().await;
    let cases = [
        (r#"{"amount":10,"currency":"EUR"}"#, 1003),
        (r#"{"wallet":"EUR","amount":"10","currency":"EUR"}"#, 1001),
        (r#"{"wallet":"DOGE","amount":10,"currency":"EUR"}"#, 1006),
        (r#"{"wallet":"EUR","amount":10,"currency":"XYZ"}"#, 1007),
        (r#"{"wallet":"EUR","amount":10,"currency":"EUR","colour":"red"}"#, 1002),
    ];
    for (body, code) in cases {
        let a = send(milacoins(&sb, Method::POST, "/invoices", body)).await;
        assert_eq!(a.status, 401, "{body}: {}", a.json);
        assert_eq!(a.json["code"], code, "{body}: {}", a.json);
        assert!(a.json["requestID"].is_string() && a.json["message"].is_string());
    }
    let page = r#"{"wallet":"EUR","amount":10,"currency":"EUR"}"#;
    let a = send(milacoins(&sb, Method::POST, "/invoices/payment-page", page)).await;
    assert_eq!(a.json["code"], 1003, "cancelUrl is required");
    assert!(sb.milacoins().invoices().is_empty());
}

#[tokio::test]
async fn every_request_is_logged() {
    let sb = start().await;
    send(milacoins(&sb, Method::GET, "/currencies", "")).await;
    let refused = send(http().get(format!("{}/wallets", sb.milacoins().base_url()))).await;
    let logs = send(milacoins(&sb, Method::GET, "/logs?limit=10&page=1", "")).await;
    assert_eq!(logs.status, 200);
    assert_eq!(logs.json["count"], 2);
    let docs = logs.json["docs"].as_array().unwrap();
    assert_eq!(docs[0]["uri"], "/wallets", "newest first");
    assert_eq!(docs[0]["status"], 403);
    assert_eq!(docs[0]["id"], refused.json["requestID"], "log id is the error's requestID");
    assert_eq!(docs[0]["headers"].get("x-sig"), None, "no signature sent, none logged");
    assert_eq!(docs[1]["uri"], "/currencies");
    assert_eq!(docs[1]["response"]["currencies"][0], "AED");
    let id = docs[1]["id"].as_str().unwrap();
    let one = send(milacoins(&sb, Method::GET, &format!("/logs/{id}"), "")).await;
    assert_eq!(one.json["method"], "GET");
    let missing = send(milacoins(&sb, Method::GET, "/logs/nope", "")).await;
    assert_eq!(missing.json["code"], 1604);
    assert!(sb.milacoins().log_count() >= 5);
}

#[tokio::test]
async fn amounts_are_read_and_written_exactly() {
    let sb = start().await;
    let body = r#"{"wallet":"EUR","amount":12345678901234567.89,"currency":"EUR","externalID":"big"}"#;
    let inv = send(milacoins(&sb, Method::POST, "/invoices", body)).await;
    assert!(inv.status.is_success(), "{}", inv.json);
    assert_eq!(inv.raw_at("/amount"), "12345678901234567.89");
    assert_eq!(sb.milacoins().invoices()[0].amount, common::decimal("12345678901234567.89"));
    let id = inv.json["id"].as_str().unwrap();
    let txn = send(milacoins(&sb, Method::GET, &format!("/transactions/{id}"), "")).await;
    assert_eq!(txn.raw_at("/invoiceAmount"), "12345678901234567.89");

    let tiny = r#"{"wallet":"EUR","amount":0.123456789012345678,"currency":"EUR"}"#;
    let refused = send(milacoins(&sb, Method::POST, "/invoices", tiny)).await;
    assert_eq!(refused.json["code"], 1602, "more than 8 places: {}", refused.json);
    assert!(refused.json["message"].as_str().unwrap().contains("0.123456789012345678"), "read exactly");

    let logs = send(milacoins(&sb, Method::GET, "/logs?limit=5", "")).await;
    let logged: Vec<String> = (0..3).map(|i| logs.raw_at(&format!("/docs/{i}/body"))).collect();
    assert!(logged.iter().any(|b| b.contains("12345678901234567.89")), "logged bodies keep their digits: {logged:?}");
    assert_eq!(logs.json["docs"][1]["params"], json!({"id": id}), "URL parameters as the document names them");
}

/// The `url` an invoice is created with is the hosted page a browser opens,
/// without X-headers: it answers with HTML naming the invoice, not 403.
#[tokio::test]
async fn the_payment_page_url_serves_a_page_naming_the_invoice() {
    let sb = start().await;
    let page = json!({
        "wallet": "USD", "amount": 25.5, "currency": "USD", "externalID": "order-<b>&",
        "cancelUrl": "https://shop.example/cancel", "completedUrl": "https://shop.example/done",
        "customerFirstName": "Ada", "customerLastName": "L",
    })
    .to_string();
    let created = send(milacoins(&sb, Method::POST, "/invoices/payment-page", &page)).await;
    assert!(created.status.is_success(), "{}", created.json);
    let (id, url) = (created.json["id"].as_str().unwrap(), created.json["url"].as_str().unwrap());
    assert_eq!(url, format!("{}/pay/{id}", sb.milacoins().base_url()));
    let logged = sb.milacoins().log_count();

    let shown = http().get(url).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    assert_eq!(shown.headers()["content-type"], "text/html; charset=utf-8");
    let html = shown.text().await.unwrap();
    for expected in [id, "25.5 USD", "<title>Pay 25.5 USD</title>", "order-&lt;b&gt;&amp;", "Ada L", "init"] {
        assert!(html.contains(expected), "{expected:?} missing from {html}");
    }
    assert!(!html.contains("order-<b>"), "values are escaped: {html}");
    assert_eq!(sb.milacoins().log_count(), logged, "the page is not an API request");

    // A plain invoice has a page too; an unknown one is a 404 page.
    let body = r#"{"wallet":"EUR","amount":10,"currency":"EUR"}"#;
    let invoice = send(milacoins(&sb, Method::POST, "/invoices", body)).await;
    let shown = http().get(invoice.json["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    assert!(shown.text().await.unwrap().contains("10 EUR"));
    let missing = http().get(format!("{}/pay/nope<", sb.milacoins().base_url())).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["content-type"], "text/html; charset=utf-8");
    assert!(missing.text().await.unwrap().contains("No invoice nope&lt;"));
    // Only the page is open: the API still wants its X-headers.
    let refused = send(http().get(format!("{}/transactions/{id}", sb.milacoins().base_url()))).await;
    assert_eq!((refused.status.as_u16(), refused.json["code"].as_u64()), (403, Some(4304)));
}

/// What a merchant's receiver saw: method, target, content type, body.
pub(crate) type Seen = (String, String, Option<String>, String);

/// A receiver mounted for GET and POST that records each call.
pub(crate) async fn receiver() -> (String, tokio::sync::mpsc::UnboundedReceiver<Seen>) {
    use axum::body::Bytes;
    use axum::http::{HeaderMap, Method as M, Uri};
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let record = move |method: M, uri: Uri, headers: HeaderMap, body: Bytes| {
        let tx = tx.clone();
        async move {
            let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let _ = tx.send((method.to_string(), uri.to_string(), content_type, String::from_utf8_lossy(&body).into()));
            "ok"
        }
    };
    let app = axum::Router::new().route("/hook", axum::routing::get(record.clone()).post(record));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (endpoint, rx)
}

/// Creates a payment page calling back `endpoint` and ends it.
async fn end_page(sb: &walletkit_sandbox::Sandbox, endpoint: &str, end: InvoiceEnd) -> CallbackCall {
    let page = json!({
        "wallet": "EUR", "amount": 3, "currency": "EUR", "externalID": "order C",
        "cancelUrl": "https://shop.example/cancel", "completedUrl": "https://shop.example/done",
        "callbackUrl": format!("{endpoint}?event={{EVENT}}&invoice={{INVOICE_ID}}&external={{EXTERNAL_ID}}"),
    })
    .to_string();
    let created = send(milacoins(sb, Method::POST, "/invoices/payment-page", &page)).await;
    let id = created.json["id"].as_str().unwrap();
    sb.milacoins().end_invoice(id, end).await.unwrap().expect("a callback was made")
}

#[tokio::test]
async fn callbacks_are_a_get_by_default_and_a_post_when_configured() {
    let (endpoint, mut seen) = receiver().await;
    let sb = start().await;
    let call = end_page(&sb, &endpoint, InvoiceEnd::Complete).await;
    assert_eq!((call.method, call.status), (CallbackMethod::Get, 200));
    let id = &sb.milacoins().invoices()[0].id;
    let (method, target, content_type, body) = seen.recv().await.unwrap();
    assert_eq!(method, "GET");
    assert_eq!(target, format!("/hook?event=complete&invoice={id}&external=order%20C"));
    assert_eq!((content_type, body), (None, String::new()));

    let mut config = SandboxConfig::default();
    config.milacoins.callback_method = CallbackMethod::Post;
    let sb = start_with(config).await;
    let call = end_page(&sb, &endpoint, InvoiceEnd::Cancel).await;
    assert_eq!((call.method, call.status), (CallbackMethod::Post, 200));
    let id = &sb.milacoins().invoices()[0].id;
    let (method, target, content_type, body) = seen.recv().await.unwrap();
    assert_eq!(method, "POST");
    assert_eq!(target, format!("/hook?event=cancel&invoice={id}&external=order%20C"), "the same URL");
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body, json!({"event": "cancel", "invoiceID": id, "externalID": "order C"}));
}

/// A receiver mounted for POST only answers the document's GET with 405,
/// and the call says so.
#[tokio::test]
async fn a_post_only_route_shows_as_a_405_on_the_call() {
    let app = axum::Router::new().route("/hook", axum::routing::post(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let sb = start().await;
    let call = end_page(&sb, &endpoint, InvoiceEnd::Complete).await;
    assert_eq!((call.method, call.status), (CallbackMethod::Get, 405));
}

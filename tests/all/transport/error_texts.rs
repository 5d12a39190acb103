//! Issue 24, item 2: every error a service may log or return is one short
//! sentence that says what happened and what to do, and holds no reference
//! (idempotency key, externalId, transfer id), no URL, no query and no
//! secret: those are fields. Each error here comes from a real failure
//! against wiremock (or a closed port), one per variant and per provider's
//! money call, with references, secrets and server texts chosen to leak.

use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use walletkit::milacoins::{CancelUrl, CompletedUrl, InvoiceRequest, MilaCoinsClient, PaymentPageRequest, WalletName};
use walletkit::milta::{rate_class, ExternalId, MiltaClient, PhoneNumber, ProductId, TransferId, TransferRequest};
use walletkit::waas::{
    AccountNumber, AccountTransferRequest, AccountTransferRequired, ClientServiceCode, SourceTransactionId,
    TransactionId, TransactionRequest, TransactionSource, WaasClient,
};
use walletkit::wallets::{WalletId, WalletsClient};
use walletkit::{CallOptions, Decimal, Error, ErrorKind, Provider, Rate, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The client's secrets: none may show in any error.
const SECRETS: [&str; 5] = ["ks-SECRET-milta", "ms-SECRET-mila", "bt-SECRET-wallets", "pw-SECRET-waas", "tok-SECRET-9"];
/// The call's references: fields, never in `Display`.
const REFERENCES: [&str; 6] = ["IDEM-KEY-4242", "TXN-REF-1", "ORDER-REF-2", "SRC-REF-3", "T-REF-77", "7607"];

/// The rules every `Display` keeps.
fn assert_sentence(what: &str, err: &Error) {
    let text = err.to_string();
    let fail = |why: &str| panic!("{what}: {why}: {text:?}\n{err:?}");
    if text.chars().count() >= 200 {
        fail("200 characters or more");
    }
    if text.contains(['\n', '\r']) {
        fail("more than one line");
    }
    if text.contains('?') {
        fail("a query or question mark");
    }
    // "HTTP" as a word may appear ("plain HTTP is refused"); a scheme may not.
    if text.contains("http") || text.contains("://") {
        fail("a URL");
    }
    if !text.ends_with('.') || text.contains(". ") {
        fail("not one sentence ending with a period");
    }
    for secret in SECRETS {
        if text.contains(secret) || format!("{err:?}").contains(secret) {
            fail(&format!("the secret {secret}"));
        }
    }
    for reference in REFERENCES {
        if text.contains(reference) {
            fail(&format!("the reference {reference}"));
        }
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(2))
}

fn milta(server: &MockServer) -> MiltaClient {
    MiltaClient::builder()
        .base_url(format!("{}/api/v1/partner", server.uri()))
        .credentials("kid-milta", SECRETS[0])
        .retry_policy(fast())
        .attempt_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap()
}

fn mila(server: &MockServer) -> MilaCoinsClient {
    MilaCoinsClient::builder()
        .base_url(server.uri())
        .credentials("mk-mila", SECRETS[1])
        .retry_policy(fast())
        .attempt_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap()
}

async fn waas(server: &MockServer) -> WaasClient {
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": SECRETS[4], "expires_in": 3600})))
        .mount(server)
        .await;
    let waas = WaasClient::builder()
        .base_url(server.uri())
        .credentials("ops", SECRETS[3])
        .retry_policy(fast())
        .attempt_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    waas.login().await.unwrap();
    waas
}

fn transfer() -> TransferRequest {
    TransferRequest::new(
        ExternalId::from(REFERENCES[1]),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::TEN,
        "GBP",
    )
}

/// An answer that never comes within the clients' 200 ms attempt timeout.
fn too_slow() -> ResponseTemplate {
    ResponseTemplate::new(200).set_delay(Duration::from_secs(3))
}

#[tokio::test]
async fn every_error_display_is_one_short_sentence_without_references_urls_or_secrets() {
    let mut errors: Vec<(&str, Error)> = Vec::new();

    // Milta: an API error whose message holds a URL with a query, a
    // question, a second sentence and a secret echoed back.
    let server = MockServer::start().await;
    let message =
        format!("Account balance too low? See https://partner.milta.be/topup?key={} for help. Then retry.", SECRETS[0]);
    Mock::given(method("POST"))
        .and(path("/api/v1/partner/transfers"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"status": "error", "code": "INSUFFICIENT_FUNDS", "message": message})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/partner/balance"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "https://evil.example/steal?token=abc"))
        .mount(&server)
        .await;
    let m = milta(&server);
    let err = m.transfers().create_with_key(&transfer(), REFERENCES[0]).await.unwrap_err();
    let api = err.as_api().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((api.kind, api.code.as_deref()), (ErrorKind::InsufficientFunds, Some("INSUFFICIENT_FUNDS")));
    assert!(api.message.contains("partner.milta.be/topup") && api.message.contains("Then retry"), "kept: {api:?}");
    assert_eq!(err.to_string(), "milta answered status 400 (INSUFFICIENT_FUNDS); add funds, then try again.");
    errors.push(("milta api", err));
    let err = m.account().balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Redirect);
    errors.push(("milta redirect", err));

    // Milta: a 429 asking for a longer wait than walletkit sleeps.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let err = milta(&server).transfers().get(&TransferId::from(REFERENCES[4])).await.unwrap_err();
    assert_eq!((err.kind(), err.retry_after()), (ErrorKind::RateLimited, Some(Duration::from_secs(3600))));
    assert!(err.to_string().contains("wait 3600 s, then try again"), "{err}");
    errors.push(("milta rate limited", err));

    // Milta: the money calls' unknown outcomes (a 502 on every attempt) and
    // an accepted answer that cannot be read.
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let m = milta(&server);
    let err = m.transfers().create_with_key(&transfer(), REFERENCES[0]).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(unknown.sent.idempotency_key.as_deref(), Some(REFERENCES[0]), "the key is a field");
    assert_eq!(unknown.sent.reference, Some(("externalId".into(), REFERENCES[1].into())));
    assert!(err.to_string().contains("send it again unchanged within 24 h"), "{err}");
    errors.push(("milta create unknown", err));
    let err = m.transfers().batch(&[transfer()]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err:?}");
    errors.push(("milta batch unknown", err));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw(r#"{"status":"success","data":{"tra"#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = milta(&server).transfers().create_with_key(&transfer(), REFERENCES[0]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AcceptedUnreadable, "{err:?}");
    errors.push(("milta accepted unreadable", err));

    // MilaCoins: an API error with a long message, and both invoice calls'
    // unknown outcomes (the answer never comes), with and without externalID.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "requestID": "62d956eda0a3bf0730f5fd18", "name": "DOCUMENT_NOT_FOUND", "code": 1604,
            "message": format!("No Document found with that ID (id:{}) {}", REFERENCES[4], "x".repeat(600)),
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(too_slow()).mount(&server).await;
    let c = mila(&server);
    let err = c.reference().wallets().await.unwrap_err();
    assert_eq!(err.as_api().and_then(|a| a.request_id.as_deref()), Some("62d956eda0a3bf0730f5fd18"));
    errors.push(("milacoins api", err));
    let invoice = InvoiceRequest::new(WalletName::from("BTC"), Decimal::ONE, "EUR");
    let err = c.invoices().create(&invoice.clone().external_id(REFERENCES[2])).await.unwrap_err();
    assert!(err.to_string().contains("transactions().find_by_external_id"), "{err}");
    errors.push(("milacoins invoice unknown", err));
    let err = c.invoices().create(&invoice).await.unwrap_err();
    assert!(err.to_string().contains("a person checks recent transactions"), "{err}");
    errors.push(("milacoins invoice unknown without externalID", err));
    let page = PaymentPageRequest::new(
        WalletName::from("BTC"),
        Decimal::ONE,
        "EUR",
        CancelUrl::from("https://shop.example/cancel?order=1"),
        CompletedUrl::from("https://shop.example/done?order=1"),
    )
    .external_id(REFERENCES[2]);
    let err = c.invoices().create_payment_page(&page).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err:?}");
    errors.push(("milacoins payment page unknown", err));

    // Wallets: an API error, an unreadable answer to a read, and a read
    // whose answer never comes.
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/wallets/1")).respond_with(ResponseTemplate::new(401).set_body_json(json!(
        {"error": {"name": "UnauthorizedError", "code": "UNAUTHORIZED", "message": format!("token {} expired", SECRETS[2])}}
    )))
    .mount(&server)
    .await;
    Mock::given(path("/api/v1/wallets/2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id":2,"amount":"#, "application/json"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/wallets/3")).respond_with(too_slow()).mount(&server).await;
    let w = WalletsClient::builder()
        .base_url(server.uri())
        .token(SECRETS[2])
        .retry_policy(RetryPolicy::none())
        .attempt_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    errors.push(("wallets api", w.wallets().get(&WalletId::from(1)).await.unwrap_err()));
    let err = w.wallets().get(&WalletId::from(2)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err:?}");
    errors.push(("wallets decode", err));
    let err = w.wallets().get(&WalletId::from(3)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err:?}");
    errors.push(("wallets timeout", err));

    // WaaS: every money call's unknown outcome (a 502), and a duplicate.
    let server = MockServer::start().await;
    let c = waas(&server).await;
    Mock::given(method("POST"))
        .and(path("/api/v1/transactions"))
        .respond_with(
            ResponseTemplate::new(409)
                .set_body_json(json!({"error": format!("duplicate source_transaction_id {}", REFERENCES[3])})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let entry = TransactionRequest::new(
        AccountNumber::from("10000110"),
        ClientServiceCode::from("PAY1CNAELX"),
        TransactionSource::External,
        Decimal::TEN,
        SourceTransactionId::from(REFERENCES[3]),
        Utc::now(),
    );
    let err = c.transactions().credit(&entry).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Duplicate, "{err:?}");
    errors.push(("waas duplicate", err));
    errors.push(("waas credit unknown", c.transactions().credit(&entry).await.unwrap_err()));
    errors.push(("waas debit unknown", c.transactions().debit(&entry).await.unwrap_err()));
    let moved = AccountTransferRequest::new(AccountTransferRequired {
        source_account_number: AccountNumber::from("10000110"),
        destination_account_number: AccountNumber::from("10000095"),
        client_service_code: ClientServiceCode::from("PAY1CNAELX"),
        transaction_amount: Decimal::TEN,
        source_transaction_id: SourceTransactionId::from(REFERENCES[3]),
        transaction_source: TransactionSource::Internal,
        transaction_date: Utc::now(),
    });
    errors.push(("waas transfer unknown", c.account_transfers().create(&moved).await.unwrap_err()));
    let err = c.transactions().reverse(&TransactionId::from(REFERENCES[5])).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(
        (unknown.sent.path.as_str(), unknown.sent.route.as_str()),
        ("/api/v1/transactions/7607", "/api/v1/transactions/{id}"),
        "the id is in the path field, the sentence names the route"
    );
    errors.push(("waas reverse unknown", err));
    for (what, err) in &errors[errors.len() - 4..] {
        assert!(err.to_string().contains("no read is documented, so a person checks it"), "{what}: {err}");
    }

    // Nothing listening: a connect error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let err = WalletsClient::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .token(SECRETS[2])
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .wallets()
        .get(&WalletId::from(1))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect, "{err:?}");
    errors.push(("connect", err));

    // The client-side rate limit would hold the call past its deadline.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "data": {"amount": 1, "currency": "GBP"}
        })))
        .mount(&server)
        .await;
    let limited = MiltaClient::builder()
        .base_url(format!("{}/api/v1/partner", server.uri()))
        .credentials("kid-milta", SECRETS[0])
        .rate_limit(rate_class::BALANCE, Some(Rate::per_minute(1)))
        .build()
        .unwrap()
        .with_call_options(CallOptions::new().deadline(Some(Duration::from_millis(50))));
    limited.account().balance().await.unwrap();
    let err = limited.account().balance().await.unwrap_err();
    assert!(matches!(err, Error::LocalRateLimit { .. }), "{err:?}");
    errors.push(("local rate limit", err));

    // A listing cut short by its page bound while its pages are still full.
    let server = MockServer::start().await;
    let items: Vec<_> = (0..20).map(|n| json!({"productId": format!("P-{n}")})).collect();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "data": {"items": items, "pagination": {"page": 1, "pageSize": 20, "totalItems": 100, "totalPages": 5}}
        })))
        .mount(&server)
        .await;
    let mut stream = milta(&server).inventories().products().max_pages(1).stream();
    let err = loop {
        match futures_util::TryStreamExt::try_next(&mut stream).await {
            Ok(Some(_)) => {}
            Ok(None) => panic!("the listing ended without an error"),
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), ErrorKind::ListingCutShort, "{err:?}");
    errors.push(("listing cut short", err));

    // A callback the API contradicts.
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/transactions/INV-1")).respond_with(ResponseTemplate::new(200).set_body_json(
        json!({"id": "INV-1", "status": "completed", "invoiceAmount": 1, "invoiceCurrency": "EUR", "externalID": "OTHER"}),
    ))
    .mount(&server)
    .await;
    let arrived = http::Request::get(format!("/hook?event=complete&invoice=INV-1&external={}", REFERENCES[2]))
        .body(bytes::Bytes::new())
        .unwrap();
    let callback = walletkit::milacoins::parse_callback(&arrived).unwrap();
    let err = mila(&server).confirm(&callback).await.unwrap_err();
    let mismatch = err.as_callback_mismatch().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((mismatch.callback.as_str(), mismatch.fetched.as_deref()), (REFERENCES[2], Some("OTHER")));
    errors.push(("callback mismatch", err));

    // Refused before sending: an id with a query in it, too many transfers,
    // a resend of another transfer under an unknown outcome's key.
    let server = MockServer::start().await;
    let m = milta(&server);
    let err = m.transfers().get(&TransferId::from("T-REF-77?secret=1")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    errors.push(("hostile id", err));
    let err = m.transfers().batch(&vec![transfer(); 101]).await.unwrap_err();
    errors.push(("batch over 100", err));
    let mut unknown = walletkit::OutcomeUnknown::new(Provider::Milta, "POST", "/transfers", "no answer");
    unknown.sent.idempotency_key = Some(REFERENCES[0].into());
    unknown.sent.reference = Some(("externalId".into(), REFERENCES[1].into()));
    let err = m.transfers().resend(&transfer(), &unknown).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    errors.push(("resend without a recorded body", err));
    unknown.sent.first_sent_at -= Duration::from_secs(25 * 3600);
    let err = m.transfers().resend(&transfer(), &unknown).await.unwrap_err();
    assert!(err.to_string().contains("a person checks it"), "{err}");
    errors.push(("resend after 24 h", err));
    let err = m.transfers().create_with_key(&transfer(), "a key with spaces").await.unwrap_err();
    errors.push(("bad idempotency key", err));

    // Configuration: missing credentials, plain HTTP to a remote host, a
    // base URL that is not one (each with a secret in its query).
    errors.push(("missing credentials", MiltaClient::builder().build().unwrap_err()));
    let err = WalletsClient::builder()
        .base_url(format!("http://wallets.example.com/api?token={}", SECRETS[2]))
        .token(SECRETS[2])
        .build()
        .unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("plain HTTP")), "{err:?}");
    errors.push(("plain http", err));
    let err = WalletsClient::builder()
        .base_url(format!("::not a url?token={}", SECRETS[2]))
        .token(SECRETS[2])
        .build()
        .unwrap_err();
    errors.push(("not a url", err));

    // Kinds the crate returns, every one covered.
    let kinds: std::collections::HashSet<_> = errors.iter().map(|(_, e)| std::mem::discriminant(e)).collect();
    assert_eq!(kinds.len(), 11, "every variant but the Redis limiter's (below) is here");
    for (what, err) in &errors {
        assert_sentence(what, err);
    }

    // A shared limiter that cannot be asked says so with Redis's own error,
    // which may hold its URL: built here, as no Redis runs in this test.
    let err = Error::RateLimiterUnavailable {
        provider: Provider::Milta,
        message: "redis://10.0.0.5:6379/?db=1: Connection refused (os error 111)".into(),
    };
    assert_sentence("rate limiter unavailable", &err);
    assert_eq!(
        err.to_string(),
        "milta: not sent, as the shared rate limiter is unavailable (Connection refused (os error 111)); try again \
         later."
    );
}

//! What a hostile or broken server may answer, and what a careless caller
//! may ask: nesting far past any real answer, numbers no clock holds,
//! redirects and credential errors that do not prove nothing was done.
//! The worst any of them may do is fail its own call: a panic or a stack
//! overflow would take the whole process (and this test binary) down.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use walletkit::milacoins::{parse_callback, parse_callback_parts, InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferId, TransferRequest};
use walletkit::waas::{
    AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource, WaasClient,
};
use walletkit::wallets::{WalletId, WalletsClient};
use walletkit::{AttemptHook, AttemptInfo, AttemptReport, Decimal, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Deeper than serde_json's recursion limit (128) many times over.
const DEEP: usize = 5_000;

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5)).max_retries(0)
}

/// `{"<key>":{"<key>":…{}…}}`, `depth` objects deep.
fn nested_objects(key: &str, depth: usize) -> String {
    format!("{}{{}}{}", format!("{{\"{key}\":").repeat(depth), "}".repeat(depth))
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

#[tokio::test]
async fn a_waas_login_answer_wrapped_in_data_thousands_of_times_fails_only_its_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(json(nested_objects("data", DEEP)))
        .mount(&server)
        .await;
    let waas = WaasClient::builder()
        .base_url(server.uri())
        .credentials("ops", "pw")
        .retry_policy(fast())
        .rate_limits_enabled(false)
        .build()
        .unwrap();
    let result = waas.transactions().reverse(&walletkit::waas::TransactionId::from("7")).await;
    assert!(result.is_err(), "{result:?}");
}

#[tokio::test]
async fn a_milta_webhook_nested_in_data_thousands_of_times_is_refused() {
    let server = MockServer::start().await;
    let milta = MiltaClient::builder()
        .base_url(server.uri())
        .credentials("k", "s")
        .retry_policy(fast())
        .rate_limits_enabled(false)
        .build()
        .unwrap();
    for depth in [100, 127, 128, 129, 500, DEEP] {
        let body = nested_objects("data", depth);
        let result = milta.transfers().confirm_webhook(&http::Request::new(body)).await;
        assert!(matches!(result, Ok(None) | Err(_)), "depth {depth}: {result:?}");
    }
}

#[tokio::test]
async fn a_retry_after_as_long_as_a_u64_after_a_slow_attempt_ends_the_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", u64::MAX.to_string().as_str())
                .set_delay(Duration::from_millis(1100)),
        )
        .mount(&server)
        .await;
    let raised = fast().max_retries(3).max_retry_after(Duration::MAX).deadline(Some(Duration::from_secs(5)));
    let mila =
        MilaCoinsClient::builder().base_url(server.uri()).credentials("a", "b").retry_policy(raised).build().unwrap();
    let err = mila.reference().currencies().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_deadline_past_what_the_clock_holds_is_no_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json(r#"{"currencies":["EUR"]}"#.into())).mount(&server).await;
    let forever = fast().deadline(Some(Duration::MAX));
    let mila =
        MilaCoinsClient::builder().base_url(server.uri()).credentials("a", "b").retry_policy(forever).build().unwrap();
    assert_eq!(mila.reference().currencies().await.unwrap(), ["EUR"]);
}

/// Counts the hook's starts and ends.
#[derive(Clone, Default)]
struct Counted(Arc<(AtomicUsize, AtomicUsize)>);

impl AttemptHook for Counted {
    fn on_start(&self, _: &AttemptInfo<'_>) {
        self.0 .0.fetch_add(1, Ordering::SeqCst);
    }
    fn on_end(&self, _: &AttemptReport<'_>) {
        self.0 .1.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn every_attempt_the_hook_hears_start_of_it_hears_end_of() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json(r#"{"currencies":["EUR"]}"#.into())).mount(&server).await;
    let hook = Counted::default();
    let mila = MilaCoinsClient::builder()
        .base_url(server.uri())
        .credentials("a", "b")
        .retry_policy(fast())
        .attempt_hook(hook.clone())
        .build()
        .unwrap();
    let refused = mila.send_raw(walletkit::Request::get("/currencies").header("x-note", "a\nb")).await;
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    assert_eq!(
        (hook.0 .0.load(Ordering::SeqCst), hook.0 .1.load(Ordering::SeqCst)),
        (0, 0),
        "a request refused before sending is no attempt"
    );
    mila.reference().currencies().await.unwrap();
    assert_eq!((hook.0 .0.load(Ordering::SeqCst), hook.0 .1.load(Ordering::SeqCst)), (1, 1));
}

#[tokio::test]
async fn a_redirect_answering_a_transfer_is_an_unknown_outcome_with_its_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(303).insert_header("location", "/transfers/T-9"))
        .mount(&server)
        .await;
    let milta = MiltaClient::builder()
        .base_url(server.uri())
        .credentials("k", "s")
        .retry_policy(fast().max_retries(3))
        .build()
        .unwrap();
    let request = TransferRequest::new(
        ExternalId::from("E-303"),
        ProductId::from("P"),
        PhoneNumber::from("+100"),
        Decimal::ONE,
        "EUR",
    );
    let err = milta.transfers().create_with_key(&request, "key-303").await.unwrap_err();
    let Error::OutcomeUnknown(unknown) = &err else { panic!("not an unknown outcome: {err:?}") };
    assert_eq!(unknown.sent.idempotency_key.as_deref(), Some("key-303"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never followed, never resent");
}

#[tokio::test]
async fn a_clock_skew_code_in_a_500_is_no_reason_to_sign_and_send_a_payment_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("date", httpdate::fmt_http_date(std::time::SystemTime::now()).as_str())
                .set_body_raw(
                    r#"{"name":"INVALID_TIME","message":"X-time is invalid","code":4303}"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let mila =
        MilaCoinsClient::builder().base_url(server.uri()).credentials("a", "b").retry_policy(fast()).build().unwrap();
    let invoice = InvoiceRequest::new(WalletName::from("BTC"), Decimal::TEN, "EUR").external_id("order-4303");
    let err = mila.invoices().create(&invoice).await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown(_)), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a 500 does not prove the invoice was not made");
}

/// What the fuzzed server answers next: a status and a body.
#[derive(Clone, Default)]
struct Answer(Arc<Mutex<(u16, Vec<u8>)>>);

impl Answer {
    fn set(&self, status: u16, body: Vec<u8>) {
        *self.0.lock().unwrap() = (status, body);
    }
}

impl Respond for Answer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let (status, body) = self.0.lock().unwrap().clone();
        ResponseTemplate::new(status).set_body_raw(body, "application/json")
    }
}

/// One client of each provider on a server that answers whatever the case
/// sets; WaaS twice, to fuzz its login answer and, logged in, its calls.
struct Fuzzed {
    runtime: tokio::runtime::Runtime,
    answer: Answer,
    milta: MiltaClient,
    milacoins: MilaCoinsClient,
    wallets: WalletsClient,
    waas_logged_in: WaasClient,
    waas_uri: String,
    _servers: (MockServer, MockServer),
}

fn fuzzed() -> Fuzzed {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let answer = Answer::default();
    let (any_server, logged_in) = runtime.block_on(async {
        let any_server = MockServer::start().await;
        Mock::given(wiremock::matchers::any()).respond_with(answer.clone()).mount(&any_server).await;
        let logged_in = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v1/auth/login"))
            .respond_with(json(r#"{"access_token":"t","expires_in":3600}"#.to_string()))
            .with_priority(1)
            .mount(&logged_in)
            .await;
        Mock::given(wiremock::matchers::any()).respond_with(answer.clone()).mount(&logged_in).await;
        (any_server, logged_in)
    });
    let uri = any_server.uri();
    Fuzzed {
        milta: MiltaClient::builder()
            .base_url(&uri)
            .credentials("k", "s")
            .retry_policy(fast())
            .rate_limits_enabled(false)
            .build()
            .unwrap(),
        milacoins: MilaCoinsClient::builder()
            .base_url(&uri)
            .credentials("a", "b")
            .retry_policy(fast())
            .rate_limits_enabled(false)
            .build()
            .unwrap(),
        wallets: WalletsClient::builder()
            .base_url(&uri)
            .token("t")
            .retry_policy(fast())
            .rate_limits_enabled(false)
            .build()
            .unwrap(),
        waas_logged_in: WaasClient::builder()
            .base_url(logged_in.uri())
            .credentials("u", "p")
            .retry_policy(fast())
            .rate_limits_enabled(false)
            .build()
            .unwrap(),
        waas_uri: uri,
        runtime,
        answer,
        _servers: (any_server, logged_in),
    }
}

/// Every typed call walletkit decodes an answer for, once, against the
/// answer set: only that nothing panics or aborts is asserted, whatever
/// each call returns.
async fn call_everything(f: &Fuzzed) {
    let milta_transfer = TransferRequest::new(
        ExternalId::from("E-1"),
        ProductId::from("P"),
        PhoneNumber::from("+100"),
        Decimal::ONE,
        "EUR",
    );
    let _ = f.milta.transfers().get(&TransferId::from("T-1")).await;
    let _ = f.milta.transfers().create(&milta_transfer).await;
    let _ = f.milta.transfers().batch(std::slice::from_ref(&milta_transfer)).await;
    let _ = f.milta.account().balance().await;
    let _ = f.milta.inventories().countries().max_pages(2).get().await;
    let _ = f.milta.inventories().products().max_pages(2).stream().collect::<Vec<_>>().await;
    let invoice = InvoiceRequest::new(WalletName::from("BTC"), Decimal::TEN, "EUR").external_id("X-1");
    let _ = f.milacoins.invoices().create(&invoice).await;
    let _ = f.milacoins.transactions().get(&walletkit::milacoins::TransactionId::from("I-1")).await;
    let _ = f.milacoins.transactions().list().max_pages(2).stream().collect::<Vec<_>>().await;
    let _ = f.milacoins.reference().currencies().await;
    let _ = f.milacoins.reference().wallets().await;
    let _ = f.milacoins.logs().list().max_pages(2).stream().collect::<Vec<_>>().await;
    let _ = f.wallets.wallets().get(&WalletId::from("1")).await;
    let _ = f.wallets.wallets().list().max_pages(2).stream().collect::<Vec<_>>().await;
    let credit = TransactionRequest::new(
        AccountNumber::from("1"),
        ClientServiceCode::from("S"),
        TransactionSource::External,
        Decimal::ONE,
        SourceTransactionId::from("S-1"),
        chrono::Utc::now(),
    );
    let _ = f.waas_logged_in.transactions().credit(&credit).await;
    let _ = f.waas_logged_in.transactions().reverse(&walletkit::waas::TransactionId::from("7")).await;
    // A fresh client logs in, so the login answer itself is fuzzed.
    let waas = WaasClient::builder()
        .base_url(&f.waas_uri)
        .credentials("u", "p")
        .retry_policy(fast())
        .rate_limits_enabled(false)
        .build()
        .unwrap();
    let _ = waas.transactions().credit(&credit).await;
}

/// A JSON text from a grammar that favours what breaks decoders: nesting
/// to thousands of levels, the field names walletkit reads, numbers no
/// machine type holds, and broken endings.
fn hostile_json() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "data",
        "items",
        "transfers",
        "wallets",
        "transactions",
        "pagination",
        "page",
        "total",
        "totalPages",
        "amount",
        "balance",
        "id",
        "transferId",
        "externalId",
        "status",
        "code",
        "message",
        "errors",
        "access_token",
        "expires_in",
        "currency",
        "invoice",
        "createdAt",
        "limit",
        "skip",
        "x",
    ]);
    let number = prop::sample::select(vec![
        "0",
        "-0",
        "1e999999",
        "-1e-999999",
        "18446744073709551616",
        "340282366920938463463374607431768211456",
        "0.0000000000000000000000000000001",
        "79228162514264337593543950336",
        "1.5",
        "-7",
        "4294967295",
        "99999999999999999999999999999999999999999999.99",
        "1E+30",
        "NaN",
        "Infinity",
    ]);
    let leaf = prop_oneof![
        number.prop_map(str::to_string),
        "\"[^\"\\\\]{0,12}\"",
        Just("null".to_string()),
        Just("true".to_string()),
        Just("\"2024-02-30T25:61:61Z\"".to_string()),
    ];
    let tree = leaf.prop_recursive(6, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|fields| {
                let fields: Vec<String> = fields.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    });
    // Wrapped in `depth` levels of a favourite key or of arrays; a shallow
    // one sometimes cut short (a deep one stays whole, so it is parsed
    // through to its end, where a recursing decoder would overflow).
    let wrap = prop::sample::select(vec!["{\"data\":", "{\"items\":", "[", "{\"x\":"]);
    let depth = prop_oneof![0usize..4, 100usize..140, Just(DEEP)];
    (tree, wrap, depth, prop::bool::weighted(0.2), any::<u16>()).prop_map(|(tree, wrap, depth, cut, at)| {
        let close = if wrap == "[" { "]" } else { "}" };
        let text = format!("{}{tree}{}", wrap.repeat(depth), close.repeat(depth));
        if cut && depth < DEEP && !text.is_empty() {
            let mut end = usize::from(at) % text.len();
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text[..end].to_string()
        } else {
            text
        }
    })
}

fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => hostile_json().prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ]
}

proptest! {
    #![proptest_config(Config {
        cases: 128,
        rng_seed: RngSeed::Fixed(22),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn no_answer_crashes_any_decoder(
        body in hostile_body(),
        status in prop_oneof![
            2 => prop::sample::select(vec![200u16, 201]),
            1 => prop::sample::select(vec![400u16, 401, 404, 409, 422, 429, 500, 503]),
        ],
    ) {
        // Built once: proptest runs the cases one after another on this thread.
        thread_local!(static FUZZED: Fuzzed = fuzzed());
        FUZZED.with(|f| {
            f.answer.set(status, body.clone());
            f.runtime.block_on(call_everything(f));
        });
    }

    #[test]
    fn no_callback_or_webhook_crashes_its_parser(
        body in hostile_body(),
        query in "[a-zA-Z0-9=&%?#/:._-]{0,64}",
        form in any::<bool>(),
    ) {
        let content_type = if form { "application/x-www-form-urlencoded" } else { "application/json" };
        // A URI the framework would refuse never reaches the parser.
        if let Ok(uri) = format!("/hooks/milacoins{query}").parse::<http::Uri>() {
            let headers = http::HeaderMap::from_iter([(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type))]);
            let _ = parse_callback_parts(&http::Method::POST, &uri, &headers, &body);
            let request = http::Request::get(uri).body(body.clone()).expect("a valid URI");
            let _ = parse_callback(&request);
        }
        thread_local!(static FUZZED: Fuzzed = fuzzed());
        FUZZED.with(|f| {
            f.answer.set(200, br#"{"data":{"transferId":"T-1","status":"COMPLETED"}}"#.to_vec());
            let _ = f.runtime.block_on(f.milta.transfers().confirm_webhook(&http::Request::new(body.as_slice())));
        });
    }
}

//! Wallets API contract tests: exact requests, fixture responses from the
//! document, header paging, errors, money exactness and auth sources.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::TryStreamExt;
use walletkit::wallets::{CurrencyId, Wallet, WalletId, WalletType, WalletsClient};
use walletkit::{Decimal, Error, ErrorKind, Provider, RetryPolicy, SecretString, TokenSource};
use wiremock::matchers::{any, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common {
    pub mod hostile_ids;
}
use common::hostile_ids::HOSTILE_IDS;

const LIST: &str = include_str!("../fixtures/wallets/list.json");
const GET: &str = include_str!("../fixtures/wallets/get.json");
const EDGE: &str = include_str!("../fixtures/wallets/edge_amounts.json");

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5))
}

fn client(server: &MockServer) -> WalletsClient {
    WalletsClient::builder().base_url(server.uri()).token("tok-123").retry_policy(fast()).build().unwrap()
}

/// Fails the test (on drop) if any request reaches no other mock.
async fn forbid_others(server: &MockServer) {
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).with_priority(u8::MAX).expect(0).mount(server).await;
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

/// The query string has exactly these pairs, in any order.
fn query_is(expected: &'static [(&'static str, &'static str)]) -> impl Fn(&Request) -> bool {
    move |r: &Request| {
        let mut got: Vec<(String, String)> = r.url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
        let mut want: Vec<(String, String)> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        got.sort();
        want.sort();
        got == want
    }
}

fn page_headers(
    t: ResponseTemplate,
    page: u32,
    per: u32,
    total: u64,
    pages: u32,
    size: usize,
    more: Option<bool>,
) -> ResponseTemplate {
    let t = t
        .insert_header("X-Page", page.to_string().as_str())
        .insert_header("X-Per-Page", per.to_string().as_str())
        .insert_header("X-Total-Count", total.to_string().as_str())
        .insert_header("X-Total-Pages", pages.to_string().as_str())
        .insert_header("X-Page-Size", size.to_string().as_str());
    match more {
        Some(m) => t.insert_header("X-Has-More", if m { "true" } else { "false" }),
        None => t,
    }
}

#[tokio::test]
async fn list_sends_filters_and_reads_the_documented_page() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets"))
        .and(query_is(&[("page", "1"), ("limit", "10"), ("currency", "USD"), ("name", "Main wallet")]))
        .and(header("authorization", "Bearer tok-123"))
        .and(header("accept", "application/json"))
        .and(|r: &Request| r.body.is_empty() && !r.headers.contains_key("content-type"))
        .respond_with(page_headers(
            ResponseTemplate::new(200).set_body_raw(LIST, "application/json"),
            1,
            50,
            5,
            1,
            5,
            Some(false),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server).wallets().list().page_size(10).currency("USD").name("Main wallet").get().await.unwrap();
    assert_eq!(page.page, 1);
    assert_eq!(
        (page.page_size, page.total_items, page.total_pages, page.next_page),
        (Some(50), Some(5), Some(1), None)
    );
    assert!(!page.has_more());
    let ids: Vec<u64> = page.items.iter().map(|w| w.id.as_u64().unwrap()).collect();
    assert_eq!(ids, [101, 102, 103]);
    let w = &page.items[1];
    assert_eq!((w.currency_id.clone(), w.wallet_type.clone()), (CurrencyId::from(2), WalletType::Prepaid));
    assert_eq!(w.amount.to_string(), "2500.50", "digits kept exactly as sent");
    assert_eq!(page.items[2].wallet_type, WalletType::Postpaid);
    assert_eq!(page.items[2].amount, dec("10000"));
}

#[tokio::test]
async fn list_without_options_sends_the_page_and_the_documented_default_limit() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets"))
        .and(query_is(&[("limit", "50"), ("page", "3")]))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server).wallets().list().page(3).get().await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!((page.page, page.next_page), (3, None));
}

#[tokio::test]
async fn get_reads_one_wallet() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets/101"))
        .and(query_is(&[]))
        .and(header("authorization", "Bearer tok-123"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(GET, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let w = client(&server).wallets().get(&WalletId::from(101)).await.unwrap();
    assert_eq!(w.id, WalletId::from(101));
    assert_eq!(w.currency_id, CurrencyId::from(1));
    assert_eq!(w.amount.to_string(), "5000.00");
    assert_eq!(w.wallet_type, WalletType::Prepaid);
}

#[tokio::test]
async fn documented_errors_map_to_kinds() {
    let cases: [(&str, u16, &str, ErrorKind, &str, &str); 7] = [
        (
            "/api/v1/wallets",
            400,
            include_str!("../fixtures/wallets/error_400_list.json"),
            ErrorKind::Validation,
            "BAD_REQUEST",
            "Invalid query parameters",
        ),
        (
            "/api/v1/wallets",
            401,
            include_str!("../fixtures/wallets/error_401.json"),
            ErrorKind::Unauthorized,
            "UNAUTHORIZED",
            "Authentication required or failed.",
        ),
        (
            "/api/v1/wallets",
            500,
            include_str!("../fixtures/wallets/error_500_list.json"),
            ErrorKind::ServerError,
            "INTERNAL_SERVER_ERROR",
            "Could not retrieve wallets",
        ),
        (
            "/api/v1/wallets/101",
            400,
            include_str!("../fixtures/wallets/error_400_get.json"),
            ErrorKind::Validation,
            "BAD_REQUEST",
            "Invalid wallet ID",
        ),
        (
            "/api/v1/wallets/101",
            401,
            include_str!("../fixtures/wallets/error_401.json"),
            ErrorKind::Unauthorized,
            "UNAUTHORIZED",
            "Authentication required or failed.",
        ),
        (
            "/api/v1/wallets/101",
            404,
            include_str!("../fixtures/wallets/error_404.json"),
            ErrorKind::NotFound,
            "NOT_FOUND",
            "Wallet not found",
        ),
        (
            "/api/v1/wallets/101",
            500,
            include_str!("../fixtures/wallets/error_500_get.json"),
            ErrorKind::ServerError,
            "INTERNAL_SERVER_ERROR",
            "Failed to retrieve wallet",
        ),
    ];
    for (p, status, body, kind, code, message) in cases {
        let server = MockServer::start().await;
        // 500 on a GET is retried (3 retries); everything else is final.
        let attempts = if status == 500 { 4 } else { 1 };
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
            .expect(attempts)
            .mount(&server)
            .await;
        let c = client(&server);
        let err = if p.ends_with("101") {
            c.wallets().get(&WalletId::from(101)).await.unwrap_err()
        } else {
            c.wallets().list().get().await.unwrap_err()
        };
        let api = err.as_api().unwrap_or_else(|| panic!("{p} {status}: {err:?}"));
        assert_eq!(api.provider, Provider::Wallets);
        assert_eq!(
            (api.status, api.kind, api.code.as_deref(), api.message.as_str()),
            (status, kind, Some(code), message)
        );
        assert_eq!(err.is_retryable(), status == 500);
        server.verify().await;
    }
}

#[tokio::test]
async fn paging_limits_are_checked_before_sending() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    let c = client(&server);
    for listing in [c.wallets().list().page(0), c.wallets().list().page_size(0), c.wallets().list().page_size(10_001)] {
        let err = listing.get().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        let err = listing.stream().try_collect::<Vec<_>>().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
    Mock::given(method("GET"))
        .and(query_is(&[("page", "1"), ("limit", "10000")]))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    c.wallets().list().page_size(10_000).get().await.unwrap();
}

fn wallets_json(ids: std::ops::RangeInclusive<u64>) -> String {
    let items: Vec<String> =
        ids.map(|id| format!(r#"{{"id":{id},"currency_id":1,"amount":{id}.25,"type":"PREPAID"}}"#)).collect();
    format!("[{}]", items.join(","))
}

async fn mount_page(server: &MockServer, page: u32, body: String, more: Option<bool>, total_pages: u32, expect: u64) {
    let size = serde_json::from_str::<Vec<serde_json::Value>>(&body).unwrap().len();
    let page_str: &'static str = Box::leak(page.to_string().into_boxed_str());
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets"))
        .and(query_param("page", page_str))
        .and(query_param("limit", "3"))
        .respond_with(page_headers(
            ResponseTemplate::new(200).set_body_raw(body, "application/json"),
            page,
            3,
            100,
            total_pages,
            size,
            more,
        ))
        .expect(expect)
        .mount(server)
        .await;
}

#[tokio::test]
async fn stream_sees_every_wallet_once_and_stops_on_has_more_false() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    mount_page(&server, 1, wallets_json(1..=3), Some(true), 9, 1).await;
    mount_page(&server, 2, wallets_json(4..=6), Some(true), 9, 1).await;
    // The header, not X-Total-Pages (still 9), ends the listing.
    mount_page(&server, 3, wallets_json(7..=8), Some(false), 9, 1).await;
    mount_page(&server, 4, wallets_json(9..=9), Some(false), 9, 0).await;

    let c = client(&server);
    let mut stream = c.wallets().list().page_size(3).stream();
    let first = stream.try_next().await.unwrap().unwrap();
    assert_eq!(first.id, WalletId::from(1));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "page 2 is fetched only when needed");
    let mut ids = vec![first.id.as_u64().unwrap()];
    while let Some(w) = stream.try_next().await.unwrap() {
        assert_eq!(w.amount, dec(&format!("{}.25", w.id)), "amount read exactly");
        ids.push(w.id.as_u64().unwrap());
    }
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
}

#[tokio::test]
async fn stream_stops_on_an_empty_page_even_if_more_is_claimed() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    mount_page(&server, 1, wallets_json(1..=3), Some(true), 9, 1).await;
    mount_page(&server, 2, "[]".into(), Some(true), 9, 1).await;
    mount_page(&server, 3, wallets_json(4..=6), Some(true), 9, 0).await;
    let ids: Vec<u64> = client(&server)
        .wallets()
        .list()
        .page_size(3)
        .stream()
        .map_ok(|w| w.id.as_u64().unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3]);
}

#[tokio::test]
async fn without_has_more_the_total_pages_decide() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    mount_page(&server, 1, wallets_json(1..=3), None, 2, 1).await;
    mount_page(&server, 2, wallets_json(4..=6), None, 2, 1).await;
    mount_page(&server, 3, wallets_json(7..=9), None, 2, 0).await;
    let ids: Vec<u64> = client(&server)
        .wallets()
        .list()
        .page_size(3)
        .stream()
        .map_ok(|w| w.id.as_u64().unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn stream_starts_at_the_chosen_page_and_ends_after_an_error() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    mount_page(&server, 2, wallets_json(4..=6), Some(true), 9, 1).await;
    Mock::given(method("GET"))
        .and(query_param("page", "3"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(include_str!("../fixtures/wallets/error_404.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut stream = client(&server).wallets().list().page(2).page_size(3).stream();
    for id in 4..=6 {
        assert_eq!(stream.try_next().await.unwrap().unwrap().id, WalletId::from(id));
    }
    let err = stream.try_next().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(stream.try_next().await.unwrap().is_none(), "the stream ends after its first error");
}

#[tokio::test]
async fn amounts_are_exact_negative_zero_decimal_and_huge() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(EDGE, "application/json"))
        .mount(&server)
        .await;
    let items: Vec<Wallet> = client(&server).wallets().list().get().await.unwrap().items;
    assert_eq!(items[0].id, WalletId::from(9_007_199_254_740_993), "ids beyond f64's exact range survive");
    assert_eq!(items[0].amount, dec("-250.75"), "POSTPAID balances can be negative");
    assert_eq!(items[0].amount.to_string(), "-250.75");
    assert_eq!(items[1].amount.to_string(), "1000", "zero-decimal currencies keep no fraction");
    assert_eq!(items[1].amount.scale(), 0);
    assert_eq!(items[2].amount.to_string(), "12345678901234567.89");
    assert_eq!(items[3].amount.to_string(), "0.10");
    assert_eq!(items[3].wallet_type, WalletType::Unknown("CORPORATE".into()), "unknown types are kept raw");
    assert_eq!(items[3].wallet_type.as_str(), "CORPORATE");
    assert_eq!(Decimal::from_str("0.10").unwrap(), items[3].amount);
    assert_eq!(items[2].extra["label"].get(), r#""unknown fields are ignored""#, "unknown fields are kept");
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_naming_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"[{"id":1,"currency_id":1,"amount":"ten","type":"PREPAID"}]"#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = client(&server).wallets().list().get().await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.json_path.as_deref(), Some("[0].amount"));
    assert!(d.excerpt.contains("ten"));
}

#[test]
fn build_needs_a_base_url_and_a_token() {
    let err = WalletsClient::builder().token("t").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("base URL is required")), "{err}");
    let err = WalletsClient::builder().base_url("https://wallets.example.com").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("token")), "{err}");
    let err = WalletsClient::builder().base_url("http://wallets.example.com").token("t").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("plain HTTP")), "{err}");
    WalletsClient::builder().base_url("https://wallets.example.com").token("t").build().unwrap();
}

#[test]
fn from_env_names_what_is_missing() {
    // The only test in this binary touching these variables.
    std::env::remove_var("WALLETS_TOKEN");
    std::env::remove_var("WALLETS_BASE_URL");
    let err = WalletsClient::from_env().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("WALLETS_TOKEN")), "{err}");
    std::env::set_var("WALLETS_TOKEN", "t");
    let err = WalletsClient::from_env().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("WALLETS_BASE_URL") && m.contains("required")), "{err}");
    std::env::set_var("WALLETS_BASE_URL", "https://wallets.example.com");
    WalletsClient::from_env().unwrap();
    std::env::remove_var("WALLETS_TOKEN");
    std::env::remove_var("WALLETS_BASE_URL");
}

/// A token source that hands out `old` until told it was rejected, then `new`.
#[derive(Debug, Default)]
struct Rotating {
    rotated: AtomicUsize,
    issued: AtomicUsize,
}

impl TokenSource for Rotating {
    fn token(&self) -> BoxFuture<'_, walletkit::Result<SecretString>> {
        self.issued.fetch_add(1, Ordering::SeqCst);
        let t = if self.rotated.load(Ordering::SeqCst) == 0 { "old" } else { "new" };
        Box::pin(async move { Ok(SecretString::from(t)) })
    }

    fn invalidate<'a>(&'a self, _rejected: &'a SecretString) -> BoxFuture<'a, bool> {
        self.rotated.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { true })
    }
}

#[tokio::test]
async fn a_custom_token_source_is_asked_again_after_a_401() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    Mock::given(path("/api/v1/wallets/101"))
        .and(header("authorization", "Bearer old"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(include_str!("../fixtures/wallets/error_401.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/wallets/101"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(GET, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let source = Arc::new(Rotating::default());
    let c = WalletsClient::builder().base_url(server.uri()).token_source(source.clone()).build().unwrap();
    assert_eq!(c.wallets().get(&WalletId::from(101)).await.unwrap().id, WalletId::from(101));
    assert_eq!((source.issued.load(Ordering::SeqCst), source.rotated.load(Ordering::SeqCst)), (2, 1));
}

#[tokio::test]
async fn a_static_token_rejected_is_unauthorized_without_a_retry() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(include_str!("../fixtures/wallets/error_401.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).wallets().get(&WalletId::from(101)).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Unauthorized, Some(401)));
}

#[tokio::test]
async fn wallets_can_authenticate_with_the_waas_login() {
    let waas = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .and(wiremock::matchers::body_string(r#"{"username":"ops","password":"pw-1"}"#))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"access_token":"from-login","expires_in":3600}"#, "application/json"),
        )
        .expect(1)
        .mount(&waas)
        .await;
    let wallets = MockServer::start().await;
    forbid_others(&wallets).await;
    Mock::given(path("/api/v1/wallets/101"))
        .and(header("authorization", "Bearer from-login"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(GET, "application/json"))
        .expect(2)
        .mount(&wallets)
        .await;

    let login = Arc::new(
        walletkit::waas::WaasLogin::builder().base_url(waas.uri()).credentials("ops", "pw-1").build().unwrap(),
    );
    let c = WalletsClient::builder().base_url(wallets.uri()).token_source(login).build().unwrap();
    c.wallets().get(&WalletId::from(101)).await.unwrap();
    c.clone().wallets().get(&WalletId::from(101)).await.unwrap();
}

#[test]
fn clients_and_streams_are_send_and_sync() {
    fn check<T: Send + Sync>(_: &T) {}
    let c = WalletsClient::builder().base_url("https://wallets.example.com").token("t").build().unwrap();
    check(&c);
    check(&c.wallets().list().stream());
    check(&c.wallets().get(&WalletId::from(1)));
}

/// Wallets as JSON, each id written by `id` (a number, a quoted string, …).
fn wallets_with(ids: &[&str]) -> String {
    let items: Vec<String> =
        ids.iter().map(|id| format!(r#"{{"id":{id},"currency_id":1,"amount":"1.50","type":"PREPAID"}}"#)).collect();
    format!("[{}]", items.join(","))
}

/// Serves `pages` (page 1 first) with `limit=3`, `X-Has-More` true but on the last.
async fn serve_pages(server: &MockServer, pages: &[String]) {
    for (i, body) in pages.iter().enumerate() {
        let page = u32::try_from(i + 1).unwrap();
        let last = i + 1 == pages.len();
        mount_page(server, page, body.clone(), Some(!last), 9, 1).await;
    }
}

async fn streamed_ids(server: &MockServer) -> Vec<String> {
    client(server).wallets().list().page_size(3).stream().map_ok(|w| w.id.to_string()).try_collect().await.unwrap()
}

#[tokio::test]
async fn wallets_created_while_streaming_do_not_repeat_older_ones() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    // Newest first. Before page 2 is fetched, wallets 12 and 11 are created:
    // every older wallet moves two places down, so page 2 repeats 9 and 8.
    serve_pages(
        &server,
        &[
            wallets_with(&["10", "9", "8"]),
            wallets_with(&["9", "8", "7"]),
            wallets_with(&["6", "5", "4"]),
            wallets_with(&["3", "2", "1"]),
        ],
    )
    .await;
    assert_eq!(streamed_ids(&server).await, ["10", "9", "8", "7", "6", "5", "4", "3", "2", "1"]);
}

#[tokio::test]
async fn an_id_sent_as_a_string_and_as_a_number_is_one_wallet() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    // 10 and 9 come again, once as numbers where they were strings.
    serve_pages(
        &server,
        &[
            wallets_with(&[r#""11""#, r#""10""#, r#""9""#]),
            wallets_with(&[r#""10""#, "9", r#""8""#]),
            wallets_with(&[r#""7""#]),
        ],
    )
    .await;
    assert_eq!(streamed_ids(&server).await, ["11", "10", "9", "8", "7"]);
}

#[tokio::test]
async fn text_ids_already_yielded_are_not_repeated() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    serve_pages(
        &server,
        &[
            wallets_with(&[r#""w-f""#, r#""w-e""#, r#""w-d""#]),
            wallets_with(&[r#""w-e""#, r#""w-d""#, r#""w-c""#]),
            wallets_with(&[r#""w-b""#, r#""w-a""#]),
        ],
    )
    .await;
    assert_eq!(streamed_ids(&server).await, ["w-f", "w-e", "w-d", "w-c", "w-b", "w-a"]);
}

#[tokio::test]
async fn a_page_of_only_repeats_ends_the_stream() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    // Page 2 repeats page 1 exactly, though it says more follow: nothing new
    // is the evidence that ends a listing, so page 3 is never asked for.
    mount_page(&server, 1, wallets_with(&["10", "9", "8"]), Some(true), 9, 1).await;
    mount_page(&server, 2, wallets_with(&["10", "9", "8"]), Some(true), 9, 1).await;
    mount_page(&server, 3, wallets_with(&["7", "6"]), Some(false), 9, 0).await;
    assert_eq!(streamed_ids(&server).await, ["10", "9", "8"]);
}

#[tokio::test]
async fn a_server_ignoring_page_is_asked_twice_and_the_stream_ends() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(wallets_with(&["3", "2", "1"]), "application/json")
                .insert_header("X-Has-More", "true")
                .insert_header("X-Total-Pages", "1000000000"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let ids: Vec<String> = client(&server)
        .wallets()
        .list()
        .page_size(3)
        .prefetch(1)
        .stream()
        .map_ok(|w| w.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["3", "2", "1"]);
}

#[tokio::test]
async fn the_page_bound_ends_a_stream_with_an_error_naming_the_route_and_page() {
    let server = MockServer::start().await;
    forbid_others(&server).await;
    for page in 1..=2 {
        let ids = [page * 10, page * 10 - 1, page * 10 - 2].map(|n| n.to_string());
        mount_page(&server, page, wallets_with(&ids.each_ref().map(String::as_str)), Some(true), 9, 1).await;
    }
    let mut stream = client(&server).wallets().list().page_size(3).max_pages(2).stream();
    let mut ids = Vec::new();
    let err = loop {
        match stream.try_next().await {
            Ok(Some(w)) => ids.push(w.id.to_string()),
            Ok(None) => panic!("ended without saying it was cut short"),
            Err(e) => break e,
        }
    };
    assert_eq!(ids, ["10", "9", "8", "20", "19", "18"]);
    assert_eq!(err.kind(), ErrorKind::ListingCutShort);
    let Error::ListingCutShort { provider, route, page, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*provider, route.as_str(), *page), (Provider::Wallets, "/api/v1/wallets", 3));
    assert!(stream.try_next().await.unwrap().is_none());
}

#[tokio::test]
async fn get_refuses_every_hostile_id_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server);
    for id in HOSTILE_IDS {
        let err = c.wallets().get(&WalletId::from(*id)).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

fn wallet(json: &str) -> Wallet {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

#[test]
fn both_spellings_at_once_decode_and_the_documented_one_wins() {
    let w = wallet(
        r#"{"walletId":"w-2","wallet_id":7,"id":101,"currencyId":9,"currency_id":1,"balance":"1.00","amount":5000.00,
            "walletType":"POSTPAID","wallet_type":"POSTPAID","type":"PREPAID","walletName":"x","wallet_name":"y","name":"Main",
            "currencyCode":"EUR","currency_code":"GBP","currency":"USD"}"#,
    );
    assert_eq!((w.id.as_str(), w.currency_id.as_str()), ("101", "1"));
    assert_eq!((w.amount.to_string().as_str(), w.wallet_type.clone()), ("5000.00", WalletType::Prepaid));
    assert_eq!((w.name.as_deref(), w.currency.as_deref()), (Some("Main"), Some("USD")));
    assert!(w.extra.is_empty(), "{:?}", w.extra);
    let w = wallet(r#"{"wallet_id":7,"currencyId":9,"balance":"1.00","walletType":"POSTPAID"}"#);
    assert_eq!((w.id.as_str(), w.currency_id.as_str(), w.wallet_type.as_str()), ("7", "9", "POSTPAID"));
}

#[test]
fn amounts_are_exact_as_numbers_and_as_strings() {
    for (amount, want) in [
        ("12345678901234567.89", "12345678901234567.89"),
        (r#""12345678901234567.89""#, "12345678901234567.89"),
        ("0.123456789012345678", "0.123456789012345678"),
        (r#""0.123456789012345678""#, "0.123456789012345678"),
        (r#""-250.75""#, "-250.75"),
        ("1000", "1000"),
    ] {
        let w = wallet(&format!(r#"{{"id":1,"currency_id":1,"amount":{amount},"type":"PREPAID"}}"#));
        assert_eq!(w.amount.to_string(), want, "{amount}");
    }
}

#[test]
fn ids_read_from_numbers_and_strings_alike() {
    let a = wallet(r#"{"id":9007199254740993,"currency_id":"1","amount":1,"type":"PREPAID"}"#);
    let b = wallet(r#"{"id":"9007199254740993","currency_id":1,"amount":1,"type":"PREPAID"}"#);
    assert_eq!(a, b);
    assert_eq!((a.id.as_u64(), a.currency_id.as_u64()), (Some(9_007_199_254_740_993), Some(1)));
    assert_eq!(wallet(r#"{"id":"w-1","currency_id":"KES","amount":1,"type":"PREPAID"}"#).id.as_u64(), None);
}

#[test]
fn null_optional_fields_and_unknown_fields() {
    let w = wallet(
        r#"{"id":1,"currency_id":1,"amount":1,"type":"PREPAID","name":null,"currency":null,
            "credit_limit":12345678901234567.89,"owner":{"id":7,"tags":["a"]},"fee":0.000000001}"#,
    );
    assert_eq!((w.name.as_deref(), w.currency.as_deref()), (None, None));
    assert_eq!(w.extra["credit_limit"].get(), "12345678901234567.89");
    assert_eq!(w.extra["owner"].get(), r#"{"id":7,"tags":["a"]}"#);
    assert_eq!(w.extra["fee"].get(), "0.000000001");
    assert_eq!(w.extra.len(), 3);
    for missing in ["id", "currency_id", "amount", "type"] {
        let json =
            r#"{"id":1,"currency_id":1,"amount":1,"type":"PREPAID"}"#.replace(&format!(r#""{missing}""#), r#""other""#);
        assert!(serde_json::from_str::<Wallet>(&json).is_err(), "{missing} is documented and required");
    }
}

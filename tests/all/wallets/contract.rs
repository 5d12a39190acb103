//! Wallets API contract tests: exact requests, fixture responses from the
//! document, header paging, errors, money exactness and auth sources.

use std::str::FromStr;

use futures_util::TryStreamExt;
use walletkit::wallets::{CurrencyId, Wallet, WalletId, WalletType, WalletsClient};
use walletkit::{Decimal, Error, ErrorKind, Provider};
use wiremock::matchers::{any, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::dec;
use crate::support::wallets_client as client;

const LIST: &str = include_str!("../../../fixtures/wallets/list.json");
pub(super) const GET: &str = include_str!("../../../fixtures/wallets/get.json");
const EDGE: &str = include_str!("../../../fixtures/wallets/edge_amounts.json");

/// Fails the test (on drop) if any request reaches no other mock.
pub(super) async fn forbid_others(server: &MockServer) {
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).with_priority(u8::MAX).expect(0).mount(server).await;
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
            include_str!("../../../fixtures/wallets/error_400_list.json"),
            ErrorKind::Validation,
            "BAD_REQUEST",
            "Invalid query parameters",
        ),
        (
            "/api/v1/wallets",
            401,
            include_str!("../../../fixtures/wallets/error_401.json"),
            ErrorKind::Unauthorized,
            "UNAUTHORIZED",
            "Authentication required or failed.",
        ),
        (
            "/api/v1/wallets",
            500,
            include_str!("../../../fixtures/wallets/error_500_list.json"),
            ErrorKind::ServerError,
            "INTERNAL_SERVER_ERROR",
            "Could not retrieve wallets",
        ),
        (
            "/api/v1/wallets/101",
            400,
            include_str!("../../../fixtures/wallets/error_400_get.json"),
            ErrorKind::Validation,
            "BAD_REQUEST",
            "Invalid wallet ID",
        ),
        (
            "/api/v1/wallets/101",
            401,
            include_str!("../../../fixtures/wallets/error_401.json"),
            ErrorKind::Unauthorized,
            "UNAUTHORIZED",
            "Authentication required or failed.",
        ),
        (
            "/api/v1/wallets/101",
            404,
            include_str!("../../../fixtures/wallets/error_404.json"),
            ErrorKind::NotFound,
            "NOT_FOUND",
            "Wallet not found",
        ),
        (
            "/api/v1/wallets/101",
            500,
            include_str!("../../../fixtures/wallets/error_500_get.json"),
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

pub(super) async fn mount_page(
    server: &MockServer,
    page: u32,
    body: String,
    more: Option<bool>,
    total_pages: u32,
    expect: u64,
) {
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
                .set_body_raw(include_str!("../../../fixtures/wallets/error_404.json"), "application/json"),
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

//! Wallets contract, continued: token sources and the WaaS login as auth,
//! streams that never repeat a wallet, hostile ids, and the readings of a wallet
//! a server may send.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures_util::future::BoxFuture;
use futures_util::TryStreamExt;
use walletkit::wallets::{Wallet, WalletId, WalletType, WalletsClient};
use walletkit::{Error, ErrorKind, Provider, SecretString, TokenSource};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::hostile_ids::HOSTILE_IDS;
use crate::support::wallets_client as client;

use super::contract::{forbid_others, mount_page, GET};

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
                .set_body_raw(include_str!("../../../fixtures/wallets/error_401.json"), "application/json"),
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
                .set_body_raw(include_str!("../../../fixtures/wallets/error_401.json"), "application/json"),
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
fn ids_are_kept_digit_for_digit_at_every_length() {
    // 20 digits (past u64), 23 (the longest kept inline), 24 and 40 (kept
    // on the heap), negative and exponent forms: each as written, whether
    // sent as a number or a string.
    for digits in [
        "18446744073709551616",
        "12345678901234567890123",
        "123456789012345678901234",
        "1234567890123456789012345678901234567890",
        "-42",
        "1e3",
        "0",
    ] {
        let number = wallet(&format!(r#"{{"id":{digits},"currency_id":{digits},"amount":1,"type":"PREPAID"}}"#));
        let string = wallet(&format!(r#"{{"id":"{digits}","currency_id":"{digits}","amount":1,"type":"PREPAID"}}"#));
        assert_eq!(number.id.as_str(), digits);
        assert_eq!(number.currency_id.as_str(), digits);
        assert_eq!(number, string, "{digits}");
        assert_eq!(String::from(number.id.clone()), digits);
        assert_eq!(serde_json::to_string(&number.id).unwrap(), format!(r#""{digits}""#));
    }
    assert_eq!(
        wallet(r#"{"id":18446744073709551615,"currency_id":1,"amount":1,"type":"PREPAID"}"#).id.as_u64(),
        Some(u64::MAX)
    );
    assert_eq!(wallet(r#"{"id":"w-\u00e9\"1","currency_id":1,"amount":1,"type":"PREPAID"}"#).id, "w-é\"1");
    assert_eq!(WalletId::from(u64::MAX).as_str(), "18446744073709551615");
    // `null` is absent, and an absent required id is an error.
    let err = serde_json::from_str::<Wallet>(r#"{"id":null,"currency_id":1,"amount":1,"type":"PREPAID"}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let err = serde_json::from_str::<Wallet>(r#"{"id":true,"currency_id":1,"amount":1,"type":"PREPAID"}"#).unwrap_err();
    assert!(err.to_string().contains("expected a string or a number"), "{err}");
}

#[test]
fn a_wallet_is_no_bigger_than_its_fields_need() {
    // Two 24-byte inline ids, a 16-byte Decimal, the 24-byte type, two
    // optional strings and an 8-byte `extra`: 144 bytes (it was 160).
    assert!(std::mem::size_of::<Wallet>() <= 144, "{}", std::mem::size_of::<Wallet>());
    assert_eq!(std::mem::size_of::<WalletId>(), 24);
    assert_eq!(std::mem::size_of::<Option<WalletId>>(), 24);
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

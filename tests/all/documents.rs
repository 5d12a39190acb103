//! The providers' documents as the oracle. Every example request and response
//! body in `shared/api-docs` is copied verbatim into `fixtures/documents/`
//! (see its README for the section each comes from), and each gets a test:
//!
//! - a **response** is served byte for byte by wiremock, decoded by the typed
//!   walletkit call it belongs to, and every field it carries is asserted:
//!   amounts as exact decimals digit for digit, ids as text, timestamps as the
//!   exact instant, nothing left over in `extra`;
//! - a **request** is built with walletkit's public builders from the values
//!   the example shows, sent to wiremock, and the body sent is compared with
//!   the example field by field, numbers as exact decimals read from their raw
//!   text (`10.00` in the example equals the `10` walletkit sends);
//! - an **error** body is decoded into [`walletkit::Error`] and its kind, code
//!   and message asserted.
//!
//! An example that cannot be reproduced exactly has a test whose name says why
//! and which asserts what can be.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferId, TransferRequest, TransferStatus};
use walletkit::waas::{
    AccountId, AccountName, AccountNumber, AccountRequest, AccountStatus, AccountTransferRequest, AccountTypeCode,
    ClientCode, ClientId, ClientRequest, ClientServiceCode, ClientServiceRequest, FeeType, ServiceCode,
    SourceTransactionId, Transaction, TransactionId, TransactionPair, TransactionRequest, TransactionSource,
    TransactionType, WaasClient,
};
use walletkit::wallets::{CurrencyId, Wallet, WalletId, WalletType, WalletsClient};
use walletkit::{Decimal, ErrorKind, Provider, RetryPolicy, Timestamp};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::fast;

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// Every file in `fixtures/documents/` (README aside), each used below.
const FIXTURES: &[&str] = &[
    "milta/success_envelope.txt",
    "milta/error_envelope.json",
    "milta/paginated_response.txt",
    "milta/batch_request.json",
    "milta/batch_response.json",
    "milta/countries_response.json",
    "milta/deferred_transfer_request.json",
    "milta/transfer_status_response.json",
    "milacoins/error_response.json",
    "wallets/list_response.json",
    "wallets/list_response_headers.txt",
    "wallets/list_error_400.json",
    "wallets/list_error_401.json",
    "wallets/list_error_500.json",
    "wallets/get_response.json",
    "wallets/get_error_400.json",
    "wallets/get_error_404.json",
    "wallets/get_error_500.json",
    "waas/client_request.json",
    "waas/client_response.json",
    "waas/account_request.json",
    "waas/account_response.json",
    "waas/client_service_request.json",
    "waas/client_service_response.json",
    "waas/transaction_request.json",
    "waas/transaction_response.json",
    "waas/transfer_request.json",
    "waas/transfer_response.json",
    "waas/reversal_response.json",
];

/// The examples that are not JSON in the document, copied as `.txt`.
const NOT_JSON: &[&str] =
    &["milta/success_envelope.txt", "milta/paginated_response.txt", "wallets/list_response_headers.txt"];

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/documents")
}

/// A fixture's exact text.
fn fixture(name: &str) -> String {
    assert!(FIXTURES.contains(&name), "{name} is not in FIXTURES");
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A fixture served verbatim as a JSON body with `status`.
fn serve(name: &str, status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// `amount` equals `text` as a decimal and is written with the same digits
/// (the same scale: `5000.00`, not `5000`).
#[track_caller]
fn assert_amount(fixture: &str, field: &str, amount: Decimal, text: &str) {
    assert_eq!(amount, dec(text), "{fixture}: {field}");
    assert_eq!(amount.to_string(), text, "{fixture}: {field} digit for digit");
}

#[track_caller]
fn assert_opt_amount(fixture: &str, field: &str, amount: Option<Decimal>, text: &str) {
    let amount = amount.unwrap_or_else(|| panic!("{fixture}: {field} missing"));
    assert_amount(fixture, field, amount, text);
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap() + TimeDelta::milliseconds(ms)
}

// ---------------------------------------------------------------------------
// Exact JSON: a tree like `serde_json::Value` whose numbers are decimals read
// from their raw text (serde_json's own `Value` would pass them through f64,
// and its `arbitrary_precision` feature must stay off in this workspace).
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Exact {
    Null,
    Bool(bool),
    Number(Decimal),
    String(String),
    Array(Vec<Exact>),
    Object(BTreeMap<String, Exact>),
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exact::Null => f.write_str("null"),
            Exact::Bool(b) => write!(f, "{b}"),
            Exact::Number(n) => write!(f, "{n}"),
            Exact::String(s) => write!(f, "{s:?}"),
            Exact::Array(a) => write!(f, "an array of {}", a.len()),
            Exact::Object(o) => write!(f, "an object with keys {:?}", o.keys().collect::<Vec<_>>()),
        }
    }
}

/// An object's members in order, repeated keys included.
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(entry);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads `raw` exactly. A repeated key is an error unless the caller collects
/// repeats in `repeats` (as `path`, first raw value, repeated raw value).
fn exact_at(
    raw: &RawValue,
    at: &str,
    repeats: &mut Option<&mut Vec<(String, String, String)>>,
) -> Result<Exact, String> {
    let text = raw.get();
    let fail = |e: serde_json::Error| format!("{at}: {e}");
    Ok(match text.as_bytes().first() {
        Some(b'{') => {
            let Members(members) = serde_json::from_str(text).map_err(fail)?;
            let mut object = BTreeMap::new();
            let mut first_raw: BTreeMap<String, String> = BTreeMap::new();
            for (key, value) in members {
                let here = format!("{at}.{key}");
                if let Some(first) = first_raw.get(&key) {
                    match repeats {
                        Some(list) => list.push((here, first.clone(), value.get().to_string())),
                        None => return Err(format!("{here}: repeated key")),
                    }
                    continue; // the first value stands
                }
                first_raw.insert(key.clone(), value.get().to_string());
                object.insert(key, exact_at(&value, &here, repeats)?);
            }
            Exact::Object(object)
        }
        Some(b'[') => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(text).map_err(fail)?;
            let items: Result<Vec<_>, _> =
                items.iter().enumerate().map(|(i, item)| exact_at(item, &format!("{at}[{i}]"), repeats)).collect();
            Exact::Array(items?)
        }
        Some(b'"') => Exact::String(serde_json::from_str(text).map_err(fail)?),
        Some(b'-' | b'0'..=b'9') => {
            Exact::Number(Decimal::from_str_exact(text).map_err(|e| format!("{at}: number {text}: {e}"))?)
        }
        _ => match text {
            "true" => Exact::Bool(true),
            "false" => Exact::Bool(false),
            "null" => Exact::Null,
            other => return Err(format!("{at}: unexpected {other}")),
        },
    })
}

/// `text` (one JSON value, nothing after it) read exactly; repeated keys refused.
fn exact(text: &str) -> Result<Exact, String> {
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| e.to_string())?;
    exact_at(raw, "$", &mut None)
}

/// Every difference between `want` and `got`, with its JSON path.
fn differences(at: &str, want: &Exact, got: &Exact, out: &mut Vec<String>) {
    match (want, got) {
        (Exact::Object(w), Exact::Object(g)) => {
            for (key, wv) in w {
                match g.get(key) {
                    Some(gv) => differences(&format!("{at}.{key}"), wv, gv, out),
                    None => out.push(format!("{at}.{key}: the example has {wv}, walletkit sent nothing")),
                }
            }
            for (key, gv) in g {
                if !w.contains_key(key) {
                    out.push(format!("{at}.{key}: walletkit sent {gv}, the example has no such field"));
                }
            }
        }
        (Exact::Array(w), Exact::Array(g)) => {
            if w.len() != g.len() {
                out.push(format!("{at}: the example has {} items, walletkit sent {}", w.len(), g.len()));
            }
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                differences(&format!("{at}[{i}]"), wv, gv, out);
            }
        }
        (w, g) if w == g => {}
        (w, g) => out.push(format!("{at}: the example has {w}, walletkit sent {g}")),
    }
}

/// The body walletkit sent equals the request example `name`, field by field.
#[track_caller]
fn assert_sent_as_documented(name: &str, sent: &[u8]) {
    let want = exact(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let sent = std::str::from_utf8(sent).unwrap_or_else(|e| panic!("{name}: body sent is not UTF-8: {e}"));
    let got = exact(sent).unwrap_or_else(|e| panic!("{name}: body sent is not JSON ({e}): {sent}"));
    let mut out = Vec::new();
    differences("$", &want, &got, &mut out);
    assert!(
        out.is_empty(),
        "{name}: the body sent differs from the document's example:\n{}\nsent: {sent}",
        out.join("\n")
    );
}

/// The bodies of the requests the server received for `verb` `route`, with their query.
async fn received(server: &MockServer, verb: &str, route: &str) -> Vec<(Option<String>, Vec<u8>)> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == route)
        .map(|r| (r.url.query().map(str::to_string), r.body))
        .collect()
}

/// The one body sent to `verb` `route`.
async fn sent_once(server: &MockServer, name: &str, verb: &str, route: &str) -> Vec<u8> {
    let mut all = received(server, verb, route).await;
    assert_eq!(all.len(), 1, "{name}: expected one {verb} {route}");
    all.remove(0).1
}

#[test]
fn the_comparison_reads_numbers_exactly_and_refuses_repeated_keys() {
    assert_eq!(exact(r#"{"a":10.00}"#), exact(r#"{"a":10}"#));
    assert_ne!(exact(r#"{"a":10.01}"#), exact(r#"{"a":10}"#));
    assert_ne!(exact(r#"{"a":"10"}"#), exact(r#"{"a":10}"#), "a string is not a number");
    // Beyond f64: these two are the same double but different decimals.
    assert_ne!(exact("12345678901234567.89"), exact("12345678901234567.88"));
    assert!(exact(r#"{"a":1,"a":1}"#).unwrap_err().contains("$.a: repeated key"));
    let mut out = Vec::new();
    differences("$", &exact(r#"{"a":[1,2],"b":true}"#).unwrap(), &exact(r#"{"a":[1,3],"c":null}"#).unwrap(), &mut out);
    assert_eq!(out.len(), 3, "{out:?}");
}

// ---------------------------------------------------------------------------
// The fixtures themselves
// ---------------------------------------------------------------------------

#[test]
fn every_fixture_is_listed_here_and_in_the_readme() {
    let readme = std::fs::read_to_string(dir().join("README.md")).unwrap();
    let mut on_disk = Vec::new();
    for provider in std::fs::read_dir(dir()).unwrap() {
        let provider = provider.unwrap();
        if !provider.file_type().unwrap().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(provider.path()).unwrap() {
            let file = file.unwrap();
            on_disk.push(format!("{}/{}", provider.file_name().to_string_lossy(), file.file_name().to_string_lossy()));
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "fixtures/documents/ and FIXTURES disagree");
    for name in FIXTURES {
        assert!(readme.contains(&format!("`{name}`")), "{name} is missing from fixtures/documents/README.md");
    }
}

#[test]
fn json_fixtures_are_json_without_repeated_keys_and_txt_fixtures_are_not_json() {
    for name in FIXTURES {
        let text = fixture(name);
        if NOT_JSON.contains(name) {
            assert!(name.ends_with(".txt"), "{name}");
            assert!(serde_json::from_str::<Value>(&text).is_err(), "{name} is JSON after all");
        } else if *name == "waas/reversal_response.json" {
            // Its one repeated key has a test of its own.
            assert!(exact(&text).is_err(), "{name}");
        } else {
            assert!(name.ends_with(".json"), "{name}");
            exact(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

/// Where the documents are: `WALLETKIT_API_DOCS`, a directory holding the
/// four `.txt` files (in this workspace, `/work/shared/api-docs`).
#[test]
#[ignore = "reads the providers' documents, which live outside the repository: \
            WALLETKIT_API_DOCS=<dir> cargo test --test documents -- --ignored"]
fn every_fixture_is_a_verbatim_excerpt_of_its_document() {
    let docs = std::env::var("WALLETKIT_API_DOCS").expect("WALLETKIT_API_DOCS names the documents' directory");
    for name in FIXTURES {
        let document = match name.split('/').next().unwrap() {
            "milta" => "milta-partner-api.txt",
            "milacoins" => "milacoins-api.txt",
            "wallets" => "wallets-api.txt",
            "waas" => "wallet-as-a-service-api.txt",
            other => panic!("{name}: unknown provider {other}"),
        };
        let text = std::fs::read_to_string(std::path::Path::new(&docs).join(document)).unwrap();
        assert!(text.contains(&fixture(name)), "{name} is not a verbatim excerpt of {document}");
    }
}

// ---------------------------------------------------------------------------
// Milta
// ---------------------------------------------------------------------------

const MILTA_BASE: &str = "/api/v1/partner";

fn milta_path(rest: &str) -> String {
    format!("{MILTA_BASE}{rest}")
}

fn milta(server: &MockServer, retry: RetryPolicy) -> MiltaClient {
    MiltaClient::builder()
        .base_url(format!("{}{MILTA_BASE}", server.uri()))
        .credentials("key-id", "key-secret")
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn milta_batch_transfers() -> [TransferRequest; 2] {
    [
        TransferRequest::new(
            ExternalId::from("TXN-001"),
            ProductId::from("PRODUCT_123"),
            PhoneNumber::from("+447700900001"),
            dec("10.00"),
            "GBP",
        ),
        TransferRequest::new(
            ExternalId::from("TXN-002"),
            ProductId::from("PRODUCT_456"),
            PhoneNumber::from("+447700900002"),
            dec("5.00"),
            "GBP",
        ),
    ]
}

fn milta_deferred_transfer() -> TransferRequest {
    TransferRequest::new(
        ExternalId::from("TXN-20260101-001"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        dec("10.00"),
        "GBP",
    )
    .scheduled_at(utc(2026, 1, 15, 9, 0, 0, 0))
}

#[tokio::test]
async fn milta_success_envelope_has_a_comment_so_is_not_json_and_only_its_shape_is_checked() {
    const NAME: &str = "milta/success_envelope.txt";
    let text = fixture(NAME);
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{NAME}: the `//` comment makes it invalid JSON");

    // Served verbatim, it is a decode error, not a success and not a panic.
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(milta_path("/balance"))).respond_with(serve(NAME, 200)).mount(&server).await;
    let err = milta(&server, RetryPolicy::none()).account().balance().await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, Some(200)), "{NAME}: {err}");

    // Without the comment line it is the envelope every endpoint uses: a
    // `status` of "success" and a `data` object (empty here).
    let shape: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    assert_eq!(serde_json::from_str::<Value>(&shape).unwrap(), json!({"status": "success", "data": {}}), "{NAME}");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(milta_path("/balance")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(shape, "application/json"))
        .mount(&server)
        .await;
    let balance = milta(&server, RetryPolicy::none()).account().balance().await.unwrap();
    assert_eq!((balance.amount, balance.currency.as_deref()), (None, None), "{NAME}");
    assert!(balance.extra.is_empty(), "{NAME}: {:?}", balance.extra);
}

#[tokio::test]
async fn milta_error_envelope_decodes_with_its_message_and_the_kind_of_each_documented_status() {
    const NAME: &str = "milta/error_envelope.json";
    // The document gives no status for its example; its status table lists
    // these four error statuses. Without a `code`, the status decides the kind.
    for (status, kind) in [
        (400, ErrorKind::Validation),
        (401, ErrorKind::Unauthorized),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::ServerError),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(milta_path("/balance")))
            .respond_with(serve(NAME, status))
            .expect(1)
            .mount(&server)
            .await;
        let err = milta(&server, RetryPolicy::none()).account().balance().await.unwrap_err();
        let api = err.as_api().unwrap_or_else(|| panic!("{NAME} at {status}: {err:?}"));
        assert_eq!(api.provider, Provider::Milta, "{NAME} at {status}");
        assert_eq!(
            (api.status, api.kind, api.code.as_deref(), api.message.as_str()),
            (status, kind, None, "Error description with details about what went wrong"),
            "{NAME} at {status}"
        );
    }
}

#[tokio::test]
async fn milta_paginated_response_elides_its_items_so_only_its_pagination_is_checked() {
    const NAME: &str = "milta/paginated_response.txt";
    let text = fixture(NAME);
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{NAME}: `[ ... ]` makes it invalid JSON");

    // Served verbatim, it is a decode error.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(milta_path("/inventories/products")))
        .and(query_param("page", "1"))
        .respond_with(serve(NAME, 200))
        .mount(&server)
        .await;
    let err = milta(&server, RetryPolicy::none()).inventories().products().get().await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, Some(200)), "{NAME}: {err}");

    // With the elided items as an empty list, every pagination field is read.
    assert_eq!(text.matches("[ ... ]").count(), 1, "{NAME}");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(milta_path("/inventories/products")))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(text.replace("[ ... ]", "[]"), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = milta(&server, RetryPolicy::none()).inventories().products().get().await.unwrap();
    assert!(page.items.is_empty(), "{NAME}");
    assert_eq!(
        (page.page, page.page_size, page.total_items, page.total_pages),
        (1, Some(20), Some(84), Some(5)),
        "{NAME}: page, pageSize, totalItems, totalPages"
    );
}

#[tokio::test]
async fn milta_batch_request_is_sent_as_documented() {
    const NAME: &str = "milta/batch_request.json";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(milta_path("/transfers/batch")))
        .respond_with(serve("milta/batch_response.json", 200))
        .expect(1)
        .mount(&server)
        .await;
    milta(&server, fast()).transfers().batch(&milta_batch_transfers()).await.unwrap();
    let sent = sent_once(&server, NAME, "POST", &milta_path("/transfers/batch")).await;
    assert_sent_as_documented(NAME, &sent);
}

#[tokio::test]
async fn milta_batch_response_decodes_exactly() {
    const NAME: &str = "milta/batch_response.json";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(milta_path("/transfers/batch")))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let batch = milta(&server, fast()).transfers().batch(&milta_batch_transfers()).await.unwrap();
    assert_eq!(batch.batch_id.as_deref(), Some("BATCH-20260101-ABC"), "{NAME}: batchId");
    assert_eq!((batch.accepted, batch.rejected), (Some(2), Some(0)), "{NAME}: accepted, rejected");
    assert!(batch.unreadable.is_empty() && batch.extra.is_empty(), "{NAME}: {batch:?}");
    let entries: Vec<_> = batch
        .transfers
        .iter()
        .map(|e| (e.external_id.as_str(), e.status.clone(), e.transfer_id.as_ref().map(TransferId::as_str)))
        .collect();
    assert_eq!(
        entries,
        [("TXN-001", TransferStatus::Pending, Some("T-9001")), ("TXN-002", TransferStatus::Pending, Some("T-9002")),],
        "{NAME}: transfers"
    );
    for entry in &batch.transfers {
        assert!(entry.message.is_none() && entry.code.is_none() && entry.kind.is_none(), "{NAME}: {entry:?}");
        assert!(entry.extra.is_empty(), "{NAME}: {entry:?}");
        assert!(entry.is_accepted(), "{NAME}: {entry:?}");
    }
}

#[tokio::test]
async fn milta_countries_response_decodes_exactly() {
    const NAME: &str = "milta/countries_response.json";
    let server = MockServer::start().await;
    // Method and path only: whether the page size is sent is the paging code's business.
    Mock::given(method("GET"))
        .and(path(milta_path("/inventories/countries")))
        .and(query_param("page", "1"))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let page = milta(&server, fast()).inventories().countries().get().await.unwrap();
    let countries: Vec<_> =
        page.items.iter().map(|c| (c.code.as_str(), c.name.as_deref(), c.currency_code.as_deref())).collect();
    assert_eq!(
        countries,
        [
            ("GB", Some("United Kingdom"), Some("GBP")),
            ("FR", Some("France"), Some("EUR")),
            ("NG", Some("Nigeria"), Some("NGN")),
        ],
        "{NAME}: code, name, currencyCode"
    );
    assert!(page.items.iter().all(|c| c.extra.is_empty()), "{NAME}: {:?}", page.items);
    // No pagination block: the listing is this one page.
    assert_eq!((page.page, page.total_items, page.total_pages), (1, None, None), "{NAME}");
    assert!(!page.has_more(), "{NAME}");
}

#[tokio::test]
async fn milta_deferred_transfer_request_is_sent_as_documented() {
    const NAME: &str = "milta/deferred_transfer_request.json";
    let server = MockServer::start().await;
    // The document answers the deferred transfer with its status example.
    Mock::given(method("POST"))
        .and(path(milta_path("/transfers")))
        .respond_with(serve("milta/transfer_status_response.json", 201))
        .expect(1)
        .mount(&server)
        .await;
    let created = milta(&server, fast()).transfers().create(&milta_deferred_transfer()).await.unwrap();
    assert_eq!(created.status, TransferStatus::Scheduled, "{NAME}");
    let sent = sent_once(&server, NAME, "POST", &milta_path("/transfers")).await;
    assert_sent_as_documented(NAME, &sent);
}

#[tokio::test]
async fn milta_transfer_status_response_decodes_exactly() {
    const NAME: &str = "milta/transfer_status_response.json";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(milta_path("/transfers/T-9001")))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let t = milta(&server, fast()).transfers().get(&TransferId::from("T-9001")).await.unwrap();
    assert_eq!(t.transfer_id.as_str(), "T-9001", "{NAME}: transferId");
    assert_eq!(t.external_id.as_ref().map(ExternalId::as_str), Some("TXN-20260101-001"), "{NAME}: externalId");
    assert_eq!(t.status, TransferStatus::Scheduled, "{NAME}: status");
    assert_eq!(t.scheduled_at, Some(utc(2026, 1, 15, 9, 0, 0, 0)), "{NAME}: scheduledAt");
    assert_opt_amount(NAME, "amount", t.amount, "10.00");
    assert_eq!(t.currency.as_deref(), Some("GBP"), "{NAME}: currency");
    assert!(t.extra.is_empty(), "{NAME}: {:?}", t.extra);
}

// ---------------------------------------------------------------------------
// MilaCoins
// ---------------------------------------------------------------------------

#[tokio::test]
async fn milacoins_error_response_decodes_into_the_documented_kind_code_and_message() {
    const NAME: &str = "milacoins/error_response.json";
    let server = MockServer::start().await;
    // The document does not say which call answered; its error table gives
    // 404 for code 1604 (DOCUMENT_NOT_FOUND). A read by id is the natural one.
    Mock::given(method("GET"))
        .and(path("/transactions/62d8df9142d15eaa837f8ace"))
        .respond_with(serve(NAME, 404))
        .expect(1)
        .mount(&server)
        .await;
    let client = walletkit::milacoins::MilaCoinsClient::builder()
        .credentials("mila-key", "mila-secret")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .transactions()
        .get(&walletkit::milacoins::TransactionId::from("62d8df9142d15eaa837f8ace"))
        .await
        .unwrap_err();
    let api = err.as_api().unwrap_or_else(|| panic!("{NAME}: {err:?}"));
    assert_eq!((api.provider, api.status, api.kind), (Provider::MilaCoins, 404, ErrorKind::NotFound), "{NAME}");
    assert_eq!(api.code.as_deref(), Some("1604"), "{NAME}: code");
    assert_eq!(api.request_id.as_deref(), Some("62d956eda0a3bf0730f5fd18"), "{NAME}: requestID");
    assert_eq!(
        api.message, "DOCUMENT_NOT_FOUND: No Invoice found with that ID (id:62d8df9142d15eaa837f8ace)",
        "{NAME}: name and message"
    );
    assert!(!err.is_retryable(), "{NAME}");
}

// ---------------------------------------------------------------------------
// Wallets
// ---------------------------------------------------------------------------

fn wallets(server: &MockServer, retry: RetryPolicy) -> WalletsClient {
    WalletsClient::builder().base_url(server.uri()).token("tok-doc").retry_policy(retry).build().unwrap()
}

/// The document's `Name: value` header lines.
fn documented_headers(name: &str) -> Vec<(String, String)> {
    fixture(name)
        .lines()
        .map(|line| {
            let (k, v) = line.split_once(": ").unwrap_or_else(|| panic!("{name}: {line:?} is not `Name: value`"));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// The list example with the document's headers.
fn wallets_list_response() -> ResponseTemplate {
    let mut t = serve("wallets/list_response.json", 200);
    for (k, v) in documented_headers("wallets/list_response_headers.txt") {
        t = t.insert_header(k.as_str(), v.as_str());
    }
    t
}

#[track_caller]
fn assert_wallet(name: &str, w: &Wallet, id: u64, currency_id: u64, amount: &str, wallet_type: WalletType) {
    assert_eq!(w.id, WalletId::from(id), "{name}: id");
    assert_eq!(w.id.as_str(), id.to_string(), "{name}: id digit for digit");
    assert_eq!(w.currency_id, CurrencyId::from(currency_id), "{name}: currency_id of {id}");
    assert_amount(name, &format!("amount of {id}"), w.amount, amount);
    assert_eq!(w.wallet_type, wallet_type, "{name}: type of {id}");
    assert_eq!((w.name.as_deref(), w.currency.as_deref()), (None, None), "{name}: fields the example lacks");
    assert!(w.extra.is_empty(), "{name}: {:?}", w.extra);
}

#[tokio::test]
async fn wallets_list_response_decodes_exactly_with_its_documented_headers() {
    const NAME: &str = "wallets/list_response.json";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets"))
        .and(query_param("page", "1"))
        .respond_with(wallets_list_response())
        .expect(1)
        .mount(&server)
        .await;
    let page = wallets(&server, fast()).wallets().list().get().await.unwrap();
    assert_eq!(page.items.len(), 3, "{NAME}");
    assert_wallet(NAME, &page.items[0], 101, 1, "5000.00", WalletType::Prepaid);
    assert_wallet(NAME, &page.items[1], 102, 2, "2500.50", WalletType::Prepaid);
    assert_wallet(NAME, &page.items[2], 103, 3, "10000.00", WalletType::Postpaid);
    // X-Page, X-Per-Page, X-Total-Count, X-Total-Pages, X-Has-More.
    assert_eq!(
        (page.page, page.page_size, page.total_items, page.total_pages, page.has_more()),
        (1, Some(50), Some(5), Some(1), false),
        "wallets/list_response_headers.txt"
    );
}

#[tokio::test]
async fn wallets_list_headers_claim_five_items_for_three_in_the_body_and_x_page_size_has_no_typed_field() {
    const NAME: &str = "wallets/list_response_headers.txt";
    let headers = documented_headers(NAME);
    let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!((header("X-Page-Size"), header("X-Total-Count")), (Some("5"), Some("5")), "{NAME}");
    let body: Vec<Value> = serde_json::from_str(&fixture("wallets/list_response.json")).unwrap();
    assert_eq!(body.len(), 3, "wallets/list_response.json");
    // walletkit's `Page` has no field for X-Page-Size ("actual items in the
    // current page"): the items are the body's. X-Total-Count is reported as sent.
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/api/v1/wallets")).respond_with(wallets_list_response()).mount(&server).await;
    let page = wallets(&server, fast()).wallets().list().get().await.unwrap();
    assert_eq!((page.items.len(), page.total_items), (3, Some(5)), "{NAME}");
}

#[tokio::test]
async fn wallets_get_response_decodes_exactly() {
    const NAME: &str = "wallets/get_response.json";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets/101"))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let w = wallets(&server, fast()).wallets().get(&WalletId::from(101)).await.unwrap();
    assert_wallet(NAME, &w, 101, 1, "5000.00", WalletType::Prepaid);
}

#[tokio::test]
async fn wallets_error_responses_decode_into_their_kind_code_and_message() {
    let cases = [
        ("wallets/list_error_400.json", 400, ErrorKind::Validation, "BAD_REQUEST", "Invalid query parameters"),
        (
            "wallets/list_error_401.json",
            401,
            ErrorKind::Unauthorized,
            "UNAUTHORIZED",
            "Authentication required or failed.",
        ),
        (
            "wallets/list_error_500.json",
            500,
            ErrorKind::ServerError,
            "INTERNAL_SERVER_ERROR",
            "Could not retrieve wallets",
        ),
        ("wallets/get_error_400.json", 400, ErrorKind::Validation, "BAD_REQUEST", "Invalid wallet ID"),
        ("wallets/get_error_404.json", 404, ErrorKind::NotFound, "NOT_FOUND", "Wallet not found"),
        (
            "wallets/get_error_500.json",
            500,
            ErrorKind::ServerError,
            "INTERNAL_SERVER_ERROR",
            "Failed to retrieve wallet",
        ),
    ];
    for (name, status, kind, code, message) in cases {
        let server = MockServer::start().await;
        let listing = name.starts_with("wallets/list_");
        let route = if listing { "/api/v1/wallets" } else { "/api/v1/wallets/101" };
        Mock::given(method("GET")).and(path(route)).respond_with(serve(name, status)).expect(1).mount(&server).await;
        let client = wallets(&server, RetryPolicy::none());
        let err = if listing {
            client.wallets().list().get().await.unwrap_err()
        } else {
            client.wallets().get(&WalletId::from(101)).await.unwrap_err()
        };
        let api = err.as_api().unwrap_or_else(|| panic!("{name}: {err:?}"));
        assert_eq!(
            (api.provider, api.status, api.kind, api.code.as_deref(), api.message.as_str()),
            (Provider::Wallets, status, kind, Some(code), message),
            "{name}"
        );
    }
}

// ---------------------------------------------------------------------------
// Wallet-as-a-Service
// ---------------------------------------------------------------------------

/// A WaaS client logged in against `server`. The document shows no login
/// answer beyond naming `access_token`, so this one is made up.
async fn waas(server: &MockServer) -> WaasClient {
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"access_token":"tok-doc"}"#, "application/json"))
        .mount(server)
        .await;
    WaasClient::builder().base_url(server.uri()).credentials("user", "pass").retry_policy(fast()).build().unwrap()
}

/// Answers `verb` `route` with the fixture `name`.
async fn waas_answer(server: &MockServer, verb: &str, route: &str, name: &str) {
    Mock::given(method(verb)).and(path(route)).respond_with(serve(name, 200)).expect(1..).mount(server).await;
}

fn waas_client_request() -> ClientRequest {
    ClientRequest::builder()
        .client_name("LIPAD")
        .client_email("[email protected]")
        .client_phone_number("254712345678")
        .contact_person_name("Admin")
        .contact_person_email("[email protected]")
        .contact_person_msisdn("254712345678")
        .business_pin("1")
        .physical_address("456 Elm St")
        .country("Canada")
        .logo("https://example.com/logo2.png")
        .description("Lorem ipsum dolor sit amet consectetur adipiscing elit.")
        .is_active(true)
        .build()
        .unwrap()
}

fn waas_account_request() -> AccountRequest {
    AccountRequest::new(
        ClientCode::from("LIPNZPMF7O"),
        AccountTypeCode::FloatAccount,
        AccountName::from("Collection Account KES 2"),
        "KES",
        dec("0"),
        AccountStatus::Active,
    )
    .can_overdraw(false)
    .status_description("Collection Account")
}

fn waas_client_service_request() -> ClientServiceRequest {
    ClientServiceRequest::new(
        ClientCode::from("LIPNZPMF7O"),
        "Payout KES Nairobi",
        ServiceCode::from("CUSTOM_SERVICE"),
        dec("1.0")..=dec("100.0"),
    )
    .transaction_fee(FeeType::Fixed, dec("0.0"))
    .is_active(true)
}

fn waas_transaction_request() -> TransactionRequest {
    let data = json!({"data": "test"}).as_object().unwrap().clone();
    TransactionRequest::new(
        AccountNumber::from("10000099"),
        ClientServiceCode::from("FLOIQ2XAFJ"),
        TransactionSource::External,
        dec("100.0"),
        SourceTransactionId::from("12325524445"),
        utc(2024, 7, 29, 12, 34, 56, 0),
    )
    .source_transaction_data(data)
    .transaction_narration("Test")
}

fn waas_transfer_request() -> AccountTransferRequest {
    AccountTransferRequest::builder()
        .source_account_number(AccountNumber::from("10000014"))
        .destination_account_number(AccountNumber::from("10000015"))
        .client_service_code(ClientServiceCode::from("INT_NHQ5Y77"))
        .transaction_amount(dec("10.0"))
        .source_transaction_id(SourceTransactionId::from("1"))
        .transaction_source(TransactionSource::Internal)
        .source_transaction_data(serde_json::Map::new())
        .transaction_narration("Transfer for payment")
        .transaction_date(utc(2022, 7, 29, 12, 34, 56, 0))
        .build()
        .unwrap()
}

#[tokio::test]
async fn waas_client_request_is_sent_as_documented() {
    const NAME: &str = "waas/client_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/clients", "waas/client_response.json").await;
    waas(&server).await.clients().create(&waas_client_request()).await.unwrap();
    assert_sent_as_documented(NAME, &sent_once(&server, NAME, "POST", "/api/v1/clients").await);
}

#[tokio::test]
async fn waas_client_response_decodes_exactly() {
    const NAME: &str = "waas/client_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/clients", NAME).await;
    let c = waas(&server).await.clients().create(&waas_client_request()).await.unwrap();
    assert_eq!(c.client_id, ClientId::from("123"), "{NAME}: client_id");
    assert_eq!(c.client_name.as_deref(), Some("Emlyn"), "{NAME}: client_name");
    assert_eq!(c.client_email.as_deref(), Some("[email protected]"), "{NAME}: client_email");
    assert_eq!(c.client_phone_number.as_deref(), Some("7209323323"), "{NAME}: client_phone_number, a number");
    assert_eq!(c.contact_person_name.as_deref(), Some("Emlyn"), "{NAME}: contact_person_name");
    assert_eq!(c.contact_person_email.as_deref(), Some("[email protected]"), "{NAME}: contact_person_email");
    assert_eq!(c.contact_person_msisdn.as_deref(), Some("7209323323"), "{NAME}: contact_person_msisdn, a number");
    assert_eq!(c.business_pin.as_deref(), Some("A102035"), "{NAME}: business_pin");
    assert_eq!(c.physical_address.as_deref(), Some("Nairobi, Kenya"), "{NAME}: physical_address");
    assert_eq!(c.country.as_deref(), Some("Kenya"), "{NAME}: country");
    assert_eq!(c.description.as_deref(), Some("Test"), "{NAME}: description");
    assert_eq!(c.is_active, Some(true), "{NAME}: is_active 1");
    assert_eq!(c.client_code, ClientCode::from("EML67BG6W1"), "{NAME}: client_code");
    assert_eq!(c.logo.as_deref(), Some("https://example.com/logo.png"), "{NAME}: logo");
    assert!(c.extra.is_empty(), "{NAME}: {:?}", c.extra);
}

#[tokio::test]
async fn waas_account_request_is_sent_as_documented() {
    const NAME: &str = "waas/account_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/accounts", "waas/account_response.json").await;
    waas(&server).await.accounts().create(&waas_account_request()).await.unwrap();
    assert_sent_as_documented(NAME, &sent_once(&server, NAME, "POST", "/api/v1/accounts").await);
}

#[tokio::test]
async fn waas_account_response_decodes_exactly() {
    const NAME: &str = "waas/account_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/accounts", NAME).await;
    let a = waas(&server).await.accounts().create(&waas_account_request()).await.unwrap();
    assert_eq!(a.account_id, AccountId::from("1"), "{NAME}: account_id");
    assert_eq!(a.account_number, AccountNumber::from("10000110"), "{NAME}: account_number");
    assert_eq!(a.account_name.as_deref(), Some("Float Account 1"), "{NAME}: account_name");
    assert_eq!(a.currency.as_deref(), Some("KES"), "{NAME}: currency");
    assert_opt_amount(NAME, "minimum_balance", a.minimum_balance, "0.1000");
    assert_eq!(a.can_overdraw, Some(false), "{NAME}: can_overdraw");
    assert_eq!(a.status, Some(AccountStatus::Active), "{NAME}: status");
    assert_eq!(a.status_description.as_deref(), Some("Test account"), "{NAME}: status_description");
    let at = Timestamp::At(utc(2024, 9, 5, 17, 14, 4, 734));
    assert_eq!((a.created_at, a.updated_at), (Some(at.clone()), Some(at)), "{NAME}: created_at, updated_at");
    assert_eq!((a.client_code, a.account_type_code), (None, None), "{NAME}: fields the example lacks");
    assert!(a.extra.is_empty(), "{NAME}: {:?}", a.extra);
}

#[tokio::test]
async fn waas_client_service_request_is_sent_as_documented() {
    const NAME: &str = "waas/client_service_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/client-services", "waas/client_service_response.json").await;
    waas(&server).await.client_services().create(&waas_client_service_request()).await.unwrap();
    assert_sent_as_documented(NAME, &sent_once(&server, NAME, "POST", "/api/v1/client-services").await);
}

#[tokio::test]
async fn waas_client_service_response_decodes_exactly() {
    const NAME: &str = "waas/client_service_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/client-services", NAME).await;
    let s = waas(&server).await.client_services().create(&waas_client_service_request()).await.unwrap();
    assert_eq!(s.client_service_id.as_str(), "1", "{NAME}: client_service_id");
    assert_eq!(s.client_service_code, ClientServiceCode::from("PAY1CNAELX"), "{NAME}: client_service_code");
    assert_eq!(s.client_code, Some(ClientCode::from("LIPNZPMF7O")), "{NAME}: client_code");
    assert_eq!(s.client_service_name.as_deref(), Some("Payout KES Nairobi"), "{NAME}: client_service_name");
    assert_eq!(s.service_code, Some(ServiceCode::from("CUSTOM_SERVICE")), "{NAME}: service_code");
    assert_eq!(s.has_transaction_fee, Some(true), "{NAME}: has_transaction_fee");
    assert_eq!(s.transaction_fee_type, Some(FeeType::Fixed), "{NAME}: transaction_fee_type");
    assert_opt_amount(NAME, "transaction_fee", s.transaction_fee, "0.0");
    assert_opt_amount(NAME, "minimum_transaction_amount", s.minimum_transaction_amount, "1.0");
    assert_opt_amount(NAME, "maximum_transaction_amount", s.maximum_transaction_amount, "100.0");
    assert_eq!(s.is_active, Some(true), "{NAME}: is_active 1");
    assert!(s.extra.is_empty(), "{NAME}: {:?}", s.extra);
}

#[tokio::test]
async fn waas_transaction_request_is_sent_as_documented_for_credit_and_debit() {
    const NAME: &str = "waas/transaction_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/transactions", "waas/transaction_response.json").await;
    let client = waas(&server).await;
    client.transactions().credit(&waas_transaction_request()).await.unwrap();
    client.transactions().debit(&waas_transaction_request()).await.unwrap();
    let sent = received(&server, "POST", "/api/v1/transactions").await;
    let queries: Vec<_> = sent.iter().map(|(q, _)| q.as_deref()).collect();
    assert_eq!(queries, [Some("command=CREDIT"), Some("command=DEBIT")], "{NAME}");
    for (_, body) in &sent {
        assert_sent_as_documented(NAME, body);
    }
}

/// Every field of a ledger entry in the document's examples.
struct Entry<'a> {
    transaction_id: &'a str,
    account: &'a str,
    client_service: &'a str,
    transaction_type: TransactionType,
    currency: &'a str,
    transaction_amount: &'a str,
    previous_balance: &'a str,
    current_balance: &'a str,
    other_party_account: &'a str,
    other_party_transaction_hash: &'a str,
    transaction_source: TransactionSource,
    source_transaction_id: &'a str,
    /// `source_transaction_data` exactly as the document writes it.
    source_transaction_data: &'a str,
    transaction_narration: &'a str,
    transaction_date: DateTime<Utc>,
}

#[track_caller]
fn assert_entry(name: &str, t: &Transaction, want: Entry<'_>) {
    let id = want.transaction_id;
    assert_eq!(t.transaction_id, TransactionId::from(id), "{name}: transaction_id");
    assert_eq!(t.account, AccountNumber::from(want.account), "{name}: account of {id}");
    assert_eq!(t.client_service, Some(ClientServiceCode::from(want.client_service)), "{name}: client_service of {id}");
    assert_eq!(t.transaction_type, want.transaction_type, "{name}: transaction_type of {id}");
    assert_eq!(t.currency.as_deref(), Some(want.currency), "{name}: currency of {id}");
    assert_amount(name, &format!("transaction_amount of {id}"), t.transaction_amount, want.transaction_amount);
    assert_amount(name, &format!("previous_balance of {id}"), t.previous_balance, want.previous_balance);
    assert_amount(name, &format!("current_balance of {id}"), t.current_balance, want.current_balance);
    assert_eq!(
        t.other_party_account,
        Some(AccountNumber::from(want.other_party_account)),
        "{name}: other_party_account of {id}"
    );
    assert_eq!(
        t.other_party_transaction_hash.as_deref(),
        Some(want.other_party_transaction_hash),
        "{name}: other_party_transaction_hash of {id}"
    );
    assert_eq!(t.transaction_source, Some(want.transaction_source), "{name}: transaction_source of {id}");
    assert_eq!(
        t.source_transaction_id,
        Some(SourceTransactionId::from(want.source_transaction_id)),
        "{name}: source_transaction_id of {id}"
    );
    let data = t.source_transaction_data.as_ref().unwrap_or_else(|| panic!("{name}: source_transaction_data of {id}"));
    assert_eq!(data.get(), want.source_transaction_data, "{name}: source_transaction_data of {id}, as written");
    assert_eq!(t.transaction_narration.as_deref(), Some(want.transaction_narration), "{name}: narration of {id}");
    assert_eq!(t.transaction_date, Some(Timestamp::At(want.transaction_date)), "{name}: transaction_date of {id}");
    assert!(t.extra.is_empty(), "{name}: {id}: {:?}", t.extra);
}

const DASHBOARD: &str = "{\n\"data\": \"Dashboard\"\n}";

#[tokio::test]
async fn waas_transaction_response_decodes_exactly() {
    const NAME: &str = "waas/transaction_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/transactions", NAME).await;
    let t = waas(&server).await.transactions().credit(&waas_transaction_request()).await.unwrap();
    assert_entry(
        NAME,
        &t,
        Entry {
            transaction_id: "7607",
            account: "10000110",
            client_service: "PAY1CNAELX",
            transaction_type: TransactionType::Credit,
            currency: "KES",
            transaction_amount: "96.0000",
            previous_balance: "0.0000",
            current_balance: "96.0000",
            other_party_account: "10000002",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::External,
            source_transaction_id: "121231234",
            source_transaction_data: DASHBOARD,
            transaction_narration: "2131321",
            transaction_date: utc(2024, 9, 5, 17, 47, 0, 0),
        },
    );
}

#[tokio::test]
async fn waas_transfer_request_is_sent_as_documented() {
    const NAME: &str = "waas/transfer_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/account-transfers", "waas/transfer_response.json").await;
    waas(&server).await.account_transfers().create(&waas_transfer_request()).await.unwrap();
    assert_sent_as_documented(NAME, &sent_once(&server, NAME, "POST", "/api/v1/account-transfers").await);
}

#[tokio::test]
async fn waas_transfer_response_decodes_exactly() {
    const NAME: &str = "waas/transfer_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/account-transfers", NAME).await;
    let pair: TransactionPair = waas(&server).await.account_transfers().create(&waas_transfer_request()).await.unwrap();
    assert_entry(
        NAME,
        &pair.source_transaction,
        Entry {
            transaction_id: "7611",
            account: "10000097",
            client_service: "INTBPHGRXO",
            transaction_type: TransactionType::Debit,
            currency: "KES",
            transaction_amount: "10.0000",
            previous_balance: "2985.0000",
            current_balance: "2975.0000",
            other_party_account: "10000095",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::Internal,
            source_transaction_id: "IFT112242342412324",
            source_transaction_data: DASHBOARD,
            transaction_narration: "1242142421421",
            transaction_date: utc(2024, 9, 5, 18, 36, 42, 774),
        },
    );
    assert_entry(
        NAME,
        &pair.destination_transaction,
        Entry {
            transaction_id: "7612",
            account: "10000095",
            client_service: "INTBPHGRXO",
            transaction_type: TransactionType::Credit,
            currency: "KES",
            transaction_amount: "10.0000",
            previous_balance: "0.0000",
            current_balance: "10.0000",
            other_party_account: "10000097",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::Internal,
            source_transaction_id: "IFT212242342412324",
            source_transaction_data: DASHBOARD,
            transaction_narration: "1242142421421",
            transaction_date: utc(2024, 9, 5, 18, 36, 42, 788),
        },
    );
    assert!(pair.extra.is_empty(), "{NAME}: {:?}", pair.extra);
}

#[tokio::test]
async fn waas_reversal_response_repeats_transaction_id_with_the_same_value_and_decodes_exactly() {
    const NAME: &str = "waas/reversal_response.json";
    // The repeated key, as the document has it: both values are "7610".
    let text = fixture(NAME);
    let raw: &RawValue = serde_json::from_str(&text).unwrap();
    let mut repeats = Vec::new();
    exact_at(raw, "$", &mut Some(&mut repeats)).unwrap();
    assert_eq!(
        repeats,
        [("$.destination_transaction.transaction_id".to_string(), "\"7610\"".to_string(), "\"7610\"".to_string())],
        "{NAME}"
    );

    let server = MockServer::start().await;
    // The document does not say which transaction was reversed; any id serves.
    Mock::given(method("POST"))
        .and(path("/api/v1/transactions/7600"))
        .and(query_param("command", "REVERSE"))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let pair = waas(&server).await.transactions().reverse(&TransactionId::from("7600")).await.unwrap();
    assert_entry(
        NAME,
        &pair.source_transaction,
        Entry {
            transaction_id: "7609",
            account: "10000110",
            client_service: "REVN6D91E4",
            transaction_type: TransactionType::Debit,
            currency: "KES",
            transaction_amount: "997.0000",
            previous_balance: "1093.0000",
            current_balance: "96.0000",
            other_party_account: "10000002",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::Internal,
            source_transaction_id: "RVS11212adas",
            source_transaction_data: DASHBOARD,
            transaction_narration: "1213124",
            transaction_date: utc(2024, 9, 5, 17, 58, 0, 0),
        },
    );
    assert_entry(
        NAME,
        &pair.destination_transaction,
        Entry {
            transaction_id: "7610",
            account: "10000002",
            client_service: "REVN6D91E4",
            transaction_type: TransactionType::Credit,
            currency: "KES",
            transaction_amount: "997.0000",
            previous_balance: "9195.0000",
            current_balance: "10192.0000",
            other_party_account: "10000110",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::Internal,
            source_transaction_id: "RVS21212adas",
            source_transaction_data: DASHBOARD,
            transaction_narration: "1213124",
            transaction_date: utc(2024, 9, 5, 17, 58, 0, 0),
        },
    );
    assert!(pair.extra.is_empty(), "{NAME}: {:?}", pair.extra);
}

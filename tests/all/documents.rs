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
    AccountId, AccountName, AccountNumber, AccountRequest, AccountStatus, AccountTransferRequest,
    AccountTransferRequired, AccountTypeCode, ClientCode, ClientId, ClientRequest, ClientRequired, ClientServiceCode,
    ClientServiceRequest, ClientServiceRequired, FeeType, ServiceCode, SourceTransactionId, Transaction, TransactionId,
    TransactionPair, TransactionRequest, TransactionSource, TransactionType, WaasClient,
};
use walletkit::wallets::{CurrencyId, Wallet, WalletId, WalletType, WalletsClient};
use walletkit::{Decimal, ErrorKind, Provider, RetryPolicy, Timestamp};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::fast;

mod milacoins;
mod milta;
mod waas;
mod wallets;

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

//! Known-answer tests for the MilaCoins signature, against vectors computed
//! outside Rust (see `fixtures/milacoins/signatures.json` for the commands).

use std::str::FromStr;

use serde::Deserialize;

use super::{InvoiceRequest, WalletName};
use crate::transport::auth::sign;
use crate::Decimal;

#[derive(Deserialize)]
struct Vectors {
    secret: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    time: String,
    method: String,
    target: String,
    body: String,
    signed_string: String,
    expected: String,
    command: String,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../../fixtures/milacoins/signatures.json")).unwrap()
}

fn vector(name: &str) -> Vector {
    vectors().vectors.into_iter().find(|v| v.name == name).unwrap()
}

#[test]
fn every_vector_matches_the_value_computed_outside_rust() {
    let all = vectors();
    assert!(all.vectors.len() >= 4);
    for v in &all.vectors {
        assert_eq!(v.signed_string, format!("{}{}{}{}", v.time, v.method, v.target, v.body), "{}", v.name);
        assert!(!v.command.is_empty());
        let got = sign(all.secret.as_bytes(), &v.time, &v.method, &v.target, v.body.as_bytes()).unwrap();
        assert_eq!(got, v.expected, "{}", v.name);
    }
}

#[test]
fn a_changed_byte_changes_the_signature() {
    let all = vectors();
    let v = &all.vectors[0];
    let other = sign(all.secret.as_bytes(), &v.time, &v.method, &format!("{}&", v.target), v.body.as_bytes()).unwrap();
    assert_ne!(other, v.expected);
    let lower = sign(all.secret.as_bytes(), &v.time, "get", &v.target, v.body.as_bytes()).unwrap();
    assert_eq!(lower, v.expected, "the method is upper-cased before signing");
}

#[test]
fn invoice_bodies_are_the_signed_bytes() {
    // The non-ASCII vector's body is exactly what the client serialises.
    let v = vector("post_non_ascii_body");
    let req = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from_str("10.50").unwrap(), "EUR")
        .external_id("Zoë-Ørsted-日本-€");
    assert_eq!(serde_json::to_string(&req).unwrap(), v.body);

    // milauth (Python): str(seconds) + METHOD + path + json.dumps(body, separators=(",", ":")).
    let v = vector("milauth_python_convention");
    let req =
        InvoiceRequest::new(WalletName::from("BTC"), Decimal::from_str("10.50").unwrap(), "USD").external_id("INV-1");
    let body = serde_json::to_vec(&req).unwrap();
    assert_eq!(body, v.body.as_bytes());
    let secret = vectors().secret;
    assert_eq!(sign(secret.as_bytes(), "1618832932", "POST", "/invoices", &body).unwrap(), v.expected);
}

//! Unit tests of the invoice requests.

use super::*;
use std::str::FromStr;

#[test]
fn invoice_body_is_compact_in_document_order() {
    let at = DateTime::parse_from_rfc3339("2022-07-21T13:45:49Z").unwrap().with_timezone(&Utc);
    let req = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from_str("10.50").unwrap(), "EUR")
        .external_id("INV-1")
        .expired_at(at);
    assert_eq!(
        serde_json::to_string(&req).unwrap(),
        r#"{"wallet":"BTC","amount":10.5,"currency":"EUR","externalID":"INV-1","expiredAt":"2022-07-21T13:45:49.000Z"}"#
    );
    let bare = InvoiceRequest::new(WalletName::from("BTC"), Decimal::from(10), "EUR");
    assert_eq!(serde_json::to_string(&bare).unwrap(), r#"{"wallet":"BTC","amount":10,"currency":"EUR"}"#);
}

#[test]
fn invalid_invoices_are_refused_before_sending() {
    let btc = WalletName::from("BTC");
    assert!(check_common(&btc, Decimal::ZERO, "EUR").is_err());
    assert!(check_common(&btc, Decimal::from(-1), "EUR").is_err());
    assert!(check_common(&WalletName::from(" "), Decimal::ONE, "EUR").is_err());
    assert!(check_common(&btc, Decimal::ONE, " ").is_err());
    assert!(check_common(&btc, Decimal::ONE, "EUR").is_ok());
}

#[test]
fn invoice_response_reads_numbers_as_times_and_exact_amounts() {
    let inv: Invoice = serde_json::from_str(
        r#"{"id":"i1","wallet":"BTC","amount":12345678901234567.89,"currency":"EUR","externalID":"x",
            "url":"https://pay/i1","expiredAt":1658414749000,"createdAt":1658411149,"extra":1}"#,
    )
    .unwrap();
    assert_eq!(inv.amount.unwrap().to_string(), "12345678901234567.89");
    assert_eq!(inv.expired_at.unwrap().timestamp(), 1_658_414_749);
    assert_eq!(inv.created_at.unwrap().timestamp(), 1_658_411_149);
    assert_eq!(inv.extra["extra"].get(), "1");
}

fn read(json: &str) -> Invoice {
    serde_json::from_str(json).unwrap()
}

#[test]
fn both_spellings_at_once_decode_and_the_documented_one_wins() {
    let inv = read(
        r#"{"_id":"mongo","id":"i1","invoiceId":"other","externalId":"lower","externalID":"ORDER-42",
            "currencyCode":"USD","currency":"EUR","paymentUrl":"https://b","url":"https://a",
            "expiresAt":1,"expiredAt":"2022-07-21T16:45:49.000+03:00","created_at":2,"createdAt":"2022-07-21T13:45:49Z"}"#,
    );
    assert_eq!(inv.id.as_str(), "i1");
    assert_eq!(inv.external_id.as_deref(), Some("ORDER-42"));
    assert_eq!((inv.currency.as_deref(), inv.url.as_deref()), (Some("EUR"), Some("https://a")));
    assert_eq!(inv.expired_at.unwrap().timestamp(), 1_658_411_149, "ISO text at an offset");
    assert_eq!(inv.created_at.unwrap().timestamp(), 1_658_411_149);
    assert!(inv.extra.is_empty(), "{:?}", inv.extra);
    let inv = read(r#"{"_id":"m","externalId":"E"}"#);
    assert_eq!((inv.id.as_str(), inv.external_id.as_deref()), ("m", Some("E")));
}

#[test]
fn amounts_exact_from_numbers_and_strings() {
    for (json, want) in [
        ("12345678901234567.89", "12345678901234567.89"),
        (r#""12345678901234567.89""#, "12345678901234567.89"),
        ("0.123456789012345678", "0.123456789012345678"),
        (r#""0.123456789012345678""#, "0.123456789012345678"),
    ] {
        let inv = read(&format!(r#"{{"id":"i","amount":{json}}}"#));
        assert_eq!(inv.amount.unwrap().to_string(), want, "{json}");
    }
}

#[test]
fn null_for_every_optional_field_and_ids_as_numbers() {
    let inv = read(
        r#"{"id":62958,"wallet":null,"amount":null,"currency":null,"externalID":null,"url":null,
            "expiredAt":null,"createdAt":null}"#,
    );
    assert_eq!(inv, read(r#"{"id":"62958"}"#));
    assert_eq!(inv.id, InvoiceId::from("62958"));
    assert_eq!(read(r#"{"id":"i","externalID":4242}"#).external_id.as_deref(), Some("4242"));
}

#[test]
fn unknown_fields_are_reachable_exactly() {
    let inv = read(r#"{"id":"i","fee":12345678901234567.89,"network":{"name":"BTC","fees":[0.0001,1e-8]}}"#);
    assert_eq!(inv.extra["fee"].get(), "12345678901234567.89");
    assert_eq!(inv.extra["network"].get(), r#"{"name":"BTC","fees":[0.0001,1e-8]}"#);
    assert_eq!(inv.extra.len(), 2);
}

//! Adding walletkit must not change how the rest of a program parses JSON:
//! serde_json's `arbitrary_precision` (a Cargo feature, so global) would make
//! a user's `flatten` + `f64` struct fail and `Value` print `1.10` for `1.1`.

use serde::Deserialize;
use serde_json::Value;
use walletkit::Decimal;

#[derive(Debug, Deserialize)]
struct UserEvent {
    name: String,
    #[serde(flatten)]
    metrics: UserMetrics,
}

#[derive(Debug, Deserialize)]
struct UserMetrics {
    ratio: f64,
}

#[test]
fn the_users_flatten_and_f64_struct_still_decodes() {
    let event: UserEvent = serde_json::from_str(r#"{"name":"signup","ratio":0.25}"#).expect("flatten + f64 decodes");
    assert_eq!((event.name.as_str(), event.metrics.ratio), ("signup", 0.25));
}

#[test]
fn the_users_values_print_as_plain_serde_json_prints_them() {
    let value: Value = serde_json::from_str(r#"{"a":1.10,"b":1e2}"#).unwrap();
    assert_eq!(value.to_string(), r#"{"a":1.1,"b":100.0}"#);
    assert!(value["a"].is_f64(), "numbers are f64 values, not arbitrary-precision strings");
}

#[derive(Debug, Deserialize)]
struct Amount {
    #[serde(with = "walletkit::money::number")]
    amount: Decimal,
}

#[test]
fn walletkit_reads_amounts_exactly_in_the_same_build() {
    for text in ["12345678901234567.89", "0.123456789012345678"] {
        for json in [format!(r#"{{"amount":{text}}}"#), format!(r#"{{"amount":"{text}"}}"#)] {
            let a: Amount = serde_json::from_str(&json).unwrap();
            assert_eq!(a.amount.to_string(), text, "{json}");
        }
        for amount in [text.to_string(), format!(r#""{text}""#)] {
            let body = format!(r#"{{"transferId":"T-1","status":"PENDING","amount":{amount}}}"#);
            let t: walletkit::milta::Transfer = serde_json::from_str(&body).unwrap();
            assert_eq!(t.amount.unwrap().to_string(), text, "milta {body}");

            let body = format!(r#"{{"id":"t1","status":"paid","invoiceAmount":{amount}}}"#);
            let t: walletkit::milacoins::Transaction = serde_json::from_str(&body).unwrap();
            assert_eq!(t.invoice_amount.unwrap().to_string(), text, "milacoins {body}");

            let body = format!(r#"{{"id":101,"currency_id":1,"amount":{amount},"type":"PREPAID"}}"#);
            let w: walletkit::wallets::Wallet = serde_json::from_str(&body).unwrap();
            assert_eq!(w.amount.to_string(), text, "wallets {body}");

            let body = format!(
                r#"{{"transaction_id":"1","account":"10000110","transaction_type":"CREDIT",
                "transaction_amount":{amount},"previous_balance":"0.0000","current_balance":{amount}}}"#
            );
            let t: walletkit::waas::Transaction = serde_json::from_str(&body).unwrap();
            assert_eq!(t.transaction_amount.to_string(), text, "waas {body}");
        }
    }
}

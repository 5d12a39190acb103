//! A payment as MilaCoins reports it, read in every spelling it has used.

use crate::transport::paginate::Identify;
use crate::wire::{string_id, wire_enum, wire_object, Money, Stamp, Text, Timestamp};
use crate::Decimal;

string_id! {
    /// A MilaCoins transaction id.
    TransactionId
}

wire_enum! {
    /// Where a payment stands (the document's status enum).
    TransactionStatus {
        /// Created, nothing received yet.
        Init = "init",
        /// Waiting for the customer's payment.
        New = "new",
        /// Seen on the network, waiting for confirmations.
        WaitingForConfirmation = "waitingForConfirmation",
        /// Paid in full and confirmed.
        Completed = "completed",
        /// Paid less than the invoice amount.
        UnderPaid = "underPaid",
        /// Paid more than the invoice amount.
        OverPaid = "overPaid",
        /// Paid after the invoice expired.
        PaidLate = "paidLate",
        /// Invalid.
        Invalid = "invalid",
    }
}

wire_enum! {
    /// Where a refund stands. The document names no values; these are the
    /// usual ones, and anything else is kept in [`RefundStatus::Unknown`].
    RefundStatus {
        /// Requested, not yet sent.
        Pending = "pending",
        /// Sent on the network.
        Completed = "completed",
        /// Could not be sent.
        Failed = "failed",
    }
}

wire_object! {
    /// A refund of a transaction.
    pub struct Refund {
        /// The refund's id.
        pub id: Option<String> = optional ["id", "_id", "refundId", "refundID"] via Text,
        /// Where the refund stands.
        pub status: Option<RefundStatus> = optional ["status"],
        /// Network it is sent on.
        pub network: Option<String> = optional ["network"],
        /// Amount refunded.
        pub amount: Option<Decimal> = optional ["amount"] via Money,
        /// Who requested it.
        pub agent: Option<String> = optional ["agent"],
        /// When it was requested.
        pub created_at: Option<Timestamp> = optional ["createdAt", "created_at"] via Stamp,
        /// When it last changed.
        pub updated_at: Option<Timestamp> = optional ["updatedAt", "updated_at"] via Stamp,
        /// Address refunded to.
        pub address: Option<String> = optional ["address"],
        /// Network transaction id.
        pub tx_id: Option<String> = optional ["txID", "txId", "txid", "txHash"] via Text,
    }
}

wire_object! {
    /// The rate a payment was converted at.
    pub struct ExchangeRate {
        /// Base currency.
        pub base: Option<String> = optional ["base"],
        /// Quote currency.
        pub quote: Option<String> = optional ["quote"],
        /// Units of `quote` per unit of `base`.
        pub rate: Option<Decimal> = optional ["rate"] via Money,
    }
}

wire_object! {
    /// The paying customer, as given when the invoice was created.
    pub struct Customer {
        /// First name.
        pub first_name: Option<String> = optional ["firstName", "customerFirstName"],
        /// Last name.
        pub last_name: Option<String> = optional ["lastName", "customerLastName"],
        /// Email (the document lost this field's name; `email` is assumed).
        pub email: Option<String> = optional ["email", "customerEmail"],
    }
}

wire_object! {
    /// A payment received against an invoice.
    pub struct Transaction {
        /// MilaCoins' id.
        pub id: TransactionId = required ["id", "_id", "transactionId", "transactionID"] via TransactionId,
        /// Receipt number (typed Number; read from a number or a string, digit for digit).
        pub receipt_id: Option<String> = optional ["receiptID", "receiptId"] via Text,
        /// Transaction type, as sent (the document lost its values).
        pub transaction_type: Option<String> = optional ["type", "transactionType"] via Text,
        /// Where the payment stands.
        pub status: TransactionStatus = required ["status"],
        /// The refund, when there is one.
        pub refund: Option<Refund> = optional ["refund"],
        /// Invoice currency.
        pub invoice_currency: Option<String> = optional ["invoiceCurrency"],
        /// Invoice amount, in the invoice currency.
        pub invoice_amount: Option<Decimal> = optional ["invoiceAmount"] via Money,
        /// Wallet paid into.
        pub wallet: Option<String> = optional ["wallet"],
        /// Amount credited to the wallet.
        pub wallet_credited: Option<Decimal> = optional ["walletCredited"] via Money,
        /// Network the payment arrived on.
        pub network: Option<String> = optional ["network"],
        /// Amount received on the network.
        pub network_amount_received: Option<Decimal> = optional ["networkAmountReceived"] via Money,
        /// Conversion rate applied.
        pub exchange_rate: Option<ExchangeRate> = optional ["exchangeRate"],
        /// Deposit address.
        pub address: Option<String> = optional ["address"],
        /// Network transaction ids (`null` reads as none).
        pub txs: Vec<String> = default ["txs"],
        /// Your reference from the invoice.
        pub external_id: Option<String> = optional ["externalID", "externalId"] via Text,
        /// The customer.
        pub customer: Option<Customer> = optional ["customer"],
        /// When it was created.
        pub created_at: Option<Timestamp> = optional ["createdAt", "created_at"] via Stamp,
        /// When it last changed.
        pub updated_at: Option<Timestamp> = optional ["updatedAt", "updated_at"] via Stamp,
    }
}

impl Identify for Transaction {
    fn identity(&self) -> Option<&str> {
        Some(self.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn statuses_keep_unknown_values() {
        let s: TransactionStatus = serde_json::from_str(r#""refunded""#).unwrap();
        assert_eq!(s, TransactionStatus::Unknown("refunded".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""refunded""#);
        for wire in
            ["init", "completed", "invalid", "new", "waitingForConfirmation", "underPaid", "overPaid", "paidLate"]
        {
            let s = TransactionStatus::from(wire);
            assert!(!matches!(s, TransactionStatus::Unknown(_)), "{wire}");
            assert_eq!(s.as_str(), wire);
        }
        let r: RefundStatus = serde_json::from_str(r#""onHold""#).unwrap();
        assert_eq!(r.as_str(), "onHold");
    }

    fn read(json: &str) -> Transaction {
        serde_json::from_str(json).unwrap()
    }

    fn dec(text: &str) -> Option<Decimal> {
        Some(text.parse().unwrap())
    }

    fn at(rfc3339: &str) -> Option<Timestamp> {
        Some(Timestamp::At(DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)))
    }

    /// Every documented field, in the alternative spellings next to the
    /// documented ones, with amounts as strings.
    const BOTH_SPELLINGS: &str = r#"{
        "_id": "mongo-id", "id": "62d95a1b", "transactionId": "other",
        "receiptId": "999", "receiptID": 100231,
        "transactionType": "payout", "type": "deposit",
        "status": "completed",
        "refund": {"_id": "r-mongo", "id": "r1", "status": "pending", "network": "BTC", "amount": "0.00001627",
                   "agent": "a@example.com", "created_at": 1, "createdAt": "2022-07-21T14:10:12Z",
                   "address": "tb1q", "txId": "lower", "txID": "upper"},
        "invoiceCurrency": "EUR", "invoiceAmount": "12345678901234567.89",
        "wallet": "BTC", "walletCredited": "0.123456789012345678",
        "network": "BTC", "networkAmountReceived": "1e-8",
        "exchangeRate": {"base": "BTC", "quote": "EUR", "rate": "19365.10"},
        "address": "tb1qar0", "txs": ["t1", "t2"],
        "externalId": "lower", "externalID": "ORDER-42",
        "customer": {"customerFirstName": "x", "firstName": "Zoë", "lastName": "Ørsted",
                     "customerEmail": "y@example.com", "email": "zoe@example.com"},
        "created_at": "2000-01-01", "createdAt": 1658411307512, "updatedAt": "2022-07-21T16:48:27.512000+03:00"
    }"#;

    #[test]
    fn both_spellings_at_once_decode_and_the_documented_one_wins() {
        let tx = read(BOTH_SPELLINGS);
        assert_eq!(tx.id.as_str(), "62d95a1b");
        assert_eq!(tx.receipt_id.as_deref(), Some("100231"));
        assert_eq!(tx.transaction_type.as_deref(), Some("deposit"));
        assert_eq!(tx.external_id.as_deref(), Some("ORDER-42"));
        assert_eq!(tx.invoice_amount, dec("12345678901234567.89"));
        assert_eq!(tx.invoice_amount.unwrap().to_string(), "12345678901234567.89");
        assert_eq!(tx.wallet_credited.unwrap().to_string(), "0.123456789012345678");
        assert_eq!(tx.network_amount_received, dec("0.00000001"));
        assert_eq!(tx.exchange_rate.as_ref().unwrap().rate, dec("19365.1"));
        assert_eq!(tx.created_at, at("2022-07-21T13:48:27.512Z"));
        assert_eq!(tx.updated_at, at("2022-07-21T13:48:27.512Z"));
        assert_eq!(tx.txs, ["t1", "t2"]);
        let refund = tx.refund.as_ref().unwrap();
        assert_eq!(refund.id.as_deref(), Some("r1"));
        assert_eq!(refund.tx_id.as_deref(), Some("upper"));
        assert_eq!(refund.status, Some(RefundStatus::Pending));
        assert_eq!(refund.amount, dec("0.00001627"));
        assert_eq!(refund.created_at, at("2022-07-21T14:10:12Z"));
        let customer = tx.customer.as_ref().unwrap();
        assert_eq!(customer.first_name.as_deref(), Some("Zoë"));
        assert_eq!(customer.last_name.as_deref(), Some("Ørsted"));
        assert_eq!(customer.email.as_deref(), Some("zoe@example.com"));
        for extra in [&tx.extra, &refund.extra, &customer.extra, &tx.exchange_rate.as_ref().unwrap().extra] {
            assert!(extra.is_empty(), "every spelling is a named one: {extra:?}");
        }
        // The alternatives alone are read too.
        let tx =
            read(r#"{"_id":"m","receiptId":"R-7","externalId":"E","status":"new","customer":{"customerEmail":"c@x"}}"#);
        assert_eq!(
            (tx.id.as_str(), tx.receipt_id.as_deref(), tx.external_id.as_deref()),
            ("m", Some("R-7"), Some("E"))
        );
        assert_eq!(tx.customer.unwrap().email.as_deref(), Some("c@x"));
    }

    #[test]
    fn amounts_are_exact_as_numbers_and_as_strings() {
        for (json, want) in [
            ("12345678901234567.89", "12345678901234567.89"),
            (r#""12345678901234567.89""#, "12345678901234567.89"),
            ("0.123456789012345678", "0.123456789012345678"),
            (r#""0.123456789012345678""#, "0.123456789012345678"),
            ("10.50", "10.50"),
            (r#""96.0000""#, "96.0000"),
        ] {
            let tx = read(&format!(
                r#"{{"id":"t","status":"new","invoiceAmount":{json},"walletCredited":{json},
                    "networkAmountReceived":{json},"exchangeRate":{{"rate":{json}}},"refund":{{"amount":{json}}}}}"#
            ));
            for amount in [
                tx.invoice_amount,
                tx.wallet_credited,
                tx.network_amount_received,
                tx.exchange_rate.unwrap().rate,
                tx.refund.unwrap().amount,
            ] {
                assert_eq!(amount.unwrap().to_string(), want, "{json}");
            }
        }
    }

    #[test]
    fn null_for_every_optional_field() {
        let tx = read(
            r#"{"id":"t","receiptID":null,"type":null,"status":"new","refund":null,"invoiceCurrency":null,
                "invoiceAmount":null,"wallet":null,"walletCredited":null,"network":null,
                "networkAmountReceived":null,"exchangeRate":null,"address":null,"txs":null,"externalID":null,
                "customer":null,"createdAt":null,"updatedAt":null}"#,
        );
        assert_eq!(tx, read(r#"{"id":"t","status":"new"}"#));
        assert!(tx.txs.is_empty() && tx.extra.is_empty());
        let nested = read(
            r#"{"id":"t","status":"new",
                "refund":{"id":null,"status":null,"network":null,"amount":null,"agent":null,"createdAt":null,
                          "updatedAt":null,"address":null,"txID":null},
                "exchangeRate":{"base":null,"quote":null,"rate":null},
                "customer":{"firstName":null,"lastName":null,"email":null}}"#,
        );
        let empty = read(r#"{"id":"t","status":"new","refund":{},"exchangeRate":{},"customer":{}}"#);
        assert_eq!(nested, empty);
        assert_eq!(nested.refund.unwrap().amount, None);
    }

    #[test]
    fn unknown_fields_are_reachable_exactly() {
        let tx = read(
            r#"{"id":"t","status":"new","confirmations":3,"fee":12345678901234567.89,
                "meta":{"nested":{"list":[0.10,null,"x"]}},"cancelUrl":null,
                "refund":{"reason":{"code":7}},"exchangeRate":{"provider":"kraken"},"customer":{"phone":"+972"}}"#,
        );
        assert_eq!(tx.extra["confirmations"].get(), "3");
        assert_eq!(tx.extra["fee"].get(), "12345678901234567.89");
        assert_eq!(tx.extra["meta"].get(), r#"{"nested":{"list":[0.10,null,"x"]}}"#);
        assert_eq!(tx.extra["cancelUrl"].get(), "null");
        assert_eq!(tx.extra.len(), 4);
        assert_eq!(tx.refund.unwrap().extra["reason"].get(), r#"{"code":7}"#);
        assert_eq!(tx.exchange_rate.unwrap().extra["provider"].get(), r#""kraken""#);
        assert_eq!(tx.customer.unwrap().extra["phone"].get(), r#""+972""#);
    }

    #[test]
    fn ids_as_numbers_and_as_strings() {
        let tx = read(
            r#"{"id":62956,"receiptID":100231,"externalID":42,"status":"new","type":3,
                "refund":{"id":7,"txID":12345678901234567890123}}"#,
        );
        assert_eq!(tx.id, TransactionId::from("62956"));
        assert_eq!(tx.receipt_id.as_deref(), Some("100231"));
        assert_eq!(tx.external_id.as_deref(), Some("42"));
        assert_eq!(tx.transaction_type.as_deref(), Some("3"));
        let refund = tx.refund.unwrap();
        assert_eq!((refund.id.as_deref(), refund.tx_id.as_deref()), (Some("7"), Some("12345678901234567890123")));
        let tx = read(r#"{"id":"62956","receiptID":"100231","externalID":"42","status":"new"}"#);
        assert_eq!((tx.id.as_str(), tx.receipt_id.as_deref()), ("62956", Some("100231")));
    }

    #[test]
    fn timestamps_in_any_form_never_fail_a_transaction() {
        let want = at("2022-07-21T13:48:27.512Z");
        for stamp in [
            "1658411307512",
            r#""2022-07-21T13:48:27.512Z""#,
            r#""2022-07-21T16:48:27.512+03:00""#,
            r#""2022-07-21T13:48:27.512000Z""#,
        ] {
            let tx =
                read(&format!(r#"{{"id":"t","status":"new","createdAt":{stamp},"refund":{{"createdAt":{stamp}}}}}"#));
            assert_eq!(tx.created_at, want, "{stamp}");
            assert_eq!(tx.refund.unwrap().created_at, want, "{stamp}");
        }
        assert_eq!(
            read(r#"{"id":"t","status":"new","createdAt":"2022-07-21T13:48:27Z"}"#).created_at,
            at("2022-07-21T13:48:27Z")
        );
        let odd = read(r#"{"id":"t","status":"new","createdAt":"21/07/2022","updatedAt":false}"#);
        assert_eq!(odd.created_at, Some(Timestamp::Unparsed(r#""21/07/2022""#.into())));
        assert_eq!(odd.updated_at, Some(Timestamp::Unparsed("false".into())));
    }
}

//! Transactions: `GET /transactions` (filtered, paged) and `GET /transactions/{id}`.

use std::fmt;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer};

use super::client::{paths, MilaCoinsClient};
use super::listing::Listing;
use crate::enums::wire_enum;
use crate::error::Result;
use crate::ids::string_id;
use crate::money::Decimal;
use crate::Request;

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

/// Reads `null` as an empty list.
fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    Option::<Vec<String>>::deserialize(d).map(Option::unwrap_or_default)
}

/// A refund of a transaction.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Refund {
    /// The refund's id.
    pub id: Option<String>,
    /// Where the refund stands.
    pub status: Option<RefundStatus>,
    /// Network it is sent on.
    pub network: Option<String>,
    /// Amount refunded.
    #[serde(default, with = "crate::money::option")]
    pub amount: Option<Decimal>,
    /// Who requested it.
    pub agent: Option<String>,
    /// When it was requested.
    #[serde(default, with = "super::time::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Address refunded to.
    pub address: Option<String>,
    /// Network transaction id.
    #[serde(rename = "txID")]
    pub tx_id: Option<String>,
}

/// The rate a payment was converted at.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ExchangeRate {
    /// Base currency.
    pub base: Option<String>,
    /// Quote currency.
    pub quote: Option<String>,
    /// Units of `quote` per unit of `base`.
    #[serde(default, with = "crate::money::option")]
    pub rate: Option<Decimal>,
}

/// The paying customer, as given when the invoice was created.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Customer {
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Email (the document lost this field's name; `email` is assumed).
    #[serde(alias = "customerEmail")]
    pub email: Option<String>,
}

/// A payment received against an invoice.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Transaction {
    /// MilaCoins' id.
    pub id: TransactionId,
    /// Receipt number.
    #[serde(rename = "receiptID")]
    pub receipt_id: Option<u64>,
    /// Transaction type, as sent (the document lost its values).
    #[serde(rename = "type")]
    pub transaction_type: Option<String>,
    /// Where the payment stands.
    pub status: TransactionStatus,
    /// The refund, when there is one.
    pub refund: Option<Refund>,
    /// Invoice currency.
    pub invoice_currency: Option<String>,
    /// Invoice amount, in the invoice currency.
    #[serde(default, with = "crate::money::option")]
    pub invoice_amount: Option<Decimal>,
    /// Wallet paid into.
    pub wallet: Option<String>,
    /// Amount credited to the wallet.
    #[serde(default, with = "crate::money::option")]
    pub wallet_credited: Option<Decimal>,
    /// Network the payment arrived on.
    pub network: Option<String>,
    /// Amount received on the network.
    #[serde(default, with = "crate::money::option")]
    pub network_amount_received: Option<Decimal>,
    /// Conversion rate applied.
    pub exchange_rate: Option<ExchangeRate>,
    /// Deposit address.
    pub address: Option<String>,
    /// Network transaction ids.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub txs: Vec<String>,
    /// Your reference from the invoice.
    #[serde(rename = "externalID")]
    pub external_id: Option<String>,
    /// The customer.
    pub customer: Option<Customer>,
    /// When it was created.
    #[serde(default, with = "super::time::option")]
    pub created_at: Option<DateTime<Utc>>,
}

/// A `from`/`to` bound: a calendar date (`2020-01-01`) or an instant
/// (`2020-01-01T12:00:00.000Z`), both ISO 8601.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    /// A whole day.
    Date(NaiveDate),
    /// An instant in UTC.
    Time(DateTime<Utc>),
}

impl From<NaiveDate> for DateBound {
    fn from(d: NaiveDate) -> Self {
        DateBound::Date(d)
    }
}

impl From<DateTime<Utc>> for DateBound {
    fn from(t: DateTime<Utc>) -> Self {
        DateBound::Time(t)
    }
}

impl fmt::Display for DateBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateBound::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            DateBound::Time(t) => f.write_str(&t.to_rfc3339_opts(SecondsFormat::Millis, true)),
        }
    }
}

/// Transaction calls; see [`MilaCoinsClient::transactions`].
#[derive(Debug, Clone, Copy)]
pub struct Transactions<'a> {
    pub(crate) client: &'a MilaCoinsClient,
}

impl Transactions<'_> {
    /// `GET /transactions`: add filters, then get one page or stream them all.
    pub fn list(&self) -> Listing<Transaction> {
        Listing::new(self.client, paths::TRANSACTIONS)
    }

    /// `GET /transactions/{id}`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for an id that is not one path segment;
    /// API errors ([`crate::ErrorKind::NotFound`]) and transport errors.
    pub async fn get(&self, id: &TransactionId) -> Result<Transaction> {
        let req = Request::get(paths::item(paths::TRANSACTIONS, id.as_str())?);
        self.client.send_raw(req).await?.json()
    }
}

impl Listing<Transaction> {
    /// Only transactions from this date or time on (`from`).
    pub fn from(self, bound: impl Into<DateBound>) -> Self {
        self.filter("from", bound.into().to_string())
    }

    /// Only transactions up to this date or time (`to`).
    pub fn to(self, bound: impl Into<DateBound>) -> Self {
        self.filter("to", bound.into().to_string())
    }

    /// Only transactions into this wallet (e.g. `BTC`).
    pub fn wallet(self, wallet: impl Into<String>) -> Self {
        self.filter("wallet", wallet)
    }

    /// Only transactions with this `externalID`: how to reconcile an
    /// invoice whose outcome is unknown.
    pub fn external_id(self, id: impl Into<String>) -> Self {
        self.filter("externalID", id)
    }

    /// Adds a status to the filter; several are sent comma-separated
    /// (`status=new,completed`).
    pub fn status(self, status: impl Into<TransactionStatus>) -> Self {
        let status = status.into();
        self.append("status", status.as_str())
    }

    /// Adds every status in `statuses` to the filter.
    pub fn statuses<S: Into<TransactionStatus>>(self, statuses: impl IntoIterator<Item = S>) -> Self {
        statuses.into_iter().fold(self, |listing, s| listing.status(s))
    }

    /// Only transactions of this type (`type`).
    pub fn transaction_type(self, transaction_type: impl Into<String>) -> Self {
        self.filter("type", transaction_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn date_bounds_are_iso_8601() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert_eq!(DateBound::from(d).to_string(), "2020-01-01");
        let t = d.and_hms_opt(12, 0, 0).unwrap().and_utc();
        assert_eq!(DateBound::from(t).to_string(), "2020-01-01T12:00:00.000Z");
    }
}

//! Filters of `GET /transactions`.

use std::fmt;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use super::{Transaction, TransactionStatus};
use crate::milacoins::listing::Listing;

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
    fn date_bounds_are_iso_8601() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert_eq!(DateBound::from(d).to_string(), "2020-01-01");
        let t = d.and_hms_opt(12, 0, 0).unwrap().and_utc();
        assert_eq!(DateBound::from(t).to_string(), "2020-01-01T12:00:00.000Z");
    }
}

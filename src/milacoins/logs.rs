//! API logs: `GET /logs` (paged) and `GET /logs/{id}`.
//!
//! The document types most payload fields as "Any" and gives no shape for
//! them: every field is optional, payloads are kept as raw JSON
//! ([`RawJson`], numbers digit for digit), and fields it does not name are
//! kept in [`LogEntry::extra`].

use super::client::{paths, MilaCoinsClient};
use super::listing::Listing;
use crate::error::Result;
use crate::transport::paginate::Identify;
use crate::transport::path::with_id;
use crate::wire::{string_id, wire_object, HttpStatus, RawJson, Stamp, Text, TextOrJson, Timestamp};
use crate::Request;

string_id! {
    /// A MilaCoins API log entry id.
    LogId
}

wire_object! {
    /// One request your keys made, as the server recorded it.
    pub struct LogEntry {
        /// The entry's id (`id`, or `_id`, `logId`).
        pub id: LogId = required ["id", "_id", "logId", "logID"] via LogId,
        /// HTTP status the server answered with (a number, or a string holding one).
        pub status: Option<u16> = optional ["status", "statusCode"] via HttpStatus,
        /// Caller IP address.
        pub ip: Option<String> = optional ["ip"] via Text,
        /// HTTP method.
        pub method: Option<String> = optional ["method"],
        /// Request URI.
        pub uri: Option<String> = optional ["uri", "url"],
        /// Device information, as recorded.
        pub device: Option<RawJson> = optional ["device"],
        /// Request headers, as recorded.
        pub headers: Option<RawJson> = optional ["headers"],
        /// Geolocation, as recorded.
        pub location: Option<RawJson> = optional ["location"],
        /// Request body, as recorded.
        pub body: Option<RawJson> = optional ["body"],
        /// Path parameters, as recorded.
        pub params: Option<RawJson> = optional ["params"],
        /// Query parameters, as recorded.
        pub query: Option<RawJson> = optional ["query"],
        /// The response the server sent, as recorded.
        pub response: Option<RawJson> = optional ["response"],
        /// The error, when the request failed; an error recorded as something
        /// other than a string (an object, say) is kept as its JSON text.
        pub error: Option<String> = optional ["error"] via TextOrJson,
        /// When the request was made.
        pub created_at: Option<Timestamp> = optional ["createdAt", "created_at"] via Stamp,
        /// When the entry last changed.
        pub updated_at: Option<Timestamp> = optional ["updatedAt", "updated_at"] via Stamp,
    }
}

impl Identify for LogEntry {
    fn identity(&self) -> Option<&str> {
        Some(self.id.as_str())
    }
}

/// API-log calls; see [`MilaCoinsClient::logs`].
#[derive(Debug, Clone, Copy)]
pub struct Logs<'a> {
    pub(crate) client: &'a MilaCoinsClient,
}

impl Logs<'_> {
    /// `GET /logs`: set [`page_size`](Listing::page_size) (≤ 500) and
    /// [`page`](Listing::page), then get one page or stream every entry.
    pub fn list(&self) -> Listing<LogEntry> {
        Listing::new(self.client, paths::LOGS)
    }

    /// `GET /logs/{id}`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for an id that is not one path segment
    /// (nothing is sent); API errors ([`crate::ErrorKind::NotFound`]) and
    /// transport errors.
    pub async fn get(&self, id: &LogId) -> Result<LogEntry> {
        let req = Request::get(with_id(paths::LOG, "log id", id.as_str())?);
        self.client.send_raw(req).await?.json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn read(json: &str) -> LogEntry {
        serde_json::from_str(json).unwrap()
    }

    fn at(rfc3339: &str) -> Option<Timestamp> {
        Some(Timestamp::At(DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)))
    }

    #[test]
    fn payloads_and_unknown_fields_stay_exact() {
        let entry = read(
            r#"{"id":"l1","status":201,"body":{"amount":12345678901234567.89,"fee":0.123456789012345678},
                "response":[1,{"a":null}],"createdAt":1658411149000,"latencyMs":0.000000001,
                "big":12345678901234567.89,"nested":{"deep":{"x":[1.10,"y"]}}}"#,
        );
        let body = entry.body.as_ref().unwrap();
        assert_eq!(body.get(), r#"{"amount":12345678901234567.89,"fee":0.123456789012345678}"#);
        #[derive(serde::Deserialize)]
        struct Amounts {
            #[serde(with = "crate::wire::money::number")]
            amount: crate::Decimal,
            #[serde(with = "crate::wire::money::number")]
            fee: crate::Decimal,
        }
        let amounts: Amounts = body.decode().unwrap();
        assert_eq!(amounts.amount.to_string(), "12345678901234567.89");
        assert_eq!(amounts.fee.to_string(), "0.123456789012345678");
        assert_eq!(entry.response.as_ref().unwrap().get(), r#"[1,{"a":null}]"#);
        assert_eq!(entry.extra["latencyMs"].get(), "0.000000001");
        assert_eq!(entry.extra["big"].get(), "12345678901234567.89");
        assert_eq!(entry.extra["nested"].get(), r#"{"deep":{"x":[1.10,"y"]}}"#);
        assert_eq!(entry.extra.len(), 3);
        assert_eq!(entry.created_at, at("2022-07-21T13:45:49Z"));
    }

    #[test]
    fn both_spellings_at_once_decode_and_the_documented_one_wins() {
        let entry = read(
            r#"{"_id":"mongo","id":"l1","statusCode":500,"status":"404","created_at":"2020-01-01T00:00:00Z",
                "createdAt":"2022-07-21T16:45:49.117+03:00","updatedAt":1658411149117,"url":"/x","uri":"/logs"}"#,
        );
        assert_eq!(entry.id, LogId::from("l1"));
        assert_eq!(entry.status, Some(404), "a status sent as text");
        assert_eq!(entry.uri.as_deref(), Some("/logs"));
        assert_eq!(entry.created_at, at("2022-07-21T13:45:49.117Z"));
        assert_eq!(entry.updated_at, at("2022-07-21T13:45:49.117Z"));
        assert!(entry.extra.is_empty(), "{:?}", entry.extra);
        assert_eq!(read(r#"{"_id":"only"}"#).id, LogId::from("only"));
    }

    #[test]
    fn null_for_every_optional_field() {
        let entry = read(
            r#"{"id":"l1","status":null,"ip":null,"method":null,"uri":null,"device":null,"headers":null,
                "location":null,"body":null,"params":null,"query":null,"response":null,"error":null,
                "createdAt":null,"updatedAt":null}"#,
        );
        assert_eq!(entry, read(r#"{"id":"l1"}"#));
        assert!(entry.extra.is_empty());
        assert_eq!((entry.status, entry.body, entry.created_at), (None, None, None));
    }

    #[test]
    fn ids_as_numbers_and_odd_values_never_fail_an_entry() {
        let entry =
            read(r#"{"id":62956,"ip":2130706433,"error":{"name":"NOT_FOUND","code":404},"createdAt":"last tuesday"}"#);
        assert_eq!(entry.id.as_str(), "62956");
        assert_eq!(entry.ip.as_deref(), Some("2130706433"));
        assert_eq!(entry.error.as_deref(), Some(r#"{"name":"NOT_FOUND","code":404}"#));
        assert_eq!(entry.created_at, Some(Timestamp::Unparsed(r#""last tuesday""#.into())));
        assert_eq!(read(r#"{"id":"l","error":"Not Found"}"#).error.as_deref(), Some("Not Found"));
    }
}

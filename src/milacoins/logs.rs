//! API logs: `GET /logs` (paged) and `GET /logs/{id}`.
//!
//! The document types most payload fields as "Any"; they are kept as raw
//! JSON ([`serde_json::Value`], numbers exact), and fields it does not name
//! are kept in [`LogEntry::extra`].

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::client::{paths, MilaCoinsClient};
use super::listing::Listing;
use crate::error::Result;
use crate::ids::string_id;
use crate::Request;

string_id! {
    /// A MilaCoins API log entry id.
    LogId
}

/// One request your keys made, as the server recorded it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LogEntry {
    /// The entry's id.
    pub id: LogId,
    /// HTTP status the server answered with.
    pub status: Option<u16>,
    /// Caller IP address.
    pub ip: Option<String>,
    /// HTTP method.
    pub method: Option<String>,
    /// Request URI.
    pub uri: Option<String>,
    /// Device information, as sent.
    pub device: Option<Value>,
    /// Request headers, as recorded.
    pub headers: Option<Value>,
    /// Geolocation, as recorded.
    pub location: Option<Value>,
    /// Request body.
    pub body: Option<Value>,
    /// Path parameters.
    pub params: Option<Value>,
    /// Query parameters.
    pub query: Option<Value>,
    /// The response the server sent.
    pub response: Option<Value>,
    /// The error, when the request failed.
    pub error: Option<String>,
    /// When the request was made.
    #[serde(default, with = "super::time::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Fields the document does not name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// API-log calls; see [`MilaCoinsClient::logs`].
#[derive(Debug, Clone, Copy)]
pub struct Logs<'a> {
    pub(crate) client: &'a MilaCoinsClient,
}

impl Logs<'_> {
    /// `GET /logs`: set [`limit`](Listing::limit) (≤ 500) and
    /// [`page`](Listing::page), then get one page or stream every entry.
    pub fn list(&self) -> Listing<LogEntry> {
        Listing::new(self.client, paths::LOGS)
    }

    /// `GET /logs/{id}`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for an id that is not one path segment;
    /// API errors ([`crate::ErrorKind::NotFound`]) and transport errors.
    pub async fn get(&self, id: &LogId) -> Result<LogEntry> {
        let req = Request::get(paths::item(paths::LOGS, id.as_str())?);
        self.client.send_raw(req).await?.json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_numbers_survive_exactly_next_to_unknown_fields() {
        let entry: LogEntry = serde_json::from_str(
            r#"{"id":"l1","status":201,"body":{"amount":12345678901234567.89},"createdAt":1658411149000,
                "latencyMs":0.000000001}"#,
        )
        .unwrap();
        assert_eq!(entry.body.unwrap()["amount"].to_string(), "12345678901234567.89");
        assert_eq!(entry.extra["latencyMs"].to_string(), "0.000000001");
        assert_eq!(entry.created_at.unwrap().timestamp(), 1_658_411_149);
    }
}

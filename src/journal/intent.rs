//! An intent: one money call, stored before its first byte is sent.

use std::fmt;

use bytes::Bytes;
use chrono::{DateTime, Utc};

use super::IntentState;

/// The journal's id of an intent, given by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntentId(pub(crate) i64);

impl fmt::Display for IntentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A money call about to be sent: everything needed to send it again
/// byte for byte, or for a person to find it at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntent {
    /// Which API, e.g. `milta`.
    pub provider: String,
    /// Which call, e.g. `transfers.create`.
    pub operation: String,
    /// The caller's business reference (`externalID`, `source_transaction_id`),
    /// unique per provider: a second intent for it sends nothing.
    pub reference: String,
    /// The idempotency key sent with it, where the API has one.
    pub idempotency_key: Option<String>,
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The path and query as sent.
    pub path: String,
    /// The exact body bytes as sent.
    pub body: Bytes,
}

/// What [`Journal::claim`](super::Journal::claim) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Stored now, and leased to the caller: it may send.
    Fresh(IntentRecord),
    /// The reference already had an intent (from this or another replica),
    /// left as it was: send nothing, act on its state.
    Existing(IntentRecord),
}

impl Claim {
    /// The intent, fresh or existing.
    pub fn record(&self) -> &IntentRecord {
        match self {
            Claim::Fresh(r) | Claim::Existing(r) => r,
        }
    }
}

/// Who drives an unfinished intent, and until when (the database's clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The owner named when claiming or taking it over.
    pub owner: String,
    /// When the lease runs out; after that another owner may take it over.
    pub until: DateTime<Utc>,
}

/// An intent as stored, with its attempts and outcome so far.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IntentRecord {
    /// The journal's id.
    pub id: IntentId,
    /// Which API, e.g. `milta`.
    pub provider: String,
    /// Which call, e.g. `transfers.create`.
    pub operation: String,
    /// The caller's business reference, unique per provider.
    pub reference: String,
    /// The idempotency key sent with it, where the API has one.
    pub idempotency_key: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The path and query as sent.
    pub path: String,
    /// The exact body bytes as sent.
    pub body: Bytes,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
    /// How many attempts were started; with 0 no byte can have left.
    pub attempts: u32,
    /// When the first attempt started.
    pub first_sent_at: Option<DateTime<Utc>>,
    /// Where it stands.
    pub state: IntentState,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Who drives it now, when it is unfinished and leased.
    pub lease: Option<Lease>,
}

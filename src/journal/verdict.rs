//! What recovery did with each unfinished intent.

use super::IntentId;

/// One unfinished intent after a `recover()` pass.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verdict {
    /// The journal's id.
    pub intent: IntentId,
    /// Which call, e.g. `transfers.create`.
    pub operation: String,
    /// The business reference.
    pub reference: String,
    /// What happened.
    pub outcome: Recovered,
}

/// What recovery found or did; see [`Verdict`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recovered {
    /// It had never been sent, or was sent again under its idempotency
    /// key, and the provider answered with the money movement: made once.
    Created,
    /// The provider's own read found it: made once (no answer is stored
    /// but the journal marks it created).
    Found,
    /// The provider refused it now: it was not made.
    Rejected(String),
    /// Nothing the provider documents can settle it: a person decides,
    /// with this evidence (the call, the reference, when and how often it
    /// was sent, the body).
    NeedsReview(String),
    /// Its answer was lost again: the next pass tries again.
    StillUnknown(String),
    /// It had never been sent and the provider said "not now" (a 429): it
    /// was forgotten, and its reference is free to be sent again.
    Released,
    /// Another replica's call or recovery holds it.
    HeldElsewhere,
}

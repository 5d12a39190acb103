//! Where an intent stands.

use bytes::Bytes;

/// Where an intent stands. `Created`, `Rejected` and `NeedsReview` are
/// final and never overwritten; `Pending` and `Unknown` are for recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentState {
    /// Stored; see `attempts` for whether any byte may have left.
    Pending,
    /// The server's success answer, kept to decode again.
    Created {
        /// The HTTP status.
        status: u16,
        /// The answer's body, byte for byte.
        answer: Bytes,
    },
    /// Refused: the server did not act.
    Rejected {
        /// The HTTP status, when an answer arrived.
        status: Option<u16>,
        /// Why, as the error said it.
        error: String,
    },
    /// Sent, and the answer was lost: recovery decides.
    Unknown {
        /// What was lost, as the error said it.
        error: String,
    },
    /// A person decides; final.
    NeedsReview {
        /// Everything that person needs.
        evidence: String,
    },
}

impl IntentState {
    /// Whether the state is an outcome that is never overwritten.
    pub fn is_final(&self) -> bool {
        !matches!(self, IntentState::Pending | IntentState::Unknown { .. })
    }
}

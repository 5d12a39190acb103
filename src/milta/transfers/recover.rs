//! Recovering journaled transfers: Milta's recipe is its idempotency key.

use std::time::{Duration, SystemTime};

use super::keyed;
use super::resend::RESEND;
use crate::client::{evidence, rebuilt, Recipe};
use crate::error::Result;
use crate::journal::{IntentRecord, Verdict};
use crate::milta::client::rate_class;
use crate::milta::MiltaClient;

/// How long Milta keeps an idempotency key, from its first use.
const KEY_VALIDITY: Duration = Duration::from_secs(24 * 3600);

impl MiltaClient {
    /// Drives every unfinished transfer and batch in the client's journal (set with
    /// `.journal(..)`) to a final state, once across all replicas: one never
    /// sent is sent now; one whose answer was lost is sent again with the
    /// same key and body while the key is under Milta's 24 hours, so Milta
    /// answers with the transfer it made; after that it needs a person (the
    /// document offers no lookup by `externalId`), with the evidence.
    ///
    /// # Errors
    /// [`crate::Error::Config`] without a journal; [`crate::Error::Journal`]
    /// when the journal cannot be read.
    pub async fn recover(&self) -> Result<Vec<Verdict>> {
        self.recover_with(|record| async move { recipe(record, SystemTime::now()) }).await
    }
}

/// What to do with `record` at `now`.
fn recipe(record: IntentRecord, now: SystemTime) -> Result<Recipe> {
    let Some(key) = record.idempotency_key.clone() else {
        return Ok(Recipe::Review(evidence(&record, "it carries no idempotency key")));
    };
    let first_sent = record.first_sent_at.map(SystemTime::from);
    let key_alive = first_sent.is_none_or(|at| now.duration_since(at).unwrap_or_default() < KEY_VALIDITY);
    let known = matches!(record.operation.as_str(), "transfers.create" | "transfers.batch");
    if !known || !key_alive {
        let why = "its idempotency key is past Milta's 24 hours and the document offers no lookup by externalId";
        return Ok(Recipe::Review(evidence(&record, why)));
    }
    let mut req = keyed(rebuilt(&record, "externalId", RESEND)?, key)?.rate_class(rate_class::TRANSFER_CREATE);
    if let Some(at) = first_sent {
        req = req.first_sent_at(at);
    }
    Ok(Recipe::Send(Box::new(req)))
}

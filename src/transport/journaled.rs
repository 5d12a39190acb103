//! A money call through the client's journal: stored before its first byte
//! is sent, each attempt counted before it starts, its outcome kept. A
//! reference the journal already holds sends nothing: its stored answer is
//! the answer, or its state is the error.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use super::request::Request;
use super::response::RawResponse;
use super::Transport;
use crate::error::{Error, JournalError, JournalErrorKind, Result};
use crate::journal::{Claim, IntentId, IntentRecord, IntentState, Journal, NewIntent};

/// The journal a client writes its money calls to, and its name among the
/// replicas sharing it.
#[derive(Clone)]
pub(crate) struct Journaling {
    pub(crate) journal: Journal,
    /// Unique per client: whoever holds an intent's lease drives it.
    pub(crate) owner: String,
    /// How long a call may hold its intent before recovery may take it over.
    pub(crate) lease: Duration,
}

impl fmt::Debug for Journaling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journaling").field("journal", &self.journal).field("lease", &self.lease).finish()
    }
}

impl Journaling {
    /// Writes to `journal` as a new owner (this process and a random part).
    pub(crate) fn new(journal: Journal, lease: Duration) -> Self {
        let owner = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        Journaling { journal, owner, lease }
    }
}

/// The intent one call is sending, counted before each attempt.
pub(crate) struct Sending<'a> {
    journaling: &'a Journaling,
    id: IntentId,
    /// Attempts this call started (counted in the journal first).
    started: AtomicU32,
}

impl Sending<'_> {
    /// Counts the next attempt; an error means it must not be sent (the
    /// lease was lost to recovery, or the store failed).
    pub(crate) async fn before_attempt(&self) -> Result<()> {
        self.journaling.journal.record_attempt(self.id, &self.journaling.owner).await?;
        self.started.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// What the journal holds of an intent after its call.
pub(crate) enum Kept {
    /// This state.
    State(IntentState),
    /// Nothing: the provider cannot have acted, the reference is free.
    Released,
    /// What it held before (the journal itself failed): recovery's to settle.
    AsItWas,
}

impl Transport {
    /// Sends `req` through `journaling` under `operation` and the request's
    /// `reference`; see the module docs.
    pub(crate) async fn send_journaled(
        &self,
        journaling: &Journaling,
        req: Request,
        operation: std::borrow::Cow<'static, str>,
        reference: String,
    ) -> Result<RawResponse> {
        let url = self.url_for(&req);
        let path = match url.query() {
            Some(query) => format!("{}?{query}", req.path),
            None => req.path.clone(),
        };
        let new = NewIntent {
            provider: self.inner.provider.to_string(),
            operation: operation.into_owned(),
            reference,
            idempotency_key: req.idempotency_key_value().map(str::to_owned),
            method: req.method.to_string(),
            path,
            body: req.body.clone().unwrap_or_default(),
        };
        let record = match journaling.journal.claim(new.clone(), &journaling.owner, journaling.lease).await? {
            Claim::Fresh(record) => record,
            Claim::Existing(record) => return self.answer_from_journal(record, &new, req),
        };
        self.send_held(journaling, record.id, req).await.0
    }

    /// Sends `req` for the intent `id`, which `journaling`'s owner holds,
    /// and stores what came of it: the call's outcome, and what the journal
    /// now holds.
    pub(crate) async fn send_held(
        &self,
        journaling: &Journaling,
        id: IntentId,
        req: Request,
    ) -> (Result<RawResponse>, Kept) {
        let sending = Sending { journaling, id, started: AtomicU32::new(0) };
        let outcome = self.execute(req, Some(&sending)).await;
        let kept = match &outcome {
            Ok(answer) => {
                Kept::State(IntentState::Created { status: answer.status, answer: answer.body.clone().into() })
            }
            Err(e) => after_failure(e, sending.started.load(Ordering::Relaxed)),
        };
        let (journal, owner) = (&journaling.journal, journaling.owner.as_str());
        let stored = match &kept {
            Kept::State(state) => journal.finish(id, owner, state.clone()).await,
            Kept::Released => journal.release(id, owner).await,
            Kept::AsItWas => Ok(()),
        };
        if let Err(e) = stored {
            // The call's own outcome stands; the intent stays unfinished and
            // recovery reads it again from the provider.
            tracing::warn!(intent = %id, error = %e, "the journal did not store a money call's outcome");
            return (outcome, Kept::AsItWas);
        }
        (outcome, kept)
    }

    /// What a reference already journaled answers: its stored answer when it
    /// was created from the very same request, otherwise its state as an error.
    fn answer_from_journal(&self, record: IntentRecord, new: &NewIntent, req: Request) -> Result<RawResponse> {
        let same = record.operation == new.operation && record.path == new.path && record.body == new.body;
        let journal_error = |kind, message: String| Error::from(JournalError::new(kind, message));
        if !same {
            return Err(journal_error(
                JournalErrorKind::ReferenceTaken,
                format!("intent {} has this reference with another request: nothing was sent", record.id),
            ));
        }
        match record.state {
            // Recovery found it by a read: made, with no answer of its own to return.
            IntentState::Created { answer, .. } if answer.is_empty() => Err(journal_error(
                JournalErrorKind::Finished,
                format!(
                    "intent {} was made (recovery found it at the provider, so no answer is stored): \
                     read it by its reference; nothing was sent",
                    record.id
                ),
            )),
            IntentState::Created { status, answer } => {
                let first_sent_at = record.first_sent_at.map_or_else(SystemTime::now, SystemTime::from);
                Ok(RawResponse {
                    provider: self.inner.provider,
                    status,
                    headers: HeaderMap::new(),
                    body: answer.to_vec(),
                    accepted: Some(Box::new(req.into_sent(first_sent_at))),
                    secrets: self.inner.secrets.clone(),
                })
            }
            IntentState::Rejected { .. } => Err(journal_error(
                JournalErrorKind::Finished,
                format!("intent {} was rejected by the provider; use a new reference to try again", record.id),
            )),
            IntentState::NeedsReview { .. } => Err(journal_error(
                JournalErrorKind::Finished,
                format!("intent {} awaits a person's review: nothing was sent", record.id),
            )),
            IntentState::Pending | IntentState::Unknown { .. } => Err(journal_error(
                JournalErrorKind::Unfinished,
                format!("intent {} is still being sent or awaits recover(): nothing was sent", record.id),
            )),
        }
    }
}

/// What a call that failed after `started` attempts leaves of its intent.
fn after_failure(e: &Error, started: u32) -> Kept {
    let unacted = match e {
        // The transport reports a lost or unreadable answer of a money call as these.
        Error::OutcomeUnknown(_) | Error::AcceptedUnreadable(_) => {
            return Kept::State(IntentState::Unknown { error: e.to_string() })
        }
        Error::Api(api) if !e.is_retryable() => {
            return Kept::State(IntentState::Rejected { status: Some(api.status), error: e.to_string() })
        }
        Error::Journal(_) if started > 0 => return Kept::AsItWas,
        // A 429, a 503 with `Retry-After`, a refused connection: not acted on.
        Error::Api(_) | Error::Connect { .. } => true,
        _ => false,
    };
    // With one attempt, its failure says whether anything happened; after
    // more, an earlier one may have lost its answer.
    if started == 0 || (started == 1 && unacted) {
        Kept::Released
    } else {
        Kept::State(IntentState::Unknown { error: e.to_string() })
    }
}

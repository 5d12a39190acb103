//! Recovery: every unfinished intent of a client's provider in its journal,
//! driven to a final state with the provider's own recipe, once across all
//! replicas (each intent is taken over under a lease before it is touched).

use std::future::Future;

use bytes::Bytes;

use super::{Api, Client};
use crate::error::{Error, Result};
use crate::journal::{IntentRecord, IntentState, Recovered, Verdict};
use crate::transport::Kept;
use crate::Request;

/// How many unfinished intents one pass reads at a time.
const PAGE: u32 = 100;
/// How many pages one pass reads at most: a bound of its own, whatever the journal holds.
const MAX_PAGES: u32 = 10_000;

/// What a provider's recipe says to do with one intent it was handed.
pub(crate) enum Recipe {
    /// Send this request (the intent rebuilt): it was never sent, or its
    /// idempotency key makes sending it again safe.
    Send(Box<Request>),
    /// The provider's read found it made.
    Found,
    /// Nothing documented settles it: a person decides, with this evidence.
    Review(String),
}

impl<A: Api> Client<A> {
    /// Drives every unfinished intent of this provider that no other owner
    /// holds, asking `recipe` what to do with each.
    ///
    /// # Errors
    /// [`Error::Config`] without a journal; [`Error::Journal`] when the
    /// journal cannot be read (what was settled before stays settled).
    pub(crate) async fn recover_with<F, Fut>(&self, recipe: F) -> Result<Vec<Verdict>>
    where
        F: Fn(IntentRecord) -> Fut,
        Fut: Future<Output = Result<Recipe>>,
    {
        let Some(journaling) = self.transport.journaling() else {
            return Err(Error::Config("recover() needs a journal: set one with `.journal(..)` on the builder".into()));
        };
        let provider = A::PROVIDER.to_string();
        let mut verdicts = Vec::new();
        let mut after = None;
        for _ in 0..MAX_PAGES {
            let page = journaling.journal.unfinished(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            for listed in page.into_iter().filter(|r| r.provider == provider) {
                let taken = journaling.journal.take_over(listed.id, &journaling.owner, journaling.lease).await?;
                let outcome = match taken {
                    None => Recovered::HeldElsewhere,
                    Some(record) => self.settle(&journaling, record, &recipe).await?,
                };
                verdicts.push(Verdict {
                    intent: listed.id,
                    operation: listed.operation,
                    reference: listed.reference,
                    outcome,
                });
            }
        }
        Ok(verdicts)
    }

    /// One intent this client now holds, settled as `recipe` says.
    async fn settle<F, Fut>(
        &self,
        journaling: &crate::transport::Journaling,
        record: IntentRecord,
        recipe: &F,
    ) -> Result<Recovered>
    where
        F: Fn(IntentRecord) -> Fut,
        Fut: Future<Output = Result<Recipe>>,
    {
        let (journal, owner, id) = (&journaling.journal, journaling.owner.as_str(), record.id);
        // A recipe that fails (its read failed) leaves the intent to the next pass.
        let step = match recipe(record).await {
            Ok(step) => step,
            Err(e) => return Ok(Recovered::StillUnknown(e.to_string())),
        };
        match step {
            Recipe::Send(req) => {
                let (outcome, kept) = self.transport.send_held(journaling, id, A::prepare(&self.state, *req)).await;
                Ok(match (outcome, kept) {
                    (Ok(_), _) => Recovered::Created,
                    (Err(_), Kept::Released) => Recovered::Released,
                    (Err(e), Kept::State(IntentState::Rejected { .. })) => Recovered::Rejected(e.to_string()),
                    (Err(e), _) => Recovered::StillUnknown(e.to_string()),
                })
            }
            Recipe::Found => {
                journal.finish(id, owner, IntentState::Created { status: 200, answer: Bytes::new() }).await?;
                Ok(Recovered::Found)
            }
            Recipe::Review(evidence) => {
                journal.finish(id, owner, IntentState::NeedsReview { evidence: evidence.clone() }).await?;
                Ok(Recovered::NeedsReview(evidence))
            }
        }
    }
}

/// What a person needs to settle `record` at the provider: the call, the
/// reference, when and how often it was sent, its key and body.
pub(crate) fn evidence(record: &IntentRecord, why: &str) -> String {
    let body = String::from_utf8_lossy(&record.body);
    let body: String = body.chars().take(2048).collect();
    format!(
        "{why}. {} {} ({}), reference {}, stored {}, {} attempt(s), first sent {}, key {}, body {}",
        record.method,
        record.path,
        record.operation,
        record.reference,
        record.created_at.to_rfc3339(),
        record.attempts,
        record.first_sent_at.map_or_else(|| "never".to_string(), |t| t.to_rfc3339()),
        record.idempotency_key.as_deref().unwrap_or("none"),
        body
    )
}

/// `record` as a request again: the same method, path, query and body
/// bytes, marked as the same journaled call under the same reference.
pub(crate) fn rebuilt(record: &IntentRecord, reference_field: &str, recovery: &'static str) -> Result<Request> {
    let method = reqwest::Method::from_bytes(record.method.as_bytes())
        .map_err(|_| Error::InvalidRequest("a journaled intent has an unreadable method".into()))?;
    let (path, query) = record.path.split_once('?').unwrap_or((record.path.as_str(), ""));
    let mut req = Request::new(method, path);
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        req = req.query(name.into_owned(), value);
    }
    if !record.body.is_empty() {
        req.body = Some(record.body.clone());
    }
    let mut req = req.reference(reference_field, record.reference.clone()).recovery(recovery);
    req.journal_operation = Some(record.operation.clone().into());
    Ok(req)
}

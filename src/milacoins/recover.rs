//! Recovering journaled invoices: MilaCoins' recipe is its lookup by `externalID`.

use crate::client::{evidence, rebuilt, Recipe};
use crate::error::Result;
use crate::journal::Verdict;
use crate::milacoins::MilaCoinsClient;

/// Said with an unknown outcome of a recovered invoice.
const RECOVERY: &str = "before creating it again, look for its externalID with transactions().find_by_external_id";

impl MilaCoinsClient {
    /// Drives every unfinished invoice in the client's journal (set with
    /// `.journal(..)`) to a final state, once across all replicas: one never
    /// sent is sent now; one whose answer was lost is looked up by its
    /// `externalID` (`GET /transactions?externalID=`) and marked created when
    /// found; when it is not found it needs a person (the document does not
    /// say an unpaid invoice is listed), with the evidence.
    ///
    /// # Errors
    /// [`crate::Error::Config`] without a journal; [`crate::Error::Journal`]
    /// when the journal cannot be read.
    pub async fn recover(&self) -> Result<Vec<Verdict>> {
        self.recover_with(|record| async move {
            if record.attempts == 0 {
                return Ok(Recipe::Send(Box::new(rebuilt(&record, "externalID", RECOVERY)?)));
            }
            Ok(match self.transactions().find_by_external_id(&record.reference).await? {
                Some(_) => Recipe::Found,
                None => Recipe::Review(evidence(&record, "it was sent and no transaction has its externalID")),
            })
        })
        .await
    }
}

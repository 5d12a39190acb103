//! Recovering journaled money movements: WaaS documents no read, so one sent
//! whose answer was lost is a person's to settle.

use super::transactions::WAAS_RECOVERY;
use crate::client::{evidence, rebuilt, Recipe};
use crate::error::Result;
use crate::journal::Verdict;
use crate::waas::rate_class;
use crate::waas::WaasClient;

impl WaasClient {
    /// Drives every unfinished credit, debit, transfer and reversal in the
    /// client's journal (set with `.journal(..)`) to a final state, once
    /// across all replicas: one never sent is sent now; one sent whose
    /// answer was lost needs a person, with the evidence (the document
    /// offers no endpoint that reads a transaction back).
    ///
    /// # Errors
    /// [`crate::Error::Config`] without a journal; [`crate::Error::Journal`]
    /// when the journal cannot be read.
    pub async fn recover(&self) -> Result<Vec<Verdict>> {
        self.recover_with(|record| async move {
            if record.attempts > 0 {
                let why = "it was sent, its answer was lost, and the document offers no read";
                return Ok(Recipe::Review(evidence(&record, why)));
            }
            let field =
                if record.operation == "transactions.reverse" { "transaction_id" } else { "source_transaction_id" };
            Ok(Recipe::Send(Box::new(rebuilt(&record, field, WAAS_RECOVERY)?.rate_class(rate_class::TRANSACTIONS))))
        })
        .await
    }
}

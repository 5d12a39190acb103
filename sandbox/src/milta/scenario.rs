//! Scenarios: choosing where a transfer ends (COMPLETED, FAILED, or PENDING
//! for as long as the test likes) for the next transfer, the one with an
//! `externalId`, or a transfer id, before or after it is created.

use super::{MiltaSandbox, MiltaTransfer};

/// Which transfer a scenario is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransferMatch {
    /// The next transfer created (by `POST /transfers` or a batch entry).
    Next,
    /// The transfer with this `externalId` (created already, or next).
    ExternalId(String),
    /// The transfer with this id (created already, or when the id is given
    /// out: ids run `T-9001`, `T-9002`, …).
    TransferId(String),
}

/// Where a transfer goes once Milta processes it: at the first read after
/// it is created, or for a deferred one at the first read after its
/// `scheduledAt` passed on the sandbox clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransferOutcome {
    /// `COMPLETED` (what every transfer does without a scenario).
    #[default]
    Complete,
    /// `FAILED`, and its charge is refunded to the partner balance.
    Fail,
    /// `PENDING`, read after read, until another scenario names it again.
    StayPending,
}

impl TransferOutcome {
    /// Reads the status it leads to: `COMPLETED`, `FAILED` or `PENDING`.
    pub fn from_status(status: &str) -> Option<TransferOutcome> {
        Some(match status {
            "COMPLETED" => TransferOutcome::Complete,
            "FAILED" => TransferOutcome::Fail,
            "PENDING" => TransferOutcome::StayPending,
            _ => return None,
        })
    }
}

pub(crate) type Outcome = TransferOutcome;

/// Scenarios waiting for the transfer they name, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Rules(Vec<(TransferMatch, TransferOutcome)>);

impl Rules {
    /// The outcome of a transfer being created: the first waiting scenario
    /// naming it by id or `externalId`, else the first `Next`, else
    /// COMPLETED. The scenario used is spent.
    pub(crate) fn take(&mut self, id: &str, external_id: &str) -> TransferOutcome {
        let named = |m: &TransferMatch| match m {
            TransferMatch::TransferId(t) => t == id,
            TransferMatch::ExternalId(e) => e == external_id,
            TransferMatch::Next => false,
        };
        let found = self
            .0
            .iter()
            .position(|(m, _)| named(m))
            .or_else(|| self.0.iter().position(|(m, _)| *m == TransferMatch::Next));
        found.map_or(TransferOutcome::Complete, |i| self.0.remove(i).1)
    }
}

impl MiltaSandbox {
    /// Decides where a transfer ends. When the transfer named already
    /// exists, its outcome changes now (it matters while it is `PENDING` or
    /// `SCHEDULED`) and it is returned; otherwise the scenario waits for the
    /// transfer it names and `None` is returned.
    ///
    /// ```no_run
    /// # async fn demo(sandbox: walletkit_sandbox::Sandbox) {
    /// use walletkit_sandbox::{TransferMatch, TransferOutcome};
    ///
    /// sandbox.milta().scenario(TransferMatch::ExternalId("TXN-1".into()), TransferOutcome::Fail);
    /// // POST /transfers {"externalId": "TXN-1", …} answers PENDING; the next GET answers FAILED.
    /// # }
    /// ```
    pub fn scenario(&self, which: TransferMatch, outcome: TransferOutcome) -> Option<MiltaTransfer> {
        let mut book = self.state.book();
        let existing = book.transfers.iter_mut().find(|t| match &which {
            TransferMatch::TransferId(id) => t.id == *id,
            TransferMatch::ExternalId(e) => t.external_id == *e,
            TransferMatch::Next => false,
        });
        match existing {
            Some(t) => {
                t.outcome = outcome;
                Some(MiltaTransfer::from(&*t))
            }
            None => {
                book.rules.0.push((which, outcome));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_scenarios_come_before_next_and_are_spent_once() {
        let mut rules = Rules::default();
        rules.0.push((TransferMatch::Next, TransferOutcome::StayPending));
        rules.0.push((TransferMatch::ExternalId("X".into()), TransferOutcome::Fail));
        assert_eq!(rules.take("T-1", "X"), TransferOutcome::Fail);
        assert_eq!(rules.take("T-2", "X"), TransferOutcome::StayPending);
        assert_eq!(rules.take("T-3", "X"), TransferOutcome::Complete);
        assert_eq!(TransferOutcome::from_status("FAILED"), Some(TransferOutcome::Fail));
        assert_eq!(TransferOutcome::from_status("failed"), None);
    }
}

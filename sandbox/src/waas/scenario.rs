//! Scenarios: refusing a money movement for insufficient balance whatever
//! the account holds, the way the ledger refuses a real overdraw.

use super::WaasSandbox;

/// Which money movement a WaaS scenario refuses: a debit or an account
/// transfer (the movements that take money out of a client account; never a
/// credit or a reversal).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaasMatch {
    /// The next one.
    Next,
    /// The one sent with this `source_transaction_id`.
    SourceTransactionId(String),
    /// The next one taking money out of this account number.
    Account(String),
}

/// Waiting refusals, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Refusals(Vec<WaasMatch>);

impl Refusals {
    /// Whether a movement of `key` out of client account `account` is to be
    /// refused; the scenario used is spent.
    pub(crate) fn take(&mut self, key: &str, account: &str) -> bool {
        let found = self.0.iter().position(|m| match m {
            WaasMatch::Next => true,
            WaasMatch::SourceTransactionId(k) => k == key,
            WaasMatch::Account(a) => a == account,
        });
        found.map(|i| self.0.remove(i)).is_some()
    }
}

impl WaasSandbox {
    /// Makes the movement `which` names fail with the answer an overdraw
    /// gets: `400` with code `INSUFFICIENT_FUNDS` (the WaaS document names
    /// no error codes; this is the sandbox's, which walletkit reads as
    /// `ErrorKind::InsufficientFunds`). Nothing is booked. Each call
    /// refuses one movement.
    ///
    /// ```no_run
    /// # fn demo(sandbox: walletkit_sandbox::Sandbox) {
    /// use walletkit_sandbox::WaasMatch;
    ///
    /// sandbox.waas().refuse_insufficient_balance(WaasMatch::SourceTransactionId("SRC-1".into()));
    /// # }
    /// ```
    pub fn refuse_insufficient_balance(&self, which: WaasMatch) {
        self.state.ledger().refusals.0.push(which);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_is_spent_once_on_what_it_names() {
        let mut r = Refusals::default();
        r.0.push(WaasMatch::SourceTransactionId("K".into()));
        r.0.push(WaasMatch::Account("100".into()));
        assert!(!r.take("J", "200"));
        assert!(r.take("K", "200"));
        assert!(!r.take("K", "200"));
        assert!(r.take("J", "100"));
        assert!(!r.take("J", "100"));
    }
}

//! Confirming a callback: the signed API's transaction must bear out every
//! claim the unsigned callback makes, or the callback is refused.

use super::callbacks::{Callback, CallbackEvent};
use super::client::MilaCoinsClient;
use super::transactions::{Transaction, TransactionId, TransactionStatus};
use crate::error::{CallbackMismatch, Error, ErrorKind, Provider, Result};

impl MilaCoinsClient {
    /// Reads the transaction a callback is about through the signed API (by
    /// invoice id, `GET /transactions/{id}`, else by `externalID`) and
    /// checks that it bears out every claim the callback makes, since
    /// anyone can send a callback:
    /// - the invoice id is the transaction's id;
    /// - the external id is the transaction's `externalID`;
    /// - the event agrees with the status: `complete` with `completed` or
    ///   `overPaid` (paid in full), `cancel` with `invalid`; `underPaid`
    ///   and `paidLate` need your decision and a status still moving
    ///   (`init`, `new`, `waitingForConfirmation`) bears out no event, nor
    ///   does an event the document does not name;
    /// - an amount or currency the callback names is the invoice's
    ///   (currency codes compared ignoring ASCII case).
    ///
    /// `Ok(Some(tx))` says the callback is true, not that your order is
    /// paid: before shipping, compare `tx.invoice_amount` and
    /// `tx.invoice_currency` with the order's. `Ok(None)` when MilaCoins
    /// knows no such invoice, or the callback names neither id.
    ///
    /// # Errors
    /// [`Error::CallbackMismatch`] when the transaction contradicts the
    /// callback: forged, stale, or about another payment, so do not act on
    /// it (a genuine callback that outran its status confirms when asked
    /// again later). API and transport errors (an invoice id that is not one
    /// path segment is refused before sending).
    pub async fn confirm(&self, callback: &Callback) -> Result<Option<Transaction>> {
        let found = self.read_back(callback).await?;
        if let Some(tx) = &found {
            bind(callback, tx)?;
        }
        Ok(found)
    }

    /// The transaction of the callback's invoice id, else of its external id.
    async fn read_back(&self, callback: &Callback) -> Result<Option<Transaction>> {
        if let Some(id) = &callback.invoice_id {
            match self.transactions().get(&TransactionId::from(id.as_str())).await {
                Ok(tx) => return Ok(Some(tx)),
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        match &callback.external_id {
            Some(external) => self.transactions().find_by_external_id(external).await,
            None => Ok(None),
        }
    }
}

/// Every claim of `callback` that `tx` does not bear out is an error,
/// whichever way `tx` was found. A transaction's id is its invoice's id (the
/// document's `GET /transactions/{id}` answers "No Invoice found with that
/// ID"), so a callback whose invoice id was not found and whose external id
/// found another invoice is refused here.
fn bind(callback: &Callback, tx: &Transaction) -> Result<()> {
    let mismatch = |field, claimed: &str, fetched: Option<&str>| {
        Err(Error::CallbackMismatch(Box::new(CallbackMismatch::new(Provider::MilaCoins, field, claimed, fetched))))
    };
    if let Some(id) = &callback.invoice_id {
        if id.as_str() != tx.id.as_str() {
            return mismatch("invoiceID", id.as_str(), Some(tx.id.as_str()));
        }
    }
    if let Some(external) = &callback.external_id {
        if tx.external_id.as_deref() != Some(external.as_str()) {
            return mismatch("externalID", external, tx.external_id.as_deref());
        }
    }
    if !bears_out(&callback.event, &tx.status) {
        return mismatch("event", callback.event.as_str(), Some(tx.status.as_str()));
    }
    if let Some(amount) = callback.amount {
        if tx.invoice_amount != Some(amount) {
            let fetched = tx.invoice_amount.map(|a| a.to_string());
            return mismatch("amount", &amount.to_string(), fetched.as_deref());
        }
    }
    if let Some(currency) = &callback.currency {
        if !tx.invoice_currency.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(currency)) {
            return mismatch("currency", currency, tx.invoice_currency.as_deref());
        }
    }
    Ok(())
}

/// Whether `status` bears out `event`. The document names the events
/// (`cancel`, `complete`) but not their statuses; the sandbox ends a paid
/// invoice `completed` with `complete` and a cancelled one `invalid` with
/// `cancel`. `overPaid` is paid in full too; `underPaid` and `paidLate` are
/// not a complete payment the merchant agreed to, so no event confirms them.
fn bears_out(event: &CallbackEvent, status: &TransactionStatus) -> bool {
    match event {
        CallbackEvent::Complete => matches!(status, TransactionStatus::Completed | TransactionStatus::OverPaid),
        CallbackEvent::Cancel => matches!(status, TransactionStatus::Invalid),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_is_borne_out_only_by_its_final_statuses() {
        use TransactionStatus::*;
        let all = [Init, New, WaitingForConfirmation, Completed, UnderPaid, OverPaid, PaidLate, Invalid];
        let by = |event: CallbackEvent| -> Vec<TransactionStatus> {
            all.iter().filter(|s| bears_out(&event, s)).cloned().collect()
        };
        assert_eq!(by(CallbackEvent::Complete), [Completed, OverPaid]);
        assert_eq!(by(CallbackEvent::Cancel), [Invalid]);
        assert_eq!(by(CallbackEvent::from("completed")), []);
        assert!(!bears_out(&CallbackEvent::Complete, &TransactionStatus::from("refunded")));
    }
}

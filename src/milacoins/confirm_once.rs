//! Confirming a callback once: a re-delivered callback, or the same one at
//! another replica, is told apart by the client's journal.

use super::callbacks::Callback;
use super::client::MilaCoinsClient;
use super::transactions::Transaction;
use crate::error::Result;
use crate::journal::Once;

impl MilaCoinsClient {
    /// [`confirm`](Self::confirm), then records the callback in the client's
    /// journal (set with `.journal(..)`): [`Once::First`] the first time,
    /// across every replica sharing the journal, [`Once::Repeat`] for a
    /// re-delivery. A callback is named by its invoice, its event and the
    /// status the API confirmed, so a `cancel` after a `complete` of the
    /// same invoice is a first again. It is recorded only once the API bore
    /// it out: a refused or unknown callback records nothing.
    ///
    /// At most once: the record is made before you act, so a process that
    /// dies between the two leaves a `Repeat` for the re-delivery; see
    /// [`Once`].
    ///
    /// # Errors
    /// [`crate::Error::Config`] without a journal (nothing is sent); as
    /// [`confirm`](Self::confirm); [`crate::Error::Journal`] when the
    /// journal fails (then do not act: MilaCoins may call again).
    pub async fn confirm_once(&self, callback: &Callback) -> Result<Option<Once<Transaction>>> {
        let journaling = self.notification_journal("confirm_once")?;
        let Some(tx) = self.confirm(callback).await? else { return Ok(None) };
        let key = format!("callback {} {} {}", tx.id.as_str(), callback.event.as_str(), tx.status.as_str());
        self.once(&journaling, &key, tx).await.map(Some)
    }
}

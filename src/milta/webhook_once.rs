//! Confirming a webhook once: a re-delivered webhook, or the same one at
//! another replica, is told apart by the client's journal.

use super::transfers::{Transfer, Transfers};
use crate::error::Result;
use crate::journal::Once;

impl Transfers<'_> {
    /// [`confirm_webhook`](Self::confirm_webhook), then records it in the
    /// client's journal (set with `.journal(..)`): [`Once::First`] the first
    /// time, across every replica sharing the journal, [`Once::Repeat`] for
    /// a re-delivery. The document gives a webhook no id, so one is named
    /// by its transfer and the status read through the API: the next status
    /// change is a first again. Recorded only once the transfer was read; a
    /// body naming no transfer records nothing.
    ///
    /// At most once: the record is made before you act, so a process that
    /// dies between the two leaves a `Repeat` for the re-delivery; see
    /// [`Once`].
    ///
    /// # Errors
    /// [`crate::Error::Config`] without a journal (nothing is sent); as
    /// [`confirm_webhook`](Self::confirm_webhook); [`crate::Error::Journal`]
    /// when the journal fails (then do not act).
    pub async fn confirm_webhook_once<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
    ) -> Result<Option<Once<Transfer>>> {
        let journaling = self.client.notification_journal("confirm_webhook_once")?;
        let Some(transfer) = self.confirm_webhook(request).await? else { return Ok(None) };
        let key = format!("webhook {} {}", transfer.transfer_id.as_str(), transfer.status.as_str());
        self.client.once(&journaling, &key, transfer).await.map(Some)
    }
}

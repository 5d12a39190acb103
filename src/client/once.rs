//! Notifications acted on once: a confirmed callback or webhook recorded in
//! the client's journal under a key naming it, so a re-delivery, or the same
//! one at another replica, is told apart from the first.

use super::{Api, Client};
use crate::error::{Error, Result};
use crate::journal::Once;
use crate::transport::Journaling;

impl<A: Api> Client<A> {
    /// The client's journal, for `call`; asked before anything is sent.
    ///
    /// # Errors
    /// [`Error::Config`] without a journal.
    pub(crate) fn notification_journal(&self, call: &str) -> Result<Journaling> {
        self.transport.journaling().ok_or_else(|| {
            Error::Config(format!("{call} needs a journal to remember notifications: set one with `.journal(..)`"))
        })
    }

    /// `confirmed` as [`Once::First`] when `key` is new to the journal
    /// (recorded now, at most once across replicas), else [`Once::Repeat`].
    ///
    /// # Errors
    /// [`Error::Journal`] when the store fails: then do not act (the sender
    /// delivers the notification again).
    pub(crate) async fn once<T>(&self, journaling: &Journaling, key: &str, confirmed: T) -> Result<Once<T>> {
        let first = journaling.journal.first_notification(&A::PROVIDER.to_string(), key).await?;
        Ok(if first { Once::First(confirmed) } else { Once::Repeat(confirmed) })
    }
}

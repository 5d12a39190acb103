//! `DELETE /transfers/{id}`: cancelling a deferred transfer.

use chrono::{DateTime, Utc};

use super::{transfer_path, Transfer, TransferId, Transfers};
use crate::error::{Error, Result};
use crate::milta::client::rate_class;
use crate::milta::envelope;
use crate::Request;

/// How long before `scheduledAt` a deferred transfer can still be cancelled.
pub const CANCELLATION_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

impl Transfers<'_> {
    /// `DELETE /transfers/{id}` for a deferred transfer, refused client-side
    /// when less than five minutes remain before its `scheduledAt`.
    ///
    /// The document says cancelling inside those five minutes is "not
    /// guaranteed", not forbidden; this refusal trusts the local clock. To
    /// try anyway, use [`cancel_inside_window`](Transfers::cancel_inside_window).
    ///
    /// Returns the transfer when the server reports it.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] inside the window; API errors.
    pub async fn cancel(&self, transfer: &Transfer) -> Result<Option<Transfer>> {
        if let Some(at) = transfer.scheduled_at {
            check_cancellation_window(at, Utc::now())?;
        }
        self.delete(&transfer.transfer_id).await
    }

    /// `DELETE /transfers/{id}` without the client-side five-minute check:
    /// for a transfer whose `scheduledAt` is close (or whose local clock you
    /// do not trust). The server decides; inside the window it may refuse,
    /// or the transfer may execute anyway, so read its status afterwards.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn cancel_inside_window(&self, id: &TransferId) -> Result<Option<Transfer>> {
        self.delete(id).await
    }

    async fn delete(&self, id: &TransferId) -> Result<Option<Transfer>> {
        let req = Request::delete(transfer_path(id)?).rate_class(rate_class::TRANSFER_READ);
        let resp = self.client.send_raw(req).await?;
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        envelope::data::<Option<Transfer>>(&resp)
    }

    /// Reads the transfer, then [`cancel`](Transfers::cancel)s it.
    ///
    /// # Errors
    /// As [`Transfers::get`] and [`Transfers::cancel`].
    pub async fn cancel_by_id(&self, id: &TransferId) -> Result<Option<Transfer>> {
        let transfer = self.get(id).await?;
        self.cancel(&transfer).await
    }
}

/// Refuses a cancellation less than five minutes before `scheduled_at`.
pub(crate) fn check_cancellation_window(scheduled_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    let left = scheduled_at - now;
    if left < CANCELLATION_WINDOW {
        return Err(Error::InvalidRequest(format!(
            "a deferred transfer can only be cancelled until 5 minutes before its scheduled time \
             ({scheduled_at}); {} s remain",
            left.num_seconds().max(0)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellation_window_is_five_minutes() {
        let now = Utc::now();
        assert!(check_cancellation_window(now + chrono::TimeDelta::minutes(6), now).is_ok());
        assert!(check_cancellation_window(now + chrono::TimeDelta::minutes(5), now).is_ok());
        let err = check_cancellation_window(now + chrono::TimeDelta::minutes(4), now).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("5 minutes")), "{err}");
        assert!(check_cancellation_window(now - chrono::TimeDelta::minutes(1), now).is_err());
    }
}

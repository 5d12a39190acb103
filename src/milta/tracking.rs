//! Following transfers after they are created: waiting for one to finish,
//! watching many (a payout run), and confirming a webhook, always by reading
//! the transfer back through the signed-in API.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use super::transfers::{Transfer, TransferId, TransferStatus, Transfers};
use crate::error::Result;
use crate::transport::paginate::ItemStream;

impl Transfers<'_> {
    /// Polls `GET /transfers/{id}` until the transfer reaches a final status
    /// ([`TransferStatus::is_final`]) or `timeout` passes, waiting 0.5 s,
    /// 1 s, 2 s … (at most 15 s) between reads. Every read goes through the
    /// client's limiter (Milta's 300 reads a minute) and retry rules.
    ///
    /// Returns the transfer as last read: after the timeout its status may
    /// still be pending, so check [`TransferStatus::is_final`]. The timeout
    /// is the bound: however the server answers, no read starts after it.
    ///
    /// # Errors
    /// As [`Transfers::get`].
    pub async fn wait_for_final(&self, id: &TransferId, timeout: Duration) -> Result<Transfer> {
        // A timeout past what the clock can hold (`Duration::MAX`) never passes.
        let give_up = Instant::now().checked_add(timeout);
        let mut pause = Duration::from_millis(500);
        loop {
            let transfer = self.get(id).await?;
            let now = Instant::now();
            let left = give_up.map(|at| at.saturating_duration_since(now));
            if transfer.status.is_final() || left == Some(Duration::ZERO) {
                return Ok(transfer);
            }
            tokio::time::sleep(left.map_or(pause, |left| pause.min(left))).await;
            pause = pause.saturating_mul(2).min(Duration::from_secs(15));
        }
    }

    /// Follows many transfers (a payout run) until each reaches a final
    /// status, yielding a transfer whenever its status differs from the last
    /// one seen (its first read included). Each transfer is read again
    /// `every` after its last read; every read goes through the client's
    /// limiter, so the run stays inside Milta's 300 reads a minute however
    /// many transfers it follows. Ends when all are final, or with the first
    /// error. A server can keep a transfer pending for as long as it likes
    /// (a deferred one is, until its time): the stream has no time bound of
    /// its own, so wrap it in `tokio::time::timeout` where you need one.
    pub fn watch(&self, ids: impl IntoIterator<Item = TransferId>, every: Duration) -> ItemStream<Transfer> {
        let now = Instant::now();
        let pending: VecDeque<Watched> = ids.into_iter().map(|id| Watched { id, seen: None, next_read: now }).collect();
        let client = self.client.clone();
        let changes = futures_util::stream::unfold(Some((client, pending)), move |state| async move {
            let (client, mut pending) = state?;
            loop {
                let mut watched = pending.pop_front()?;
                tokio::time::sleep_until(watched.next_read).await;
                let transfer = match client.transfers().get(&watched.id).await {
                    Ok(transfer) => transfer,
                    Err(e) => return Some((Err(e), None)),
                };
                let changed = watched.seen.as_ref() != Some(&transfer.status);
                if !transfer.status.is_final() {
                    watched.seen = Some(transfer.status.clone());
                    // Capped at a month: `Instant + Duration::MAX` would panic.
                    watched.next_read = Instant::now() + every.min(Duration::from_secs(30 * 86_400));
                    pending.push_back(watched);
                }
                if changed {
                    return Some((Ok(transfer), Some((client, pending))));
                }
            }
        });
        Box::pin(sync_wrapper::SyncStream::new(changes))
    }

    /// Confirms a Milta webhook from the request your web framework
    /// received, body collected (`http::Request` is the type axum, hyper and
    /// tower share; in axum, take `parts: http::request::Parts, body: Bytes`
    /// and pass `&http::Request::from_parts(parts, body)`).
    ///
    /// The document says only that webhooks (on request) report status
    /// changes to a URL set in the partner dashboard: no method, payload,
    /// header nor signature. So a webhook is a hint, never proof: this takes
    /// the transfer id from the JSON body (`transferId`, or inside `data`)
    /// and reads the transfer through the API. `None` when the body names no
    /// transfer.
    ///
    /// # Errors
    /// As [`Transfers::get`] (an id that is not one path segment is refused).
    pub async fn confirm_webhook<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Result<Option<Transfer>> {
        match transfer_id_in_webhook(request.body().as_ref()) {
            Some(id) => self.get(&id).await.map(Some),
            None => Ok(None),
        }
    }
}

/// One transfer a [`Transfers::watch`] follows.
struct Watched {
    id: TransferId,
    seen: Option<TransferStatus>,
    next_read: Instant,
}

crate::wire::wire_object! {
    /// The parts of a webhook body that can name a transfer.
    struct WebhookBody {
        /// The transfer id.
        pub transfer_id: Option<TransferId> = optional ["transferId", "transfer_id", "id"] via TransferId,
        /// A wrapped payload.
        pub data: Option<Box<WebhookBody>> = optional ["data", "transfer"],
    }
}

/// The transfer id a webhook body names, if any.
pub(crate) fn transfer_id_in_webhook(body: &[u8]) -> Option<TransferId> {
    let parsed: WebhookBody = serde_json::from_slice(body).ok()?;
    parsed.transfer_id.or_else(|| parsed.data.and_then(|d| d.transfer_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_bodies_name_their_transfer_in_any_plausible_place() {
        let id = |body: &str| transfer_id_in_webhook(body.as_bytes()).map(String::from);
        assert_eq!(id(r#"{"transferId":"T-1","status":"COMPLETED"}"#).as_deref(), Some("T-1"));
        assert_eq!(id(r#"{"event":"transfer.updated","data":{"transferId":9001}}"#).as_deref(), Some("9001"));
        assert_eq!(id(r#"{"transfer":{"id":"T-3"}}"#).as_deref(), Some("T-3"));
        assert_eq!(id(r#"{"event":"ping"}"#), None);
        assert_eq!(id("not json"), None);
    }
}

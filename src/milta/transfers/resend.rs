//! Sending again, under the same idempotency key, a call whose outcome is unknown.

use super::create::create_request;
use super::submit::batch_request;
use super::{BatchResponse, Transfer, TransferRequest, Transfers};
use crate::error::{Error, Result};
use crate::milta::envelope;
use crate::transport::request::check_idempotency_key;
use crate::Request;

impl Transfers<'_> {
    /// Sends again a transfer whose outcome is unknown, with the same
    /// idempotency key, so Milta answers with the transfer it may already
    /// have made instead of making a second one. `transfer` must be the
    /// request that was sent, unchanged: its body is compared byte for byte
    /// with the one `unknown` recorded, because Milta may answer a changed
    /// body with the first transfer, or make a second one.
    ///
    /// The key's age keeps counting from its first use: an unknown outcome
    /// of the resend carries the same
    /// [`first_sent_at`](crate::Sent::first_sent_at).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when `unknown` carries no idempotency key or
    /// no recorded body, is for another call or another body, or its key is
    /// older than Milta's 24 hours (the document offers no lookup by
    /// `externalId`: read the transfer by id if you have it, otherwise a
    /// person checks it with the `externalId` and key `unknown` carries);
    /// otherwise as [`Transfers::create_with_key`].
    pub async fn resend(&self, transfer: &TransferRequest, unknown: &crate::OutcomeUnknown) -> Result<Transfer> {
        let key = resendable_key(unknown, std::time::SystemTime::now())?;
        let req = same_as_first_sent(create_request(transfer, key)?, unknown)?;
        envelope::data(&self.client.send_raw(req).await?)
    }

    /// [`resend`](Transfers::resend) for a batch whose outcome is unknown:
    /// the same transfers in the same order (the same bytes), the same key.
    ///
    /// # Errors
    /// As [`Transfers::resend`] and [`Transfers::batch_with_key`].
    pub async fn resend_batch(
        &self,
        transfers: &[TransferRequest],
        unknown: &crate::OutcomeUnknown,
    ) -> Result<BatchResponse> {
        let key = resendable_key(unknown, std::time::SystemTime::now())?;
        let req = same_as_first_sent(batch_request(transfers, key)?, unknown)?;
        envelope::data(&self.client.send_raw(req).await?)
    }
}

/// Lets `req` go out under `unknown`'s key only when it is the very call
/// first sent under it (method, path and body bytes), and carries the key's
/// first use into it so its 24 hours keep counting from there.
fn same_as_first_sent(req: Request, unknown: &crate::OutcomeUnknown) -> Result<Request> {
    // The key and the references are the caller's (in `unknown`): the
    // messages name neither.
    if unknown.sent.method != req.method.as_str() || unknown.sent.path != req.path {
        return Err(Error::InvalidRequest(format!(
            "the key was first sent with {} {}, not {} {}, so the request differs: resend the call first sent",
            unknown.sent.method,
            unknown.sent.route,
            req.method,
            req.route()
        )));
    }
    let Some(first) = &unknown.sent.body else {
        return Err(Error::InvalidRequest(
            "the unknown outcome records no body, so a resend cannot be shown to be the same request".into(),
        ));
    };
    if req.body() != Some(&first[..]) {
        return Err(Error::InvalidRequest(
            "the request differs from the one first sent under this key: resend it unchanged (same transfers, \
             same order, same amounts)"
                .into(),
        ));
    }
    Ok(req.first_sent_at(unknown.sent.first_sent_at))
}

/// What to do after a Milta transfer or batch whose outcome is unknown, as
/// the end of the error's sentence. The document: "Pass an
/// X-Idempotency-Key header to safely retry requests without risk of
/// duplicate transfers. Keys are valid for 24 hours." It offers no lookup by
/// `externalId`, so after 24 h only the transfer id (if you have it) or a
/// person can tell.
pub(super) const RESEND: &str =
    "send it again unchanged within 24 h, which its key makes safe; after that, a person checks it";

/// How long Milta keeps an idempotency key.
pub const IDEMPOTENCY_KEY_LIFETIME: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// The key of an unknown outcome, while resending with it is still safe.
fn resendable_key(unknown: &crate::OutcomeUnknown, now: std::time::SystemTime) -> Result<String> {
    let Some(key) = unknown.sent.idempotency_key.clone() else {
        return Err(Error::InvalidRequest("the unknown outcome carries no idempotency key to resend with".into()));
    };
    // A hand-built unknown may hold any text; it is checked before it is echoed.
    check_idempotency_key(&key)?;
    let age = now.duration_since(unknown.sent.first_sent_at).unwrap_or_default();
    if age >= IDEMPOTENCY_KEY_LIFETIME {
        return Err(Error::InvalidRequest(format!(
            "the key was first sent {} h ago and Milta keeps keys 24 h, so a resend could transfer twice: read the \
             transfer by id if you have it, else a person checks it",
            age.as_secs() / 3600
        )));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::milta::{ExternalId, PhoneNumber, ProductId};
    use crate::Decimal;

    #[test]
    fn a_key_older_than_24_hours_is_not_resent() {
        let mut unknown = crate::OutcomeUnknown::new(crate::Provider::Milta, "POST", "/transfers", "reset");
        assert!(
            matches!(resendable_key(&unknown, unknown.sent.first_sent_at), Err(Error::InvalidRequest(_))),
            "no key"
        );
        unknown.sent.idempotency_key = Some("k".into());
        let sent = unknown.sent.first_sent_at;
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(resendable_key(&unknown, sent + 23 * hour).unwrap(), "k");
        let err = resendable_key(&unknown, sent + 24 * hour).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("24 h")), "{err}");
    }

    #[test]
    fn a_resend_must_be_the_call_first_sent_and_keeps_its_first_use() {
        let t = TransferRequest::new(
            ExternalId::from("TXN-1"),
            ProductId::from("P"),
            PhoneNumber::from("+1"),
            Decimal::ONE,
            "GBP",
        );
        let first = create_request(&t, "k".into()).unwrap();
        let mut unknown = crate::OutcomeUnknown::new(crate::Provider::Milta, "POST", "/transfers", "reset");
        unknown.sent.idempotency_key = Some("k".into());
        unknown.sent.first_sent_at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000);
        let err = same_as_first_sent(create_request(&t, "k".into()).unwrap(), &unknown).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("records no body")), "{err}");

        unknown.sent.body = first.body().map(bytes::Bytes::copy_from_slice);
        let again = same_as_first_sent(create_request(&t, "k".into()).unwrap(), &unknown).unwrap();
        assert_eq!(
            again.first_sent_at,
            Some(unknown.sent.first_sent_at),
            "the key's first use travels with the resend"
        );
        let err = same_as_first_sent(batch_request(std::slice::from_ref(&t), "k".into()).unwrap(), &unknown);
        assert!(matches!(err, Err(Error::InvalidRequest(ref m)) if m.contains("/transfers/batch")), "{err:?}");
    }
}

//! What the HTTP stack can prove was never sent.
//!
//! hyper hands a request back unwritten when the connection it was given to
//! closed or was not ready before the first byte went out (its `Canceled`
//! error, hyper-util's "unstarted request canceled"). hyper-util already
//! sends such a request again by itself on a reused pooled connection; on a
//! fresh connection it returns the error, and that error is what this
//! recognises. Everything else after the connection was made (a reset, "connection
//! closed before message completed", a timeout) may have come after the
//! request reached the server, and proves nothing.

/// Whether `e`, an error from sending a request, says the request was
/// never written: then it is a connect failure, retried with nothing sent.
pub(super) fn never_written(e: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(hyper) = s.downcast_ref::<hyper::Error>() {
            return hyper.is_canceled();
        }
        source = s.source();
    }
    false
}

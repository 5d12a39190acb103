//! Provider-neutral failure responders: a 429 with `Retry-After`, a 5xx, a
//! 200 that is not JSON, and a slow answer.
//!
//! walletkit decides from the status alone whether a 429 or 5xx is retried
//! and whether a POST's outcome is unknown, so these plain-text bodies lead
//! to the same behaviour as each API's own error body would. The bodies only
//! fill [`ApiError::code`](crate::ApiError::code) and the message; for
//! those, Milta and MilaCoins have their 429 in their own format:
//! [`fixtures::milta::rate_limited`](super::fixtures::milta::rate_limited),
//! [`fixtures::milacoins::rate_limited`](super::fixtures::milacoins::rate_limited).
//! The Wallets and WaaS documents show no 429 body.

use std::time::Duration;

use wiremock::ResponseTemplate;

/// 429 with `Retry-After: <seconds>`: a request walletkit retries (any
/// method: the server did not process it) after at least that long, if the
/// wait is within the retry policy's `max_retry_after`.
///
/// `Retry-After` carries whole seconds, so a fraction is rounded up (and
/// zero stays zero).
pub fn too_many_requests(retry_after: Duration) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("Retry-After", retry_after_secs(retry_after).as_str())
        .set_body_raw("429 Too Many Requests (walletkit::test_util)", "text/plain")
}

/// `status` with a short plain-text body. Meant for 500 to 599: walletkit
/// retries an idempotent request on 500, 502, 503 and 504, and reports a
/// POST with side effects that meets 500, 502, 504 (or 503 without
/// `Retry-After`) as [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).
///
/// A status outside 500..=599 is served as 500, so a typo cannot turn the
/// failure into a success.
pub fn server_error(status: u16) -> ResponseTemplate {
    let status = if (500..=599).contains(&status) { status } else { 500 };
    ResponseTemplate::new(status).set_body_raw(format!("{status} server error (walletkit::test_util)"), "text/plain")
}

/// 200 whose body is not JSON (an HTML page, as a proxy or captive portal
/// serves one), labelled `application/json`. A read ends in
/// [`Error::Decode`](crate::Error::Decode); a POST with side effects in
/// [`Error::AcceptedUnreadable`](crate::Error::AcceptedUnreadable), since a
/// 2xx says the server acted.
pub fn garbage() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw("<html><body><h1>Service temporarily unavailable</h1></body></html>", "application/json")
}

/// `inner`, answered after `delay` (wiremock's
/// [`set_delay`](ResponseTemplate::set_delay)). Beyond the client's attempt
/// timeout, an idempotent request is retried and ends in
/// [`Error::Network`](crate::Error::Network), and a POST with side effects
/// ends in [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown): the
/// mock still received it.
pub fn slow(delay: Duration, inner: ResponseTemplate) -> ResponseTemplate {
    inner.set_delay(delay)
}

/// `Retry-After`'s whole seconds for `wait`, rounded up.
pub(super) fn retry_after_secs(wait: Duration) -> String {
    let secs = wait.as_secs().saturating_add(u64::from(wait.subsec_nanos() > 0));
    secs.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::ZERO), "0");
        assert_eq!(retry_after_secs(Duration::from_millis(1)), "1");
        assert_eq!(retry_after_secs(Duration::from_secs(1)), "1");
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), "2");
        assert_eq!(retry_after_secs(Duration::MAX), u64::MAX.to_string());
    }
}

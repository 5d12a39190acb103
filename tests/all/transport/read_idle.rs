//! The read-idle timeout against the sandbox's drip fault (an answer's body
//! a few bytes at a time, a pause before each piece): a body that stalls
//! longer than the timeout ends the attempt, one that keeps coming does not
//! however long it takes in all, and the ending is decided like any lost
//! answer (a keyless money call's outcome is unknown; a read is retried).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::sandbox::{Faults, Sandbox, SandboxClient as _, SandboxConfig};
use walletkit::{AttemptHook, AttemptInfo, Decimal, Error, ErrorKind, RetryPolicy};

use crate::support::fast;

const READ_IDLE: Duration = Duration::from_millis(150);

#[derive(Default)]
struct Attempts(AtomicU32);

impl AttemptHook for Attempts {
    fn on_start(&self, _: &AttemptInfo<'_>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

async fn dripping(pause: Duration, bytes: usize) -> Sandbox {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sb.milacoins().set_faults(Faults { drip: Some(pause), drip_bytes: bytes, ..Faults::default() });
    sb
}

fn client(sb: &Sandbox, retry: RetryPolicy, attempts: &Arc<Attempts>) -> MilaCoinsClient {
    sb.milacoins()
        .client_builder()
        .read_idle_timeout(Some(READ_IDLE))
        .attempt_timeout(Some(Duration::from_secs(20)))
        .rate_limits_enabled(false)
        .retry_policy(retry)
        .attempt_hook(attempts.clone())
        .build()
        .unwrap()
}

fn invoice() -> InvoiceRequest {
    InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(1050, 2), "EUR")
}

#[tokio::test]
async fn a_body_stalled_longer_than_the_read_idle_timeout_ends_the_attempt() {
    let sb = dripping(READ_IDLE * 4, 8).await;
    let attempts = Arc::new(Attempts::default());
    let mila = client(&sb, RetryPolicy::none(), &attempts);
    let started = Instant::now();
    let err = mila.reference().currencies().await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Network { ref message, .. } if message.contains("read-idle")), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(took < READ_IDLE * 3, "ended by the read-idle timeout, not the 20 s attempt timeout: {took:?}");
}

#[tokio::test]
async fn a_read_is_retried_after_a_stall_and_a_keyless_money_call_is_outcome_unknown() {
    let sb = dripping(READ_IDLE * 4, 8).await;
    let attempts = Arc::new(Attempts::default());
    let mila = client(&sb, fast().max_retries(2), &attempts);
    let err = mila.reference().currencies().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert_eq!(attempts.0.swap(0, Ordering::Relaxed), 3, "a read is sent again after a stall");

    let err = mila.invoices().create(&invoice()).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("expected outcome unknown, got {err}"));
    assert!(unknown.cause.contains("read-idle"), "{}", unknown.cause);
    assert_eq!(attempts.0.load(Ordering::Relaxed), 1, "a keyless money call is never sent twice");
    assert_eq!(sb.milacoins().invoices().len(), 1, "the server acted: the stall came after");
}

#[tokio::test]
async fn a_body_that_keeps_coming_is_read_however_long_it_takes_in_all() {
    let pause = READ_IDLE / 4;
    let sb = dripping(pause, 8).await;
    let attempts = Arc::new(Attempts::default());
    let mila = client(&sb, RetryPolicy::none(), &attempts);
    let started = Instant::now();
    mila.invoices().create(&invoice()).await.unwrap();
    let took = started.elapsed();
    assert!(took > READ_IDLE * 3, "the whole body took longer than the read-idle timeout: {took:?}");
    assert_eq!(attempts.0.load(Ordering::Relaxed), 1);
    assert_eq!(sb.milacoins().invoices().len(), 1);
}

#[tokio::test]
async fn the_read_idle_timeout_holds_for_a_callers_own_http_client() {
    let sb = dripping(READ_IDLE * 4, 8).await;
    let own = reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mila = sb
        .milacoins()
        .client_builder()
        .http_client(own)
        .read_idle_timeout(Some(READ_IDLE))
        .attempt_timeout(Some(Duration::from_secs(20)))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = mila.reference().currencies().await.unwrap_err();
    assert!(matches!(err, Error::Network { ref message, .. } if message.contains("read-idle")), "{err:?}");
    assert!(started.elapsed() < READ_IDLE * 3, "{:?}", started.elapsed());
}

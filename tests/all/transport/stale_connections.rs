//! Keep-alive connections the far side closes when idle, as a load balancer
//! does: the sandbox closes a connection after `IDLE_CLOSE` without a byte,
//! and keyless MilaCoins invoices (no `externalID`: a lost answer is an
//! unknown outcome) are sent spaced around that time. A client that drops
//! its idle connections first never writes on a closing socket.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use walletkit::milacoins::{InvoiceRequest, WalletName};
use walletkit::sandbox::{Sandbox, SandboxClient as _, SandboxConfig};
use walletkit::{AttemptHook, AttemptOutcome, AttemptReport, Decimal};

use crate::support::fast;

const IDLE_CLOSE: Duration = Duration::from_millis(200);

/// Retries the transport made (each a failed attempt sent again).
#[derive(Default)]
struct Retries(AtomicU32);

impl AttemptHook for Retries {
    fn on_end(&self, report: &AttemptReport<'_>) {
        if report.outcome == AttemptOutcome::Retry {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    created: usize,
    outcome_unknown: usize,
    other_errors: usize,
    retries: u32,
    invoices_on_server: usize,
}

/// The pauses between calls: 48 from 4 ms under the server's idle close to
/// 1 ms over it (where a reused connection races its closing), and some well
/// below it (where reuse is safe and kept).
fn gaps() -> Vec<Duration> {
    let around = (0..48).map(|i| IDLE_CLOSE - Duration::from_millis(4) + Duration::from_millis(i % 6));
    around.chain([20, 50, 80].map(Duration::from_millis)).collect()
}

/// Sends one keyless invoice after each gap, through a client keeping idle
/// connections for `client_idle`.
async fn run(client_idle: Option<Duration>) -> Counts {
    let sb = Sandbox::start(SandboxConfig { idle_close: Some(IDLE_CLOSE), ..SandboxConfig::default() }).await.unwrap();
    let retries = Arc::new(Retries::default());
    let mila = sb
        .milacoins()
        .client_builder()
        .pool_idle_timeout(client_idle)
        .rate_limits_enabled(false)
        .retry_policy(fast())
        .attempt_hook(retries.clone())
        .build()
        .unwrap();
    let mut counts = Counts::default();
    let invoice = InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(1050, 2), "EUR");
    for gap in gaps() {
        tokio::time::sleep(gap).await;
        match mila.invoices().create(&invoice).await {
            Ok(_) => counts.created += 1,
            Err(e) if e.as_outcome_unknown().is_some() => {
                eprintln!("unknown at gap {gap:?}: {e}");
                counts.outcome_unknown += 1
            }
            Err(e) => {
                eprintln!("other error: {e}");
                counts.other_errors += 1;
            }
        }
    }
    counts.retries = retries.0.load(Ordering::Relaxed);
    counts.invoices_on_server = sb.milacoins().invoices().len();
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_dropped_before_the_server_closes_them_lose_no_keyless_call() {
    let calls = gaps().len();
    let counts = run(Some(IDLE_CLOSE / 2)).await;
    eprintln!("client idle {:?} < server idle close {IDLE_CLOSE:?}: {counts:?}", IDLE_CLOSE / 2);
    assert_eq!(
        counts,
        Counts { created: calls, outcome_unknown: 0, other_errors: 0, retries: 0, invoices_on_server: calls },
        "every keyless invoice created once, none lost on a closing connection"
    );
}

/// The same with reqwest's 90 s, the failure the setting prevents: measured
/// 5 or 6 of 51 keyless invoices lost as `OutcomeUnknown` in each of 3 runs
/// (at gaps of 197 to 199 ms, "connection closed before message
/// completed"), none of them created: each a needless reconcile. A race on
/// timers, so it is ignored rather than risked on a loaded machine:
/// `cargo test --all-features --test all control_ -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a timing race: shows the failure on demand"]
async fn control_idle_connections_kept_longer_than_the_server_does() {
    let counts = run(Some(Duration::from_secs(90))).await;
    eprintln!("client idle 90 s > server idle close {IDLE_CLOSE:?}: {counts:?}");
    assert!(counts.outcome_unknown > 0, "the race was not met this run: {counts:?}");
    assert_eq!(counts.invoices_on_server, counts.created, "a lost call was never created: a needless reconcile");
}

/// A server that accepts each connection and closes it at once, before
/// reading anything: hyper sees the close before it writes the request and
/// hands the request back unwritten, which proves nothing was sent. A
/// keyless money call is then retried as a connect failure, not reported
/// as an unknown outcome.
#[tokio::test]
async fn a_request_closed_before_it_was_written_is_a_connect_failure_and_retried() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    let retries = Arc::new(Retries::default());
    let mila = walletkit::milacoins::MilaCoinsClient::builder()
        .base_url(base)
        .credentials("k", "s")
        .rate_limits_enabled(false)
        .retry_policy(fast().max_retries(2))
        .attempt_hook(retries.clone())
        .build()
        .unwrap();
    let invoice = InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(1050, 2), "EUR");
    let err = mila.invoices().create(&invoice).await.unwrap_err();
    assert_eq!(err.kind(), walletkit::ErrorKind::Connect, "{err}");
    assert_eq!(retries.0.load(Ordering::Relaxed), 2, "sent again: nothing was written");
}

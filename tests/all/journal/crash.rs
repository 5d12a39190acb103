//! The journal's promise under SIGKILL: a worker process sends 200 Milta
//! transfers, 100 MilaCoins invoices and 100 WaaS credits through a journal
//! and is killed at 20 random points (fixed seed); each new worker first
//! runs `recover()`, then carries on. At the end every business reference
//! is at the provider at most once, and its intent is final: created (and
//! at the provider exactly once) or waiting for a person with its evidence.
//!
//! The workers are this test binary run again on one ignored test; the
//! sandbox lives in the parent, so it keeps its state while workers die.

use std::os::unix::process::ExitStatusExt as _;
use std::process::Stdio;
use std::time::Duration;

use chrono::{TimeZone as _, Utc};
use tokio::process::Command;
use walletkit::journal::{IntentState, Journal};
use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::milta::{rate_class, ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::sandbox::{Faults, Sandbox, SandboxClient as _, SandboxConfig};
use walletkit::waas::{
    AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource, WaasClient,
};
use walletkit::{Decimal, Rate, RetryPolicy};

use super::backend::TempDir;
use crate::support::waas_account;

const WORKER: &str = "journal::crash::worker";
const TRANSFERS: u32 = 200;
const INVOICES: u32 = 100;
const CREDITS: u32 = 100;
const KILLS: u32 = 20;
/// Short, so the next worker may take over what a killed one held.
const LEASE: Duration = Duration::from_millis(300);

/// What the parent hands a worker, as environment variables.
const VARS: [&str; 3] = ["WK_CRASH_JOURNAL", "WK_CRASH_WAAS_ACCOUNT", "WK_CRASH_WAAS_SERVICE"];

fn transfer(i: u32) -> TransferRequest {
    TransferRequest::new(
        ExternalId::from(format!("M-{i}")),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(1000 + i64::from(i), 2),
        "GBP",
    )
}

fn invoice(i: u32) -> InvoiceRequest {
    InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(500 + i64::from(i), 2), "EUR")
        .external_id(format!("C-{i}"))
}

/// The same body every time a worker builds it: the date is fixed.
fn credit(i: u32, account: &str, service: &str) -> TransactionRequest {
    TransactionRequest::new(
        AccountNumber::from(account),
        ClientServiceCode::from(service),
        TransactionSource::External,
        Decimal::new(100 + i64::from(i), 1),
        SourceTransactionId::from(format!("W-{i}")),
        Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).unwrap(),
    )
}

async fn open(journal: &str) -> Journal {
    #[cfg(feature = "journal-postgres")]
    if journal.starts_with("postgres") {
        return Journal::postgres(journal).await.unwrap();
    }
    Journal::sqlite(journal).await.unwrap()
}

/// A worker: recovers what an earlier worker left, then sends every payment
/// (a reference already journaled sends nothing), printing a line per verdict.
#[tokio::test]
#[ignore = "a worker process of the crash tests"]
async fn worker() {
    let Ok(journal) = std::env::var(VARS[0]) else { return };
    let (account, service) = (std::env::var(VARS[1]).unwrap(), std::env::var(VARS[2]).unwrap());
    let journal = open(&journal).await;
    let var = |name: &str| std::env::var(name).unwrap();
    // A short client-side wait between storing an intent and sending it:
    // room for a kill to land there too.
    let spacing = Rate::new(1, Duration::from_millis(4));
    let milta = MiltaClient::builder()
        .base_url(var("MILTA_BASE_URL"))
        .credentials(var("MILTA_API_KEY_ID"), var("MILTA_API_KEY_SECRET"))
        .rate_limit(rate_class::TRANSFER_CREATE, Some(spacing))
        .retry_policy(RetryPolicy::none())
        .journal(journal.clone())
        .journal_lease(LEASE)
        .build()
        .unwrap();
    let mila = MilaCoinsClient::builder()
        .base_url(var("MILACOINS_BASE_URL"))
        .credentials(var("MILACOINS_API_KEY"), var("MILACOINS_SECRET_KEY"))
        .retry_policy(RetryPolicy::none())
        .journal(journal.clone())
        .journal_lease(LEASE)
        .build()
        .unwrap();
    let waas = WaasClient::builder()
        .base_url(var("WAAS_BASE_URL"))
        .credentials(var("WAAS_USERNAME"), var("WAAS_PASSWORD"))
        .retry_policy(RetryPolicy::none())
        .journal(journal)
        .journal_lease(LEASE)
        .build()
        .unwrap();

    let verdicts = [milta.recover().await.unwrap(), mila.recover().await.unwrap(), waas.recover().await.unwrap()];
    for verdict in verdicts.iter().flatten() {
        println!("\nverdict {} {:?}", verdict.reference, verdict.outcome);
    }
    // Interleaved, so a kill can land in any provider's call.
    for i in 0..TRANSFERS {
        let _ = milta.transfers().create(&transfer(i)).await;
        if i < INVOICES {
            let _ = mila.invoices().create(&invoice(i)).await;
        }
        if i < CREDITS {
            let _ = waas.transactions().credit(&credit(i, &account, &service)).await;
        }
    }
    println!("\nworker done");
}

/// A WaaS client, an account and a service for the credits, made once.
async fn waas_setup(sandbox: &Sandbox) -> (String, String) {
    let waas = sandbox.waas().client().unwrap();
    let (account, service) = waas_account(&waas, "Crash").await;
    (account.as_str().to_owned(), service.as_str().to_owned())
}

fn worker_command(sandbox: &Sandbox, journal: &str, waas: &(String, String)) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([WORKER, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .envs(sandbox.env_vars())
        .env(VARS[0], journal)
        .env(VARS[1], &waas.0)
        .env(VARS[2], &waas.1)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// Where the killed workers left their intents, counted over every kill.
#[derive(Debug, Default)]
struct KillPoints {
    /// Stored, no attempt started: killed between the intent and the send.
    before_send: usize,
    /// An attempt started, the provider has nothing: killed during the send.
    during_send: usize,
    /// The provider made it, the journal has no outcome: killed after the
    /// answer (or while it was held back) and before it was stored.
    before_stored: usize,
}

/// Runs the whole story on the journal at `journal_at` (a path or a URL),
/// with `replicas` workers at a time racing over the same references.
async fn crash_story(journal_at: &str, seed: u64, replicas: u32) {
    let mut config = SandboxConfig::default();
    config.milta.limits = None;
    // Time inside each call for a kill to land in: before and after the provider acts.
    let slow =
        Faults { latency: Duration::from_millis(2), answer_latency: Duration::from_millis(3), ..Faults::default() };
    (config.milta.faults, config.milacoins.faults) = (slow.clone(), slow.clone());
    let sandbox = Sandbox::start(config).await.unwrap();
    let waas = waas_setup(&sandbox).await;
    sandbox.waas().set_faults(slow);
    let journal = open(journal_at).await;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut points = KillPoints::default();

    for round in 0..KILLS / replicas {
        let mut workers: Vec<_> =
            (0..replicas).map(|_| worker_command(&sandbox, journal_at, &waas).spawn().unwrap()).collect();
        for worker in &mut workers {
            tokio::time::sleep(Duration::from_millis(rng.u64(40..700) / u64::from(replicas))).await;
            worker.start_kill().unwrap();
        }
        for worker in workers {
            let killed = worker.wait_with_output().await.unwrap();
            let out = String::from_utf8_lossy(&killed.stdout);
            assert!(!out.contains("worker done"), "round {round}: a worker finished before its kill");
            assert_eq!(killed.status.signal(), Some(9), "round {round}: {}", String::from_utf8_lossy(&killed.stderr));
        }
        for record in journal.unfinished(None, 1_000).await.unwrap() {
            let at_provider = provider_count(&sandbox, &record.provider, &record.reference) > 0;
            match (record.attempts, at_provider) {
                (0, _) => points.before_send += 1,
                (_, false) => points.during_send += 1,
                (_, true) => points.before_stored += 1,
            }
        }
        // Let the killed worker's leases run out before the next one starts.
        tokio::time::sleep(LEASE + Duration::from_millis(100)).await;
    }
    eprintln!("unfinished intents found after the {KILLS} kills: {points:?}");

    let last: Vec<_> = (0..replicas).map(|_| worker_command(&sandbox, journal_at, &waas).output()).collect();
    for last in futures_util::future::join_all(last).await {
        let last = last.unwrap();
        let out = String::from_utf8_lossy(&last.stdout);
        assert!(out.contains("worker done"), "{out}\n{}", String::from_utf8_lossy(&last.stderr));
    }
    // A replica may have found another's intent in flight and left it: one
    // more pass settles what is left (none is held any more).
    let milta = sandbox.milta().client_builder().journal(journal.clone()).build().unwrap();
    let mila = sandbox.milacoins().client_builder().journal(journal.clone()).build().unwrap();
    let waas_client = sandbox.waas().client_builder().journal(journal.clone()).build().unwrap();
    milta.recover().await.unwrap();
    mila.recover().await.unwrap();
    waas_client.recover().await.unwrap();

    // Every reference: at the provider at most once, its intent final, and
    // a created one at the provider exactly once.
    let references = (0..TRANSFERS)
        .map(|i| ("milta", format!("M-{i}")))
        .chain((0..INVOICES).map(|i| ("milacoins", format!("C-{i}"))))
        .chain((0..CREDITS).map(|i| ("waas", format!("W-{i}"))));
    let (mut created, mut review) = (0, Vec::new());
    for (provider, reference) in references {
        let count = provider_count(&sandbox, provider, &reference);
        assert!(count <= 1, "{provider} {reference} was made {count} times");
        let record = journal.get(provider, &reference).await.unwrap();
        let record = record.unwrap_or_else(|| panic!("{provider} {reference} has no intent: lost"));
        match &record.state {
            IntentState::Created { .. } => {
                assert_eq!(count, 1, "{provider} {reference} is created in the journal, not at the provider");
                created += 1;
            }
            IntentState::NeedsReview { evidence } => {
                assert!(evidence.contains(&reference), "{evidence}");
                review.push(format!("{provider} {reference} (at the provider: {count})"));
            }
            other => panic!("{provider} {reference} is not final: {other:?}"),
        }
    }
    eprintln!("created {created}, needs review {}: {review:?}", review.len());
    assert_eq!(created + review.len(), (TRANSFERS + INVOICES + CREDITS) as usize);
    if replicas == 1 {
        // One worker at a time is nearly always mid-call when killed.
        assert!(points.before_send + points.during_send + points.before_stored > 0, "no kill left an intent behind");
    }
}

fn provider_count(sandbox: &Sandbox, provider: &str, reference: &str) -> usize {
    match provider {
        "milta" => sandbox.milta().transfers_with_external_id(reference),
        "milacoins" => sandbox.milacoins().invoices_with_external_id(reference),
        _ => sandbox.waas().transactions_with_source_id(reference),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_twenty_times_every_payment_is_made_once_or_awaits_a_person_on_sqlite() {
    let dir = TempDir::new();
    let path = dir.path.join("journal.db");
    crash_story(path.to_str().unwrap(), 19, 1).await;
}

#[cfg(feature = "journal-postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_replicas_on_postgresql_killed_twenty_times_make_every_payment_once_or_leave_it_to_a_person() {
    use super::backend::Backend;
    // The backend keeps the shared server running: hold it to the end.
    let Some(backend) = Backend::postgres().await else { return };
    let Backend::Postgres { url, .. } = &backend else { panic!("not PostgreSQL") };
    crash_story(url, 20, 4).await;
}

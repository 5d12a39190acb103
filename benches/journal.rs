//! What the journal adds to one money call: Milta `transfers().create`
//! (a new `externalId` per call) against the sandbox on loopback, without a
//! journal, with an SQLite file, and with PostgreSQL over loopback (with
//! `fsync` off, as the tests run it, and on, as production does). A
//! journaled call stores the intent before sending, counts the attempt and
//! stores the outcome: three writes to the store per call.
//!
//! Prints, per store: per-call latency p50/p99 at concurrency 1 (after a
//! warm-up), the journal's added p50/p99 (journaled minus no journal), and
//! calls per second at concurrency 1 and 16. Rate limits are off on both
//! sides (the client's and the sandbox's), so nothing waits for a window.
//!
//! `cargo bench --bench journal --features journal-sqlite,journal-postgres`
//! (PostgreSQL is started as the tests start it, from
//! `tests/all/support/postgres_server.rs`, and skipped with a line when not
//! installed). Nothing is asserted; `BENCHMARKS.md` records the figures.

#[allow(dead_code)]
#[path = "../tests/all/support/postgres_server.rs"]
mod postgres_server;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use walletkit::journal::Journal;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::sandbox::{Sandbox, SandboxClient as _, SandboxConfig};
use walletkit::Decimal;

/// Calls before measuring (connections, statement caches, page cache).
const WARM_UP: u64 = 200;
/// Calls measured one at a time.
const SEQUENTIAL: u64 = 2_000;
/// Calls measured with [`CONCURRENCY`] in flight.
const CONCURRENT: u64 = 2_000;
const CONCURRENCY: u64 = 16;

/// Unique `externalId`s across the whole run.
static NEXT: AtomicU64 = AtomicU64::new(0);

fn payment() -> TransferRequest {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    TransferRequest::new(
        ExternalId::from(format!("JB-{}-{n}", std::process::id())),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::ONE,
        "GBP",
    )
}

struct Figures {
    p50: Duration,
    p99: Duration,
    per_second_1: f64,
    per_second_16: f64,
    p50_16: Duration,
    p99_16: Duration,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn one(milta: &MiltaClient) -> Duration {
    let t = payment();
    let started = Instant::now();
    milta.transfers().create(&t).await.expect("transfer");
    started.elapsed()
}

async fn measure(milta: &MiltaClient) -> Figures {
    for _ in 0..WARM_UP {
        one(milta).await;
    }
    let mut times = Vec::with_capacity(SEQUENTIAL as usize);
    let started = Instant::now();
    for _ in 0..SEQUENTIAL {
        times.push(one(milta).await);
    }
    let per_second_1 = SEQUENTIAL as f64 / started.elapsed().as_secs_f64();
    times.sort();
    let (p50, p99) = (percentile(&times, 0.50), percentile(&times, 0.99));

    let left = Arc::new(AtomicU64::new(CONCURRENT));
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (milta, left) = (milta.clone(), left.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                while left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok() {
                    times.push(one(&milta).await);
                }
                times
            })
        })
        .collect();
    let mut times = Vec::with_capacity(CONCURRENT as usize);
    for task in tasks {
        times.extend(task.await.expect("task"));
    }
    let per_second_16 = CONCURRENT as f64 / started.elapsed().as_secs_f64();
    times.sort();
    Figures {
        p50,
        p99,
        per_second_1,
        per_second_16,
        p50_16: percentile(&times, 0.50),
        p99_16: percentile(&times, 0.99),
    }
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn report(name: &str, f: &Figures, base: Option<&Figures>) {
    let added = base.map_or(String::new(), |b| {
        format!("  added p50 {:+.0} µs, p99 {:+.0} µs", us(f.p50) - us(b.p50), us(f.p99) - us(b.p99))
    });
    println!(
        "{name:<34} c=1: p50 {:>6.0} µs  p99 {:>6.0} µs  {:>6.0}/s | c={CONCURRENCY}: {:>6.0}/s  p50 {:>6.0} µs  p99 {:>6.0} µs{added}",
        us(f.p50),
        us(f.p99),
        f.per_second_1,
        f.per_second_16,
        us(f.p50_16),
        us(f.p99_16),
    );
}

/// Rounds per store; each figure is the best of its rounds (noise on a
/// shared machine only ever slows a run down).
const ROUNDS: usize = 3;

/// A fresh sandbox for each measurement: the fake checks a new
/// `externalId` against every transfer it holds, so one sandbox would make
/// each later measurement slower than the one before.
async fn sandbox() -> Result<Sandbox, Box<dyn std::error::Error>> {
    let mut config = SandboxConfig::default();
    config.milta.limits = None;
    config.milta.initial_balance = Decimal::new(1_000_000_000, 0);
    Ok(Sandbox::start(config).await?)
}

fn best(rounds: &[Figures]) -> Figures {
    let min = |f: fn(&Figures) -> Duration| rounds.iter().map(f).min().unwrap_or_default();
    let max = |f: fn(&Figures) -> f64| rounds.iter().map(f).fold(0.0, f64::max);
    Figures {
        p50: min(|f| f.p50),
        p99: min(|f| f.p99),
        per_second_1: max(|f| f.per_second_1),
        per_second_16: max(|f| f.per_second_16),
        p50_16: min(|f| f.p50_16),
        p99_16: min(|f| f.p99_16),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "-- Milta transfers().create, {WARM_UP} warm-up, {SEQUENTIAL} calls at concurrency 1, {CONCURRENT} at {CONCURRENCY}; best of {ROUNDS} rounds"
    );
    let dir = std::env::temp_dir().join(format!("walletkit-jbench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    // As the tests start it (`fsync=off`), and as production runs it.
    let fast = postgres_server::shared();
    let durable = fast.as_ref().and_then(|_| postgres_server::PostgresServer::start(true));
    let mut stores: Vec<(&str, Option<Journal>)> =
        vec![("no journal", None), ("SQLite (WAL, full sync)", Some(Journal::sqlite(dir.join("journal.db")).await?))];
    for (name, server) in [("PostgreSQL (fsync off)", fast.as_deref()), ("PostgreSQL (fsync on)", durable.as_ref())] {
        match server {
            Some(server) => stores.push((name, Some(Journal::postgres(&server.database().await).await?))),
            None => println!("{name}: PostgreSQL not installed, skipped"),
        }
    }
    let mut figures: Vec<Vec<Figures>> = stores.iter().map(|_| Vec::new()).collect();
    for round in 0..ROUNDS {
        // The store that goes first changes from round to round.
        for i in (0..stores.len()).map(|i| (i + round) % stores.len()) {
            let sandbox = sandbox().await?;
            let mut builder = sandbox.milta().client_builder().rate_limits_enabled(false);
            if let Some(journal) = &stores[i].1 {
                builder = builder.journal(journal.clone());
            }
            let f = measure(&builder.build()?).await;
            report(&format!("{} (round {})", stores[i].0, round + 1), &f, None);
            figures[i].push(f);
        }
    }
    println!("-- best of {ROUNDS}");
    let none = best(&figures[0]);
    report(stores[0].0, &none, None);
    for (store, rounds) in stores.iter().zip(&figures).skip(1) {
        report(store.0, &best(rounds), Some(&none));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

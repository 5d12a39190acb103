//! What walletkit costs on top of the network, measured against the sandbox
//! on loopback: per-call latency and throughput, and peak memory while
//! streaming a long listing (which must stay bounded by a page or two).
//!
//! `cargo bench --bench overhead` prints the figures; nothing is asserted,
//! because timings on a shared machine are for reading, not for failing CI.
//! The sandbox runs in this process, so its own work and allocations are
//! included: the figures are upper bounds on walletkit's share.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use walletkit::milacoins::MilaCoinsClient;
use walletkit::milta::MiltaClient;
use walletkit_sandbox::{Sandbox, SandboxConfig};

/// Counts live heap bytes and their peak, to show streaming stays bounded.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: defers every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn per_call(elapsed: Duration, calls: u32) -> String {
    format!(
        "{:>7.1} µs/call, {:>7.0} calls/s",
        elapsed.as_secs_f64() * 1e6 / f64::from(calls),
        f64::from(calls) / elapsed.as_secs_f64()
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start(SandboxConfig::default().with_fault_spec("milta:no-limits")?).await?;
    let milta = MiltaClient::builder()
        .base_url(sandbox.milta().base_url())
        .credentials(sandbox.milta().key_id(), sandbox.milta().key_secret())
        .rate_limits_enabled(false)
        .build()?;
    let mila = MilaCoinsClient::builder()
        .base_url(sandbox.milacoins().base_url())
        .credentials(sandbox.milacoins().api_key(), sandbox.milacoins().secret_key())
        .build()?;

    const CALLS: u32 = 2_000;
    milta.account().balance().await?; // warm the connection pool
    let start = Instant::now();
    for _ in 0..CALLS {
        milta.account().balance().await?;
    }
    println!("milta GET /balance, sequential:        {}", per_call(start.elapsed(), CALLS));

    let start = Instant::now();
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let milta = milta.clone();
            tokio::spawn(async move {
                for _ in 0..CALLS / 32 {
                    milta.account().balance().await?;
                }
                Ok::<_, walletkit::Error>(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    println!("milta GET /balance, 32 tasks:          {}", per_call(start.elapsed(), CALLS / 32 * 32));

    let start = Instant::now();
    for _ in 0..CALLS {
        mila.reference().currencies().await?;
    }
    println!("milacoins GET /currencies (signed):    {}", per_call(start.elapsed(), CALLS));

    for limit in [50, 100, 500] {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let start = Instant::now();
        let mut stream = mila.transactions().list().limit(limit).stream();
        let mut count = 0u32;
        while let Some(tx) = stream.try_next().await? {
            std::hint::black_box(&tx);
            count += 1;
        }
        let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
        println!(
            "milacoins stream {count} transactions, limit {limit:>3}: {:>6.1} ms, peak heap +{:>6} KiB",
            start.elapsed().as_secs_f64() * 1e3,
            peak / 1024
        );
    }
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let all: Vec<_> = mila.transactions().list().limit(100).stream().try_collect().await?;
    println!(
        "  (for scale: collecting all {} into a Vec peaks at +{} KiB)",
        all.len(),
        PEAK.load(Ordering::Relaxed).saturating_sub(base) / 1024
    );
    Ok(())
}

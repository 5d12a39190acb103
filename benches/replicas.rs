//! Many replicas, one API key: N processes send 960 transfers through one Milta
//! key, sharing the limit through `RedisRateLimiter`, against the sandbox
//! enforcing the transfer limit with its window scaled down from a minute.
//! Prints, for N = 1, 4 and 8, the achieved rate against the allowed one and
//! the 429s the processes met.
//!
//! `cargo bench --bench replicas --features redis` (needs `redis-server`).
//! Nothing is asserted.

#[path = "../tests/all/support/too_many.rs"]
mod too_many;

#[path = "../tests/all/support/redis_server.rs"]
mod redis_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use too_many::TooMany;
use walletkit::milta::{rate_class, ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::{Decimal, Rate, RedisRateLimiter};
use walletkit_sandbox::{Limit, MiltaLimits, Sandbox, SandboxConfig};

/// 120 per 2 s: Milta's 60 a minute, scaled to 60/s with a window long
/// enough that the limiter's 2 % headroom (40 ms) covers a loaded machine.
const MAX: u32 = 120;
const WINDOW: Duration = Duration::from_secs(2);
/// Transfers in each run, split between its processes.
const TOTAL: u32 = 960;

async fn child() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let too_many = Arc::new(TooMany::default());
    let milta = MiltaClient::builder()
        .base_url(var("REPLICA_BASE"))
        .credentials(var("REPLICA_KEY_ID"), var("REPLICA_SECRET"))
        .rate_limit(rate_class::TRANSFER_CREATE, Some(Rate::new(MAX, WINDOW)))
        .rate_limiter(RedisRateLimiter::connect(&var("REPLICA_REDIS"), "bench").await?)
        .attempt_hook(too_many.clone())
        .build()?;
    let tag = var("REPLICA_TAG");
    let per_process: u32 = var("REPLICA_COUNT").parse()?;
    let sends = (0..per_process).map(|i| {
        let t = TransferRequest::new(
            ExternalId::from(format!("{tag}-{i}")),
            ProductId::from("PRODUCT_123"),
            PhoneNumber::from("+447700900001"),
            Decimal::ONE,
            "GBP",
        );
        let milta = milta.clone();
        async move { milta.transfers().create(&t).await.map(drop) }
    });
    futures_util::future::try_join_all(sends).await?;
    println!("REPLICA-429S={}", too_many.seen());
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os("REPLICA_TAG").is_some() {
        return child().await;
    }
    let Some(redis) = redis_server::RedisServer::start() else { return Ok(()) };
    let exe = std::env::current_exe()?;
    let rate = f64::from(MAX) / WINDOW.as_secs_f64();
    println!("-- {TOTAL} transfers split over N processes, one key, limit {MAX} per {WINDOW:?} ({rate:.0}/s)");
    for n in [1u32, 4, 8] {
        let mut config = SandboxConfig::default();
        config.milta.limits =
            Some(MiltaLimits { transfer_create: Limit { max: MAX, window: WINDOW }, ..MiltaLimits::documented() });
        let sandbox = Sandbox::start(config).await?;
        let api = sandbox.milta();
        let started = Instant::now();
        let children: Vec<_> = (0..n)
            .map(|i| {
                tokio::process::Command::new(&exe)
                    .env("REPLICA_TAG", format!("n{n}-p{i}"))
                    .env("REPLICA_COUNT", (TOTAL / n).to_string())
                    .env("REPLICA_REDIS", format!("{}{}", redis.url(), n))
                    .env("REPLICA_BASE", api.base_url())
                    .env("REPLICA_KEY_ID", api.key_id())
                    .env("REPLICA_SECRET", api.key_secret())
                    .output()
            })
            .collect();
        let mut too_many = 0u64;
        for output in futures_util::future::join_all(children).await {
            let output = output?;
            let stdout = String::from_utf8_lossy(&output.stdout);
            let count = stdout.lines().find_map(|l| l.strip_prefix("REPLICA-429S=")).unwrap_or("?");
            too_many += count.trim().parse::<u64>().unwrap_or(0);
            if !output.status.success() {
                println!("a process failed: {}", String::from_utf8_lossy(&output.stderr));
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        let total = TOTAL / n * n;
        let allowed = f64::from(MAX) / WINDOW.as_secs_f64();
        // The first window's worth goes at once; the rest at the allowed rate.
        let steady = f64::from(total.saturating_sub(MAX)) / elapsed;
        println!(
            "N={n}: {total} transfers in {elapsed:.2} s (incl. process start), steady {steady:.1}/s = {:.1} % of {allowed:.0}/s, 429s: {too_many}, booked: {}",
            100.0 * steady / allowed,
            sandbox.milta().transfers().len()
        );
    }
    Ok(())
}

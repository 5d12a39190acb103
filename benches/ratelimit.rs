//! Rate-limited throughput: 1,000 Milta transfers through the client's
//! default limiter against the sandbox enforcing Milta's transfer limit
//! (60 per window) with the window scaled down from a minute, so the run
//! takes seconds. Prints the achieved rate against the allowed one and the
//! 429s the client met (counted by an attempt hook).
//!
//! `cargo bench --bench ratelimit`. Nothing is asserted.

#[path = "../tests/all/support/too_many.rs"]
mod too_many;

use std::sync::Arc;
use std::time::{Duration, Instant};

use too_many::TooMany;
use walletkit::milta::{rate_class, ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::{Decimal, Rate};
use walletkit_sandbox::{Limit, MiltaLimits, Sandbox, SandboxConfig};

/// Counts 429 answers seen by the client.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    const TRANSFERS: u32 = 1_000;
    const TASKS: u32 = 50;
    for window_ms in [500u64, 1_000] {
        let window = Duration::from_millis(window_ms);
        let mut config = SandboxConfig::default();
        let limit = Limit { max: 60, window };
        config.milta.limits = Some(MiltaLimits { transfer_create: limit, ..MiltaLimits::documented() });
        let sandbox = Sandbox::start(config).await?;
        let too_many = Arc::new(TooMany::default());
        let milta = MiltaClient::builder()
            .base_url(sandbox.milta().base_url())
            .credentials(sandbox.milta().key_id(), sandbox.milta().key_secret())
            .rate_limit(rate_class::TRANSFER_CREATE, Some(Rate::new(60, window)))
            .attempt_hook(too_many.clone())
            .build()?;

        let started = Instant::now();
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let milta = milta.clone();
                tokio::spawn(async move {
                    for i in 0..TRANSFERS / TASKS {
                        let t = TransferRequest::new(
                            ExternalId::from(format!("RL-{window_ms}-{task}-{i}")),
                            ProductId::from("PRODUCT_123"),
                            PhoneNumber::from("+447700900001"),
                            Decimal::ONE,
                            "GBP",
                        );
                        milta.transfers().create(&t).await?;
                    }
                    Ok::<_, walletkit::Error>(())
                })
            })
            .collect();
        for task in tasks {
            task.await??;
        }
        let elapsed = started.elapsed().as_secs_f64();
        // The first 60 go at once; the rest at 60 per window.
        let ideal = f64::from(TRANSFERS - 60) * window.as_secs_f64() / 60.0;
        let allowed = 60.0 / window.as_secs_f64();
        let achieved = f64::from(TRANSFERS - 60) / (elapsed.max(ideal / 10.0));
        println!(
            "{TRANSFERS} transfers, limit 60 per {window_ms} ms ({allowed:.0}/s): {elapsed:.2} s (ideal {ideal:.2} s), \
             steady rate {achieved:.1}/s = {:.1} % of allowed, 429s seen: {}, transfers booked: {}",
            100.0 * achieved / allowed,
            too_many.seen(),
            sandbox.milta().transfers().len()
        );
    }
    Ok(())
}

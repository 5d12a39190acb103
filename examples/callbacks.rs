//! MilaCoins callbacks end to end: a receiver, two payment pages finished
//! in the embedded sandbox, each callback parsed and confirmed through the
//! signed API. Sandbox only: on the real API a customer finishes invoices.
//!
//! `cargo run --example callbacks`.

mod tours;

use std::process::ExitCode;

use walletkit::sandbox::{Sandbox, SandboxConfig};

#[tokio::main]
async fn main() -> ExitCode {
    tours::init_tracing();
    let result = async {
        let sandbox = Sandbox::start(SandboxConfig::default()).await?;
        tours::callbacks::tour(&sandbox).await.map(drop)
    }
    .await;
    tours::exit("callbacks example", result)
}

//! The whole SDK in one run: a short tour of each of the four clients
//! (reference data, money moving, paged listings), each against the real API
//! when its environment variables are set and against the embedded sandbox
//! otherwise.
//!
//! ```sh
//! cargo run --example quickstart
//! ```

mod tours;

use std::process::ExitCode;
use std::time::Instant;

#[tokio::main]
async fn main() -> ExitCode {
    tours::init_tracing();
    let started = Instant::now();
    let mut connections = tours::Connections::default();
    let result = async {
        println!("== Milta Partner");
        tours::milta::tour(&connections.milta().await?).await?;
        println!("\n== MilaCoins");
        tours::milacoins::tour(&connections.milacoins().await?).await?;
        println!("\n== Wallets");
        tours::wallets::tour(&connections.wallets().await?).await?;
        println!("\n== Wallet-as-a-Service");
        tours::waas::tour(&connections.waas().await?).await?;
        Ok(())
    }
    .await;
    if result.is_ok() {
        println!("\nquickstart: all four clients done in {:.1} s", started.elapsed().as_secs_f32());
    }
    tours::exit("quickstart", result)
}

//! Wallets: streams every wallet (100 a page), prints the count and total
//! balance per wallet type and currency, then reads the first wallet by id.
//!
//! Against the embedded sandbox: `cargo run --example wallets`.
//! Against your account: `WALLETS_BASE_URL=… WALLETS_TOKEN=… cargo run --example wallets`.

mod tours;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tours::init_tracing();
    let mut connections = tours::Connections::default();
    let result = async {
        let client = connections.wallets().await?;
        tours::wallets::tour(&client).await?;
        Ok(())
    }
    .await;
    tours::exit("wallets example", result)
}

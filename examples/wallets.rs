//! Wallets: both documented operations. One page of the list with the paging
//! the API reports, every wallet (all pages, streamed) totalled per currency
//! code and wallet type, then the first wallet read by id.
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

//! MilaCoins: every documented operation once. Reference data (currencies
//! and wallets), an invoice, a hosted payment page, every transaction since
//! 2024 in three statuses (all pages) with totals per currency, one
//! transaction by id, and the API log: the latest entries and one by id.
//!
//! Against the embedded sandbox: `cargo run --example milacoins`.
//! Against your account: `MILACOINS_BASE_URL=… MILACOINS_API_KEY=… MILACOINS_SECRET_KEY=… cargo run --example milacoins`.

mod tours;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tours::init_tracing();
    let mut connections = tours::Connections::default();
    let result = async {
        let client = connections.milacoins().await?;
        tours::milacoins::tour(&client).await?;
        Ok(())
    }
    .await;
    tours::exit("milacoins example", result)
}

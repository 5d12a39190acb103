//! Wallet-as-a-Service: every documented operation once. Log in, create a
//! client, two accounts and a client service, credit one account, debit it,
//! transfer between the two accounts, reverse the transfer, and print every
//! balance change. It moves (test) money: point it at a sandbox or test
//! environment.
//!
//! Against the embedded sandbox: `cargo run --example waas`.
//! Against your account: `WAAS_BASE_URL=… WAAS_USERNAME=… WAAS_PASSWORD=… cargo run --example waas`.

mod tours;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tours::init_tracing();
    let mut connections = tours::Connections::default();
    let result = async {
        let client = connections.waas().await?;
        tours::waas::tour(&client).await?;
        Ok(())
    }
    .await;
    tours::exit("waas example", result)
}

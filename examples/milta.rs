//! Milta Partner: reference data, every product page, the balance, a price,
//! a transfer and its status, a deferred transfer cancelled, and 150
//! transfers through the batch helper.
//!
//! Against the embedded sandbox: `cargo run --example milta`.
//! Against your account: `MILTA_BASE_URL=… MILTA_API_KEY_ID=… MILTA_API_KEY_SECRET=… cargo run --example milta`.

mod tours;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tours::init_tracing();
    let mut connections = tours::Connections::default();
    let result = async {
        let client = connections.milta().await?;
        tours::milta::tour(&client).await?;
        Ok(())
    }
    .await;
    tours::exit("milta example", result)
}

//! Streams every wallet, prints the count and total balance per wallet type
//! and currency, then reads the first wallet again by id.
//!
//! ```sh
//! WALLETS_BASE_URL=https://wallets.example.com WALLETS_TOKEN=… cargo run --example wallets
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use futures_util::TryStreamExt;
use walletkit::wallets::{CurrencyId, WalletsClient};
use walletkit::Decimal;

const REQUIRED: [&str; 2] = ["WALLETS_BASE_URL", "WALLETS_TOKEN"];

#[tokio::main]
async fn main() -> ExitCode {
    let missing: Vec<&str> =
        REQUIRED.into_iter().filter(|v| std::env::var(v).map_or(true, |s| s.trim().is_empty())).collect();
    if !missing.is_empty() {
        eprintln!("This example talks to a real Wallets API; set {} first.", missing.join(" and "));
        return ExitCode::from(2);
    }
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> walletkit::Result<()> {
    let client = WalletsClient::from_env()?;

    // Balances in different currencies cannot be added, so total per type and currency.
    let mut totals: BTreeMap<(String, CurrencyId), (usize, Decimal)> = BTreeMap::new();
    let mut first = None;
    let mut wallets = client.wallets().list().limit(1_000).stream();
    while let Some(wallet) = wallets.try_next().await? {
        first.get_or_insert(wallet.id);
        let entry = totals.entry((wallet.wallet_type.to_string(), wallet.currency_id)).or_default();
        entry.0 += 1;
        entry.1 += wallet.amount;
    }

    if totals.is_empty() {
        println!("no wallets");
    }
    for ((wallet_type, currency), (count, total)) in &totals {
        println!("{wallet_type:>9} currency {currency:>4}: {count:>5} wallets, total {total}");
    }

    if let Some(id) = first {
        let wallet = client.wallets().get(id).await?;
        println!("wallet {}: {} {} (currency {})", wallet.id, wallet.wallet_type, wallet.amount, wallet.currency_id);
    }
    Ok(())
}

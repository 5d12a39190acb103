//! Wallets: streams every wallet (100 a page), prints the count and total
//! balance per wallet type and currency, then reads the first wallet by id.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use walletkit::wallets::{CurrencyId, WalletsClient};
use walletkit::Decimal;

/// Runs the tour against `client`, printing a short report.
pub async fn tour(client: &WalletsClient) -> walletkit::Result<()> {
    // Balances in different currencies cannot be added, so total per type and currency.
    let mut totals: BTreeMap<(String, CurrencyId), (usize, Decimal)> = BTreeMap::new();
    let mut first = None;
    let mut wallets = client.wallets().list().limit(100).stream();
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
        let wallet = client.wallets().get(&id).await?;
        println!("wallet {}: {} {} (currency {})", wallet.id, wallet.wallet_type, wallet.amount, wallet.currency_id);
    }
    Ok(())
}

//! A tour of the MilaCoins client: reference data, an invoice, a hosted
//! payment page, a filtered stream of transactions, one transaction and the
//! latest API logs.
//!
//! ```sh
//! MILACOINS_BASE_URL=https://sandbox-api.milacoins.com \
//! MILACOINS_API_KEY=… MILACOINS_SECRET_KEY=… \
//! cargo run --example milacoins
//! ```

use std::process::ExitCode;

use chrono::{TimeDelta, Utc};
use futures_util::StreamExt;
use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, PaymentPageRequest, TransactionStatus};
use walletkit::Decimal;

const VARIABLES: [&str; 3] = ["MILACOINS_BASE_URL", "MILACOINS_API_KEY", "MILACOINS_SECRET_KEY"];

#[tokio::main]
async fn main() -> ExitCode {
    let missing: Vec<&str> =
        VARIABLES.into_iter().filter(|name| std::env::var(name).map_or(true, |v| v.trim().is_empty())).collect();
    if !missing.is_empty() {
        eprintln!(
            "milacoins example: set {} (the Sandbox base URL is https://sandbox-api.milacoins.com)",
            missing.join(", ")
        );
        return ExitCode::from(2);
    }
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("milacoins example failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> walletkit::Result<()> {
    let mila = MilaCoinsClient::from_env()?;

    let currencies = mila.reference().currencies().await?;
    let wallets = mila.reference().wallets().await?;
    println!("currencies: {}", currencies.join(", "));
    println!("wallets:    {}", wallets.join(", "));
    let wallet = wallets.first().map_or("BTC", String::as_str);
    let currency = currencies.iter().find(|c| *c == "EUR").or(currencies.first()).map_or("EUR", String::as_str);

    let order = format!("walletkit-example-{}", Utc::now().timestamp());
    let invoice = InvoiceRequest::new(wallet, Decimal::new(1050, 2), currency)
        .external_id(&order)
        .expired_at(Utc::now() + TimeDelta::hours(1));
    let invoice = mila.invoices().create(&invoice).await?;
    println!("invoice {} for {:?} {currency}: {}", invoice.id, invoice.amount, invoice.url.as_deref().unwrap_or("-"));

    let page = PaymentPageRequest::new(
        wallet,
        Decimal::new(2500, 2),
        currency,
        "https://shop.example/cancel?invoice={INVOICE_ID}&order={EXTERNAL_ID}",
        "https://shop.example/done?invoice={INVOICE_ID}&order={EXTERNAL_ID}",
    )
    .external_id(format!("{order}-page"))
    .callback_url("https://shop.example/hooks/milacoins/{EVENT}?invoice={INVOICE_ID}")
    .customer_email("customer@example.com");
    let page = mila.invoices().create_payment_page(&page).await?;
    println!("payment page {}: {}", page.id, page.url.as_deref().unwrap_or("-"));

    let to = Utc::now();
    let from = to - TimeDelta::days(30);
    let mut transactions = mila
        .transactions()
        .list()
        .from(from)
        .to(to)
        .statuses([TransactionStatus::Completed, TransactionStatus::New, TransactionStatus::WaitingForConfirmation])
        .limit(100)
        .stream();
    let mut shown = 0;
    let mut first_id = None;
    while let Some(tx) = transactions.next().await {
        let tx = tx?;
        if shown < 10 {
            println!(
                "  {} {:<24} {:?} {} -> credited {:?} {}",
                tx.id,
                tx.status.as_str(),
                tx.invoice_amount,
                tx.invoice_currency.as_deref().unwrap_or("?"),
                tx.wallet_credited,
                tx.wallet.as_deref().unwrap_or("?"),
            );
        }
        first_id.get_or_insert(tx.id.clone());
        shown += 1;
    }
    println!("transactions in the last 30 days (completed, new, waiting): {shown}");

    if let Some(id) = first_id {
        let tx = mila.transactions().get(&id).await?;
        println!("transaction {}: {} created {:?}", tx.id, tx.status, tx.created_at);
    }

    let logs = mila.logs().list().limit(5).get().await?;
    println!("latest API logs ({} in total):", logs.total_items.unwrap_or(0));
    for entry in &logs.items {
        println!(
            "  {} {} {} -> {}",
            entry.created_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            entry.method.as_deref().unwrap_or("?"),
            entry.uri.as_deref().unwrap_or("?"),
            entry.status.map(|s| s.to_string()).unwrap_or_default(),
        );
    }
    Ok(())
}

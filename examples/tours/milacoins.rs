//! MilaCoins: reference data, an invoice, a hosted payment page, a filtered
//! stream of transactions, one transaction and the latest API logs.

use chrono::{TimeDelta, TimeZone, Utc};
use futures_util::StreamExt;
use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, PaymentPageRequest, TransactionStatus, WalletName};
use walletkit::Decimal;

/// Runs the tour against `mila`, printing a short report.
pub async fn tour(mila: &MilaCoinsClient) -> walletkit::Result<()> {
    let currencies = mila.reference().currencies().await?;
    let wallets = mila.reference().wallets().await?;
    let currencies: Vec<&str> = currencies.iter().filter_map(|c| c.code.as_deref()).collect();
    let wallets: Vec<&str> = wallets.iter().filter_map(|w| w.name.as_deref()).collect();
    println!("currencies: {}", currencies.join(", "));
    println!("wallets:    {}", wallets.join(", "));
    let wallet = WalletName::from(wallets.first().copied().unwrap_or("BTC"));
    let currency = currencies.iter().find(|c| **c == "EUR").or(currencies.first()).copied().unwrap_or("EUR");

    let order = format!("walletkit-example-{}", Utc::now().timestamp());
    let invoice = InvoiceRequest::new(wallet.clone(), Decimal::new(1050, 2), currency)
        .external_id(&order)
        .expired_at(Utc::now() + TimeDelta::hours(1));
    let invoice = mila.invoices().create(&invoice).await?;
    println!("invoice {} for {:?} {currency}: {}", invoice.id, invoice.amount, invoice.url.as_deref().unwrap_or("-"));

    let page = PaymentPageRequest::new(wallet, Decimal::new(2500, 2), currency)
        .cancel_url("https://shop.example/cancel?invoice={INVOICE_ID}&order={EXTERNAL_ID}")
        .completed_url("https://shop.example/done?invoice={INVOICE_ID}&order={EXTERNAL_ID}")
        .external_id(format!("{order}-page"))
        .callback_url("https://shop.example/hooks/milacoins/{EVENT}?invoice={INVOICE_ID}")
        .customer_email("customer@example.com");
    let page = mila.invoices().create_payment_page(&page).await?;
    println!("payment page {}: {}", page.id, page.url.as_deref().unwrap_or("-"));

    let to = Utc::now();
    let from = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or(to);
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
    println!("transactions since 2024 (completed, new, waiting): {shown}");

    if let Some(id) = first_id {
        let tx = mila.transactions().get(&id).await?;
        let created = tx.created_at.as_ref().map_or_else(|| "?".to_string(), ToString::to_string);
        println!("transaction {}: {} created {created}", tx.id, tx.status);
    }

    let logs = mila.logs().list().limit(5).get().await?;
    println!("latest API logs ({} in total):", logs.total_items.unwrap_or(0));
    for entry in &logs.items {
        println!(
            "  {} {} {} -> {}",
            entry.created_at.as_ref().map(ToString::to_string).unwrap_or_default(),
            entry.method.as_deref().unwrap_or("?"),
            entry.uri.as_deref().unwrap_or("?"),
            entry.status.map(|s| s.to_string()).unwrap_or_default(),
        );
    }
    Ok(())
}

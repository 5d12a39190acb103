//! MilaCoins: every documented operation once. Reference data (currencies
//! and wallets), an invoice, a hosted payment page, every transaction since
//! 2024 in a few statuses streamed with totals, one transaction by id, and
//! the API log: the latest entries and one entry by id.

use std::collections::BTreeMap;

use super::money;
use chrono::{TimeDelta, TimeZone, Utc};
use futures_util::TryStreamExt;
use walletkit::milacoins::{
    CancelUrl, CompletedUrl, InvoiceRequest, MilaCoinsClient, PaymentPageRequest, TransactionStatus, WalletName,
};
use walletkit::Decimal;

/// A request target without its query, which can be long: `/transactions?…`.
fn short(uri: Option<&str>) -> String {
    match uri.map(|u| u.split_once('?').map_or((u, ""), |(path, _)| (path, "?…"))) {
        Some((path, query)) => format!("{path}{query}"),
        None => "?".into(),
    }
}

/// A count and a sum of the amounts that were given.
#[derive(Default)]
struct Total {
    count: usize,
    sum: Decimal,
    unknown: usize,
}

impl Total {
    fn add(&mut self, amount: Option<Decimal>) {
        self.count += 1;
        match amount {
            Some(a) => self.sum += a,
            None => self.unknown += 1,
        }
    }

    fn show(&self, currency: &str) -> String {
        let unknown = if self.unknown > 0 { format!(" ({} without an amount)", self.unknown) } else { String::new() };
        format!("{} over {} transactions{unknown}", money(Some(self.sum), Some(currency)), self.count)
    }
}

/// Runs the tour against `mila`, printing a short report.
pub async fn tour(mila: &MilaCoinsClient) -> walletkit::Result<()> {
    let currencies = mila.reference().currencies().await?;
    let wallets = mila.reference().wallets().await?;
    let currencies: Vec<&str> = currencies.iter().filter_map(|c| c.code.as_deref()).collect();
    let wallets: Vec<&str> = wallets.iter().filter_map(|w| w.name.as_deref()).collect();
    println!("milacoins: {} invoice currencies: {}", currencies.len(), currencies.join(", "));
    println!("milacoins: {} wallets to receive into: {}", wallets.len(), wallets.join(", "));
    let wallet = WalletName::from(wallets.first().copied().unwrap_or("BTC"));
    let currency = currencies.iter().find(|c| **c == "EUR").or(currencies.first()).copied().unwrap_or("EUR");

    // Unique references, so the example can run more than once; reconcile by them.
    let order = format!("walletkit-example-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let amount = Decimal::new(1050, 2);
    let invoice = InvoiceRequest::new(wallet.clone(), amount, currency)
        .external_id(&order)
        .expired_at(Utc::now() + TimeDelta::hours(1));
    let invoice = mila.invoices().create(&invoice).await?;
    println!(
        "milacoins: invoice {} ({order}) for {} into {}, expires {}, pay at {}",
        invoice.id,
        money(invoice.amount.or(Some(amount)), invoice.currency.as_deref().or(Some(currency))),
        invoice.wallet.as_deref().unwrap_or(wallet.as_str()),
        invoice.expired_at.map_or_else(|| "unknown".to_string(), |at| at.to_rfc3339()),
        invoice.url.as_deref().unwrap_or("(no url)"),
    );

    let amount = Decimal::new(2500, 2);
    let page = PaymentPageRequest::new(
        wallet.clone(),
        amount,
        currency,
        CancelUrl::from("https://shop.example/cancel?invoice={INVOICE_ID}&order={EXTERNAL_ID}"),
        CompletedUrl::from("https://shop.example/done?invoice={INVOICE_ID}&order={EXTERNAL_ID}"),
    )
    .external_id(format!("{order}-page"))
    .callback_url("https://shop.example/hooks/milacoins/{EVENT}?invoice={INVOICE_ID}")
    .customer_email("customer@example.com");
    let page = mila.invoices().create_payment_page(&page).await?;
    println!(
        "milacoins: payment page {} for {} into {}: {}",
        page.id,
        money(page.amount.or(Some(amount)), page.currency.as_deref().or(Some(currency))),
        page.wallet.as_deref().unwrap_or(wallet.as_str()),
        page.url.as_deref().unwrap_or("(no url)"),
    );

    // Every matching transaction, all pages: amounts in different currencies
    // cannot be added, so total per invoice currency and per wallet credited.
    let to = Utc::now();
    let from = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or(to);
    let statuses = [TransactionStatus::Completed, TransactionStatus::New, TransactionStatus::WaitingForConfirmation];
    let mut transactions = mila.transactions().list().from(from).to(to).statuses(statuses).page_size(100).stream();
    let mut invoiced: BTreeMap<String, Total> = BTreeMap::new();
    let mut credited: BTreeMap<String, Total> = BTreeMap::new();
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_id = None;
    let mut count = 0;
    while let Some(tx) = transactions.try_next().await? {
        if count < 5 {
            println!(
                "milacoins:   {} {:<22} invoiced {}, credited {}",
                tx.id,
                tx.status,
                money(tx.invoice_amount, tx.invoice_currency.as_deref()),
                money(tx.wallet_credited, tx.wallet.as_deref()),
            );
        }
        let unknown = || "(currency unknown)".to_string();
        invoiced.entry(tx.invoice_currency.clone().unwrap_or_else(unknown)).or_default().add(tx.invoice_amount);
        credited.entry(tx.wallet.clone().unwrap_or_else(unknown)).or_default().add(tx.wallet_credited);
        *by_status.entry(tx.status.to_string()).or_default() += 1;
        first_id.get_or_insert(tx.id);
        count += 1;
    }
    let statuses: Vec<String> = by_status.iter().map(|(status, n)| format!("{n} {status}")).collect();
    println!("milacoins: {count} transactions since {} ({})", from.date_naive(), statuses.join(", "));
    for (currency, total) in &invoiced {
        println!("milacoins:   invoiced {}", total.show(currency));
    }
    for (wallet, total) in &credited {
        println!("milacoins:   credited {}", total.show(wallet));
    }

    if let Some(id) = first_id {
        let tx = mila.transactions().get(&id).await?;
        println!(
            "milacoins: transaction {}: {}, invoiced {}, created {}",
            tx.id,
            tx.status,
            money(tx.invoice_amount, tx.invoice_currency.as_deref()),
            tx.created_at.as_ref().map_or_else(|| "unknown".to_string(), ToString::to_string),
        );
    }

    let logs = mila.logs().list().page_size(5).get().await?;
    let recorded = logs.total_items.map_or_else(|| "an unknown number of".to_string(), |n| n.to_string());
    println!("milacoins: the API log holds {recorded} requests; the latest {}:", logs.items.len());
    for entry in &logs.items {
        println!(
            "milacoins:   {} {} {} -> {}",
            entry.created_at.as_ref().map_or_else(|| "?".to_string(), ToString::to_string),
            entry.method.as_deref().unwrap_or("?"),
            short(entry.uri.as_deref()),
            entry.status.map_or_else(|| "?".to_string(), |s| s.to_string()),
        );
    }
    if let Some(latest) = logs.items.first() {
        let entry = mila.logs().get(&latest.id).await?;
        println!(
            "milacoins: log {}: {} {} answered {} to {}",
            entry.id,
            entry.method.as_deref().unwrap_or("?"),
            short(entry.uri.as_deref()),
            entry.status.map_or_else(|| "?".to_string(), |s| s.to_string()),
            entry.ip.as_deref().unwrap_or("an unknown address"),
        );
    }
    Ok(())
}

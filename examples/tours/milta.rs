//! Milta Partner: reference data, every product page, the balance, a price,
//! a transfer and its status, a deferred transfer cancelled, and 150
//! transfers through the batch helper.

use chrono::{TimeDelta, Utc};
use futures_util::TryStreamExt;
use walletkit::milta::{MiltaClient, PricingRequest, SubmitOutcome, TransferRequest};
use walletkit::Decimal;

/// Runs the whole tour against `milta`, printing a short report.
pub async fn tour(milta: &MiltaClient) -> walletkit::Result<()> {
    let run = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let inventories = milta.inventories();

    let countries = inventories.countries().get().await?;
    let currencies = inventories.currencies().get().await?;
    let categories = inventories.categories().get().await?;
    let providers = inventories.providers().get().await?;
    println!(
        "milta: reference data: {} countries, {} currencies, {} categories, {} providers",
        countries.items.len(),
        currencies.items.len(),
        categories.items.len(),
        providers.items.len()
    );

    let products: Vec<_> = inventories.products().page_size(20).stream().try_collect().await?;
    println!("milta: streamed {} products", products.len());
    let Some(product) = products.first() else {
        return Err(walletkit::Error::InvalidRequest("the catalogue has no products to send".into()));
    };
    let currency = product.currency.clone().unwrap_or_else(|| "GBP".into());
    let amount = product.min_amount.unwrap_or(Decimal::TEN).max(Decimal::ONE);

    let before = milta.account().balance().await?;
    println!("milta: balance {} {}", before.amount, before.currency.as_deref().unwrap_or(&currency));

    let price = milta.account().pricing(&PricingRequest::new(&product.id, amount, &currency)).await?;
    println!(
        "milta: pricing {amount} {currency} of {}: fee {}, total {}",
        product.id,
        price.fee.map_or("?".into(), |f| f.to_string()),
        price.total.map_or("?".into(), |t| t.to_string())
    );

    let transfer = TransferRequest::new(format!("{run}-single"), &product.id, "+447700900001", amount, &currency);
    let created = milta.transfers().create(&transfer).await?;
    let status = milta.transfers().get(&created.transfer_id).await?;
    println!("milta: transfer {} created {:?}, now {:?}", created.transfer_id, created.status, status.status);

    let later = Utc::now() + TimeDelta::days(1);
    let deferred = TransferRequest::new(format!("{run}-deferred"), &product.id, "+447700900002", amount, &currency)
        .scheduled_at(later);
    let scheduled = milta.transfers().create(&deferred).await?;
    let cancelled = milta.transfers().cancel(&scheduled).await?;
    println!(
        "milta: deferred {} {:?}, after cancel {:?}",
        scheduled.transfer_id,
        scheduled.status,
        cancelled.map(|t| t.status)
    );

    let many: Vec<_> = (0..150)
        .map(|i| TransferRequest::new(format!("{run}-batch-{i}"), &product.id, "+447700900003", amount, &currency))
        .collect();
    let outcomes = milta.transfers().submit_all(&many).await?;
    let accepted = outcomes.iter().filter(|o| matches!(o, SubmitOutcome::Entry(e) if e.is_accepted())).count();
    println!("milta: batch helper: {} submitted in 2 calls, {accepted} accepted", outcomes.len());

    let after = milta.account().balance().await?;
    println!("milta: balance {} -> {}", before.amount, after.amount);
    Ok(())
}

//! Milta Partner: every documented operation once. Reference data (whole
//! lists, brands included), the balance, a price, a transfer and its status,
//! a deferred transfer cancelled, and 150 transfers through the batch helper.

use super::money;
use chrono::{TimeDelta, Utc};
use futures_util::TryStreamExt;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, PricingRequest, SubmitOutcome, TransferRequest};
use walletkit::Decimal;

/// Runs the whole tour against `milta`, printing a short report.
pub async fn tour(milta: &MiltaClient) -> walletkit::Result<()> {
    let run = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let inventories = milta.inventories();

    let countries: Vec<_> = inventories.countries().stream().try_collect().await?;
    let currencies: Vec<_> = inventories.currencies().stream().try_collect().await?;
    let categories: Vec<_> = inventories.categories().stream().try_collect().await?;
    let providers: Vec<_> = inventories.providers().stream().try_collect().await?;
    let brands: Vec<_> = inventories.brands().page_size(200).stream().try_collect().await?;
    println!(
        "milta: reference data: {} countries, {} currencies, {} categories, {} providers, {} brands",
        countries.len(),
        currencies.len(),
        categories.len(),
        providers.len(),
        brands.len()
    );

    let products: Vec<_> = inventories.products().page_size(20).stream().try_collect().await?;
    println!("milta: streamed {} products", products.len());
    let Some((product, product_id)) = products.iter().find_map(|p| Some((p, p.product_id.clone()?))) else {
        return Err(walletkit::Error::InvalidRequest("the catalogue has no products to send".into()));
    };
    let currency = product.currency.clone().unwrap_or_else(|| "GBP".into());
    let amount = product.min_amount.unwrap_or(Decimal::TEN).max(Decimal::ONE);

    let before = milta.account().balance().await?;
    let balance_currency = before.currency.clone().unwrap_or_else(|| currency.clone());
    println!("milta: balance {}", money(before.amount, Some(&balance_currency)));

    let price = milta.account().pricing(&PricingRequest::new(product_id.clone(), amount, &currency)).await?;
    let priced_in = price.currency.clone().unwrap_or_else(|| currency.clone());
    println!(
        "milta: pricing {} of {product_id}: fee {}, total {}",
        money(Some(amount), Some(&currency)),
        money(price.fee, Some(&priced_in)),
        money(price.total, Some(&priced_in))
    );

    let transfer = TransferRequest::new(
        ExternalId::from(format!("{run}-single")),
        product_id.clone(),
        PhoneNumber::from("+447700900001"),
        amount,
        &currency,
    );
    let created = milta.transfers().create(&transfer).await?;
    let status = milta.transfers().get(&created.transfer_id).await?;
    println!("milta: transfer {} created {}, now {}", created.transfer_id, created.status, status.status);

    let later = Utc::now() + TimeDelta::days(1);
    let deferred = TransferRequest::new(
        ExternalId::from(format!("{run}-deferred")),
        product_id.clone(),
        PhoneNumber::from("+447700900002"),
        amount,
        &currency,
    )
    .scheduled_at(later);
    let scheduled = milta.transfers().create(&deferred).await?;
    let cancelled = milta.transfers().cancel(&scheduled).await?;
    println!(
        "milta: deferred {} {}, after cancel {}",
        scheduled.transfer_id,
        scheduled.status,
        cancelled.map_or("(no body)".to_string(), |t| t.status.to_string())
    );

    let many: Vec<_> = (0..150)
        .map(|i| {
            TransferRequest::new(
                ExternalId::from(format!("{run}-batch-{i}")),
                product_id.clone(),
                PhoneNumber::from("+447700900003"),
                amount,
                &currency,
            )
        })
        .collect();
    let outcomes = milta.transfers().submit_all(&many).await?;
    let accepted = outcomes.iter().filter(|o| matches!(o, SubmitOutcome::Entry(e) if e.is_accepted())).count();
    println!("milta: batch helper: {} submitted in 2 calls, {accepted} accepted", outcomes.len());

    let after = milta.account().balance().await?;
    println!(
        "milta: balance {} -> {}",
        money(before.amount, Some(&balance_currency)),
        money(after.amount, Some(&balance_currency))
    );
    Ok(())
}

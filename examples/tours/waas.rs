//! Wallet-as-a-Service: log in, create a client, two accounts and a client
//! service, credit one account, debit it, transfer between the two accounts,
//! reverse the transfer, and print every balance change. It moves (test)
//! money: point it at a sandbox or test environment.

use chrono::Utc;
use walletkit::waas::{
    AccountName, AccountRequest, AccountStatus, AccountTransferRequest, AccountTypeCode, ClientRequest,
    ClientServiceRequest, ServiceCode, SourceTransactionId, Transaction, TransactionRequest, TransactionSource,
    WaasClient,
};
use walletkit::Decimal;

fn show(step: &str, entry: &Transaction) {
    println!(
        "{step:<28} account {:<10} {} {:>12} -> {:>12} ({})",
        entry.account,
        entry.currency.as_deref().unwrap_or(""),
        entry.previous_balance,
        entry.current_balance,
        entry.balance_change().map_or_else(|| "?".to_string(), |change| format!("{change:+}"))
    );
}

/// Runs the tour against `waas`, printing every balance change.
pub async fn tour(waas: &WaasClient) -> walletkit::Result<()> {
    waas.login().await?;
    println!("logged in");

    // Unique names, so the example can run more than once.
    let tag = SourceTransactionId::generate().as_str()[..8].to_string();
    let client = waas
        .clients()
        .create(
            &ClientRequest::builder()
                .client_name(format!("walletkit example {tag}"))
                .client_email(format!("example-{tag}@example.com"))
                .client_phone_number("254712345678")
                .contact_person_name("Example Admin")
                .contact_person_email(format!("admin-{tag}@example.com"))
                .contact_person_msisdn("254712345678")
                .business_pin(format!("PIN-{tag}"))
                .country("Kenya")
                .description("created by walletkit's waas example")
                .build()?,
        )
        .await?;
    println!("client {} ({})", client.client_code, client.client_id);

    let account = |name: &str, kind: AccountTypeCode| {
        AccountRequest::new(
            client.client_code.clone(),
            kind,
            AccountName::from(format!("{name} {tag}")),
            "KES",
            Decimal::ZERO,
            AccountStatus::Active,
        )
        .can_overdraw(false)
    };
    let main = waas.accounts().create(&account("Main", AccountTypeCode::FloatAccount)).await?;
    let savings = waas.accounts().create(&account("Savings", AccountTypeCode::AvailableCollections)).await?;
    println!("accounts {} and {}", main.account_number, savings.account_number);

    let service = waas
        .client_services()
        .create(&ClientServiceRequest::new(
            client.client_code.clone(),
            format!("Example service {tag}"),
            ServiceCode::from("CUSTOM_SERVICE"),
            Decimal::ONE..=Decimal::new(1_000_000, 0),
        ))
        .await?;
    println!("client service {}", service.client_service_code);

    let code = service.client_service_code.clone();
    let entry = |amount: Decimal| {
        TransactionRequest::new(
            main.account_number.clone(),
            code.clone(),
            TransactionSource::External,
            amount,
            SourceTransactionId::generate(),
            Utc::now(),
        )
    };
    let credit = waas.transactions().credit(&entry(Decimal::new(100_000, 2)).transaction_narration("top-up")).await?;
    show("credit 1000.00", &credit);
    let debit = waas.transactions().debit(&entry(Decimal::new(25_050, 2)).transaction_narration("purchase")).await?;
    show("debit 250.50", &debit);

    let transfer = waas
        .account_transfers()
        .create(
            &AccountTransferRequest::builder()
                .source_account_number(main.account_number.clone())
                .destination_account_number(savings.account_number.clone())
                .client_service_code(code.clone())
                .transaction_amount(Decimal::new(10_000, 2))
                .source_transaction_id(SourceTransactionId::generate())
                .transaction_narration("to savings")
                .build()?,
        )
        .await?;
    show("transfer 100.00 (from)", &transfer.source_transaction);
    show("transfer 100.00 (to)", &transfer.destination_transaction);

    let reversal = waas.transactions().reverse(&transfer.source_transaction.transaction_id).await?;
    show("reversal (from)", &reversal.source_transaction);
    show("reversal (to)", &reversal.destination_transaction);
    Ok(())
}

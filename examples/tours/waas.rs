//! Wallet-as-a-Service: every documented operation once. Log in, create a
//! client, two accounts and a client service, credit one account, debit it,
//! transfer between the two accounts, reverse the transfer, and print every
//! balance change. It moves (test) money: point it at a sandbox or test
//! environment.

use super::money;
use chrono::Utc;
use walletkit::waas::{
    AccountName, AccountRequest, AccountStatus, AccountTransferRequest, AccountTransferRequired, AccountTypeCode,
    ClientRequest, ClientRequired, ClientServiceRequest, ClientServiceRequired, ServiceCode, SourceTransactionId,
    Transaction, TransactionRequest, TransactionSource, WaasClient,
};
use walletkit::Decimal;

/// The currency the tour's accounts hold.
const CURRENCY: &str = "KES";

/// `1000 KES`, `-250.5 KES`, or `unknown` when the server did not say.
/// One ledger entry: the account, its balance before and after, and the change.
fn show(step: &str, entry: &Transaction) {
    let currency = entry.currency.as_deref().or(Some(CURRENCY));
    let change = entry.balance_change().map(|c| {
        let sign = if c.is_sign_negative() { "" } else { "+" };
        format!("{sign}{}", money(Some(c), currency))
    });
    println!(
        "waas: {step:<24} {} account {:<9} {} -> {} ({})",
        entry.transaction_type,
        entry.account,
        money(Some(entry.previous_balance), currency),
        money(Some(entry.current_balance), currency),
        change.as_deref().unwrap_or("change unknown"),
    );
}

/// Runs the tour against `waas`, printing every balance change.
pub async fn tour(waas: &WaasClient) -> walletkit::Result<()> {
    // Every call logs in on its own; this checks the credentials first.
    waas.login().await?;
    println!("waas: logged in");

    // Unique names, so the example can run more than once.
    let tag = SourceTransactionId::generate().as_str()[..8].to_string();
    let client = ClientRequest::new(ClientRequired {
        client_name: format!("walletkit example {tag}"),
        client_email: format!("example-{tag}@example.com"),
        client_phone_number: "254712345678".into(),
        contact_person_name: "Example Admin".into(),
        contact_person_email: format!("admin-{tag}@example.com"),
        contact_person_msisdn: "254712345678".into(),
        business_pin: format!("PIN-{tag}"),
        country: "Kenya".into(),
        is_active: true,
    })
    .description("created by walletkit's waas example");
    let client = waas.clients().create(&client).await?;
    println!(
        "waas: client {} ({}), code {}",
        client.client_id,
        client.client_name.as_deref().unwrap_or("name not echoed"),
        client.client_code
    );

    let account = |name: &str, kind: AccountTypeCode| {
        AccountRequest::new(
            client.client_code.clone(),
            kind,
            AccountName::from(format!("{name} {tag}")),
            CURRENCY,
            Decimal::ZERO,
            AccountStatus::Active,
        )
        .can_overdraw(false)
    };
    let main = waas.accounts().create(&account("Main", AccountTypeCode::FloatAccount)).await?;
    let savings = waas.accounts().create(&account("Savings", AccountTypeCode::AvailableCollections)).await?;
    for opened in [&main, &savings] {
        println!(
            "waas: account {} \"{}\" in {}, minimum balance {}",
            opened.account_number,
            opened.account_name.as_deref().unwrap_or("?"),
            opened.currency.as_deref().unwrap_or(CURRENCY),
            money(opened.minimum_balance, opened.currency.as_deref().or(Some(CURRENCY))),
        );
    }

    let (minimum, maximum) = (Decimal::ONE, Decimal::new(1_000_000, 0));
    let service = ClientServiceRequest::new(ClientServiceRequired {
        client_code: client.client_code.clone(),
        client_service_name: format!("Example service {tag}"),
        service_code: ServiceCode::from("CUSTOM_SERVICE"),
        has_transaction_fee: false,
        minimum_transaction_amount: minimum,
        maximum_transaction_amount: maximum,
        is_active: true,
    });
    let service = waas.client_services().create(&service).await?;
    println!(
        "waas: client service {} allows {} to {}, {}",
        service.client_service_code,
        money(service.minimum_transaction_amount.or(Some(minimum)), Some(CURRENCY)),
        money(service.maximum_transaction_amount.or(Some(maximum)), Some(CURRENCY)),
        if service.has_transaction_fee == Some(true) { "with a fee" } else { "no fee" },
    );

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
    show("credit", &credit);
    let debit = waas.transactions().debit(&entry(Decimal::new(25_050, 2)).transaction_narration("purchase")).await?;
    show("debit", &debit);

    let transfer = AccountTransferRequest::new(AccountTransferRequired {
        source_account_number: main.account_number.clone(),
        destination_account_number: savings.account_number.clone(),
        client_service_code: code.clone(),
        transaction_amount: Decimal::new(10_000, 2),
        source_transaction_id: SourceTransactionId::generate(),
        transaction_source: TransactionSource::Internal,
        transaction_date: Utc::now(),
    })
    .transaction_narration("to savings");
    let transfer = waas.account_transfers().create(&transfer).await?;
    show("transfer out", &transfer.source_transaction);
    show("transfer in", &transfer.destination_transaction);

    let reversal = waas.transactions().reverse(&transfer.source_transaction.transaction_id).await?;
    show("reversal out", &reversal.source_transaction);
    show("reversal in", &reversal.destination_transaction);
    Ok(())
}

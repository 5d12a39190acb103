//! Crash-safe money movements, shown end to end: a worker process sends 30
//! payments (10 Milta transfers, 10 MilaCoins invoices, 10 WaaS credits)
//! through a journal in an SQLite file and is killed halfway. This process
//! then does what your service does at start: `recover()` for each
//! provider, printing what a person reads; then it sends the whole list
//! again (a reference already journaled sends nothing) and counts every
//! reference at the sandbox: each one made once, none twice.
//!
//! `cargo run --example journal`: the embedded sandbox, no credentials.
//! The sandbox delays Milta's answers (so the kill lands mid-call) and drops
//! some MilaCoins and WaaS answers after acting (lost answers).

use std::error::Error;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::io::{AsyncBufReadExt, BufReader};
use walletkit::journal::{Journal, Recovered, Verdict};
use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::sandbox::{Faults, Sandbox, SandboxConfig, Trigger};
use walletkit::waas::{self, SourceTransactionId, TransactionRequest, TransactionSource, WaasClient};
use walletkit::{Decimal, ErrorKind};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Payments per provider.
const EACH: usize = 10;
/// How long a call holds its intent: after a crash, recovery waits this long.
const LEASE: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() -> ExitCode {
    let result = match std::env::args().nth(1).as_deref() {
        Some("worker") => worker().await,
        _ => parent().await,
    };
    result.unwrap_or_else(|e| {
        eprintln!("journal example: {e}");
        ExitCode::FAILURE
    })
}

/// The worker: every payment in order, one line each, until it is killed.
async fn worker() -> Result<ExitCode> {
    let setting = |name: &str| std::env::var(name).ok();
    let journal = Journal::sqlite(setting("JOURNAL_FILE").ok_or("JOURNAL_FILE is not set")?).await?;
    let clients = Clients::new(&setting, journal)?;
    for payment in payments() {
        println!("{}", clients.send(&payment).await);
    }
    Ok(ExitCode::SUCCESS)
}

async fn parent() -> Result<ExitCode> {
    let mut config = SandboxConfig::default();
    config.milta.faults = Faults { answer_latency: Duration::from_millis(300), ..Faults::default() };
    config.milacoins.faults = Faults { drop_after_post: Some(Trigger::Every(4)), ..Faults::default() };
    config.waas.faults = Faults { drop_after_post: Some(Trigger::Every(3)), ..Faults::default() };
    let sb = Sandbox::start(config).await?;
    let (account, service) = waas_account(&sb).await?;
    let dir = std::env::temp_dir().join(format!("walletkit-journal-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("journal.db");

    // The worker reaches the sandbox through these settings, as a deployed service would.
    let mut settings: Vec<(String, String)> = sb.env_vars().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    settings.push(("JOURNAL_FILE".into(), file.display().to_string()));
    settings.push(("WAAS_ACCOUNT".into(), account));
    settings.push(("WAAS_SERVICE".into(), service));
    // A payment sent again must be the same request, byte for byte: its date
    // is the batch's, not the clock's at sending.
    settings.push(("BATCH_DATE".into(), Utc::now().to_rfc3339()));
    let half = payments().len() / 2;
    println!("== a worker sends {} payments through {}; it is killed after {half}", payments().len(), file.display());
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .arg("worker")
        .envs(settings.iter().cloned())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no worker output")?).lines();
    for _ in 0..half {
        let Some(line) = lines.next_line().await? else { break };
        println!("  worker | {line}");
    }
    // Into the next call (a Milta transfer the sandbox has made and not yet answered), then SIGKILL.
    tokio::time::sleep(Duration::from_millis(150)).await;
    child.kill().await?;
    println!("== worker killed mid-call (SIGKILL on Unix, TerminateProcess on Windows)");

    // The restart: wait out the dead worker's leases, then recover.
    tokio::time::sleep(LEASE + Duration::from_millis(500)).await;
    let lookup = |name: &str| settings.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let clients = Clients::new(&lookup, Journal::sqlite(&file).await?)?;
    println!("== recover(), as your service does at start");
    let mut review = clients.recover().await?;
    println!("== the whole list again: journaled references send nothing");
    for payment in payments() {
        println!("  {}", clients.send(&payment).await);
    }
    println!("== recover() again, for the answers lost just now");
    review += clients.recover().await?;

    // What the sandbox holds: every reference once.
    let (mut made, mut duplicates, mut missing) = (0, 0, 0);
    for payment in payments() {
        match payment.count_at(&sb) {
            0 => missing += 1,
            1 => made += 1,
            _ => duplicates += 1,
        }
    }
    println!("== summary: {} payments", payments().len());
    println!("  at the sandbox: {made} made once, {duplicates} made twice, {missing} missing");
    println!(
        "  {review} need a person: their answer was lost and their API offers no read (a person finds them there)"
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(if duplicates == 0 && missing == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// One business payment: its provider and reference.
#[derive(Clone, Copy)]
enum Payment {
    Payout(usize),
    Order(usize),
    TopUp(usize),
}

/// Interleaved, so the worker dies with some of each behind it.
fn payments() -> Vec<Payment> {
    (0..EACH).flat_map(|i| [Payment::Payout(i), Payment::Order(i), Payment::TopUp(i)]).collect()
}

impl Payment {
    fn reference(self) -> String {
        match self {
            Payment::Payout(i) => format!("payout-{i}"),
            Payment::Order(i) => format!("order-{i}"),
            Payment::TopUp(i) => format!("topup-{i}"),
        }
    }

    /// How many money movements the sandbox holds for this reference.
    fn count_at(self, sb: &Sandbox) -> usize {
        let reference = self.reference();
        match self {
            Payment::Payout(_) => sb.milta().transfers_with_external_id(&reference),
            Payment::Order(_) => sb.milacoins().invoices_with_external_id(&reference),
            Payment::TopUp(_) => sb.waas().transactions_with_source_id(&reference),
        }
    }
}

/// The three clients, all writing to one journal.
struct Clients {
    milta: MiltaClient,
    mila: MilaCoinsClient,
    waas: WaasClient,
    account: String,
    service: String,
    date: DateTime<Utc>,
}

impl Clients {
    fn new(setting: &dyn Fn(&str) -> Option<String>, journal: Journal) -> Result<Clients> {
        let get = |name: &str| setting(name).ok_or_else(|| format!("{name} is not set"));
        Ok(Clients {
            milta: MiltaClient::builder()
                .base_url(get("MILTA_BASE_URL")?)
                .credentials(get("MILTA_API_KEY_ID")?, get("MILTA_API_KEY_SECRET")?)
                .journal(journal.clone())
                .journal_lease(LEASE)
                .build()?,
            mila: MilaCoinsClient::builder()
                .base_url(get("MILACOINS_BASE_URL")?)
                .credentials(get("MILACOINS_API_KEY")?, get("MILACOINS_SECRET_KEY")?)
                .journal(journal.clone())
                .journal_lease(LEASE)
                .build()?,
            waas: WaasClient::builder()
                .base_url(get("WAAS_BASE_URL")?)
                .credentials(get("WAAS_USERNAME")?, get("WAAS_PASSWORD")?)
                .journal(journal)
                .journal_lease(LEASE)
                .build()?,
            account: get("WAAS_ACCOUNT")?,
            service: get("WAAS_SERVICE")?,
            date: DateTime::parse_from_rfc3339(&get("BATCH_DATE")?)?.to_utc(),
        })
    }

    /// Sends `payment` and says in one line what came of it.
    async fn send(&self, payment: &Payment) -> String {
        let reference = payment.reference();
        let made = match *payment {
            Payment::Payout(i) => {
                let amount = Decimal::new(1000 + i as i64, 2);
                let phone = PhoneNumber::from("+447700900001");
                let transfer = TransferRequest::new(
                    ExternalId::from(reference.as_str()),
                    ProductId::from("PRODUCT_123"),
                    phone,
                    amount,
                    "GBP",
                );
                self.milta.transfers().create(&transfer).await.map(|t| format!("Milta transfer {}", t.transfer_id))
            }
            Payment::Order(i) => {
                let invoice = InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(2000 + i as i64, 2), "EUR")
                    .external_id(reference.as_str());
                self.mila.invoices().create(&invoice).await.map(|inv| format!("MilaCoins invoice {}", inv.id))
            }
            Payment::TopUp(i) => {
                let credit = TransactionRequest::new(
                    waas::AccountNumber::from(self.account.as_str()),
                    waas::ClientServiceCode::from(self.service.as_str()),
                    TransactionSource::External,
                    Decimal::new(500 + i as i64, 0),
                    SourceTransactionId::from(reference.as_str()),
                    self.date,
                );
                self.waas.transactions().credit(&credit).await.map(|_| "WaaS credit booked".to_string())
            }
        };
        let said = match made {
            Ok(what) => format!("made: {what}"),
            Err(e) if e.as_outcome_unknown().is_some() => "answer lost (outcome unknown): left to recover()".into(),
            Err(e) if e.kind() == ErrorKind::Journal => format!("not sent, the journal says: {e}"),
            Err(e) => format!("failed: {e}"),
        };
        format!("{reference:<9} {said}")
    }

    /// `recover()` for each provider, every verdict printed; how many need a person.
    async fn recover(&self) -> Result<usize> {
        let mut verdicts = self.milta.recover().await?;
        verdicts.extend(self.mila.recover().await?);
        verdicts.extend(self.waas.recover().await?);
        if verdicts.is_empty() {
            println!("  nothing was left unfinished");
        }
        verdicts.iter().for_each(|v| println!("  {}", describe(v)));
        Ok(verdicts.iter().filter(|v| matches!(v.outcome, Recovered::NeedsReview(_))).count())
    }
}

/// What a person reads about one recovered intent.
fn describe(v: &Verdict) -> String {
    let what = match &v.outcome {
        Recovered::Created => "made once: sent now (never sent before, or again under its idempotency key)".into(),
        Recovered::Found => "made once: found at the provider by its reference".into(),
        Recovered::Rejected(why) => format!("not made, the provider refused it: {why}"),
        Recovered::NeedsReview(evidence) => format!("NEEDS A PERSON, who checks it at the provider:\n      {evidence}"),
        Recovered::StillUnknown(why) => format!("still unknown, the next recover() tries again: {why}"),
        Recovered::Released => "never reached the provider; its reference is free again".into(),
        Recovered::HeldElsewhere => "another process holds it right now".into(),
        other => format!("{other:?}"),
    };
    format!("{:<9} {}: {what}", v.reference, v.operation)
}

/// A WaaS client, account and client service to credit (the ledger's setup,
/// not money: no journal).
async fn waas_account(sb: &Sandbox) -> Result<(String, String)> {
    use waas::{AccountName, AccountRequest, AccountStatus, AccountTypeCode, ClientRequest, ClientRequired};
    use waas::{ClientServiceRequest, ClientServiceRequired, ServiceCode};
    use walletkit::sandbox::SandboxClient as _;
    let waas = sb.waas().client()?;
    let client = waas
        .clients()
        .create(&ClientRequest::new(ClientRequired {
            client_name: "Journal example".into(),
            client_email: "journal@example.com".into(),
            client_phone_number: "254700000000".into(),
            contact_person_name: "Admin".into(),
            contact_person_email: "admin@example.com".into(),
            contact_person_msisdn: "254700000000".into(),
            business_pin: "PIN-J".into(),
            country: "Kenya".into(),
            is_active: true,
        }))
        .await?;
    let code = client.client_code;
    let account = AccountRequest::new(
        code.clone(),
        AccountTypeCode::FloatAccount,
        AccountName::from("main"),
        "KES",
        Decimal::ZERO,
        AccountStatus::Active,
    );
    let account = waas.accounts().create(&account).await?;
    let service = ClientServiceRequest::new(ClientServiceRequired {
        client_code: code,
        client_service_name: "top-ups".into(),
        service_code: ServiceCode::from("CUSTOM_SERVICE"),
        has_transaction_fee: false,
        minimum_transaction_amount: Decimal::ONE,
        maximum_transaction_amount: Decimal::new(10_000, 0),
        is_active: true,
    });
    let service = waas.client_services().create(&service).await?;
    Ok((account.account_number.to_string(), service.client_service_code.to_string()))
}

//! Transactions (seeded and created by invoices) and their JSON shape.

use chrono::{DateTime, SecondsFormat, TimeDelta, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::json::{obj, Json};
use crate::seed::{object_id, Rng};

/// The documented statuses.
pub(crate) const STATUSES: [&str; 8] =
    ["init", "completed", "invalid", "new", "waitingForConfirmation", "underPaid", "overPaid", "paidLate"];

/// Invoice currencies (the list in the document's 1007 message).
pub(crate) const CURRENCIES: [&str; 12] =
    ["AED", "MYR", "BRL", "EUR", "USD", "GBP", "ILS", "JPY", "RUB", "TRY", "UAH", "NZD"];

/// Wallets payments can be received to.
pub(crate) const WALLETS: [&str; 4] = ["EUR", "USD", "GBP", "ILS"];

/// Where a hosted payment page sends the customer; kept verbatim,
/// placeholders such as `{INVOICE_ID}` included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageUrls {
    pub cancel: String,
    pub completed: String,
    pub callback: Option<String>,
}

/// The payer, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Customer {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
}

/// One transaction.
#[derive(Debug, Clone)]
pub(crate) struct Txn {
    pub id: String,
    pub receipt_id: u64,
    pub kind: &'static str,
    pub status: &'static str,
    pub wallet: String,
    pub invoice_currency: String,
    pub invoice_amount: Decimal,
    pub wallet_credited: Decimal,
    pub network: Option<&'static str>,
    pub network_amount_received: Decimal,
    pub exchange_rate: Option<(&'static str, String, Decimal)>,
    pub address: Option<String>,
    pub txs: Vec<String>,
    pub external_id: Option<String>,
    pub customer: Option<Customer>,
    pub created_at: DateTime<Utc>,
    pub expired_at: DateTime<Utc>,
    pub url: Option<String>,
    pub page_urls: Option<PageUrls>,
    /// Created through the API (not seeded).
    pub created_by_api: bool,
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

impl Txn {
    pub(crate) fn to_json(&self) -> Json {
        let mut v = obj! {
            "id": self.id,
            "receiptID": self.receipt_id,
            "type": self.kind,
            "status": self.status,
            "refund": Json::Null,
            "invoiceCurrency": self.invoice_currency,
            "invoiceAmount": self.invoice_amount,
            "wallet": self.wallet,
            "walletCredited": self.wallet_credited,
            "network": self.network,
            "networkAmountReceived": self.network_amount_received,
            "exchangeRate": self.exchange_rate.as_ref().map(|(b, q, r)| obj! {"base": b, "quote": q, "rate": r}),
            "address": self.address,
            "txs": self.txs,
            "externalID": self.external_id,
            "customer": self.customer.as_ref().map(|c| obj! {
                "firstName": c.first_name, "lastName": c.last_name, "email": c.email,
            }),
            "createdAt": self.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        };
        if let (Some(urls), Some(obj)) = (&self.page_urls, v.as_object_mut()) {
            obj.insert("cancelUrl", Json::Str(urls.cancel.clone()));
            obj.insert("completedUrl", Json::Str(urls.completed.clone()));
            obj.insert("callbackUrl", urls.callback.as_ref().map_or(Json::Null, |c| Json::Str(c.clone())));
        }
        v
    }

    /// The answer to invoice creation (documented fields only).
    pub(crate) fn invoice_json(&self) -> Json {
        obj! {
            "id": self.id,
            "wallet": self.wallet,
            "amount": self.invoice_amount,
            "currency": self.invoice_currency,
            "externalID": self.external_id,
            "url": self.url,
            "expiredAt": ms(self.expired_at),
            "createdAt": ms(self.created_at),
        }
    }
}

/// Every transaction, oldest first.
#[derive(Debug)]
pub(crate) struct Store {
    pub txns: Vec<Txn>,
    next_receipt: u64,
    next_counter: u64,
}

/// Networks with a sample rate to EUR-ish fiat and the decimals they carry.
const NETWORKS: [(&str, i64, u32); 4] = [("BTC", 6_000_000, 8), ("ETH", 300_000, 8), ("TRX", 12, 6), ("LTC", 8_000, 8)];

impl Store {
    /// 1,200 transactions from 2024-01-01 over eighteen months, mixed
    /// statuses, types, wallets and currencies; the same on every run.
    pub(crate) fn seed() -> Self {
        let mut rng = Rng::new(0x5EED_C01D);
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let mut store = Store { txns: Vec::with_capacity(1300), next_receipt: 100_001, next_counter: 1 };
        let mut at = start;
        for i in 0..1200u64 {
            at += TimeDelta::seconds(20_000 + rng.below(25_000) as i64);
            let status = *rng.pick(&STATUSES);
            let currency = (*rng.pick(&["EUR", "USD", "GBP", "ILS", "JPY", "NZD"])).to_owned();
            let amount = if currency == "JPY" {
                Decimal::new(500 + rng.below(200_000) as i64, 0)
            } else {
                Decimal::new(1_000 + rng.below(200_000) as i64, 2)
            };
            let (network, rate_cents, dp) = *rng.pick(&NETWORKS);
            let rate = Decimal::new(rate_cents, 2);
            let paid = matches!(status, "completed" | "underPaid" | "overPaid" | "paidLate" | "waitingForConfirmation");
            let received = if paid {
                let factor = match status {
                    "underPaid" => Decimal::new(90, 2),
                    "overPaid" => Decimal::new(110, 2),
                    _ => Decimal::ONE,
                };
                (amount * factor / rate).round_dp(dp)
            } else {
                Decimal::ZERO
            };
            let credited =
                if paid && status != "waitingForConfirmation" { (received * rate).round_dp(2) } else { Decimal::ZERO };
            let kind = if rng.below(3) == 0 { "paymentPage" } else { "invoice" };
            let customer = (kind == "paymentPage").then(|| Customer {
                first_name: Some(format!("Customer{}", i % 97)),
                last_name: Some("Sandbox".into()),
                email: Some(format!("customer{}@example.com", i % 97)),
            });
            let id = store.next_id(at);
            let receipt_id = store.next_receipt();
            store.txns.push(Txn {
                receipt_id,
                kind,
                status,
                wallet: (*rng.pick(&WALLETS)).to_owned(),
                invoice_currency: currency.clone(),
                invoice_amount: amount,
                wallet_credited: credited,
                network: paid.then_some(network),
                network_amount_received: received,
                exchange_rate: paid.then_some((network, currency, rate)),
                address: paid.then(|| format!("sandbox-{}-{:012x}", network.to_ascii_lowercase(), rng.next() >> 16)),
                txs: if paid {
                    vec![format!("{:016x}{:016x}{:016x}{:016x}", rng.next(), rng.next(), rng.next(), rng.next())]
                } else {
                    vec![]
                },
                external_id: (rng.below(10) < 7).then(|| format!("order-{}", 10_000 + i)),
                customer,
                created_at: at,
                expired_at: at + TimeDelta::minutes(15),
                url: None,
                page_urls: None,
                created_by_api: false,
                id,
            });
        }
        store
    }

    pub(crate) fn next_id(&mut self, at: DateTime<Utc>) -> String {
        self.next_counter += 1;
        object_id(at.timestamp(), self.next_counter - 1)
    }

    pub(crate) fn next_receipt(&mut self) -> u64 {
        self.next_receipt += 1;
        self.next_receipt - 1
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Txn> {
        self.txns.iter().find(|t| t.id == id)
    }
}

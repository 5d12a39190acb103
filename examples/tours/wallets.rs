//! Wallets: both documented operations. One page of the list with the
//! paging the API reports, then every wallet (all pages, streamed) totalled
//! per currency and wallet type, then the first wallet read by id.
//!
//! A wallet names its currency only by `currency_id`, and the API has no
//! currency list. Its `currency` filter takes a code, though, so the tour
//! asks the filter about common ISO 4217 codes until every id it saw has one
//! (a `currency` code the server sends on a wallet is used as is). An id no
//! code matched is printed as such, never guessed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures_util::TryStreamExt;
use walletkit::wallets::{CurrencyId, WalletsClient};
use walletkit::Decimal;

/// Codes to ask the `currency` filter about, most common first.
const COMMON_CODES: [&str; 32] = [
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "CNY", "INR", "KES", "NGN", "ZAR", "GHS", "UGX", "TZS", "RWF",
    "EGP", "MAD", "XOF", "XAF", "BRL", "MXN", "AED", "SAR", "SGD", "HKD", "SEK", "NOK", "DKK", "PLN", "TRY", "ILS",
];

/// `10.5 EUR`; `10.5 (currency id 7)` when no code is known.
fn money(amount: Decimal, currency: &Currency) -> String {
    format!("{} {currency}", amount.normalize())
}

/// A currency as the tour can name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Currency {
    Code(String),
    Unnamed(CurrencyId),
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Currency::Code(code) => f.pad(code),
            Currency::Unnamed(id) => write!(f, "(currency id {id}, code unknown)"),
        }
    }
}

/// Learns the code of every id in `wanted` it can: a code whose filtered
/// listing holds wallets of one currency id names that id. Two codes naming
/// one id mean the filter does not filter by code: then nothing is named.
async fn learn_codes(
    client: &WalletsClient,
    mut wanted: BTreeSet<CurrencyId>,
    codes: &mut HashMap<CurrencyId, String>,
) -> walletkit::Result<()> {
    let mut learned: HashMap<CurrencyId, String> = HashMap::new();
    for code in COMMON_CODES {
        if wanted.is_empty() {
            break;
        }
        let page = client.wallets().list().currency(code).page_size(10).get().await?;
        let ids: BTreeSet<&CurrencyId> = page.items.iter().map(|w| &w.currency_id).collect();
        let [id] = ids.into_iter().collect::<Vec<_>>()[..] else { continue };
        if let Some(other) = learned.get(id) {
            println!("wallets: the currency filter gives {other} and {code} the same currency id {id}; codes unknown");
            return Ok(());
        }
        if wanted.remove(id) {
            learned.insert(id.clone(), code.to_string());
        }
    }
    codes.extend(learned);
    Ok(())
}

/// Runs the tour against `client`, printing a short report.
pub async fn tour(client: &WalletsClient) -> walletkit::Result<()> {
    let first = client.wallets().list().page_size(50).get().await?;
    let known = |n: Option<String>| n.unwrap_or_else(|| "?".into());
    println!(
        "wallets: page {} holds {} of {} wallets ({} pages of {})",
        first.page,
        first.items.len(),
        known(first.total_items.map(|n| n.to_string())),
        known(first.total_pages.map(|n| n.to_string())),
        known(first.page_size.map(|n| n.to_string())),
    );

    // Every wallet, all pages. Balances in different currencies cannot be
    // added, so total per currency and wallet type.
    let mut totals: BTreeMap<(CurrencyId, String), (usize, Decimal)> = BTreeMap::new();
    let mut codes: HashMap<CurrencyId, String> = HashMap::new();
    let mut first_id = None;
    let mut count = 0;
    let mut wallets = client.wallets().list().page_size(100).stream();
    while let Some(wallet) = wallets.try_next().await? {
        if let Some(code) = wallet.currency.as_deref().filter(|c| !c.trim().is_empty()) {
            codes.entry(wallet.currency_id.clone()).or_insert_with(|| code.to_string());
        }
        let entry = totals.entry((wallet.currency_id.clone(), wallet.wallet_type.to_string())).or_default();
        entry.0 += 1;
        entry.1 += wallet.amount;
        first_id.get_or_insert(wallet.id);
        count += 1;
    }

    let unnamed: BTreeSet<CurrencyId> =
        totals.keys().map(|(id, _)| id.clone()).filter(|id| !codes.contains_key(id)).collect();
    learn_codes(client, unnamed, &mut codes).await?;
    let name =
        |id: &CurrencyId| codes.get(id).map_or_else(|| Currency::Unnamed(id.clone()), |c| Currency::Code(c.clone()));

    let by_currency: BTreeMap<(Currency, &str), (usize, Decimal)> =
        totals.iter().map(|((id, kind), total)| ((name(id), kind.as_str()), *total)).collect();
    let currencies: BTreeSet<&CurrencyId> = totals.keys().map(|(id, _)| id).collect();
    println!("wallets: streamed all {count} wallets, in {} currencies", currencies.len());
    for ((currency, kind), (wallets, total)) in &by_currency {
        println!("wallets:   {currency:<3} {kind:<8} {wallets:>4} wallets, total {}", money(*total, currency));
    }

    if let Some(id) = first_id {
        let wallet = client.wallets().get(&id).await?;
        let currency = wallet.currency.clone().map_or_else(|| name(&wallet.currency_id), Currency::Code);
        println!(
            "wallets: wallet {} \"{}\": {}, balance {}",
            wallet.id,
            wallet.name.as_deref().unwrap_or("unnamed"),
            wallet.wallet_type,
            money(wallet.amount, &currency),
        );
    }
    Ok(())
}

//! Invoices: `POST /invoices` and the hosted payment page
//! `POST /invoices/payment-page`.
//!
//! Neither is idempotent and MilaCoins takes no idempotency key, so a request
//! whose answer is lost (or that meets a server failure) is never re-sent:
//! the call returns [`Error::OutcomeUnknown`] carrying the `externalID`.
//! Before creating it again, look for it among the transactions, which the
//! document lets you filter by `externalID`
//! ([`Transactions::find_by_external_id`](super::Transactions::find_by_external_id));
//! the document does not say an unpaid invoice is listed, so finding none
//! is no proof. Without an `externalID` nothing finds the invoice and a
//! person decides, so always set one when money depends on it.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

use super::client::{paths, MilaCoinsClient};
use crate::error::{Error, Result};
use crate::wire::{string_id, wire_object, Money, Strict, Text};
use crate::Decimal;
use crate::Request;

string_id! {
    /// A MilaCoins invoice id.
    InvoiceId
}

string_id! {
    /// Where the payment page sends the customer when the payment is
    /// cancelled or fails (`cancelUrl`), e.g.
    /// `https://shop.example/cancel?invoice={INVOICE_ID}`: sent exactly as
    /// given, so MilaCoins fills in `{INVOICE_ID}` and `{EXTERNAL_ID}`.
    CancelUrl
}

string_id! {
    /// Where the payment page sends the customer when the payment is
    /// complete (`completedUrl`), e.g.
    /// `https://shop.example/done?invoice={INVOICE_ID}`: sent exactly as
    /// given, so MilaCoins fills in `{INVOICE_ID}` and `{EXTERNAL_ID}`.
    CompletedUrl
}

string_id! {
    /// A wallet you receive payments to, named by its currency code, e.g.
    /// `BTC` or `USDT`: the `wallet` of an invoice, one of
    /// [`Reference::wallets`](super::Reference::wallets). A distinct type
    /// from the invoice currency (plain text, e.g. `EUR`), so the two cannot
    /// be swapped.
    WalletName
}

/// Writes a time as JavaScript's `toISOString` does: `2022-07-21T13:45:49.000Z`.
fn iso_millis<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Millis, true)),
        None => s.serialize_none(),
    }
}

fn check_common(wallet: &WalletName, amount: Decimal, currency: &str) -> Result<()> {
    if amount <= Decimal::ZERO {
        return Err(Error::InvalidRequest(format!("invoice amount {amount} must be positive")));
    }
    if wallet.trim().is_empty() || currency.trim().is_empty() {
        return Err(Error::InvalidRequest("an invoice needs a wallet and a currency".into()));
    }
    Ok(())
}

/// An invoice to create: pay `amount` `currency` into `wallet`.
///
/// ```
/// use walletkit::milacoins::{InvoiceRequest, WalletName};
/// use walletkit::Decimal;
///
/// let invoice = InvoiceRequest::new(WalletName::from("BTC"), Decimal::new(1050, 2), "EUR").external_id("ORDER-42");
/// assert_eq!(invoice.amount(), Decimal::new(1050, 2));
/// ```
///
/// The wallet and the currency swapped do not compile:
///
/// ```compile_fail
/// # use walletkit::milacoins::{InvoiceRequest, WalletName};
/// # use walletkit::Decimal;
/// let invoice = InvoiceRequest::new("EUR", Decimal::new(1050, 2), WalletName::from("BTC"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvoiceRequest {
    wallet: WalletName,
    #[serde(with = "super::amount::js_number")]
    amount: Decimal,
    currency: String,
    #[serde(rename = "externalID", skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    #[serde(rename = "expiredAt", skip_serializing_if = "Option::is_none", serialize_with = "iso_millis")]
    expired_at: Option<DateTime<Utc>>,
}

impl InvoiceRequest {
    /// An invoice of `amount` in `currency` (ISO 4217, e.g. `EUR`), paid into
    /// `wallet` (e.g. `BTC`).
    pub fn new(wallet: WalletName, amount: Decimal, currency: impl Into<String>) -> Self {
        InvoiceRequest { wallet, amount, currency: currency.into(), external_id: None, expired_at: None }
    }

    /// Your reference (`externalID`): reconcile by it if the outcome is unknown.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// When the invoice expires (`expiredAt`, sent as ISO 8601 in UTC).
    pub fn expired_at(mut self, at: DateTime<Utc>) -> Self {
        self.expired_at = Some(at);
        self
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }
}

/// A hosted payment page to create: an invoice plus the two redirect URLs
/// the document requires, which are [`PaymentPageRequest::new`]'s
/// arguments. They are distinct types, so one cannot be taken for the other
/// nor left out. The redirect and callback URLs are sent exactly as given,
/// so the `{INVOICE_ID}`, `{EXTERNAL_ID}` and `{EVENT}` placeholders reach
/// MilaCoins untouched.
///
/// ```
/// use walletkit::milacoins::{CancelUrl, CompletedUrl, PaymentPageRequest, WalletName};
/// use walletkit::Decimal;
///
/// let page = PaymentPageRequest::new(
///     WalletName::from("USDT"),
///     Decimal::new(25000, 2),
///     "USD",
///     CancelUrl::from("https://shop.example/cancel?invoice={INVOICE_ID}"),
///     CompletedUrl::from("https://shop.example/done?invoice={INVOICE_ID}"),
/// )
/// .external_id("ORDER-43");
/// # let _ = page;
/// ```
///
/// Without the URLs, or with them swapped, it does not compile:
///
/// ```compile_fail
/// # use walletkit::milacoins::{PaymentPageRequest, WalletName};
/// # use walletkit::Decimal;
/// let page = PaymentPageRequest::new(WalletName::from("USDT"), Decimal::new(25000, 2), "USD");
/// ```
///
/// ```compile_fail
/// # use walletkit::milacoins::{CancelUrl, CompletedUrl, PaymentPageRequest, WalletName};
/// # use walletkit::Decimal;
/// let page = PaymentPageRequest::new(
///     WalletName::from("USDT"),
///     Decimal::new(25000, 2),
///     "USD",
///     CompletedUrl::from("https://shop.example/done"),
///     CancelUrl::from("https://shop.example/cancel"),
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaymentPageRequest {
    wallet: WalletName,
    #[serde(with = "super::amount::js_number")]
    amount: Decimal,
    currency: String,
    #[serde(rename = "externalID", skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    #[serde(rename = "cancelUrl")]
    cancel_url: CancelUrl,
    #[serde(rename = "completedUrl")]
    completed_url: CompletedUrl,
    #[serde(rename = "callbackUrl", skip_serializing_if = "Option::is_none")]
    callback_url: Option<String>,
    #[serde(rename = "customerEmail", skip_serializing_if = "Option::is_none")]
    customer_email: Option<String>,
    #[serde(rename = "customerLastName", skip_serializing_if = "Option::is_none")]
    customer_last_name: Option<String>,
    #[serde(rename = "customerFirstName", skip_serializing_if = "Option::is_none")]
    customer_first_name: Option<String>,
}

impl PaymentPageRequest {
    /// A payment page for `amount` `currency` paid into `wallet`, sending
    /// the customer to `cancel_url` or `completed_url` afterwards (both
    /// required by the document; `{INVOICE_ID}` and `{EXTERNAL_ID}` in them
    /// are filled in by MilaCoins).
    pub fn new(
        wallet: WalletName,
        amount: Decimal,
        currency: impl Into<String>,
        cancel_url: CancelUrl,
        completed_url: CompletedUrl,
    ) -> Self {
        PaymentPageRequest {
            wallet,
            amount,
            currency: currency.into(),
            external_id: None,
            cancel_url,
            completed_url,
            callback_url: None,
            customer_email: None,
            customer_last_name: None,
            customer_first_name: None,
        }
    }

    /// Your reference (`externalID`): reconcile by it if the outcome is unknown.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// Where MilaCoins sends `cancel` and `complete` events (`{EVENT}`,
    /// `{INVOICE_ID}` and `{EXTERNAL_ID}` are filled in by MilaCoins).
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// The customer's email, shown on the page.
    pub fn customer_email(mut self, email: impl Into<String>) -> Self {
        self.customer_email = Some(email.into());
        self
    }

    /// The customer's first name, shown on the page.
    pub fn customer_first_name(mut self, name: impl Into<String>) -> Self {
        self.customer_first_name = Some(name.into());
        self
    }

    /// The customer's last name, shown on the page.
    pub fn customer_last_name(mut self, name: impl Into<String>) -> Self {
        self.customer_last_name = Some(name.into());
        self
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }
}

wire_object! {
    /// An invoice or payment page as MilaCoins created it.
    pub struct Invoice {
        /// MilaCoins' id.
        pub id: InvoiceId = required ["id", "_id", "invoiceId", "invoiceID"] via InvoiceId,
        /// Wallet paid into.
        pub wallet: Option<String> = optional ["wallet"],
        /// Invoice amount.
        pub amount: Option<Decimal> = optional ["amount"] via Money,
        /// Invoice currency.
        pub currency: Option<String> = optional ["currency", "currencyCode"],
        /// Your reference.
        pub external_id: Option<String> = optional ["externalID", "externalId"] via Text,
        /// Where the customer pays.
        pub url: Option<String> = optional ["url", "paymentUrl", "link"],
        /// When the invoice expires (typed Number: epoch seconds or
        /// milliseconds; ISO 8601 text is read too).
        pub expired_at: Option<DateTime<Utc>> = optional ["expiredAt", "expiresAt"] via Strict,
        /// When it was created (typed Number, read like `expiredAt`).
        pub created_at: Option<DateTime<Utc>> = optional ["createdAt", "created_at"] via Strict,
    }
}

/// Invoice calls; see [`MilaCoinsClient::invoices`].
#[derive(Debug, Clone, Copy)]
pub struct Invoices<'a> {
    pub(crate) client: &'a MilaCoinsClient,
}

impl Invoices<'_> {
    /// `POST /invoices`. Sent once: never retried after the request went out.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a non-positive amount or an empty wallet
    /// or currency; API errors ([`crate::ErrorKind::Validation`] for an unknown
    /// wallet or currency); [`Error::OutcomeUnknown`] when the answer was lost
    /// or the server failed, carrying the `externalID` if you set one.
    pub async fn create(&self, invoice: &InvoiceRequest) -> Result<Invoice> {
        check_common(&invoice.wallet, invoice.amount, &invoice.currency)?;
        let req = with_reference(Request::post(paths::INVOICES).json(invoice)?, invoice.external_id.as_deref())
            .journaled("invoices.create");
        self.client.send_raw(req).await?.json()
    }

    /// `POST /invoices/payment-page`: a hosted page the customer pays on.
    /// Sent once: never retried after the request went out.
    ///
    /// # Errors
    /// As [`Invoices::create`], and [`Error::InvalidRequest`] for a blank
    /// cancel or completed URL.
    pub async fn create_payment_page(&self, page: &PaymentPageRequest) -> Result<Invoice> {
        check_common(&page.wallet, page.amount, &page.currency)?;
        let blank: Vec<&str> = [("cancelUrl", page.cancel_url.trim()), ("completedUrl", page.completed_url.trim())]
            .into_iter()
            .filter_map(|(name, url)| url.is_empty().then_some(name))
            .collect();
        if !blank.is_empty() {
            return Err(Error::InvalidRequest(format!("a payment page needs a non-blank {}", blank.join(" and "))));
        }
        let req = with_reference(Request::post(paths::PAYMENT_PAGE).json(page)?, page.external_id.as_deref())
            .journaled("invoices.create_payment_page");
        self.client.send_raw(req).await?.json()
    }
}

/// `req` with what to do after a lost answer. The document offers one way
/// to find an invoice without its id: `GET /transactions` filtered by
/// `externalID` (it does not say an unpaid invoice is listed, so finding
/// none is no proof). Without an `externalID` nothing identifies it.
fn with_reference(req: Request, external_id: Option<&str>) -> Request {
    match external_id {
        Some(id) => req
            .reference("externalID", id)
            .recovery("before creating it again, look for its externalID with transactions().find_by_external_id"),
        None => req.recovery("no externalID was sent, so a person checks recent transactions before creating it again"),
    }
}

#[cfg(test)]
#[path = "invoice_tests.rs"]
mod tests;

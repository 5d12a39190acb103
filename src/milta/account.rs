//! Balance (`GET /balance`) and pricing estimates (`POST /pricing`).
//!
//! The document names these endpoints but not their fields; the types below
//! read the obvious names (every one optional) and keep everything else in `extra`.

use serde::Serialize;

use super::client::{paths, rate_class, MiltaClient};
use super::envelope;
use super::transfers::ProductId;
use crate::error::{Error, Result};
use crate::wire::{wire_object, Money};
use crate::Decimal;
use crate::Request;

wire_object! {
    /// The partner account's balance. The document gives no shape.
    pub struct Balance {
        /// The balance (`balance`, or `amount`, or `available`).
        pub amount: Option<Decimal> = optional ["balance", "amount", "availableBalance", "available"] via Money,
        /// Currency (ISO 4217).
        pub currency: Option<String> = optional ["currency", "currencyCode"],
    }
}

/// What to price: a product, an amount and a currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PricingRequest {
    product_id: ProductId,
    #[serde(with = "crate::wire::money::number")]
    amount: Decimal,
    currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
}

impl PricingRequest {
    /// Prices `amount` `currency` of `product_id`.
    pub fn new(product_id: ProductId, amount: Decimal, currency: impl Into<String>) -> Self {
        PricingRequest { product_id, amount, currency: currency.into(), country: None }
    }

    /// The destination country (ISO 3166-1 alpha-2).
    pub fn country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }
}

wire_object! {
    /// A price estimate. The document gives no shape: every field is optional.
    pub struct PricingEstimate {
        /// The priced amount.
        pub amount: Option<Decimal> = optional ["amount"] via Money,
        /// The fee charged.
        pub fee: Option<Decimal> = optional ["fee"] via Money,
        /// What the account is debited in total.
        pub total: Option<Decimal> = optional ["total", "totalAmount"] via Money,
        /// Currency of the figures.
        pub currency: Option<String> = optional ["currency", "currencyCode"],
        /// Exchange rate applied, when any.
        pub exchange_rate: Option<Decimal> = optional ["exchangeRate", "rate"] via Money,
    }
}

/// Balance and pricing calls; see [`MiltaClient::account`].
#[derive(Debug, Clone, Copy)]
pub struct Account<'a> {
    pub(crate) client: &'a MiltaClient,
}

impl Account<'_> {
    /// `GET /balance`.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn balance(&self) -> Result<Balance> {
        let req = Request::get(paths::BALANCE).rate_class(rate_class::BALANCE);
        envelope::data(&self.client.send_raw(req).await?)
    }

    /// `POST /pricing`. Pricing changes nothing, so it is retried like a read.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a non-positive amount; API and transport errors.
    pub async fn pricing(&self, request: &PricingRequest) -> Result<PricingEstimate> {
        if request.amount <= Decimal::ZERO {
            return Err(Error::InvalidRequest(format!("amount {} must be positive", request.amount)));
        }
        let req = Request::post(paths::PRICING).json(request)?.idempotent().rate_class(rate_class::PRICING);
        envelope::data(&self.client.send_raw(req).await?)
    }
}

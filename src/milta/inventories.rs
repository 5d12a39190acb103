//! Reference data: `GET /inventories/*`, one page at a time or as a stream.

use serde::de::DeserializeOwned;

use super::client::{paths, rate_class, MiltaApi, MiltaClient};
use super::envelope;
use super::transfers::ProductId;
use crate::wire::string_id;

string_id!(
    /// A payment provider's id (`providerId`), the filter of every listing.
    ProviderId
);
use crate::transport::paginate::{Identify, PageQuery};
use crate::wire::money::{Decimal, Money};
use crate::wire::{wire_object, Text};

/// `pageSize`, 20 unless set, at most 100 (the document's paging).
const PAGE_SIZE: Paging = Paging { param: "pageSize", default: envelope::DEFAULT_PAGE_SIZE, max: 100 };
/// `limit`, at most 200 (the brands endpoint, from the method reference,
/// which gives no default: the document's 20 is sent).
const LIMIT: Paging = Paging { param: "limit", default: envelope::DEFAULT_PAGE_SIZE, max: 200 };

/// How one endpoint names and bounds its page size.
struct Paging {
    param: &'static str,
    default: u32,
    max: u32,
}

wire_object! {
    /// A supported country (the document's example shape).
    pub struct Country {
        /// ISO 3166-1 alpha-2 code.
        pub code: String = required ["code", "countryCode"],
        /// Display name.
        pub name: Option<String> = optional ["name"],
        /// The country's ISO 4217 currency.
        pub currency_code: Option<String> = optional ["currencyCode", "currency"],
    }
}

wire_object! {
    /// A supported currency. The document gives no shape: every field is optional.
    pub struct Currency {
        /// ISO 4217 code.
        pub code: Option<String> = optional ["code", "currencyCode"],
        /// Display name.
        pub name: Option<String> = optional ["name"],
    }
}

wire_object! {
    /// A product category (the `productType` filter's values). The document
    /// gives no shape: every field is optional.
    pub struct Category {
        /// Category id or code.
        pub category_id: Option<String> = optional ["categoryId", "id", "code"] via Text,
        /// Display name.
        pub name: Option<String> = optional ["name"],
    }
}

wire_object! {
    /// A payment provider. The document gives no shape: every field is optional.
    pub struct ProviderInfo {
        /// Provider id (the `providerId` filter).
        pub provider_id: Option<ProviderId> = optional ["providerId", "id"] via ProviderId,
        /// Display name.
        pub name: Option<String> = optional ["name"],
        /// Country served, when given.
        pub country: Option<String> = optional ["country", "countryCode"],
    }
}

wire_object! {
    /// A product (top-up, bill payment, …). The document gives no shape:
    /// every field is optional.
    pub struct Product {
        /// Product id, used in transfers and pricing.
        pub product_id: Option<ProductId> = optional ["productId", "id"] via ProductId,
        /// Display name (localised by `Accept-Language`).
        pub name: Option<String> = optional ["name"],
        /// Provider offering it.
        pub provider_id: Option<ProviderId> = optional ["providerId"] via ProviderId,
        /// Country (ISO 3166-1 alpha-2).
        pub country: Option<String> = optional ["country", "countryCode"],
        /// Currency (ISO 4217).
        pub currency: Option<String> = optional ["currency", "currencyCode"],
        /// Category, e.g. `TOPUP`.
        pub product_type: Option<String> = optional ["productType", "type", "category"],
        /// Smallest amount accepted, when given.
        pub min_amount: Option<Decimal> = optional ["minAmount"] via Money,
        /// Largest amount accepted, when given.
        pub max_amount: Option<Decimal> = optional ["maxAmount"] via Money,
    }
}

wire_object! {
    /// A brand, from the provider's method reference (`page`/`limit` paging).
    /// Every field is optional.
    pub struct Brand {
        /// Brand id.
        pub brand_id: Option<String> = optional ["brandId", "id"] via Text,
        /// Display name.
        pub name: Option<String> = optional ["name"],
        /// Category, when given.
        pub category: Option<String> = optional ["category", "categoryId"] via Text,
    }
}

/// Reference-data calls; see [`MiltaClient::inventories`]. Page sizes:
/// `pageSize` ≤ 100, or `limit` ≤ 200 for brands; 20 unless set, always sent.
#[derive(Debug, Clone, Copy)]
pub struct Inventories<'a> {
    pub(crate) client: &'a MiltaClient,
}

impl Inventories<'_> {
    /// `GET /inventories/countries`.
    pub fn countries(&self) -> Listing<Country> {
        Listing::new(self.client, paths::COUNTRIES, PAGE_SIZE)
    }

    /// `GET /inventories/currencies`.
    pub fn currencies(&self) -> Listing<Currency> {
        Listing::new(self.client, paths::CURRENCIES, PAGE_SIZE)
    }

    /// `GET /inventories/categories`.
    pub fn categories(&self) -> Listing<Category> {
        Listing::new(self.client, paths::CATEGORIES, PAGE_SIZE)
    }

    /// `GET /inventories/providers`.
    pub fn providers(&self) -> Listing<ProviderInfo> {
        Listing::new(self.client, paths::PROVIDERS, PAGE_SIZE)
    }

    /// `GET /inventories/products`, filterable by country, currency, provider and type.
    pub fn products(&self) -> Listing<Product> {
        Listing::new(self.client, paths::PRODUCTS, PAGE_SIZE)
    }

    /// `GET /inventories/brands` (`page`, `limit` ≤ 200, `category`, `shorten`).
    pub fn brands(&self) -> Listing<Brand> {
        Listing::new(self.client, paths::BRANDS, LIMIT)
    }
}

/// A reference-data listing: set filters and paging, then [`get`](Listing::get)
/// one page or [`stream`](Listing::stream) every item.
pub type Listing<T> = crate::client::Listing<T, MiltaApi>;

impl<T: DeserializeOwned + Identify + Send + 'static> Listing<T> {
    fn new(client: &MiltaClient, path: &'static str, paging: Paging) -> Self {
        let query = PageQuery::new(path, paging.param, paging.default, paging.max).rate_class(rate_class::INVENTORIES);
        Listing::with_style(client, query, envelope::page)
    }
}

impl<T> Listing<T> {
    /// Only items of this country (ISO 3166-1 alpha-2). The document says
    /// every list endpoint accepts `country`, `currency`, `providerId` and
    /// `productType`, so every listing offers them.
    pub fn country(self, code: impl Into<String>) -> Self {
        self.filter("country", code)
    }

    /// Only items in this currency (ISO 4217).
    pub fn currency(self, code: impl Into<String>) -> Self {
        self.filter("currency", code)
    }

    /// Only items of this provider.
    pub fn provider_id(self, id: impl Into<String>) -> Self {
        self.filter("providerId", id)
    }

    /// Only items of this product category, e.g. `TOPUP`.
    pub fn product_type(self, product_type: impl Into<String>) -> Self {
        self.filter("productType", product_type)
    }
}

impl Identify for Country {
    fn identity(&self) -> Option<&str> {
        Some(&self.code)
    }
}

impl Identify for Currency {
    fn identity(&self) -> Option<&str> {
        self.code.as_deref()
    }
}

impl Identify for Category {
    fn identity(&self) -> Option<&str> {
        self.category_id.as_deref()
    }
}

impl Identify for ProviderInfo {
    fn identity(&self) -> Option<&str> {
        self.provider_id.as_ref().map(ProviderId::as_str)
    }
}

impl Identify for Product {
    fn identity(&self) -> Option<&str> {
        self.product_id.as_ref().map(ProductId::as_str)
    }
}

impl Identify for Brand {
    fn identity(&self) -> Option<&str> {
        self.brand_id.as_deref()
    }
}

impl Listing<Brand> {
    /// Only brands in this category.
    pub fn category(self, category: impl Into<String>) -> Self {
        self.filter("category", category)
    }

    /// Ask for the shortened representation.
    pub fn shorten(self, shorten: bool) -> Self {
        self.filter("shorten", shorten.to_string())
    }
}

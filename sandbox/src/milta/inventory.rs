//! Reference data: seeded countries, currencies, categories, providers,
//! products and brands. How each list is answered (whole or paged) is
//! [`super::listing`]'s concern.
//!
//! The document gives only the countries' shape (`code`, `name`,
//! `currencyCode`). Elsewhere it names identifiers `<entity>Id` (the
//! `providerId` filter, `productId`, `transferId`, `externalId`, `batchId`),
//! so products, providers, brands and categories carry `productId`,
//! `providerId`, `brandId` and `categoryId`; a currency, like a country, has
//! its ISO `code`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;

use super::error::{code, error};
use super::listing::{paged, params, reference, Params, LIMIT};
use super::Milta;
use crate::json::{obj, Json};

/// A seeded product, kept typed for transfer and pricing checks.
#[derive(Debug, Clone)]
pub(crate) struct Product {
    pub id: String,
    pub name: String,
    pub provider_id: String,
    pub country: &'static str,
    pub currency: &'static str,
    pub product_type: &'static str,
    pub min_amount: Decimal,
    pub max_amount: Decimal,
}

impl Product {
    fn to_json(&self) -> Json {
        obj! {
            "productId": self.id,
            "name": self.name,
            "providerId": self.provider_id,
            "country": self.country,
            "currency": self.currency,
            "productType": self.product_type,
            "minAmount": self.min_amount,
            "maxAmount": self.max_amount,
        }
    }
}

/// Every list, pre-rendered, plus the products by id.
pub(crate) struct Inventory {
    countries: Vec<Json>,
    currencies: Vec<Json>,
    categories: Vec<Json>,
    providers: Vec<Json>,
    products: Vec<Product>,
    brands: Vec<Json>,
}

/// (code, name, currency, multiplier for amount ranges, provider names)
const COUNTRIES: [(&str, &str, &str, i64, [&str; 3]); 7] = [
    ("GB", "United Kingdom", "GBP", 1, ["Vodafone UK", "EE", "O2 UK"]),
    ("FR", "France", "EUR", 1, ["Orange France", "SFR", "Bouygues Telecom"]),
    ("DE", "Germany", "EUR", 1, ["Telekom", "Vodafone DE", "O2 DE"]),
    ("NG", "Nigeria", "NGN", 1000, ["MTN Nigeria", "Airtel Nigeria", "Glo"]),
    ("KE", "Kenya", "KES", 100, ["Safaricom", "Airtel Kenya", "Telkom Kenya"]),
    ("US", "United States", "USD", 1, ["AT&T", "T-Mobile US", "Verizon"]),
    ("IN", "India", "INR", 100, ["Jio", "Airtel India", "Vi"]),
];

/// (code, name, symbol)
const CURRENCIES: [(&str, &str, &str); 6] = [
    ("GBP", "Pound Sterling", "£"),
    ("EUR", "Euro", "€"),
    ("NGN", "Naira", "₦"),
    ("KES", "Kenyan Shilling", "KSh"),
    ("USD", "US Dollar", "$"),
    ("INR", "Indian Rupee", "₹"),
];

/// (id, name, min, max) in units of the country's multiplier.
const CATEGORIES: [(&str, &str, i64, i64); 4] = [
    ("TOPUP", "Mobile top-up", 1, 200),
    ("DATA", "Data bundle", 5, 100),
    ("BILL_PAYMENT", "Bill payment", 10, 2000),
    ("GIFT_CARD", "Gift card", 10, 500),
];

const GIFT_BRANDS: [&str; 9] =
    ["Amazon", "Netflix", "Spotify", "Steam", "Google Play", "Apple", "Uber", "Xbox", "PlayStation"];
const UTILITY_BRANDS: [(&str, &str); 4] =
    [("British Gas", "GB"), ("EDF", "FR"), ("Kenya Power", "KE"), ("Ikeja Electric", "NG")];

impl Inventory {
    /// The fixed seed: 7 countries, 6 currencies, 4 categories, 21 providers,
    /// 84 products (`PRODUCT_123` and `PRODUCT_456` are GBP top-ups, as in the
    /// document's examples) and 34 brands.
    pub(crate) fn seed() -> Self {
        let countries =
            COUNTRIES.iter().map(|(c, n, cur, ..)| obj! {"code": c, "name": n, "currencyCode": cur}).collect();
        let currencies = CURRENCIES
            .iter()
            .map(|(c, n, s)| obj! {"code": c, "name": n, "symbol": s, "decimalPlaces": 2u32})
            .collect();
        let categories = CATEGORIES.iter().map(|(id, n, ..)| obj! {"categoryId": id, "name": n}).collect();
        let mut providers = Vec::new();
        let mut products = Vec::new();
        let mut brands = Vec::new();
        let mut next_id = 100u32;
        let mut fresh_id = || {
            while matches!(next_id, 123 | 456) {
                next_id += 1;
            }
            next_id += 1;
            next_id - 1
        };
        for (code, _, currency, mult, names) in COUNTRIES {
            for (p, name) in names.iter().enumerate() {
                let provider_id = format!("PRV-{code}-{:02}", p + 1);
                providers.push(obj! {"providerId": provider_id, "name": name, "country": code});
                brands.push(obj! {
                    "brandId": format!("BRD-{:03}", brands.len() + 1), "name": name,
                    "category": "TOPUP", "countries": [code],
                });
                for (ptype, cat_name, min, max) in CATEGORIES {
                    let id = match (code, p, ptype) {
                        ("GB", 0, "TOPUP") => 123,
                        ("GB", 1, "TOPUP") => 456,
                        _ => fresh_id(),
                    };
                    products.push(Product {
                        id: format!("PRODUCT_{id}"),
                        name: format!("{name} {cat_name}"),
                        provider_id: provider_id.clone(),
                        country: code,
                        currency,
                        product_type: ptype,
                        min_amount: Decimal::new(min * mult * 100, 2),
                        max_amount: Decimal::new(max * mult * 100, 2),
                    });
                }
            }
        }
        for name in GIFT_BRANDS {
            let all: Vec<&str> = COUNTRIES.iter().map(|c| c.0).collect();
            brands.push(obj! {
                "brandId": format!("BRD-{:03}", brands.len() + 1), "name": name,
                "category": "GIFT_CARD", "countries": all,
            });
        }
        for (name, country) in UTILITY_BRANDS {
            brands.push(obj! {
                "brandId": format!("BRD-{:03}", brands.len() + 1), "name": name,
                "category": "BILL_PAYMENT", "countries": [country],
            });
        }
        Inventory { countries, currencies, categories, providers, products, brands }
    }

    pub(crate) fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// How many products are seeded.
    pub(crate) fn product_count(&self) -> usize {
        self.products.len()
    }
}

/// A seeded reference list, answered as [`reference`] decides.
fn reference_list(m: &Milta, items: &[Json], q: Params) -> Response {
    match params(q) {
        Ok(q) => reference(items.to_vec(), &q, &m.faults.get()),
        Err(e) => e,
    }
}

/// `GET /inventories/countries`.
pub(crate) async fn countries(State(m): State<Arc<Milta>>, q: Params) -> Response {
    reference_list(&m, &m.inventory.countries, q)
}

/// `GET /inventories/currencies`.
pub(crate) async fn currencies(State(m): State<Arc<Milta>>, q: Params) -> Response {
    reference_list(&m, &m.inventory.currencies, q)
}

/// `GET /inventories/categories`.
pub(crate) async fn categories(State(m): State<Arc<Milta>>, q: Params) -> Response {
    reference_list(&m, &m.inventory.categories, q)
}

/// `GET /inventories/providers`.
pub(crate) async fn providers(State(m): State<Arc<Milta>>, q: Params) -> Response {
    reference_list(&m, &m.inventory.providers, q)
}

/// `GET /inventories/products?country&currency&providerId&productType`.
pub(crate) async fn products(State(m): State<Arc<Milta>>, q: Params) -> Response {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e,
    };
    let wanted = |name: &str, value: &str| q.get(name).is_none_or(|w| w.eq_ignore_ascii_case(value));
    let items = m
        .inventory
        .products
        .iter()
        .filter(|p| {
            wanted("country", p.country)
                && wanted("currency", p.currency)
                && wanted("providerId", &p.provider_id)
                && wanted("productType", p.product_type)
        })
        .map(Product::to_json)
        .collect();
    reference(items, &q, &m.faults.get())
}

/// `GET /inventories/brands?page&limit&category&shorten`.
pub(crate) async fn brands(State(m): State<Arc<Milta>>, q: Params) -> Response {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e,
    };
    let shorten = match q.get("shorten").map(String::as_str) {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(other) => {
            return error(
                StatusCode::BAD_REQUEST,
                code::VALIDATION_ERROR,
                format!("shorten must be true or false, got `{other}`"),
            )
        }
    };
    let items = m
        .inventory
        .brands
        .iter()
        .filter(|b| {
            q.get("category")
                .is_none_or(|c| b.get("category").and_then(Json::as_str).is_some_and(|bc| bc.eq_ignore_ascii_case(c)))
        })
        .map(|b| {
            if shorten {
                obj! {"brandId": b.get("brandId"), "name": b.get("name")}
            } else {
                b.clone()
            }
        })
        .collect();
    paged(items, &q, LIMIT, m.faults.get().paging)
}

//! The `{"status":"success","data":…}` envelope and Milta's body paging.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::api_error;
use crate::error::Result;
use crate::transport::response::RawResponse;
use crate::wire::{wire_object, Text};
use crate::Page;

/// The page size the document says a listing uses when none is asked for.
pub(crate) const DEFAULT_PAGE_SIZE: u32 = 20;

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct Envelope<T> {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, deserialize_with = "code")]
    code: Option<String>,
    #[serde(default = "none")]
    data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

fn code<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    use serde::de::DeserializeSeed;
    crate::wire::ViaOption::<Text>::new().deserialize(d)
}

/// Decodes the `data` member of a success envelope. A 2xx whose envelope
/// says `"status": "error"` is the API error it reports, not a decode error.
pub(crate) fn data<T: DeserializeOwned>(resp: &RawResponse) -> Result<T> {
    let envelope = resp.json::<Envelope<T>>()?;
    if envelope.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("error")) {
        return Err(api_error(resp.status, envelope.code, envelope.message, &resp.body).into());
    }
    envelope.data.ok_or_else(|| resp.unreadable(Some("data"), "the success envelope has no `data`".into()))
}

wire_object! {
    /// The documented pagination block, every member optional.
    struct Pagination {
        /// This page.
        pub page: Option<u32> = optional ["page"],
        /// Items per page.
        pub page_size: Option<u32> = optional ["pageSize", "limit"],
        /// All items.
        pub total_items: Option<u64> = optional ["totalItems", "total"],
        /// All pages.
        pub total_pages: Option<u32> = optional ["totalPages"],
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct Items<T> {
    items: Vec<T>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

/// Decodes `data.items` and `data.pagination` into a [`Page`].
///
/// Without a pagination block (or without totals in it) a full page —
/// `size` items, the size asked for or the document's default of 20 —
/// suggests another; a short or empty page is the last.
pub(crate) fn page<T: DeserializeOwned>(resp: &RawResponse, requested: u32, size: u32) -> Result<Page<T>> {
    let Items { items, pagination } = data::<Items<T>>(resp)?;
    let p = pagination.unwrap_or(Pagination {
        page: None,
        page_size: None,
        total_items: None,
        total_pages: None,
        extra: Default::default(),
    });
    let number = p.page.unwrap_or(requested);
    let full = items.len() as u64 >= u64::from(p.page_size.unwrap_or(size).max(1));
    let next = match p.total_pages {
        Some(total) => (number < total).then_some(number + 1),
        None => full.then_some(number + 1),
    };
    let mut page = Page::new(items, number, next);
    page.page_size = p.page_size;
    page.total_items = p.total_items;
    page.total_pages = p.total_pages;
    Ok(page)
}

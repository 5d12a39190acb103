//! The `{"status":"success","data":…}` envelope and Milta's body paging.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::Result;
use crate::transport::response::RawResponse;
use crate::Page;

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

/// Decodes the `data` member of a success envelope.
pub(crate) fn data<T: DeserializeOwned>(resp: &RawResponse) -> Result<T> {
    resp.json::<Envelope<T>>().map(|e| e.data)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pagination {
    page: Option<u32>,
    page_size: Option<u32>,
    total_items: Option<u64>,
    total_pages: Option<u32>,
}

#[derive(Deserialize)]
struct Items<T> {
    items: Vec<T>,
    pagination: Option<Pagination>,
}

/// Decodes `data.items` and `data.pagination` into a [`Page`]; a listing
/// without pagination is a single page.
pub(crate) fn page<T: DeserializeOwned>(resp: &RawResponse, requested: u32) -> Result<Page<T>> {
    let Items { items, pagination } = data::<Items<T>>(resp)?;
    let Some(p) = pagination else {
        return Ok(Page::new(items, requested, None));
    };
    let number = p.page.unwrap_or(requested);
    let next = match p.total_pages {
        Some(total) => (number < total).then_some(number + 1),
        // No total: a full page suggests more.
        None => p.page_size.filter(|size| items.len() as u64 >= u64::from(*size)).map(|_| number + 1),
    };
    let mut page = Page::new(items, number, next);
    page.page_size = p.page_size;
    page.total_items = p.total_items;
    page.total_pages = p.total_pages;
    Ok(page)
}

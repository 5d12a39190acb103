//! The request side of a paged listing, shared by every provider.

use super::walk::Plan;
use crate::error::{Error, Provider, Result};
use crate::transport::ratelimit::RateClass;
use crate::transport::request::Request;

/// Pages one listing may fetch unless told otherwise: far past any list
/// these APIs hold, and a bound that no server's answers can lift.
pub(crate) const DEFAULT_MAX_PAGES: u32 = 10_000;

/// Path, filters, first page and page size of a listing, validated before
/// anything is sent. Query order is filters, then size, then page
/// (a signed query is signed as sent).
///
/// The page size is always sent, the document's default when none was set:
/// the paging rules read a page against the size asked for, so the server
/// must not be left to pick one the client does not know.
#[derive(Debug, Clone)]
pub(crate) struct PageQuery {
    path: &'static str,
    rate_class: Option<RateClass>,
    filters: Vec<(&'static str, String)>,
    page: u32,
    size: Option<u32>,
    size_param: &'static str,
    default_size: u32,
    max_size: u32,
    prefetch: usize,
    max_pages: u32,
}

impl PageQuery {
    /// A query of `path` whose page size goes in `size_param`: `default_size`
    /// (the document's) unless set, at most `max_size`.
    pub(crate) fn new(path: &'static str, size_param: &'static str, default_size: u32, max_size: u32) -> Self {
        PageQuery {
            path,
            rate_class: None,
            filters: Vec::new(),
            page: 1,
            size: None,
            size_param,
            default_size,
            max_size,
            prefetch: 1,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// Counts each page request against this client-side rate-limit class.
    pub(crate) fn rate_class(mut self, class: RateClass) -> Self {
        self.rate_class = Some(class);
        self
    }

    /// Sets filter `name` to `value`, replacing an earlier value.
    pub(crate) fn set(&mut self, name: &'static str, value: impl Into<String>) {
        self.filters.retain(|(n, _)| *n != name);
        self.filters.push((name, value.into()));
    }

    /// Adds `value` to the comma-separated list in filter `name`, once.
    pub(crate) fn append(&mut self, name: &'static str, value: &str) {
        match self.filters.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) if !list.split(',').any(|v| v == value) => {
                list.push(',');
                list.push_str(value);
            }
            Some(_) => {}
            None => self.filters.push((name, value.to_string())),
        }
    }

    /// The first page to fetch.
    pub(crate) fn first_page(&self) -> u32 {
        self.page
    }

    /// Sets the first page to fetch.
    pub(crate) fn set_page(&mut self, page: u32) {
        self.page = page;
    }

    /// Keeps up to `pages` page requests in flight while streaming (at least 1).
    pub(crate) fn set_prefetch(&mut self, pages: usize) {
        self.prefetch = pages.max(1);
    }

    /// Ends a stream with an error rather than fetch more than `pages` pages (at least 1).
    pub(crate) fn set_max_pages(&mut self, pages: u32) {
        self.max_pages = pages.max(1);
    }

    /// The page size sent: the one set, or the document's default.
    pub(crate) fn size(&self) -> u32 {
        self.size.unwrap_or(self.default_size)
    }

    /// Sets the page size.
    pub(crate) fn set_size(&mut self, size: u32) {
        self.size = Some(size);
    }

    /// What the paging engine needs to walk this listing for `provider`.
    pub(crate) fn plan(&self, provider: Provider) -> Plan {
        Plan {
            provider,
            route: self.path,
            first: self.page,
            size: self.size(),
            prefetch: self.prefetch,
            max_pages: self.max_pages,
        }
    }

    /// The request for page `page`.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for page 0 or a size outside `1..=max_size`.
    pub(crate) fn request(&self, page: u32) -> Result<Request> {
        if page == 0 {
            return Err(Error::InvalidRequest("page numbers start at 1".into()));
        }
        let size = self.size();
        if size == 0 || size > self.max_size {
            let (name, max) = (self.size_param, self.max_size);
            return Err(Error::InvalidRequest(format!("{name} must be between 1 and {max}, got {size}")));
        }
        let mut req = Request::get(self.path);
        if let Some(class) = self.rate_class {
            req = req.rate_class(class);
        }
        for (name, value) in &self.filters {
            req = req.query(*name, value);
        }
        Ok(req.query(self.size_param, size).query("page", page))
    }
}

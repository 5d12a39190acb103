//! Finishing invoices in tests, and the callbacks that tell the merchant:
//! the `callbackUrl` of a payment page is called with its `{EVENT}`,
//! `{INVOICE_ID}` and `{EXTERNAL_ID}` placeholders filled in. The document
//! puts everything in the URL, so the call is a `GET` by default;
//! [`CallbackMethod::Post`] makes it a `POST` of the same URL, so a
//! receiver's routes can be tested for both.

use std::time::Duration;

use rust_decimal::Decimal;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::MilaCoinsSandbox;
use crate::json::obj;

/// How a test ends an invoice: the status it reads afterwards (the
/// document's spellings) and the callback event, if any. The document names
/// two events, `cancel` and `complete`, and no event for a payment that is
/// short or late, so those call no callback: the merchant learns of them by
/// reading the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvoiceEnd {
    /// The customer paid: status `completed`, event `complete`.
    Complete,
    /// The customer gave up: status `invalid`, event `cancel`.
    Cancel,
    /// The customer paid 90 %: status `underPaid`, no callback.
    UnderPaid,
    /// The customer paid 110 %: status `overPaid` (paid in full), event
    /// `complete`.
    OverPaid,
    /// The customer paid in full after `expiredAt`: status `paidLate`, no
    /// callback.
    PaidLate,
    /// Nobody paid before `expiredAt`: status `invalid` (the document lists
    /// no `expired` status), event `cancel`.
    Expired,
}

impl InvoiceEnd {
    /// The status the invoice reads afterwards.
    pub fn status(self) -> &'static str {
        match self {
            InvoiceEnd::Complete => "completed",
            InvoiceEnd::Cancel | InvoiceEnd::Expired => "invalid",
            InvoiceEnd::UnderPaid => "underPaid",
            InvoiceEnd::OverPaid => "overPaid",
            InvoiceEnd::PaidLate => "paidLate",
        }
    }

    /// The callback event it calls, if any.
    pub fn event(self) -> Option<&'static str> {
        match self {
            InvoiceEnd::Complete | InvoiceEnd::OverPaid => Some("complete"),
            InvoiceEnd::Cancel | InvoiceEnd::Expired => Some("cancel"),
            InvoiceEnd::UnderPaid | InvoiceEnd::PaidLate => None,
        }
    }

    /// The share of the invoice amount the customer paid, in percent.
    fn paid_percent(self) -> i64 {
        match self {
            InvoiceEnd::Complete | InvoiceEnd::PaidLate => 100,
            InvoiceEnd::UnderPaid => 90,
            InvoiceEnd::OverPaid => 110,
            InvoiceEnd::Cancel | InvoiceEnd::Expired => 0,
        }
    }

    /// Reads the admin route's spelling: a status (`completed`,
    /// `underPaid`, `overPaid`, `paidLate`), `invalid` or `cancel`, or
    /// `expired`.
    pub fn parse(name: &str) -> Option<InvoiceEnd> {
        Some(match name {
            "completed" | "complete" => InvoiceEnd::Complete,
            "invalid" | "cancel" => InvoiceEnd::Cancel,
            "underPaid" => InvoiceEnd::UnderPaid,
            "overPaid" => InvoiceEnd::OverPaid,
            "paidLate" => InvoiceEnd::PaidLate,
            "expired" => InvoiceEnd::Expired,
            _ => return None,
        })
    }
}

/// How the sandbox calls a payment page's `callbackUrl`
/// ([`MilaCoinsConfig::callback_method`](crate::MilaCoinsConfig::callback_method)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackMethod {
    /// `GET` the URL: the document puts the event and ids in it.
    #[default]
    Get,
    /// `POST` the same URL, with a JSON body repeating the event and ids
    /// (`{"event", "invoiceID", "externalID"}`).
    Post,
}

/// The callback a finished invoice made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackCall {
    /// The method used.
    pub method: CallbackMethod,
    /// The URL called, placeholders filled in.
    pub url: String,
    /// The HTTP status the merchant answered with.
    pub status: u16,
}

impl MilaCoinsSandbox {
    /// Ends invoice `id` as `end` says (its status; the clock is not
    /// consulted) and, when `end` has an event and the invoice was created
    /// with a `callbackUrl`, calls it (plain HTTP: the sandbox calls loopback
    /// receivers) with the configured [`CallbackMethod`], `GET` unless set.
    /// Returns the call made, if any.
    ///
    /// # Errors
    /// A message when there is no such invoice, or the callback could not be
    /// delivered.
    pub async fn end_invoice(&self, id: &str, end: InvoiceEnd) -> Result<Option<CallbackCall>, String> {
        self.end_where(|t| t.id == id, id, end).await
    }

    /// [`MilaCoinsSandbox::end_invoice`] for the invoice or payment page
    /// created through the API with this `externalID` (the latest, if
    /// several).
    ///
    /// # Errors
    /// As `end_invoice`.
    pub async fn end_invoice_by_external_id(
        &self,
        external_id: &str,
        end: InvoiceEnd,
    ) -> Result<Option<CallbackCall>, String> {
        let id = {
            let store = self.state.store();
            let found = store
                .txns
                .iter()
                .rev()
                .find(|t| t.created_by_api && t.external_id.as_deref() == Some(external_id))
                .map(|t| t.id.clone());
            found.ok_or_else(|| format!("no invoice with externalID {external_id}"))?
        };
        self.end_invoice(&id, end).await
    }

    async fn end_where(
        &self,
        matches: impl Fn(&super::store::Txn) -> bool,
        id: &str,
        end: InvoiceEnd,
    ) -> Result<Option<CallbackCall>, String> {
        let (template, external_id) = {
            let mut store = self.state.store();
            let txn = store.txns.iter_mut().find(|t| matches(t)).ok_or_else(|| format!("no invoice {id}"))?;
            txn.status = end.status();
            txn.wallet_credited = (txn.invoice_amount * Decimal::new(end.paid_percent(), 2)).round_dp(8);
            let template = txn.page_urls.as_ref().and_then(|u| u.callback.clone());
            (template, txn.external_id.clone().unwrap_or_default())
        };
        let Some(template) = template else { return Ok(None) };
        let Some(event) = end.event() else { return Ok(None) };
        let url = template
            .replace("{EVENT}", &encode(event))
            .replace("{INVOICE_ID}", &encode(id))
            .replace("{EXTERNAL_ID}", &encode(&external_id));
        let method = self.state.callback_method;
        let body = match method {
            CallbackMethod::Get => None,
            CallbackMethod::Post => Some(obj! {"event": event, "invoiceID": id, "externalID": external_id}.to_string()),
        };
        let status = call(&url, body.as_deref()).await?;
        Ok(Some(CallbackCall { method, url, status }))
    }
}

/// Percent-encodes everything but unreserved characters.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET url`, or `POST url` with a JSON `body`, over plain HTTP/1.1; the
/// answer's status.
async fn call(url: &str, body: Option<&str>) -> Result<u16, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("the sandbox calls http:// callbacks only: {url}"))?;
    let (authority, target) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let exchange = async {
        let mut stream = TcpStream::connect(authority).await.map_err(|e| format!("callback {url}: {e}"))?;
        let request = match body {
            None => format!("GET {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"),
            Some(body) => format!(
                "POST {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ),
        };
        stream.write_all(request.as_bytes()).await.map_err(|e| format!("callback {url}: {e}"))?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.map_err(|e| format!("callback {url}: {e}"))?;
        let head = String::from_utf8_lossy(&answer[..answer.len().min(32)]).into_owned();
        head.split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| format!("callback {url}: not an HTTP answer: {head:?}"))
    };
    tokio::time::timeout(Duration::from_secs(10), exchange).await.map_err(|_| format!("callback {url}: timed out"))?
}

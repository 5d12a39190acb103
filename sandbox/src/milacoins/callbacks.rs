//! Finishing invoices in tests, and the callbacks that tell the merchant:
//! the `callbackUrl` of a payment page is called with its `{EVENT}`,
//! `{INVOICE_ID}` and `{EXTERNAL_ID}` placeholders filled in.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::MilaCoinsSandbox;

/// How a test ends an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvoiceEnd {
    /// The customer paid: status `completed`, event `complete`.
    Complete,
    /// The customer gave up: status `invalid`, event `cancel`.
    Cancel,
}

/// The callback a finished invoice made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackCall {
    /// The URL called, placeholders filled in.
    pub url: String,
    /// The HTTP status the merchant answered with.
    pub status: u16,
}

impl MilaCoinsSandbox {
    /// Ends invoice `id` as `end` says and, when it was created with a
    /// `callbackUrl`, calls it (`GET`, plain HTTP: the sandbox calls
    /// loopback receivers). Returns the call made, if any.
    ///
    /// # Errors
    /// A message when there is no such invoice, or the callback could not be
    /// delivered.
    pub async fn end_invoice(&self, id: &str, end: InvoiceEnd) -> Result<Option<CallbackCall>, String> {
        let (template, external_id) = {
            let mut store = self.state.store();
            let txn = store.txns.iter_mut().find(|t| t.id == id).ok_or_else(|| format!("no invoice {id}"))?;
            txn.status = match end {
                InvoiceEnd::Complete => "completed",
                InvoiceEnd::Cancel => "invalid",
            };
            let template = txn.page_urls.as_ref().and_then(|u| u.callback.clone());
            (template, txn.external_id.clone().unwrap_or_default())
        };
        let Some(template) = template else { return Ok(None) };
        let event = match end {
            InvoiceEnd::Complete => "complete",
            InvoiceEnd::Cancel => "cancel",
        };
        let url = template
            .replace("{EVENT}", &encode(event))
            .replace("{INVOICE_ID}", &encode(id))
            .replace("{EXTERNAL_ID}", &encode(&external_id));
        let status = get(&url).await?;
        Ok(Some(CallbackCall { url, status }))
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

/// `GET url` over plain HTTP/1.1; the answer's status.
async fn get(url: &str) -> Result<u16, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("the sandbox calls http:// callbacks only: {url}"))?;
    let (authority, target) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let exchange = async {
        let mut stream = TcpStream::connect(authority).await.map_err(|e| format!("callback {url}: {e}"))?;
        let request = format!("GET {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
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

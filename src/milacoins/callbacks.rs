//! MilaCoins callbacks: the URL you give a payment page, and what arrives
//! at it. The document describes no signature, so a callback is a hint,
//! never proof: [`MilaCoinsClient::confirm`](super::MilaCoinsClient::confirm)
//! reads the real transaction back through the signed API and refuses a
//! callback it contradicts.
//!
//! The document puts the event and the ids in the callback's URL, so a
//! callback may arrive as a `GET` (the walletkit sandbox calls it so) or as
//! a `POST`: mount your route for both (axum: `get(hook).post(hook)`).
//!
//! ```
//! use walletkit::milacoins::{parse_callback, CallbackEvent, CallbackUrl};
//!
//! let url = CallbackUrl::for_endpoint("https://shop.example/hooks/milacoins")?;
//! assert_eq!(
//!     url.as_str(),
//!     "https://shop.example/hooks/milacoins?event={EVENT}&invoice={INVOICE_ID}&external={EXTERNAL_ID}"
//! );
//!
//! // What your web framework received (axum, hyper and tower share `http::Request`):
//! let request = http::Request::get("/hooks/milacoins?event=complete&invoice=62d8&external=ORDER-42")
//!     .body(bytes::Bytes::new())
//!     .expect("a valid request");
//! let callback = parse_callback(&request)?;
//! assert_eq!(callback.event, CallbackEvent::Complete);
//! assert_eq!(callback.external_id.as_deref(), Some("ORDER-42"));
//! # Ok::<(), walletkit::Error>(())
//! ```

use http::header::CONTENT_TYPE;
use http::{HeaderMap, Method, Request, Uri};
use url::Url;

use super::invoices::InvoiceId;
use crate::error::{Error, Result};
use crate::wire::{money, wire_enum, wire_object, Text};
use crate::Decimal;

/// The placeholder MilaCoins replaces with the event (`cancel`, `complete`).
pub const EVENT: &str = "{EVENT}";
/// The placeholder MilaCoins replaces with the invoice id.
pub const INVOICE_ID: &str = "{INVOICE_ID}";
/// The placeholder MilaCoins replaces with your `externalID`.
pub const EXTERNAL_ID: &str = "{EXTERNAL_ID}";

/// A `callbackUrl` for a payment page: your endpoint with the event, invoice
/// id and external id as query parameters, placeholders kept intact (a URL
/// library would percent-encode the braces, and MilaCoins would then find
/// nothing to fill in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackUrl(String);

impl CallbackUrl {
    /// `endpoint` (http or https, no fragment) plus
    /// `event={EVENT}&invoice={INVOICE_ID}&external={EXTERNAL_ID}`, the
    /// names [`parse_callback`] reads.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when `endpoint` is not an http(s) URL or has a fragment.
    pub fn for_endpoint(endpoint: &str) -> Result<Self> {
        let parsed = Url::parse(endpoint)
            .map_err(|e| Error::InvalidRequest(format!("the callback endpoint is not a URL ({e})")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.fragment().is_some() {
            return Err(Error::InvalidRequest(
                "the callback endpoint must be an HTTP(S) URL without a fragment".into(),
            ));
        }
        let joiner = if endpoint.contains('?') { '&' } else { '?' };
        Ok(CallbackUrl(format!("{endpoint}{joiner}event={EVENT}&invoice={INVOICE_ID}&external={EXTERNAL_ID}")))
    }

    /// The template, as sent in `callbackUrl`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<CallbackUrl> for String {
    fn from(url: CallbackUrl) -> String {
        url.0
    }
}

wire_enum! {
    /// The event a callback reports; an unknown one is kept as sent.
    CallbackEvent {
        /// The payment was completed.
        Complete = "complete",
        /// The payment was cancelled (or failed).
        Cancel = "cancel",
    }
}

/// An incoming callback, read. Only a hint: confirm it with
/// [`MilaCoinsClient::confirm`](super::MilaCoinsClient::confirm) before
/// acting on it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Callback {
    /// What happened, as the callback claims.
    pub event: CallbackEvent,
    /// The invoice it is about.
    pub invoice_id: Option<InvoiceId>,
    /// Your `externalID` of that invoice.
    pub external_id: Option<String>,
    /// The invoice amount, when the callback names one (`amount` or
    /// `invoiceAmount`; the document's template carries none).
    pub amount: Option<Decimal>,
    /// The invoice currency, when the callback names one (`currency` or
    /// `invoiceCurrency`).
    pub currency: Option<String>,
}

wire_object! {
    /// A callback body, when it has one.
    struct CallbackBody {
        /// The event.
        pub event: Option<String> = optional ["event", "EVENT"] via Text,
        /// The invoice id.
        pub invoice_id: Option<String> = optional ["invoice", "invoiceId", "invoiceID", "id", "INVOICE_ID"] via Text,
        /// The external id.
        pub external_id: Option<String> = optional ["external", "externalID", "externalId", "EXTERNAL_ID"] via Text,
        /// The invoice amount, as sent.
        pub amount: Option<String> = optional ["amount", "invoiceAmount"] via Text,
        /// The invoice currency.
        pub currency: Option<String> = optional ["currency", "invoiceCurrency"] via Text,
    }
}

/// Reads a callback from the request your web framework received, body
/// collected: `http::Request` is the type axum, hyper and tower share (in
/// axum, take `parts: http::request::Parts, body: Bytes` and call this with
/// `&http::Request::from_parts(parts, body)`, or use
/// [`parse_callback_parts`] with the `Method`, `Uri`, `HeaderMap` and
/// `Bytes` extractors).
///
/// The document puts the event and the ids in the URL, so MilaCoins may call
/// with `GET` (as the walletkit sandbox does) or `POST`: mount the route for
/// both methods (axum: `get(hook).post(hook)`), or one of them is answered
/// `405` and the callback is lost. The query of a [`CallbackUrl`] is read
/// first; a JSON body, or a form body (`Content-Type:
/// application/x-www-form-urlencoded`), fills in what the query lacks.
///
/// # Errors
/// [`Error::InvalidRequest`] when the callback names no event, or names an
/// amount that is not a decimal (a claim that cannot be read cannot be
/// confirmed either).
pub fn parse_callback<B: AsRef<[u8]>>(request: &Request<B>) -> Result<Callback> {
    parse_callback_parts(request.method(), request.uri(), request.headers(), request.body().as_ref())
}

/// [`parse_callback`] over the request's parts, as a framework's extractors
/// hand them over (axum: `Method`, `Uri`, `HeaderMap`, `Bytes`).
///
/// # Errors
/// As [`parse_callback`].
pub fn parse_callback_parts(method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Result<Callback> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let query = |names: &[&str]| pairs.iter().find(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.clone());
    let is_form = headers.get_all(CONTENT_TYPE).iter().any(|value| {
        let value = value.as_bytes();
        let form = b"application/x-www-form-urlencoded";
        value.len() >= form.len() && value[..form.len()].eq_ignore_ascii_case(form)
    });
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else if is_form {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
        let field = |names: &[&str]| pairs.iter().find(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.clone());
        Some(CallbackBody {
            event: field(&["event", "EVENT"]),
            invoice_id: field(&["invoice", "invoiceId", "invoiceID", "id"]),
            external_id: field(&["external", "externalID", "externalId"]),
            amount: field(&["amount", "invoiceAmount"]),
            currency: field(&["currency", "invoiceCurrency"]),
            extra: Default::default(),
        })
    } else {
        serde_json::from_slice::<CallbackBody>(body).ok()
    };
    let body = from_body.unwrap_or(CallbackBody {
        event: None,
        invoice_id: None,
        external_id: None,
        amount: None,
        currency: None,
        extra: Default::default(),
    });
    let event = query(&["event", "EVENT"]).or(body.event).filter(|e| !e.is_empty() && e != EVENT);
    let Some(event) = event else {
        return Err(Error::InvalidRequest(format!("{method} callback names no event")));
    };
    let filled = |value: Option<String>, placeholder: &str| value.filter(|v| !v.is_empty() && v != placeholder);
    let amount = match query(&["amount", "invoiceAmount"]).or(body.amount).filter(|a| !a.is_empty()) {
        Some(text) => Some(money::parse(&text).map_err(|_| {
            let shown: String = text.chars().take(40).flat_map(char::escape_default).collect();
            Error::InvalidRequest(format!("{method} callback amount `{shown}` is not a decimal"))
        })?),
        None => None,
    };
    Ok(Callback {
        event: CallbackEvent::from(event),
        invoice_id: filled(query(&["invoice", "invoiceId", "invoiceID", "INVOICE_ID"]).or(body.invoice_id), INVOICE_ID)
            .map(InvoiceId::from),
        external_id: filled(
            query(&["external", "externalID", "externalId", "EXTERNAL_ID"]).or(body.external_id),
            EXTERNAL_ID,
        ),
        amount,
        currency: query(&["currency", "invoiceCurrency"]).or(body.currency).filter(|c| !c.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_keeps_its_placeholders_and_respects_an_existing_query() {
        let url = CallbackUrl::for_endpoint("https://shop.example/hooks?tenant=7").unwrap();
        assert_eq!(
            url.as_str(),
            "https://shop.example/hooks?tenant=7&event={EVENT}&invoice={INVOICE_ID}&external={EXTERNAL_ID}"
        );
        assert!(CallbackUrl::for_endpoint("ftp://shop.example/").is_err());
        assert!(CallbackUrl::for_endpoint("https://shop.example/#frag").is_err());
        assert!(CallbackUrl::for_endpoint("not a url").is_err());
    }

    /// A request as a framework hands it over.
    fn request(method: &str, uri: &str, content_type: Option<&str>, body: &'static [u8]) -> Request<bytes::Bytes> {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(content_type) = content_type {
            builder = builder.header(CONTENT_TYPE, content_type);
        }
        builder.body(bytes::Bytes::from_static(body)).unwrap()
    }

    fn get(uri: &str) -> Result<Callback> {
        parse_callback(&request("GET", uri, None, b""))
    }

    #[test]
    fn callbacks_read_from_the_query_a_json_body_or_a_form() {
        let c = get("http://me/h?event=cancel&invoice=inv%2D1&external=ORDER%201").unwrap();
        assert_eq!(
            (c.event, String::from(c.invoice_id.unwrap()), c.external_id.unwrap()),
            (CallbackEvent::Cancel, "inv-1".into(), "ORDER 1".into())
        );

        let json = br#"{"event":"complete","invoiceId":"i-2","externalID":"O-2"}"#;
        let c = parse_callback(&request("POST", "/h", Some("application/json"), json)).unwrap();
        assert_eq!(
            (c.event, String::from(c.invoice_id.unwrap()), c.external_id.unwrap()),
            (CallbackEvent::Complete, "i-2".into(), "O-2".into())
        );

        let form = Some("Application/X-WWW-Form-Urlencoded; charset=utf-8");
        let c = parse_callback(&request("POST", "/h", form, b"event=refunded&invoice=i-3")).unwrap();
        assert_eq!(c.event, CallbackEvent::Unknown("refunded".into()), "an unknown event is kept raw");
        assert_eq!(c.external_id, None);
        let c = parse_callback(&request("POST", "/h", None, b"event=refunded&invoice=i-3"));
        assert!(matches!(c, Err(Error::InvalidRequest(_))), "a form is read only when it says it is one: {c:?}");
    }

    #[test]
    fn the_query_wins_over_the_body_and_the_parts_read_the_same() {
        let req = request(
            "POST",
            "/h?event=complete&invoice=Q",
            Some("application/json"),
            br#"{"event":"cancel","invoice":"B","externalID":"E"}"#,
        );
        let c = parse_callback(&req).unwrap();
        assert_eq!(
            (c.event.clone(), String::from(c.invoice_id.clone().unwrap()), c.external_id.as_deref()),
            (CallbackEvent::Complete, "Q".into(), Some("E"))
        );
        let parts = parse_callback_parts(req.method(), req.uri(), req.headers(), req.body()).unwrap();
        assert_eq!(parts, c);
    }

    #[test]
    fn an_amount_and_currency_are_read_exactly_when_named_and_an_unreadable_amount_is_refused() {
        let c = get("/h?event=complete&amount=10.50&currency=EUR").unwrap();
        assert_eq!((c.amount.map(|a| a.to_string()), c.currency.as_deref()), (Some("10.50".into()), Some("EUR")));
        let json = br#"{"event":"complete","invoiceAmount":12345678901234567.89}"#;
        let c = parse_callback(&request("POST", "/h", None, json)).unwrap();
        assert_eq!(c.amount.map(|a| a.to_string()).as_deref(), Some("12345678901234567.89"));
        let form = Some("application/x-www-form-urlencoded");
        let c = parse_callback(&request("POST", "/h", form, b"event=cancel&invoiceCurrency=USD")).unwrap();
        assert_eq!((c.amount, c.currency.as_deref()), (None, Some("USD")));
        let c = get("/h?event=complete").unwrap();
        assert_eq!((c.amount, c.currency), (None, None), "the documented template names neither");
        let err = get("/h?event=complete&amount=ten%0A").unwrap_err();
        assert!(matches!(&err, Error::InvalidRequest(m) if m.starts_with("GET ") && m.contains(r"`ten\n`")), "{err}");
    }

    #[test]
    fn unfilled_placeholders_and_missing_events_are_not_taken_for_values() {
        let c = get("/h?event=complete&invoice=%7BINVOICE_ID%7D&external=").unwrap();
        assert_eq!((c.invoice_id, c.external_id), (None, None));
        assert!(matches!(get("/h?invoice=1"), Err(Error::InvalidRequest(_))));
        assert!(matches!(get("/h?event=%7BEVENT%7D"), Err(Error::InvalidRequest(_))));
    }
}

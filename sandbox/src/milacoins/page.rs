//! The hosted payment page: `GET /pay/{id}`, the `url` an invoice or payment
//! page is created with. A browser opens it without MilaCoins' X-headers, so
//! it is served outside the signed API: a small HTML page naming the
//! invoice, its amount and currency, and its status. Ending the invoice is
//! left to the test ([`MilaCoinsSandbox::end_invoice`](super::MilaCoinsSandbox::end_invoice)).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::MilaCoins;

/// `GET /pay/{id}`: the invoice's page, or a 404 page.
pub(crate) async fn show(State(mc): State<Arc<MilaCoins>>, Path(id): Path<String>) -> Response {
    let page = {
        let store = mc.store();
        store.txns.iter().find(|t| t.id == id && t.url.is_some()).map(|t| {
            let customer = t.customer.as_ref().map(|c| {
                [c.first_name.as_deref(), c.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
            });
            let mut rows = vec![
                ("Invoice", t.id.clone()),
                ("Amount", format!("{} {}", t.invoice_amount, t.invoice_currency)),
                ("Wallet", t.wallet.clone()),
                ("Status", t.status.to_owned()),
            ];
            if let Some(external) = &t.external_id {
                rows.push(("Reference", external.clone()));
            }
            if let Some(name) = customer.filter(|n| !n.is_empty()) {
                rows.push(("Customer", name));
            }
            let rows: String = rows
                .iter()
                .map(|(name, value)| format!("<tr><th>{name}</th><td>{}</td></tr>", escape(value)))
                .collect();
            format!(
                "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <title>Pay {amount} {currency}</title></head>\n<body><h1>Pay {amount} {currency}</h1>\n\
                 <table>{rows}</table>\n<p>MilaCoins sandbox: no payment is taken here; \
                 a test ends the invoice.</p></body></html>\n",
                amount = t.invoice_amount,
                currency = escape(&t.invoice_currency),
            )
        })
    };
    match page {
        Some(page) => html(StatusCode::OK, page),
        None => html(
            StatusCode::NOT_FOUND,
            format!("<!doctype html>\n<html lang=\"en\"><body><h1>No invoice {}</h1></body></html>\n", escape(&id)),
        ),
    }
}

fn html(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    resp
}

/// Text made safe inside HTML elements and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_values_is_escaped() {
        assert_eq!(escape(r#"<b a="1">&'"#), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
        assert_eq!(escape("ORDER-42"), "ORDER-42");
    }
}

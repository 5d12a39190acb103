//! MilaCoins callbacks end to end against the sandbox: a small receiver
//! (axum) takes the callbacks of two payment pages, one completed and one
//! cancelled in the sandbox, reads each with `parse_callback` and confirms
//! it through the signed API before believing it; a forged callback (the
//! paid invoice's id with the cancelled order's external id) is refused.
//! The document puts the event and ids in the URL, so MilaCoins may call
//! with GET (the sandbox does, unless told to POST): the route takes both.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use axum::Router;
use tokio::sync::mpsc;
use walletkit::milacoins::{
    parse_callback, Callback, CallbackUrl, CancelUrl, CompletedUrl, PaymentPageRequest, WalletName,
};
use walletkit::sandbox::{CallbackCall, InvoiceEnd, Sandbox, SandboxClient as _};
use walletkit::Decimal;

use super::BoxError;

/// The receiver: every GET or POST to `/hooks/milacoins` is parsed and passed on.
async fn receive(State(seen): State<mpsc::UnboundedSender<Callback>>, parts: Parts, body: Bytes) -> StatusCode {
    match parse_callback(&Request::from_parts(parts, body)) {
        Ok(callback) => {
            let _ = seen.send(callback);
            StatusCode::OK
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}

/// Runs the tour; the sandbox plays the customer. Returns the callbacks the
/// sandbox made.
pub async fn tour(sandbox: &Sandbox) -> Result<Vec<CallbackCall>, BoxError> {
    let (seen, mut callbacks) = mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}/hooks/milacoins", listener.local_addr()?);
    // GET and POST: a route for one method only answers the other with 405.
    let app = Router::new().route("/hooks/milacoins", get(receive).post(receive)).with_state(seen);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let mila = sandbox.milacoins().client()?;
    let callback_url = CallbackUrl::for_endpoint(&endpoint)?;
    println!("callbacks: receiver at {endpoint}; callbackUrl {}", callback_url.as_str());
    let run = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let mut seen = Vec::new();
    let mut calls = Vec::new();
    for (external, end) in [(format!("{run}-paid"), InvoiceEnd::Complete), (format!("{run}-gone"), InvoiceEnd::Cancel)]
    {
        let page = PaymentPageRequest::new(
            WalletName::from("EUR"),
            Decimal::new(105, 1),
            "EUR",
            CancelUrl::from("https://shop.example/cancel?invoice={INVOICE_ID}"),
            CompletedUrl::from("https://shop.example/done?invoice={INVOICE_ID}"),
        )
        .external_id(external.clone())
        .callback_url(callback_url.clone());
        let invoice = mila.invoices().create_payment_page(&page).await?;
        let call = sandbox.milacoins().end_invoice(invoice.id.as_str(), end).await?.ok_or("no callback was made")?;
        if call.status != 200 {
            return Err(format!("the receiver answered a {:?} callback with {}", call.method, call.status).into());
        }
        let callback = callbacks.recv().await.ok_or("the receiver stopped")?;
        // A callback is a hint: the signed API says what really happened.
        let confirmed = mila.confirm(&callback).await?.ok_or("MilaCoins knows no such invoice")?;
        println!(
            "callbacks: {} for {} ({:?}, receiver answered {}); confirmed through the API: status {}, {} {}",
            callback.event,
            callback.external_id.as_deref().unwrap_or("?"),
            call.method,
            call.status,
            confirmed.status,
            confirmed.invoice_amount.map_or("?".into(), |a| a.normalize().to_string()),
            confirmed.invoice_currency.as_deref().unwrap_or("")
        );
        if callback.external_id.as_deref() != Some(external.as_str()) {
            return Err(format!("callback for {:?}, expected {external}", callback.external_id).into());
        }
        seen.push(callback);
        calls.push(call);
    }
    // Anyone can call a callback URL: the paid invoice's id with the
    // cancelled order's external id must not confirm that order as paid.
    let [paid, gone] = seen.as_slice() else { return Err("expected two callbacks".into()) };
    let url = format!(
        "/hooks/milacoins?event=complete&invoice={}&external={}",
        paid.invoice_id.as_ref().map_or("", |i| i.as_str()),
        gone.external_id.as_deref().unwrap_or("")
    );
    let forged = Request::get(url).body(Bytes::new())?;
    match mila.confirm(&parse_callback(&forged)?).await {
        Err(refused) if refused.as_callback_mismatch().is_some() => {
            println!("callbacks: forged one refused: {refused}")
        }
        other => return Err(format!("a forged callback was not refused: {other:?}").into()),
    }
    server.abort();
    Ok(calls)
}

//! Milta's answers in the document's other plausible readings (the
//! `variants` fault switch): `id` beside every `<entity>Id`, `countryCode` and
//! `currencyCode` beside `code`, the balance as `amount`, `balance` and
//! `available` at once, a rejected batch entry carrying `message`, `reason`
//! and `error: {code, message}`, `error` beside `code` and `message` in error
//! envelopes, amounts as strings, `null` for absent optional fields, other
//! timestamp formats, unknown fields everywhere, and lists without the
//! `pagination` block on odd pages. A success stays a success.
//!
//! With `variants` the reference lists are also paged (our reading of the
//! document's Paging section; see [`super::listing`]), so the block this
//! removes from odd pages is one the default answers never carry.

use super::PREFIX;
use crate::json::{obj, Json, Obj};
use crate::variants::{alias_field, null_if_absent, walk, Exchange, Stamp, Style};

const STYLE: Style = Style {
    amounts: &[
        "amount",
        "fee",
        "total",
        "exchangeRate",
        "debitAmount",
        "minAmount",
        "maxAmount",
        "balance",
        "available",
    ],
    ids: &[],
    aliases: &[],
    stamps,
    free_form: &[],
};

fn stamps(field: &str, _index: usize) -> Option<Stamp> {
    match field {
        "scheduledAt" => Some(Stamp::Offset),
        "createdAt" => Some(Stamp::Micros),
        _ => None,
    }
}

/// The identifier of each item of a reference-data list, and its alias.
fn list_alias(route: &str) -> Option<(&'static str, &'static str)> {
    Some(match route.strip_prefix("/inventories/")? {
        "products" => ("productId", "id"),
        "providers" => ("providerId", "id"),
        "brands" => ("brandId", "id"),
        "categories" => ("categoryId", "id"),
        "countries" => ("code", "countryCode"),
        "currencies" => ("code", "currencyCode"),
        _ => return None,
    })
}

pub(crate) fn respell(body: &mut Json, ex: &Exchange<'_>) {
    let route = ex.path.strip_prefix(PREFIX).unwrap_or(ex.path);
    if let Some(envelope) = body.as_object_mut() {
        match envelope.get("status").and_then(Json::as_str) {
            Some("success") => {
                envelope.insert("message", Json::Null);
                if let Some(data) = envelope.get_mut("data").and_then(Json::as_object_mut) {
                    data_variants(route, data);
                }
            }
            Some("error") => {
                with_error_object(envelope);
                envelope.insert("data", Json::Null);
            }
            _ => {}
        }
    }
    walk(body, &STYLE);
}

/// `error: {code, message}` beside the flat `code` and `message`.
fn with_error_object(obj: &mut Obj) {
    let code = obj.get("code").cloned().unwrap_or(Json::Null);
    let message = obj.get("message").cloned().unwrap_or(Json::Null);
    obj.insert("error", obj! {"code": code, "message": message});
}

fn data_variants(route: &str, data: &mut Obj) {
    if let Some(Json::Arr(items)) = data.get_mut("items") {
        if let Some((field, alias)) = list_alias(route) {
            items.iter_mut().filter_map(Json::as_object_mut).for_each(|item| alias_field(item, field, alias));
        }
        // Every other page comes without `pagination`; a client then reads
        // on while pages are full, and the paging still ends short or empty.
        let page = data.get("pagination").and_then(|p| p.get("page")).and_then(Json::as_u64);
        if page.is_some_and(|p| p % 2 == 1) {
            data.remove("pagination");
        }
        return;
    }
    match route {
        "/balance" => {
            alias_field(data, "amount", "balance");
            alias_field(data, "amount", "available");
        }
        "/transfers/batch" => {
            if let Some(Json::Arr(entries)) = data.get_mut("transfers") {
                entries.iter_mut().filter_map(Json::as_object_mut).for_each(batch_entry);
            }
        }
        r if r == "/transfers" || r.starts_with("/transfers/") => {
            alias_field(data, "transferId", "id");
            null_if_absent(data, &["scheduledAt", "batchId"]);
        }
        _ => {}
    }
}

fn batch_entry(entry: &mut Obj) {
    if entry.get("transferId").is_some_and(|id| !id.is_null()) {
        alias_field(entry, "transferId", "id");
        null_if_absent(entry, &["code", "message"]);
    } else {
        null_if_absent(entry, &["transferId"]);
        alias_field(entry, "message", "reason");
        with_error_object(entry);
    }
}

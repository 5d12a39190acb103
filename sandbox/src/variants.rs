//! The `variants` fault switch: a layer that re-spells every answer of one
//! API in the other plausible readings of its document, after the handler
//! has acted and answered in the plain spelling. State, validation, status
//! codes and headers are untouched; only the JSON body is re-spelled, and
//! every value stays exactly equal (amounts keep their digits, timestamps
//! their instant). One reading is not a spelling: Milta's reference-list
//! handlers read the switch themselves, to page those lists.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

use crate::faults::FaultState;
use crate::json::{obj, Json, Obj};
use crate::server::DropConnection;

/// What a re-speller knows about the exchange it re-spells.
pub(crate) struct Exchange<'a> {
    pub method: &'a Method,
    /// The request path as received (Milta's includes its prefix).
    pub path: &'a str,
    pub status: StatusCode,
}

/// Re-spells one API's answer in place.
pub(crate) type Respell = fn(&mut Json, &Exchange<'_>);

/// The layer's state: whether `variants` is on, and how to re-spell.
#[derive(Clone)]
pub(crate) struct Variants {
    faults: Arc<FaultState>,
    respell: Respell,
}

impl Variants {
    pub(crate) fn new(faults: Arc<FaultState>, respell: Respell) -> Self {
        Variants { faults, respell }
    }
}

/// Install as the outermost layer, so every answer (auth refusals and
/// injected faults included) is re-spelled, and nothing the API records
/// (MilaCoins' request log, Milta's idempotent replays) ever is.
pub(crate) async fn middleware(State(v): State<Variants>, req: Request, next: Next) -> Response {
    if !v.faults.get().variants {
        return next.run(req).await;
    }
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let resp = next.run(req).await;
    if resp.extensions().get::<DropConnection>().is_some() {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    // The fakes' bodies are complete buffers; reading them cannot fail.
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let Ok(mut json) = Json::parse(&bytes) else { return Response::from_parts(parts, Body::from(bytes)) };
    (v.respell)(&mut json, &Exchange { method: &method, path: &path, status: parts.status });
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json.to_string()))
}

/// An alternative timestamp format; each keeps the instant exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// ISO 8601 at `+02:00`, fraction only when there is one.
    Offset,
    /// ISO 8601 at `+02:00` with milliseconds.
    OffsetMillis,
    /// ISO 8601 in UTC with microseconds (`…T09:00:00.000000Z`).
    Micros,
    /// Epoch milliseconds as a JSON number.
    EpochMs,
}

/// How one API is re-spelled by [`walk`].
pub(crate) struct Style {
    /// Amount fields: numbers become strings and strings numbers, same digits.
    pub amounts: &'static [&'static str],
    /// Identifier fields whose JSON type flips (number and string) on the
    /// first, third, … item of a list and on single objects.
    pub ids: &'static [&'static str],
    /// `(field, alias)`: the alias is added beside the field, same value.
    pub aliases: &'static [(&'static str, &'static str)],
    /// The format for a timestamp field of the item at a list index; a
    /// timestamp given as a number (epoch milliseconds) becomes an ISO string.
    pub stamps: fn(&str, usize) -> Option<Stamp>,
    /// Free-form members (payloads echoed or logged as given): left alone.
    pub free_form: &'static [&'static str],
}

/// Applies `style` to every object of `v` and adds unknown fields to each.
pub(crate) fn walk(v: &mut Json, style: &Style) {
    walk_at(v, style, 0);
}

fn walk_at(v: &mut Json, style: &Style, index: usize) {
    match v {
        Json::Arr(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk_at(item, style, i);
            }
        }
        Json::Obj(obj) => {
            for (field, alias) in style.aliases {
                alias_field(obj, field, alias);
            }
            for (key, value) in obj.iter_mut() {
                if style.free_form.contains(&key) {
                    continue;
                }
                if style.amounts.contains(&key) {
                    flip_amount(value);
                } else if style.ids.contains(&key) {
                    if index.is_multiple_of(2) {
                        flip_id(value);
                    }
                } else if let Some(stamp) = (style.stamps)(key, index) {
                    restamp(value, stamp);
                } else {
                    walk_at(value, style, index);
                }
            }
            add_unknown(obj);
        }
        _ => {}
    }
}

/// Adds `alias` with the value of `field`, when `field` is there and
/// `alias` is not.
pub(crate) fn alias_field(obj: &mut Obj, field: &str, alias: &str) {
    if obj.contains_key(alias) {
        return;
    }
    if let Some(value) = obj.get(field).cloned() {
        obj.insert(alias, value);
    }
}

/// Spells absent optional fields as `null`.
pub(crate) fn null_if_absent(obj: &mut Obj, fields: &[&str]) {
    for field in fields {
        if !obj.contains_key(field) {
            obj.insert(field, Json::Null);
        }
    }
}

/// Fields no document names: a flag, a nested object, numbers too big for
/// `f64` or `u64`, and a `null`.
fn add_unknown(obj: &mut Obj) {
    obj.insert("sandboxVariant", Json::Bool(true));
    let list = vec![Json::Num("1".into()), Json::Str("two".into()), Json::Null, Json::Num("2.5e-3".into())];
    obj.insert("sandboxExtra", obj! {"nested": obj! {"list": list, "empty": Obj::new()}, "flag": false});
    obj.insert("sandboxBig", Json::Num("12345678901234567.89".into()));
    obj.insert("sandboxHuge", Json::Num("123456789012345678901234567890".into()));
    obj.insert("sandboxNull", Json::Null);
}

/// `10.50` becomes `"10.50"` and `"96.0000"` becomes `96.0000`.
fn flip_amount(v: &mut Json) {
    *v = match std::mem::replace(v, Json::Null) {
        Json::Num(n) => Json::Str(n),
        Json::Str(s) => match Json::parse(s.as_bytes()) {
            Ok(number @ Json::Num(_)) => number,
            _ => Json::Str(s),
        },
        other => other,
    };
}

/// Digits that read the same as a number and as a string: no sign, no
/// leading zero, and few enough to be exact even through `f64`.
fn plain_digits(s: &str) -> bool {
    (1..=15).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
}

/// `101` becomes `"101"` and `"7607"` becomes `7607`.
fn flip_id(v: &mut Json) {
    *v = match std::mem::replace(v, Json::Null) {
        Json::Num(n) if plain_digits(&n) => Json::Str(n),
        Json::Str(s) if plain_digits(&s) => Json::Num(s),
        other => other,
    };
}

/// The narrowest format at least as fine as `wanted` that shows `t` exactly.
fn exact(t: DateTime<Utc>, wanted: SecondsFormat) -> SecondsFormat {
    let nanos = t.timestamp_subsec_nanos();
    match wanted {
        SecondsFormat::Millis if !nanos.is_multiple_of(1_000_000) => SecondsFormat::AutoSi,
        SecondsFormat::Micros if !nanos.is_multiple_of(1_000) => SecondsFormat::AutoSi,
        other => other,
    }
}

fn at_plus_two(t: DateTime<Utc>, format: SecondsFormat) -> String {
    match FixedOffset::east_opt(2 * 3600) {
        Some(offset) => t.with_timezone(&offset).to_rfc3339_opts(format, false),
        None => t.to_rfc3339_opts(format, true),
    }
}

/// Re-spells a timestamp (an ISO 8601 string or epoch milliseconds).
pub(crate) fn restamp(v: &mut Json, stamp: Stamp) {
    let (t, was_number) = match v {
        Json::Str(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => (t.with_timezone(&Utc), false),
            Err(_) => return,
        },
        Json::Num(n) => match n.parse::<i64>().ok().and_then(DateTime::from_timestamp_millis) {
            Some(t) => (t, true),
            None => return,
        },
        _ => return,
    };
    let whole_millis = t.timestamp_subsec_nanos() % 1_000_000 == 0;
    *v = match stamp {
        _ if was_number => Json::Str(at_plus_two(t, exact(t, SecondsFormat::Millis))),
        Stamp::EpochMs if whole_millis => Json::Num(t.timestamp_millis().to_string()),
        Stamp::Offset => Json::Str(at_plus_two(t, SecondsFormat::AutoSi)),
        Stamp::OffsetMillis => Json::Str(at_plus_two(t, exact(t, SecondsFormat::Millis))),
        Stamp::Micros | Stamp::EpochMs => Json::Str(t.to_rfc3339_opts(exact(t, SecondsFormat::Micros), true)),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_stamps(_: &str, _: usize) -> Option<Stamp> {
        None
    }

    #[test]
    fn amounts_ids_and_aliases_flip_exactly() {
        let style = Style {
            amounts: &["amount"],
            ids: &["id", "walletId"],
            aliases: &[("id", "walletId")],
            stamps: no_stamps,
            free_form: &["data"],
        };
        let mut v = Json::parse(
            br#"[{"id":101,"amount":12345678901234567.89,"data":{"id":1}},{"id":102,"amount":"96.0000"},{"id":"007"}]"#,
        )
        .unwrap();
        walk(&mut v, &style);
        let Json::Arr(items) = &v else { panic!() };
        assert_eq!(items[0].get("id"), Some(&Json::Str("101".into())));
        assert_eq!(items[0].get("walletId"), Some(&Json::Str("101".into())), "the alias is flipped too");
        assert_eq!(items[0].get("amount"), Some(&Json::Str("12345678901234567.89".into())));
        assert_eq!(items[0].get("data").unwrap().to_string(), r#"{"id":1}"#, "free-form left alone");
        assert_eq!(items[1].get("id"), Some(&Json::Num("102".into())), "every other item keeps its type");
        assert_eq!(items[1].get("amount"), Some(&Json::Num("96.0000".into())));
        assert_eq!(items[2].get("id"), Some(&Json::Str("007".into())), "a leading zero stays a string");
        assert_eq!(items[1].get("sandboxBig"), Some(&Json::Num("12345678901234567.89".into())));
        assert_eq!(items[1].get("sandboxNull"), Some(&Json::Null));
    }

    #[test]
    fn timestamps_keep_their_instant() {
        let cases = [
            (r#""2026-01-15T09:00:00Z""#, Stamp::Offset, r#""2026-01-15T11:00:00+02:00""#),
            (r#""2024-09-05T17:47:00.000Z""#, Stamp::OffsetMillis, r#""2024-09-05T19:47:00.000+02:00""#),
            (r#""2024-09-05T17:47:00Z""#, Stamp::Micros, r#""2024-09-05T17:47:00.000000Z""#),
            (r#""2024-01-01T05:33:20.123Z""#, Stamp::EpochMs, "1704087200123"),
            (r#""2024-01-01T05:33:20.1234Z""#, Stamp::EpochMs, r#""2024-01-01T05:33:20.123400Z""#),
            ("1704087200123", Stamp::EpochMs, r#""2024-01-01T07:33:20.123+02:00""#),
            (r#""not a time""#, Stamp::Offset, r#""not a time""#),
        ];
        for (input, stamp, expected) in cases {
            let mut v = Json::parse(input.as_bytes()).unwrap();
            restamp(&mut v, stamp);
            assert_eq!(v.to_string(), expected, "{input} as {stamp:?}");
        }
    }
}

//! What the WaaS login sends (`POST /api/v1/auth/login`) and how its answer
//! is read: every plausible shape, the token never quoted in an error.

use std::time::Duration;

use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::money::Decimal;
use crate::wire::{wire_object, Text, WireDecode};

/// `expires_in` seconds as a duration: fractions dropped, negative as zero,
/// absurdly large as "never" (capped at a hundred years).
pub(crate) fn lifetime(secs: Decimal) -> Duration {
    const CAP: u64 = 100 * 365 * 24 * 3600;
    if secs <= Decimal::ZERO {
        return Duration::ZERO;
    }
    Duration::from_secs(secs.trunc().to_u64().map_or(CAP, |s| s.min(CAP)))
}

#[derive(Serialize)]
pub(crate) struct LoginBody<'a> {
    pub(crate) username: &'a str,
    pub(crate) password: &'a str,
}

wire_object! {
    /// The login answer: `access_token` (also read as `accessToken`), and
    /// `expires_in` (seconds) and `token_type` when given. A body wrapping
    /// these in `data` is accepted too. The token must be a JSON string: a
    /// `token` field or a number is not taken for one.
    pub(crate) struct LoginAnswer {
        /// The Bearer token.
        pub access_token: Option<String> = optional ["access_token", "accessToken"],
        /// Lifetime in seconds; a value that is not a number counts as absent.
        pub expires_in: Option<Decimal> = default ["expires_in", "expiresIn"] via Seconds,
        /// Usually `Bearer`.
        pub token_type: Option<String> = optional ["token_type", "tokenType"] via Text,
        /// The answer, when wrapped; anything unreadable there counts as absent.
        pub data: Option<Box<WrappedAnswer>> = default ["data"] via Wrapped,
    }
}

wire_object! {
    /// The answer inside `data`: the same fields, one level only. A `data`
    /// inside it stays in `extra`, unread: the server decides how deep a
    /// body is, so the decoder never recurses on what it sends.
    pub(crate) struct WrappedAnswer {
        /// The Bearer token.
        pub access_token: Option<String> = optional ["access_token", "accessToken"],
        /// Lifetime in seconds; a value that is not a number counts as absent.
        pub expires_in: Option<Decimal> = default ["expires_in", "expiresIn"] via Seconds,
        /// Usually `Bearer`.
        pub token_type: Option<String> = optional ["token_type", "tokenType"] via Text,
    }
}

/// `expires_in` read exactly from a number or a string, or `None` when it
/// is neither: a lifetime walletkit cannot read only means no early refresh.
struct Seconds;

impl WireDecode for Seconds {
    type Value = Option<Decimal>;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Decimal>, D::Error> {
        crate::wire::with_raw_text(d, |raw| Ok(crate::money::parse_json(raw).ok()))
    }
}

/// A `data` member holding the answer; anything else there is ignored.
struct Wrapped;

impl WireDecode for Wrapped {
    type Value = Option<Box<WrappedAnswer>>;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Box<WrappedAnswer>>, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        Ok(serde_json::from_str::<WrappedAnswer>(raw.get()).ok().map(Box::new))
    }
}

impl LoginAnswer {
    /// The answer that holds the token: this one, or the one in `data`,
    /// with the wrapper's other fields added to its `extra`.
    pub(crate) fn unwrap_data(self) -> LoginAnswer {
        match self {
            LoginAnswer { access_token: None, data: Some(inner), extra: outer, .. } => {
                let WrappedAnswer { access_token, expires_in, token_type, mut extra } = *inner;
                for (name, value) in outer.iter() {
                    extra.insert(name.to_string(), value.to_owned());
                }
                LoginAnswer { access_token, expires_in, token_type, data: None, extra }
            }
            top => top,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_drop_fractions_and_cap_at_a_century() {
        assert_eq!(lifetime(Decimal::new(36005, 1)), Duration::from_secs(3600));
        assert_eq!(lifetime(Decimal::new(-5, 0)), Duration::ZERO);
        assert_eq!(lifetime(Decimal::MAX), Duration::from_secs(100 * 365 * 24 * 3600));
    }

    fn answer(json: &str) -> LoginAnswer {
        serde_json::from_str::<LoginAnswer>(json).unwrap().unwrap_data()
    }

    #[test]
    fn login_answers_in_every_plausible_shape() {
        let a = answer(r#"{"access_token":"t","expires_in":"3600.5","token_type":null,"user":{"id":7},"n":1e400}"#);
        assert_eq!((a.access_token.as_deref(), a.expires_in), (Some("t"), Some(Decimal::new(36005, 1))));
        assert_eq!(a.token_type, None);
        assert_eq!(a.extra["user"].get(), r#"{"id":7}"#);
        assert_eq!(a.extra["n"].get(), "1e400", "unknown numbers stay exact, even beyond f64");
        let a = answer(r#"{"token":"x","accessToken":"y","access_token":"z","expiresIn":60,"expires_in":"soon"}"#);
        assert_eq!((a.access_token.as_deref(), a.expires_in), (Some("z"), None), "both spellings at once");
        assert_eq!(a.extra["token"].get(), r#""x""#);
        assert_eq!(answer(r#"{"accessToken":"y","expiresIn":60}"#).expires_in, Some(Decimal::from(60)));
        let a =
            answer(r#"{"status":"ok","data":{"access_token":"w","expires_in":12345678901234567.89,"refresh":"r"}}"#);
        assert_eq!(
            (a.access_token.as_deref(), a.expires_in.map(|d| d.to_string())),
            (Some("w"), Some("12345678901234567.89".into()))
        );
        assert_eq!(a.extra.iter().map(|(n, _)| n).collect::<Vec<_>>(), ["refresh", "status"]);
        let a = answer(r#"{"data":"not an object","message":"no token"}"#);
        assert_eq!((a.access_token, a.data), (None, None));
    }
}

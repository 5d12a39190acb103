//! Extra headers a caller adds to a handle's calls ([`crate::CallOptions::header`]),
//! checked twice so they can never replace what walletkit sets: when added,
//! against the headers every request may carry (credentials, idempotency
//! keys, framing); when a call is made, against what that request, its
//! idempotency key and the client's auth actually set. The second check
//! needs no provider's header names: whatever walletkit sets wins, and a
//! clash is an error before anything is sent.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// Names no caller header may take, whatever the provider: credentials and
/// the framing the HTTP stack and walletkit own.
const RESERVED: [&str; 14] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "upgrade",
    "expect",
    "user-agent",
    "accept",
];

/// The caller's extra headers, in the order added, one per name.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct CallHeaders(Vec<(HeaderName, HeaderValue)>);

/// Names only: a value may be something the caller would not log.
impl fmt::Debug for CallHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(name, _)| name.as_str())).finish()
    }
}

impl CallHeaders {
    /// Adds `name: value` after the checks that need no request.
    pub(crate) fn add(&mut self, name: &str, value: &str) -> Result<()> {
        let name = HeaderName::try_from(name).map_err(|_| {
            Error::Config(format!("the call header name `{}` is not a valid header name", name.escape_debug()))
        })?;
        // The value is not echoed: it may be a credential pasted by mistake.
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::Config(format!("the call header {name} has an invalid value (CR, LF or other control characters)"))
        })?;
        if RESERVED.contains(&name.as_str()) || name.as_str().contains("idempotency") {
            return Err(Error::Config(format!(
                "the call header {name} is walletkit's to set (credentials, idempotency keys and framing cannot be overridden)"
            )));
        }
        self.0.retain(|(n, _)| *n != name);
        self.0.push((name, value));
        Ok(())
    }

    /// These headers, then `later`'s over them.
    pub(crate) fn merged(&self, later: CallHeaders) -> CallHeaders {
        let mut out = self.clone();
        for (name, value) in later.0 {
            out.0.retain(|(n, _)| *n != name);
            out.0.push((name, value));
        }
        out
    }

    /// Refuses a header that walletkit sets on this call: `taken` says
    /// whether it does.
    pub(crate) fn check(&self, taken: impl Fn(&HeaderName) -> bool) -> Result<()> {
        match self.0.iter().find(|(name, _)| taken(name)) {
            Some((name, _)) => Err(Error::Config(format!(
                "the call header {name} is set by walletkit on this request (its own header, idempotency key or \
                 credentials win); nothing was sent"
            ))),
            None => Ok(()),
        }
    }

    /// Adds these headers to an attempt already checked by [`Self::check`].
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        for (name, value) in &self.0 {
            headers.insert(name.clone(), value.clone());
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_control_characters_credentials_and_idempotency_keys() {
        let mut h = CallHeaders::default();
        for (name, value) in [
            ("X-Note", "a\r\nX-Evil: 1"),
            ("X-Note", "a\nb"),
            ("X Bad", "v"),
            ("Authorization", "Bearer t"),
            ("Proxy-Authorization", "Basic x"),
            ("X-Idempotency-Key", "k"),
            ("Idempotency-Key", "k"),
            ("Content-Length", "1"),
            ("Host", "evil.example"),
        ] {
            assert!(matches!(h.add(name, value), Err(Error::Config(_))), "{name}");
        }
        assert!(h.is_empty());
        h.add("X-Correlation-Id", "one").unwrap();
        h.add("x-correlation-id", "two").unwrap();
        let mut map = HeaderMap::new();
        h.apply(&mut map);
        assert_eq!(map.len(), 1);
        assert_eq!(map["x-correlation-id"], "two");
    }

    #[test]
    fn a_clash_with_what_the_request_sets_is_an_error() {
        let mut h = CallHeaders::default();
        h.add("X-Sig", "forged").unwrap();
        let err = h.check(|name| name == "x-sig").unwrap_err();
        assert!(matches!(err, Error::Config(ref m) if m.contains("x-sig") && !m.contains("forged")), "{err}");
        assert!(h.check(|name| name == "x-other").is_ok());
        assert_eq!(format!("{h:?}"), r#"["x-sig"]"#, "names only");
    }
}

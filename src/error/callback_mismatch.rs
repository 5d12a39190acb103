//! A callback the provider's own API contradicts.

use std::fmt;

use super::Provider;

/// How much of each compared value an error keeps: enough to recognise an
/// id or an amount, never a megabyte of someone else's text.
const SHOWN_CHARS: usize = 64;

/// A callback (or webhook) whose claim the provider's signed API does not
/// bear out: forged, stale, or about another payment. Never act on it. The
/// values are as sent but cut to 64 characters, with control and
/// bidirectional characters escaped, so the error is safe to log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackMismatch {
    /// Which API was asked.
    pub provider: Provider,
    /// The claim that differs, by its wire name: `invoiceID`, `externalID`,
    /// `event`, `amount` or `currency`.
    pub field: &'static str,
    /// What the callback claimed.
    pub callback: String,
    /// What the API says; `None` when it has no such value.
    pub fetched: Option<String>,
}

impl CallbackMismatch {
    /// `field` is `callback` in the callback and `fetched` at `provider`.
    pub(crate) fn new(provider: Provider, field: &'static str, callback: &str, fetched: Option<&str>) -> Self {
        CallbackMismatch { provider, field, callback: shown(callback), fetched: fetched.map(shown) }
    }
}

impl fmt::Display for CallbackMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} callback not confirmed: its {} is `{}` but the API says ",
            self.provider, self.field, self.callback
        )?;
        match &self.fetched {
            Some(fetched) => write!(f, "`{fetched}`")?,
            None => f.write_str("none")?,
        }
        f.write_str("; do not act on it (forged, stale or about another payment)")
    }
}

/// `text` cut to [`SHOWN_CHARS`] characters, escaped as every server text
/// in an error is (`\n`, `\u{202e}`).
fn shown(text: &str) -> String {
    let (mut out, cut) = crate::redact::escaped(text, SHOWN_CHARS - 1);
    if cut {
        out.push(crate::redact::CUT);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cut_and_escaped_so_the_error_is_one_short_line() {
        let forged = format!("ORDER-1\r\nlevel=INFO msg=paid\u{202e}{}", "x".repeat(1_000_000));
        let e = CallbackMismatch::new(Provider::MilaCoins, "externalID", &forged, None);
        let text = e.to_string();
        assert!(!text.contains(['\r', '\n', '\u{202e}']), "{text}");
        assert!(text.contains(r"ORDER-1\r\nlevel=INFO msg=paid\u{202e}xx"), "{text}");
        assert!(text.len() < 300, "{} bytes", text.len());
        assert!(text.ends_with("none; do not act on it (forged, stale or about another payment)"), "{text}");
        let e = CallbackMismatch::new(Provider::MilaCoins, "event", "complete", Some("new"));
        assert_eq!(
            e.to_string(),
            "milacoins callback not confirmed: its event is `complete` but the API says `new`; \
             do not act on it (forged, stale or about another payment)"
        );
    }
}

//! A callback the provider's own API contradicts.

use std::fmt;

use super::Provider;

/// How much of each compared value an error keeps: enough to recognise an
/// id or an amount, never a megabyte of someone else's text.
const SHOWN_CHARS: usize = 64;

/// A callback (or webhook) whose claim the provider's signed API does not
/// bear out: forged, stale, or about another payment. Never act on it. The
/// values are fields, as sent but cut to 64 characters, with control and
/// bidirectional characters escaped; `Display` names only the field.
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

/// One sentence naming the claim that differs; the values themselves (an
/// id, an amount) are fields, never in the sentence.
impl fmt::Display for CallbackMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fetched =
            if self.fetched.is_some() { "differs from what the API says" } else { "is absent from the API's answer" };
        write!(
            f,
            "{} callback not confirmed: its {} {fetched}; do not act on it (forged, stale or about another payment).",
            self.provider, self.field
        )
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
    fn values_are_fields_cut_and_escaped_and_the_sentence_names_only_the_claim() {
        let forged = format!("ORDER-1\r\nlevel=INFO msg=paid\u{202e}{}", "x".repeat(1_000_000));
        let e = CallbackMismatch::new(Provider::MilaCoins, "externalID", &forged, None);
        assert!(!e.callback.contains(['\r', '\n', '\u{202e}']), "{}", e.callback);
        assert!(e.callback.starts_with(r"ORDER-1\r\nlevel=INFO msg=paid\u{202e}xx"), "{}", e.callback);
        assert_eq!(e.callback.chars().count(), SHOWN_CHARS);
        assert_eq!(
            e.to_string(),
            "milacoins callback not confirmed: its externalID is absent from the API's answer; do not act on it (forged, \
             stale or about another payment)."
        );
        let e = CallbackMismatch::new(Provider::MilaCoins, "event", "complete", Some("new"));
        assert_eq!((e.callback.as_str(), e.fetched.as_deref()), ("complete", Some("new")));
        assert_eq!(
            e.to_string(),
            "milacoins callback not confirmed: its event differs from what the API says; do not act on it \
             (forged, stale or about another payment)."
        );
    }
}

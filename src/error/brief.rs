//! What of a longer text an error's one-line `Display` shows.
//!
//! Every `Display` of [`Error`](super::Error) is one sentence under 200
//! characters, so a service can log or return it as is. Texts that may be
//! long (a server's message, a decode message, an error chain) are kept in
//! full in the error's fields, and `Display` shows only [`brief`] of them.

use std::borrow::Cow;

use crate::redact::{escaped, CUT};

/// What replaces a link, or any word carrying a query, in a brief.
const LINK: &str = "[link]";

/// At most `max` characters of `text`: its first sentence, each word that is
/// a link or carries a query (`://`, `www.`, a `?` inside a word) replaced by
/// `[link]`, control characters escaped, a `…` at the end when cut, and no
/// end punctuation (the `Display` that shows it ends the sentence).
pub(crate) fn brief(text: &str, max: usize) -> String {
    let first = text.split_once(". ").map_or(text, |(first, _)| first);
    let words: Vec<Cow<'_, str>> = first.split_whitespace().map(word).collect();
    let joined = words.join(" ");
    let (mut out, cut) = escaped(&joined, max.saturating_sub(1));
    if cut {
        out.push(CUT);
    } else {
        let kept = out.trim_end_matches(['.', ';', ':', ',', ' ']).len();
        out.truncate(kept);
    }
    out
}

/// One word as a brief shows it.
fn word(word: &str) -> Cow<'_, str> {
    let inner_query = word.trim_end_matches('?').contains('?');
    if word.contains("://") || word.starts_with("www.") || inner_query {
        Cow::Borrowed(LINK)
    } else if let Some(question) = word.strip_suffix('?') {
        // A question mark ends a question, not a query; a brief keeps none.
        Cow::Borrowed(question.trim_end_matches('?'))
    } else {
        Cow::Borrowed(word)
    }
}

/// The most specific part of an error chain written as `outer: inner:
/// innermost` (reqwest's and hyper's errors): `Connection refused (os error
/// 111)` rather than `error sending request: client error (Connect): …`.
pub(crate) fn last_cause(chain: &str) -> &str {
    chain.rsplit_once(": ").map_or(chain, |(_, last)| last).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brief_is_the_first_sentence_without_links_and_cut() {
        assert_eq!(brief("Account balance too low. Add funds to your account.", 60), "Account balance too low");
        assert_eq!(
            brief("see https://api.example.com/x?key=k1 or www.example.com/help now", 60),
            "see [link] or [link] now"
        );
        assert_eq!(brief("redirect to /login?next=/transfers refused", 60), "redirect to [link] refused");
        assert_eq!(brief("Did you mean GBP?", 60), "Did you mean GBP");
        assert_eq!(brief("line\r\nbreak\u{1b}", 60), r"line break\u{1b}");
        let long = brief(&"x".repeat(500), 40);
        assert_eq!((long.chars().count(), long.ends_with(CUT)), (40, true));
        assert_eq!(brief("done.", 10), "done");
    }

    #[test]
    fn the_last_cause_is_the_innermost() {
        assert_eq!(
            last_cause("error sending request: client error (Connect): tcp connect error: Connection refused"),
            "Connection refused"
        );
        assert_eq!(last_cause("timed out after 30s"), "timed out after 30s");
    }
}

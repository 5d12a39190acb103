//! Caller-supplied path segments (ids), validated once for every provider:
//! an id must name one resource, never walk to another path.

use super::request::RequestPath;
use crate::error::{Error, Result};

/// `template` with `{id}` replaced by `id`, after [`segment`] accepts it;
/// the template is kept as the route for traces and metrics.
///
/// # Errors
/// [`Error::InvalidRequest`], naming `what`, for an id [`segment`] refuses.
pub(crate) fn with_id(template: &'static str, what: &str, id: &str) -> Result<RequestPath> {
    Ok(RequestPath::with_route(template.replace("{id}", segment(what, id)?), template))
}

/// Accepts `id` as one path segment, or refuses it with
/// [`Error::InvalidRequest`] before anything is sent: empty, `.` or `..`,
/// containing `/`, `\`, `..`, `?`, `#`, `%`-encoded dots or slashes (any
/// case), whitespace or control characters.
///
/// # Errors
/// As above; the message names `what` and the rule, never the id (you hold
/// it, and it may hold what breaks a log line).
pub(crate) fn segment<'a>(what: &str, id: &'a str) -> Result<&'a str> {
    let refuse = |why: &str| Err(Error::InvalidRequest(format!("the {what} is not a valid path segment: {why}")));
    if id.is_empty() {
        return refuse("it is empty");
    }
    if id.contains("..") || id == "." {
        return refuse("it contains `..`");
    }
    if let Some(c) = id.chars().find(|c| matches!(c, '/' | '\\' | '?' | '#') || c.is_whitespace() || c.is_control()) {
        let name = match c {
            '/' => "a slash",
            '\\' => "a backslash",
            '?' => "a question mark",
            '#' => "a hash sign",
            c if c.is_whitespace() => "whitespace",
            _ => "a control character",
        };
        return refuse(&format!("it contains {name}"));
    }
    let lower = id.to_ascii_lowercase();
    if ["%2e", "%2f", "%5c"].iter().any(|encoded| lower.contains(encoded)) {
        return refuse("it contains a percent-encoded dot or slash");
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    // One id per rule, plus a Unicode space; every provider's contract tests
    // refuse the full list (`tests/all/support/hostile_ids.rs`) through their
    // public calls.
    const HOSTILE_IDS: &[&str] =
        &["", ".", "../balance", "a/b", "a\\b", "%2E%2e", "%2f", "a%5Cb", "x?y=1", "x#frag", "a b", "nl\n", "\u{7f}"];

    #[test]
    fn hostile_ids_are_refused_and_ordinary_ones_pass() {
        for id in HOSTILE_IDS.iter().chain(&["a\u{2003}b"]) {
            assert!(matches!(segment("transfer id", id), Err(Error::InvalidRequest(_))), "{id:?}");
        }
        for id in ["T-9001", "101", "abc_DEF.1", "e%41", "ünïcode"] {
            assert_eq!(segment("id", id).unwrap(), id);
        }
        let path = with_id("/transfers/{id}", "transfer id", "T-1").unwrap();
        assert_eq!((path.path.as_str(), path.route), ("/transfers/T-1", Some("/transfers/{id}")));
    }
}

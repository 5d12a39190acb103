//! Blanks the values of keys that name a credential, wherever a server
//! writes them: JSON (`"access_token": "…"`, also escaped inside a string),
//! `key=value` and `key: value` text (`password=…`, `X-Api-Key: …`), and
//! `Bearer …`.
//!
//! One pass, left to right, never revisiting what it has passed: a key is
//! looked for at most [`MAX_KEY_BYTES`] ahead, and a value is skipped as a
//! whole once blanked. A value cut off by the end of the text is blanked to
//! the end.

use super::REDACTED;

/// The longest key recognised; longer quoted strings are not keys.
const MAX_KEY_BYTES: usize = 64;

/// Parts of a key's name (lowercase, letters and digits only) that make it
/// a credential: `access_token`, `X-Api-Key`, `clientSecret`, …
const NAMES_CONTAINING: [&str; 11] = [
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "authorization",
    "bearer",
    "jwt",
    "signature",
    "credential",
    "privatekey",
];

/// Whole names that are credentials but too short to look for inside others.
const NAMES_EXACTLY: [&str; 9] = ["pw", "pwd", "pass", "sig", "xsig", "auth", "pin", "otp", "cvv"];

/// Values that say nothing secret and are kept for the reader.
const HARMLESS_VALUES: [&str; 3] = ["null", "true", "false"];

/// `text` with the value of every credential-like key replaced by `[REDACTED]`.
pub(crate) fn redact(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // `text[copied..]` is still to be copied to `out`.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let key = match bytes[i] {
            b'"' | b'\'' => quoted_key(bytes, i),
            c if is_word(c) && (i == 0 || !is_word(bytes[i - 1])) => {
                let end = word_end(bytes, i);
                match word_key(bytes, i, end) {
                    Some(key) => Some(key),
                    None => {
                        i = end;
                        continue;
                    }
                }
            }
            _ => None,
        };
        let Some(value_at) = key else {
            i += 1;
            continue;
        };
        match value(bytes, value_at) {
            Value::Secret { start, end, resume } if start == end => i = resume,
            Value::Secret { start, end, resume } => {
                out.push_str(&text[copied..start]);
                out.push_str(REDACTED);
                copied = end;
                i = resume;
            }
            Value::Nested(at) => i = at,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Where a key's value lies.
enum Value {
    /// `start..end` is blanked (an empty one is left as it is); scanning resumes at `resume`.
    Secret { start: usize, end: usize, resume: usize },
    /// An object, list, harmless word or nothing: scanning goes on from here.
    Nested(usize),
}

/// A quoted credential key at `at` (`"password":`, `'token' =`): where its value starts.
fn quoted_key(bytes: &[u8], at: usize) -> Option<usize> {
    let quote = bytes[at];
    let limit = bytes.len().min(at + 1 + MAX_KEY_BYTES + 1);
    let close = at + 1 + bytes[at + 1..limit].iter().position(|&b| b == quote)?;
    let after = skip_blanks(bytes, close + 1);
    if !matches!(bytes.get(after), Some(b':' | b'=')) || !names_credential(&bytes[at + 1..close]) {
        return None;
    }
    Some(skip_blanks(bytes, after + 1))
}

/// A bare credential key `start..end` (`password=`, `X-Api-Key:`, `Bearer `):
/// where its value starts.
fn word_key(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let name = &bytes[start..end];
    if name.len() > MAX_KEY_BYTES || !names_credential(name) {
        return None;
    }
    let after = skip_blanks(bytes, end);
    match bytes.get(after) {
        Some(b':' | b'=') => Some(skip_blanks(bytes, after + 1)),
        // `Bearer <token>`: the scheme is the key, a blank the separator.
        Some(&c) if after > end && name.eq_ignore_ascii_case(b"bearer") && !ends_value(c) => Some(after),
        _ => None,
    }
}

/// The value starting at `at`.
fn value(bytes: &[u8], at: usize) -> Value {
    match bytes.get(at) {
        Some(&quote @ (b'"' | b'\'')) => {
            let end = string_end(bytes, at + 1, quote);
            Value::Secret { start: at + 1, end, resume: (end + 1).min(bytes.len()) }
        }
        // A string inside a string: `{\"token\":\"…\"}`.
        Some(b'\\') if bytes.get(at + 1) == Some(&b'"') => {
            let end = find(bytes, at + 2, b"\\\"");
            Value::Secret { start: at + 2, end, resume: (end + 2).min(bytes.len()) }
        }
        Some(b'{' | b'[') | None => Value::Nested(at),
        Some(_) => {
            let end = bare_end(bytes, at);
            let word = &bytes[at..end];
            if end == at || HARMLESS_VALUES.iter().any(|h| word.eq_ignore_ascii_case(h.as_bytes())) {
                return Value::Nested(at.max(end));
            }
            // `Authorization: Bearer <token>`: keep the scheme, blank what follows it.
            if is_scheme(word) && bytes.get(end).is_some_and(|&b| b == b' ' || b == b'\t') {
                let token = skip_blanks(bytes, end);
                let token_end = bare_end(bytes, token);
                if token_end > token {
                    return Value::Secret { start: token, end: token_end, resume: token_end };
                }
            }
            Value::Secret { start: at, end, resume: end }
        }
    }
}

/// Whether a key's name says it holds a credential.
fn names_credential(name: &[u8]) -> bool {
    let mut folded = [0u8; MAX_KEY_BYTES];
    let mut len = 0;
    for &b in name.iter().filter(|b| b.is_ascii_alphanumeric()).take(MAX_KEY_BYTES) {
        folded[len] = b.to_ascii_lowercase();
        len += 1;
    }
    let folded = &folded[..len];
    NAMES_EXACTLY.iter().any(|n| folded == n.as_bytes())
        || NAMES_CONTAINING.iter().any(|n| folded.windows(n.len()).any(|w| w == n.as_bytes()))
}

/// Authorization schemes whose credential follows after a blank.
fn is_scheme(word: &[u8]) -> bool {
    ["bearer", "basic", "token", "digest"].iter().any(|s| word.eq_ignore_ascii_case(s.as_bytes()))
}

/// Characters of a bare key's name.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

fn word_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..].iter().position(|&b| !is_word(b)).map_or(bytes.len(), |n| start + n)
}

/// Characters that end a bare value. A backslash does not: cutting there
/// would show the rest of a secret that contains one.
fn ends_value(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'&' | b'"' | b'\'' | b'}' | b']' | b')' | b'<' | b'>')
}

fn bare_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..].iter().position(|&b| ends_value(b)).map_or(bytes.len(), |n| start + n)
}

fn skip_blanks(bytes: &[u8], from: usize) -> usize {
    bytes[from.min(bytes.len())..].iter().position(|&b| b != b' ' && b != b'\t').map_or(bytes.len(), |n| from + n)
}

/// The closing `quote` of a string whose content starts at `from`, skipping
/// backslash escapes; the end of the text when it is never closed.
fn string_end(bytes: &[u8], from: usize, quote: u8) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The first `needle` at or after `from`, or the end of the text.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    bytes[from.min(bytes.len())..].windows(needle.len()).position(|w| w == needle).map_or(bytes.len(), |n| from + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_naming_credentials_lose_their_values() {
        let body = r#"{"access_token":"abc\"def","amount":10.5,"apiKey" : "k-1","note":"token","Refresh-Token":7}"#;
        assert_eq!(
            redact(body),
            r#"{"access_token":"[REDACTED]","amount":10.5,"apiKey" : "[REDACTED]","note":"token","Refresh-Token":[REDACTED]}"#
        );
        assert_eq!(redact(r#"{"password":"unterminated"#), r#"{"password":"[REDACTED]"#);
        assert_eq!(redact(r#"{"password":"#), r#"{"password":"#);
        assert_eq!(redact(r#"{"password":"","token":" "}"#), r#"{"password":"","token":"[REDACTED]"}"#);
        for key in [
            "access_token",
            "refresh_token",
            "token",
            "password",
            "passwd",
            "secret",
            "client_secret",
            "api_key",
            "apikey",
            "x-api-key",
            "Authorization",
            "bearer",
            "jwt",
            "signature",
            "idToken",
            "MY_SECRET_VALUE",
            "newPassword",
            "X-Sig",
        ] {
            let out = redact(&format!(r#"{{"{key}":"s3cr3t","ok":1}}"#));
            assert_eq!(out, format!(r#"{{"{key}":"[REDACTED]","ok":1}}"#), "{key}");
        }
        let nested = r#"{"credentials":{"user":"u","password":"p"},"tokens":["a"],"token":null}"#;
        assert_eq!(
            redact(nested),
            r#"{"credentials":{"user":"u","password":"[REDACTED]"},"tokens":["a"],"token":null}"#
        );
    }

    #[test]
    fn text_keys_naming_credentials_lose_their_values() {
        let cases = [
            ("bad password=hunter2&user=bob", "bad password=[REDACTED]&user=bob"),
            ("X-Api-Key: k-123 rejected", "X-Api-Key: [REDACTED] rejected"),
            ("Authorization: Bearer eyJhbGciOi.x.y; retry", "Authorization: Bearer [REDACTED]; retry"),
            ("authorization=Basic dXNlcjpwYXNz", "authorization=Basic [REDACTED]"),
            ("sent Bearer abc.def-ghi", "sent Bearer [REDACTED]"),
            ("token='abc' and secret = \"x y\"", "token='[REDACTED]' and secret = \"[REDACTED]\""),
            (r#"{\"token\":\"abc\",\"n\":1}"#, r#"{\"token\":\"[REDACTED]\",\"n\":1}"#),
            ("/cb?access_token=abc&state=1", "/cb?access_token=[REDACTED]&state=1"),
            ("pw=CorrectHorse", "pw=[REDACTED]"),
            ("Token expired", "Token expired"),
            ("no keys: here, the token", "no keys: here, the token"),
        ];
        for (text, want) in cases {
            assert_eq!(redact(text), want, "{text}");
        }
    }

    #[test]
    fn odd_texts_do_not_panic_and_keep_non_ascii() {
        for text in ["\"", "'", "\"\"", "token", "token:", "token=\\", "\\\"", "é\"token\":\"é", "\"tokén\":\"x\""] {
            let _ = redact(text);
        }
        assert_eq!(redact("émoji 🎉 token=🎉 end"), "émoji 🎉 token=[REDACTED] end");
        assert_eq!(redact(&format!("\"{}\":\"x\"", "token".repeat(20))), format!("\"{}\":\"x\"", "token".repeat(20)));
    }
}

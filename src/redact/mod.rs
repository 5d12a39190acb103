//! What of a server's text an error may keep.
//!
//! A hostile or broken server chooses every byte of its answer, and error
//! texts end up in logs. So every server-supplied text that reaches an error
//! (messages, codes, request ids, body excerpts, decode messages quoting the
//! body) passes through [`server_text`] or [`excerpt`], which in one linear
//! pass over a bounded prefix:
//!
//! 1. looks at the first [`WINDOW_BYTES`] only, so the work is bounded
//!    whatever the body's size;
//! 2. blanks the values of credential-like keys ([`keys`]);
//! 3. blanks the client's own secrets, and a prefix of one where the text
//!    was cut ([`secrets`]);
//! 4. escapes control characters (`\n`, `\r`, `\u{1b}`, …), so a text
//!    cannot forge a log line, and keeps at most [`MAX_CHARS`] characters,
//!    the last a `…` when the text was cut.
//!
//! The result passes through again unchanged (but for secrets it did not
//! know), so a provider's decoder can make an excerpt and the transport can
//! later clean it with the client's secrets.

pub(crate) mod keys;
pub(crate) mod secrets;

pub(crate) use secrets::Secrets;

/// The most characters a server text keeps in an error, the cut mark included.
pub(crate) const MAX_CHARS: usize = 512;

/// How much of a text is looked at: room for [`MAX_CHARS`] characters of
/// up to four bytes each.
pub(crate) const WINDOW_BYTES: usize = 4 * MAX_CHARS;

/// Ends a text that was cut; a text ending with it counts as cut there.
pub(crate) const CUT: char = '…';

/// What a blanked value or secret is replaced with.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// A server's text, bounded, escaped and cleaned of credentials and of the
/// client's `secrets`.
pub(crate) fn server_text(raw: &str, secrets: &Secrets) -> String {
    let mut end = raw.len().min(WINDOW_BYTES);
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    clean(&raw[..end], end < raw.len(), secrets)
}

/// The start of a body as a [`server_text`], for bodies of any size and
/// encoding: only the first [`WINDOW_BYTES`] are decoded.
pub(crate) fn body_text(body: &[u8], secrets: &Secrets) -> String {
    let cut = body.len() > WINDOW_BYTES;
    let head = &body[..body.len().min(WINDOW_BYTES)];
    let head = if cut { without_cut_char(head) } else { head };
    clean(&String::from_utf8_lossy(head), cut, secrets)
}

/// [`body_text`] where the client's secrets are not known (a provider's
/// decoder); the transport cleans it of them later.
pub(crate) fn excerpt(body: &[u8]) -> String {
    body_text(body, &Secrets::default())
}

/// The pipeline of the module doc on an already bounded `head`.
fn clean(head: &str, cut: bool, secrets: &Secrets) -> String {
    let (head, cut) = match head.strip_suffix(CUT) {
        Some(before) => (before, true),
        None => (head, cut),
    };
    let mut text = keys::redact(head);
    secrets.scrub(&mut text, cut);
    let (mut out, capped) = escaped(&text, MAX_CHARS - 1);
    if cut || capped {
        out.push(CUT);
    }
    out
}

/// `head` without the bytes of a character the window cut in two, so the
/// text ends with what the server sent, not a replacement character.
fn without_cut_char(head: &[u8]) -> &[u8] {
    let Some(start) = head.iter().rposition(|b| b & 0xC0 != 0x80) else { return head };
    let needed = match head[start] {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    };
    if head.len() - start < needed && head.len() - start <= 3 {
        &head[..start]
    } else {
        head
    }
}

/// `text` with every character that could break or fake a log line escaped,
/// cut to at most `max` characters (an escape is never split); true when cut.
pub(crate) fn escaped(text: &str, max: usize) -> (String, bool) {
    let mut out = String::with_capacity(text.len().min(4 * max));
    let mut count = 0;
    for c in text.chars() {
        if must_escape(c) {
            let escape = c.escape_default();
            if count + escape.len() > max {
                return (out, true);
            }
            count += escape.len();
            out.extend(escape);
        } else {
            if count == max {
                return (out, true);
            }
            count += 1;
            out.push(c);
        }
    }
    (out, false)
}

/// Control characters, and the Unicode line separators and direction
/// overrides a terminal or log viewer may act on.
fn must_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn none() -> Secrets {
        Secrets::default()
    }

    #[test]
    fn control_characters_are_escaped_and_long_texts_capped() {
        assert_eq!(MAX_CHARS, 512, "the cap the public docs give");
        let out = server_text("line one\r\nINFO forged\tline\u{1b}[31m\u{2028}\u{202e}", &none());
        assert_eq!(out, r"line one\r\nINFO forged\tline\u{1b}[31m\u{2028}\u{202e}");
        let long = format!("{}\n", "é".repeat(1_000_000));
        let out = server_text(&long, &none());
        assert_eq!(out.chars().count(), MAX_CHARS);
        assert!(out.ends_with(CUT) && !out.contains('\n'), "{out}");
        let exact = "x".repeat(MAX_CHARS - 1);
        assert_eq!(server_text(&exact, &none()), exact, "short enough: kept whole, no cut mark");
        let escapes = "\n".repeat(MAX_CHARS);
        let out = server_text(&escapes, &none());
        assert!(out.chars().count() <= MAX_CHARS && out.ends_with(r"\n…"), "an escape is never split: {out}");
    }

    #[test]
    fn a_cleaned_text_passes_through_unchanged() {
        let secrets = Secrets::new([SecretString::from("CorrectHorse")]);
        for raw in [
            format!("{}\r\n{{\"password\":\"x\"}}", "a".repeat(600)),
            r#"{"token":"abc","note":"ok"} tab	here"#.to_string(),
            "é".repeat(3000),
        ] {
            let once = server_text(&raw, &none());
            assert_eq!(server_text(&once, &none()), once, "{raw}");
            let twice = server_text(&once, &secrets);
            assert_eq!(server_text(&twice, &secrets), twice, "{raw}");
        }
    }

    #[test]
    fn a_body_is_decoded_only_as_far_as_the_window() {
        let mut body = vec![b'a'; WINDOW_BYTES - 1];
        body.extend_from_slice("é and more".as_bytes());
        let out = body_text(&body, &none());
        assert!(!out.contains('\u{fffd}') && out.ends_with(CUT), "a character cut in two is dropped: {out}");
        assert_eq!(excerpt(b"\xff\xfeok"), "\u{fffd}\u{fffd}ok", "invalid bytes inside stay visible");
        assert_eq!(excerpt(b""), "");
    }

    #[test]
    fn nothing_beyond_the_window_is_read() {
        // A value the window opens is blanked to the cut, even where the body
        // would close it later: the rest of the body is never looked at.
        let body = format!(r#"{{"token":"{}","after":"seen?"}}"#, "a".repeat(10 * WINDOW_BYTES));
        assert_eq!(excerpt(body.as_bytes()), r#"{"token":"[REDACTED]…"#);
    }

    #[test]
    fn work_is_bounded_by_the_window_not_the_body() {
        // A body of credential keys: only the window's worth is ever redacted,
        // so the result is the same however long the body goes on.
        let unit = br#"{"access_token":"abcdefgh","amount":1},"#;
        let small: Vec<u8> = unit.iter().copied().cycle().take(WINDOW_BYTES + 100).collect();
        let large: Vec<u8> = unit.iter().copied().cycle().take(8 * 1024 * 1024).collect();
        assert_eq!(excerpt(&small), excerpt(&large));
        assert!(!excerpt(&large).contains("abcdefgh"));
    }

    /// Timings only, never asserted (they vary with the machine):
    /// `cargo test --lib redaction_timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn redaction_timing() {
        for size in [512 * 1024, 8 * 1024 * 1024] {
            let unit = br#"{"access_token":"abcdefgh","amount":1},"#;
            let body: Vec<u8> = unit.iter().copied().cycle().take(size).collect();
            let started = std::time::Instant::now();
            let out = excerpt(&body);
            println!("excerpt of {} KiB: {:?} ({} chars)", size / 1024, started.elapsed(), out.chars().count());
        }
    }
}

//! The client's own credentials, blanked from every error text built from a
//! server's answer: a server may echo back the token, key or password it
//! was sent, in full or cut off by a length cap (`pw=Corre…`).

use std::cmp::Reverse;
use std::fmt;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use super::REDACTED;

/// Secrets shorter than this are not looked for: they would blank ordinary words.
const MIN_SECRET_CHARS: usize = 3;

/// The shortest start of a secret blanked where a text was cut: four
/// characters already narrow a guess, fewer match too much ordinary text.
const MIN_PREFIX_CHARS: usize = 4;

/// The credentials a client holds, and the Bearer token one attempt carried.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    /// Fixed when the client is built: keys, passwords, encoded Basic pairs.
    held: Arc<[SecretString]>,
    /// The Bearer token of the attempt the answer is for (tokens change).
    token: Option<SecretString>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets([REDACTED; {}])", self.held.len() + usize::from(self.token.is_some()))
    }
}

impl Secrets {
    /// The credentials a client holds.
    pub(crate) fn new(held: impl IntoIterator<Item = SecretString>) -> Self {
        Secrets { held: held.into_iter().collect(), token: None }
    }

    /// These secrets and the Bearer `token` an attempt carried.
    pub(crate) fn with_token(&self, token: Option<SecretString>) -> Self {
        Secrets { held: self.held.clone(), token }
    }

    /// Blanks every secret in `text`, longest first (so a password that
    /// starts with the username leaves nothing behind); when the text was
    /// `cut` at its end, blanks a start of a secret left there too.
    pub(crate) fn scrub(&self, text: &mut String, cut: bool) {
        let mut secrets: Vec<&str> = self
            .held
            .iter()
            .chain(&self.token)
            .map(|s| s.expose_secret())
            .filter(|s| s.chars().count() >= MIN_SECRET_CHARS)
            .collect();
        if secrets.is_empty() {
            return;
        }
        secrets.sort_by_key(|s| Reverse(s.len()));
        for secret in &secrets {
            if text.contains(secret) {
                *text = text.replace(secret, REDACTED);
            }
        }
        if !cut {
            return;
        }
        if let Some(len) = secrets.iter().filter_map(|s| start_left_at_end(text, s)).max() {
            text.truncate(text.len() - len);
            text.push_str(REDACTED);
        }
    }
}

/// The length of the longest start of `secret` (of at least
/// [`MIN_PREFIX_CHARS`] characters) that `text` ends with.
fn start_left_at_end(text: &str, secret: &str) -> Option<usize> {
    let mut starts: Vec<usize> = secret.char_indices().map(|(i, _)| i).skip(MIN_PREFIX_CHARS).collect();
    starts.push(secret.len());
    starts.into_iter().rev().find(|&len| len <= text.len() && text.ends_with(&secret[..len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(list: &[&str]) -> Secrets {
        Secrets::new(list.iter().map(|s| SecretString::from(s.to_string())))
    }

    fn scrubbed(s: &Secrets, text: &str, cut: bool) -> String {
        let mut text = text.to_string();
        s.scrub(&mut text, cut);
        text
    }

    #[test]
    fn whole_secrets_anywhere_and_starts_at_a_cut() {
        let s = secrets(&["CorrectHorse", "ops"]);
        assert_eq!(scrubbed(&s, "pw=CorrectHorse user=ops", false), "pw=[REDACTED] user=[REDACTED]");
        assert_eq!(scrubbed(&s, "pw=Corre", true), "pw=[REDACTED]");
        assert_eq!(scrubbed(&s, "pw=Corre", false), "pw=Corre", "not cut: an ordinary word");
        assert_eq!(scrubbed(&s, "pw=Cor", true), "pw=Cor", "three characters say too little");
        assert_eq!(scrubbed(&s, "a CorrectHorseCorrect", true), "a [REDACTED][REDACTED]");
    }

    #[test]
    fn longer_secrets_go_first_and_tokens_count() {
        let s = secrets(&["admin", "admin-password-1"]).with_token(Some(SecretString::from("tok-12345")));
        assert_eq!(scrubbed(&s, "admin-password-1 / tok-12345", false), "[REDACTED] / [REDACTED]");
        assert_eq!(scrubbed(&s, "short tok-1", true), "short [REDACTED]");
        assert_eq!(scrubbed(&secrets(&["ab"]), "ab cd", true), "ab cd", "too short to look for");
        assert_eq!(scrubbed(&Secrets::default(), "anything", true), "anything");
        assert_eq!(format!("{s:?}"), "Secrets([REDACTED; 3])");
    }

    #[test]
    fn non_ascii_secrets_are_cut_on_characters() {
        let s = secrets(&["pässwörd-€uro"]);
        assert_eq!(scrubbed(&s, "x pässw", true), "x [REDACTED]");
        assert_eq!(scrubbed(&s, "x päs", true), "x päs");
    }
}

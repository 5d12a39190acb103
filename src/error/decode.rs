//! A response that could not be decoded.

use std::fmt;

use super::Provider;

/// A response that could not be decoded into the expected type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// Which API answered.
    pub provider: Provider,
    /// HTTP status of the response.
    pub status: u16,
    /// The JSON path that failed (`data.items[3].amount`), when known.
    pub json_path: Option<String>,
    /// What went wrong (serde's words, which quote the body).
    pub message: String,
    /// The first bytes of the body, made printable: at most 512 characters,
    /// control characters escaped, credentials replaced by `[REDACTED]`.
    pub excerpt: String,
}

/// One sentence; what failed, the JSON path and the excerpt are fields
/// (each may quote the server's words, and so a reference).
impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} answered status {} with a body walletkit cannot read; nothing changed: report it with the error's \
             message and excerpt.",
            self.provider, self.status
        )
    }
}

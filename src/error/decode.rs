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
    /// What went wrong.
    pub message: String,
    /// The first bytes of the body, made printable: at most 512 characters,
    /// control characters escaped, credentials replaced by `[REDACTED]`.
    pub excerpt: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} response (status {}) could not be decoded", self.provider, self.status)?;
        if let Some(path) = &self.json_path {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}; body starts {:?}", self.message, self.excerpt)
    }
}

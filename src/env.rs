//! Reading client settings from the environment, explicitly and loudly.

use crate::error::{Error, Result};

/// A required variable; the error names it.
pub(crate) fn required(name: &str) -> Result<String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v),
        Ok(_) => Err(Error::Config(format!("environment variable {name} is empty"))),
        Err(_) => Err(Error::Config(format!("environment variable {name} is not set"))),
    }
}

/// An optional variable; empty counts as unset.
pub(crate) fn optional(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

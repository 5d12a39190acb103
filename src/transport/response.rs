//! A successful response, read in full under the size cap.

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{excerpt, DecodeError, Error, Provider, Result};

/// A 2xx response: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) provider: Provider,
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Decodes the body as JSON into `T`, naming the JSON path that failed.
    ///
    /// # Errors
    /// [`Error::Decode`] with the status, path and a body excerpt.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(self.provider, self.status, &self.body)
    }

    /// A header's value as text, when present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Decodes `body` into `T`, mapping failures into [`Error::Decode`].
pub(crate) fn decode_json<T: DeserializeOwned>(provider: Provider, status: u16, body: &[u8]) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if body.iter().all(u8::is_ascii_whitespace) {
            "empty body where JSON was expected".to_string()
        } else {
            inner.to_string()
        };
        Error::Decode(Box::new(DecodeError {
            provider,
            status,
            json_path: (path != ".").then_some(path),
            message,
            excerpt: excerpt(body),
        }))
    })
}

//! A successful response, read in full under the size cap.

use std::fmt;
use std::marker::PhantomData;

use reqwest::header::HeaderMap;
use serde::de::{DeserializeOwned, DeserializeSeed, SeqAccess, Visitor};
use serde::Deserializer;

use crate::error::{AcceptedUnreadable, ApiError, DecodeError, Error, Provider, Result, Sent};
use crate::redact::{body_text, server_text, Secrets};

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
    /// Set when the request may have had side effects: what a caller needs
    /// to reconcile if this answer cannot be read.
    pub(crate) accepted: Option<Box<Sent>>,
    /// The client's credentials and the attempt's token, blanked from any
    /// error built from this answer.
    pub(crate) secrets: Secrets,
}

impl RawResponse {
    /// Decodes the body as JSON into `T`, naming the JSON path that failed.
    ///
    /// # Errors
    /// [`Error::Decode`] with the status, path and a body excerpt; on a
    /// request with side effects, [`Error::AcceptedUnreadable`] instead, with
    /// the references to reconcile by.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        // Plain serde first: tracking the path costs allocations on every
        // key, so it is paid only to explain a failure. A UTF-8 body is
        // checked once here instead of string by string by serde_json.
        let first = match std::str::from_utf8(&self.body) {
            Ok(text) => serde_json::from_str(text),
            Err(_) => serde_json::from_slice(&self.body),
        };
        if let Ok(value) = first {
            return Ok(value);
        }
        let de = &mut serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = if self.body.iter().all(u8::is_ascii_whitespace) {
                "empty body where JSON was expected".to_string()
            } else {
                inner.to_string()
            };
            self.unreadable((path != ".").then_some(path.as_str()), message)
        })?;
        // What the first pass refused may be a readable value followed by more.
        de.end().map_err(|e| self.unreadable(None, e.to_string()))?;
        Ok(value)
    }

    /// Decodes a top-level JSON array into a `Vec` allocated once for
    /// `expected` items (the page size asked for, capped at 1,024), instead
    /// of grown and copied item by item. Errors as [`RawResponse::json`].
    pub(crate) fn json_list<T: DeserializeOwned>(&self, expected: usize) -> Result<Vec<T>> {
        let seed = ListSeed::<T>::new(expected.min(1024));
        // A UTF-8 body is checked once here instead of string by string.
        let read = match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let de = &mut serde_json::Deserializer::from_str(text);
                seed.deserialize(&mut *de).and_then(|items| de.end().map(|()| items))
            }
            Err(_) => {
                let de = &mut serde_json::Deserializer::from_slice(&self.body);
                seed.deserialize(&mut *de).and_then(|items| de.end().map(|()| items))
            }
        };
        match read {
            Ok(items) => Ok(items),
            // The general path explains the failure, with its JSON path.
            Err(_) => self.json(),
        }
    }

    /// The error a 2xx body reports (a `"status": "error"` envelope), its
    /// texts cleaned like those of every error answer.
    pub(crate) fn reported(&self, mut api: ApiError) -> Error {
        api.request_id = api.request_id.or_else(|| super::meta::header_request_id(&self.headers));
        Error::from(api.cleaned(&self.secrets))
    }

    /// The error for an answer that could not be read: [`Error::AcceptedUnreadable`]
    /// when the request may have had side effects, [`Error::Decode`] otherwise.
    /// The path, message and excerpt are the server's text (serde quotes
    /// the body's values and keys), so each is cleaned.
    pub(crate) fn unreadable(&self, json_path: Option<&str>, message: String) -> Error {
        let json_path = json_path.map(|path| server_text(path, &self.secrets));
        let message = server_text(&message, &self.secrets);
        let excerpt = body_text(&self.body, &self.secrets);
        match &self.accepted {
            Some(sent) => {
                // The one warning of this call; the key stays in the error's fields.
                tracing::warn!(
                    provider = %self.provider,
                    method = %sent.method,
                    route = %sent.route,
                    status = self.status,
                    reference = %sent.reference.as_ref().map(|(field, value)| format!("{field}={value}")).unwrap_or_default(),
                    "accepted but unreadable answer; reconcile, do not send again"
                );
                Error::AcceptedUnreadable(Box::new(AcceptedUnreadable {
                    provider: self.provider,
                    sent: sent.as_ref().clone(),
                    status: self.status,
                    json_path,
                    message,
                    excerpt,
                }))
            }
            None => Error::Decode(Box::new(DecodeError {
                provider: self.provider,
                status: self.status,
                json_path,
                message,
                excerpt,
            })),
        }
    }

    /// A header's value as text, when present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Reads a JSON array into a `Vec` with room for the expected items.
struct ListSeed<T> {
    capacity: usize,
    item: PhantomData<T>,
}

impl<T> ListSeed<T> {
    fn new(capacity: usize) -> Self {
        ListSeed { capacity, item: PhantomData }
    }
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for ListSeed<T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for ListSeed<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(self.capacity);
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> RawResponse {
        RawResponse {
            provider: Provider::Wallets,
            status: 200,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
            accepted: None,
            secrets: Secrets::default(),
        }
    }

    #[test]
    fn a_list_reads_like_json_and_fails_like_it() {
        let list: Vec<u32> = response("[1, 2, 3]").json_list(2).unwrap();
        assert_eq!(list, [1, 2, 3]);
        assert!(response("[]").json_list::<u32>(100).unwrap().is_empty());
        for bad in [r#"[1, "x"]"#, "[1] trailing", r#"{"a":1}"#, ""] {
            let listed = response(bad).json_list::<u32>(10).unwrap_err().to_string();
            let plain = response(bad).json::<Vec<u32>>().unwrap_err().to_string();
            assert_eq!(listed, plain, "{bad}");
        }
        let Err(Error::Decode(e)) = response(r#"[1, "x"]"#).json_list::<u32>(10) else { panic!("a decode error") };
        assert_eq!(e.json_path.as_deref(), Some("[1]"));
    }
}

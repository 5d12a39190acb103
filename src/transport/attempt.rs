//! One attempt: build the request, send it, read the whole answer under the
//! size cap and the attempt timeout, and say what it came to as one
//! [`Attempted`].

use std::time::SystemTime;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, LOCATION, RETRY_AFTER, USER_AGENT};
use reqwest::Url;
use secrecy::SecretString;

use super::decide::Attempt;
use super::request::Request;
use super::{retry, Transport};
use crate::error::{ApiError, BoxError, Error, ErrorKind, Provider, Result};
use crate::redact::{server_text, Secrets};

/// What one attempt came to.
pub(super) enum Attempted {
    /// A 2xx, its body read in full.
    Success { status: u16, headers: HeaderMap, body: Vec<u8> },
    /// The body passed the size cap: the call ends, nothing is retried.
    TooLarge { status: u16, limit: usize },
    /// Anything else: the decision table says whether to try again.
    Failed(Failure),
}

/// An attempt that failed, with what the call's error needs if it is the last.
pub(super) enum Failure {
    /// An error answer, read by the provider's decoder and cleaned.
    Answer { api: Box<ApiError>, headers: HeaderMap },
    /// The connection was never established: nothing was sent.
    Connect(reqwest::Error),
    /// The request went out and no full answer came back; `timed_out` when
    /// a timeout (the attempt's, the read-idle one, the client's) ended it.
    NoAnswer { message: String, source: Option<reqwest::Error>, timed_out: bool },
    /// The caller's client followed a redirect to `to` (its URL without the query).
    Redirected { api: Box<ApiError>, to: String },
}

impl Attempted {
    /// The status of an answer from the URL asked, for the caller's hook.
    pub(super) fn status(&self) -> Option<u16> {
        match self {
            Attempted::Success { status, .. } | Attempted::TooLarge { status, .. } => Some(*status),
            Attempted::Failed(Failure::Answer { api, .. }) => Some(api.status),
            Attempted::Failed(_) => None,
        }
    }

    /// What the attempt came to beyond its status, in a few words for its
    /// `debug` line; `None` for a plain answer.
    pub(super) fn failure(&self) -> Option<&'static str> {
        match self {
            Attempted::Success { .. } | Attempted::Failed(Failure::Answer { .. }) => None,
            Attempted::TooLarge { .. } => Some("body over the size cap"),
            Attempted::Failed(Failure::Connect(_)) => Some("could not connect"),
            Attempted::Failed(Failure::NoAnswer { .. }) => Some("no answer"),
            Attempted::Failed(Failure::Redirected { .. }) => Some("answered from another URL"),
        }
    }

    /// Tells the trace, at `trace` level and inside the call's span, the
    /// detail of attempt number `attempt` to `url`: the full URL (cleaned of
    /// the client's secrets), the response's header names, and the error.
    pub(super) fn detail(&self, attempt: u32, url: &Url, secrets: &Secrets) {
        if !tracing::enabled!(tracing::Level::TRACE) {
            return;
        }
        let url = server_text(url.as_str(), secrets);
        let names = |headers: &HeaderMap| headers.keys().map(HeaderName::as_str).collect::<Vec<_>>().join(",");
        match self {
            Attempted::Success { headers, body, .. } => {
                tracing::trace!(attempt, %url, headers = %names(headers), body_bytes = body.len(), "answer");
            }
            Attempted::TooLarge { limit, .. } => tracing::trace!(attempt, %url, limit, "answer over the size cap"),
            Attempted::Failed(Failure::Answer { api, headers }) => {
                let (code, message) = (api.code.as_deref().unwrap_or_default(), api.message.as_str());
                tracing::trace!(attempt, %url, headers = %names(headers), code, server_message = message, "error answer");
            }
            Attempted::Failed(Failure::Connect(e)) => {
                tracing::trace!(attempt, %url, error = %error_chain(e), "could not connect");
            }
            Attempted::Failed(Failure::NoAnswer { message, .. }) => {
                tracing::trace!(attempt, %url, %message, "no answer")
            }
            Attempted::Failed(Failure::Redirected { to, .. }) => {
                tracing::trace!(attempt, %url, %to, "answer came from another URL");
            }
        }
    }
}

impl Failure {
    /// An answer one of walletkit's own timers gave up on.
    fn timeout(message: String) -> Self {
        Failure::NoAnswer { message, source: None, timed_out: true }
    }

    /// A lost answer; reqwest's error loses the URL (which may carry a
    /// query) before anything keeps it.
    fn no_answer(e: reqwest::Error) -> Self {
        let e = e.without_url();
        Failure::NoAnswer { message: error_chain(&e), timed_out: e.is_timeout(), source: Some(e) }
    }

    /// What the decision table needs to know of it.
    pub(super) fn decided(&self) -> Attempt {
        match self {
            Failure::Answer { api, .. } => Attempt::Status { status: api.status, retry_after: api.retry_after },
            Failure::Connect(_) => Attempt::ConnectFailed,
            Failure::NoAnswer { .. } => Attempt::NoAnswer,
            Failure::Redirected { .. } => Attempt::Redirected,
        }
    }

    /// Why a call that may have acted ended without a known outcome, in
    /// full: the status with the provider's code and message, or what the
    /// transport met (never the URL).
    pub(super) fn cause(&self) -> String {
        match self {
            Failure::Answer { api, .. } | Failure::Redirected { api, .. } => match &api.code {
                Some(code) => format!("status {} ({code}: {})", api.status, api.message),
                None if api.message.is_empty() => format!("status {}", api.status),
                None => format!("status {} ({})", api.status, api.message),
            },
            Failure::Connect(e) => error_chain(e),
            // The innermost cause says it: `connection closed before message completed`.
            Failure::NoAnswer { message, .. } => format!("no answer: {}", crate::error::last_cause(message)),
        }
    }

    /// The error a call to `provider` ends with when this was its last attempt.
    pub(super) fn into_error(self, provider: Provider) -> Error {
        match self {
            Failure::Answer { api, .. } | Failure::Redirected { api, .. } => Error::Api(api),
            Failure::Connect(e) => Error::Connect { provider, message: error_chain(&e), source: Some(Box::new(e)) },
            Failure::NoAnswer { message, source, .. } => {
                Error::Network { provider, message, source: source.map(|e| Box::new(e) as BoxError) }
            }
        }
    }
}

impl Transport {
    pub(super) fn url_for(&self, req: &Request) -> Url {
        let mut url = self.inner.base.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), req.path);
        url.set_path(&path);
        url.set_query(None);
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter());
        }
        url
    }

    pub(super) fn build_attempt(&self, req: &Request, url: &Url) -> Result<reqwest::Request> {
        let mut http_req = reqwest::Request::new(req.method.clone(), url.clone());
        let headers = http_req.headers_mut();
        headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        // First, so the request's own headers, its key and its credentials win.
        self.call.headers().apply(headers);
        for (name, value) in &req.headers {
            headers.insert(header_name(name)?, header_value(value)?);
        }
        if let Some((name, key)) = &req.idempotency_key {
            headers.insert(header_name(name)?, header_value(key)?);
        }
        if let Some(body) = &req.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            // `Bytes`: every attempt sends the same buffer, shared, not copied.
            *http_req.body_mut() = Some(body.clone().into());
        }
        Ok(http_req)
    }

    /// Refuses a caller's per-call header that this request, its
    /// idempotency key or the client's auth sets ([`super::call_headers`]).
    pub(super) fn check_call_headers(&self, req: &Request) -> Result<()> {
        let extra = self.call.headers();
        if extra.is_empty() {
            return Ok(());
        }
        let own = req.headers.iter().chain(&req.idempotency_key).map(|(name, _)| name);
        let own: Vec<HeaderName> = own.filter_map(|name| HeaderName::try_from(name.as_str()).ok()).collect();
        extra.check(|name| own.contains(name) || self.inner.auth.sets_header(name))
    }

    /// One attempt: send, then read the whole body under the cap and
    /// timeout; an error answer is read with the `token` it carried.
    pub(super) async fn attempt(&self, req: reqwest::Request, url: &Url, token: Option<&SecretString>) -> Attempted {
        let inner = &*self.inner;
        let exchange = async {
            let mut resp = inner.http.execute(req).await.map_err(|e| {
                if e.is_connect() || super::unsent::never_written(&e) {
                    Failure::Connect(e.without_url())
                } else {
                    Failure::no_answer(e)
                }
            })?;
            let status = resp.status().as_u16();
            if resp.url() != url {
                let to = resp.url();
                let to = format!("{}://{}{}", to.scheme(), to.host_str().unwrap_or_default(), to.path());
                let to = server_text(&to, &inner.secrets);
                let mut api = ApiError::new(inner.provider, status, ErrorKind::Redirect, "");
                api.message = format!(
                    "the HTTP client followed a redirect to {to}; walletkit never follows redirects \
                     (credentials would be forwarded): build your client with redirect::Policy::none()"
                );
                return Err(Failure::Redirected { api: Box::new(api), to });
            }
            let limit = inner.options.max_body_bytes;
            let announced = resp.content_length().unwrap_or(0);
            if announced > limit as u64 {
                return Ok(Attempted::TooLarge { status, limit });
            }
            let headers = std::mem::take(resp.headers_mut());
            // Sized once from Content-Length (already capped), not grown chunk by chunk.
            let mut body = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
            while let Some(chunk) = next_chunk(&mut resp, inner.options.read_idle_timeout).await? {
                if body.len() + chunk.len() > limit {
                    return Ok(Attempted::TooLarge { status, limit });
                }
                body.extend_from_slice(&chunk);
            }
            if (200..300).contains(&status) {
                return Ok(Attempted::Success { status, headers, body });
            }
            let api = self.api_error(status, &headers, &body, token);
            Err(Failure::Answer { api: Box::new(api), headers })
        };
        let result = match self.call.attempt_timeout_or(inner.options.attempt_timeout) {
            Some(t) => tokio::time::timeout(t, exchange)
                .await
                .unwrap_or_else(|_| Err(Failure::timeout(format!("timed out after {t:?}")))),
            None => exchange.await,
        };
        result.unwrap_or_else(Attempted::Failed)
    }

    /// The provider's reading of an error answer, its texts cleaned of
    /// credentials, of the client's secrets and of the `token` the attempt
    /// carried, whatever the provider.
    fn api_error(&self, status: u16, headers: &HeaderMap, body: &[u8], token: Option<&SecretString>) -> ApiError {
        let secrets = self.inner.secrets.with_token(token.cloned());
        let mut api = (self.inner.decode_error)(self.inner.provider, status, headers, body);
        // Any provider's `X-Request-Id`, where its decoder found no id of its own.
        api.request_id = api.request_id.or_else(|| super::meta::header_request_id(headers));
        let mut api = api.cleaned(&secrets);
        if api.retry_after.is_none() {
            api.retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
        }
        if (300..400).contains(&status) {
            let to = headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(|to| server_text(to, &secrets));
            let to = to.as_deref().unwrap_or("?");
            api.kind = ErrorKind::Redirect;
            api.message = format!("redirect to {to} refused (credentials are never forwarded)");
        }
        api
    }
}

/// The next piece of the body, or a [`Failure::NoAnswer`] when none comes
/// within `idle` (a stalled stream: the server may have acted, so it is
/// decided like any lost answer). Here, not in the HTTP client, so it holds
/// for a caller's client too.
async fn next_chunk(
    resp: &mut reqwest::Response,
    idle: Option<std::time::Duration>,
) -> std::result::Result<Option<bytes::Bytes>, Failure> {
    let Some(idle) = idle else {
        return resp.chunk().await.map_err(Failure::no_answer);
    };
    match tokio::time::timeout(idle, resp.chunk()).await {
        Ok(chunk) => chunk.map_err(Failure::no_answer),
        Err(_) => Err(Failure::timeout(format!("no byte of the answer's body for {idle:?} (read-idle timeout)"))),
    }
}

fn header_name(name: &str) -> Result<HeaderName> {
    HeaderName::try_from(name).map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))
}

pub(super) fn header_value(value: &str) -> Result<HeaderValue> {
    // The value is not echoed: it may be a credential.
    HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest("a header value has invalid characters".into()))
}

/// The error and its sources on one line (reqwest's top-level message alone
/// says little).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

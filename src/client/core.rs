//! The one client core every provider's client is.

use std::fmt;

use super::{Api, ClientBuilder};
use crate::error::Result;
use crate::transport::Transport;
use crate::{CallOptions, RawResponse, Request};

/// A client of one provider's API (`XClient` is `Client<XApi>`):
/// its transport, plus the provider's state. The provider's module adds the
/// resource accessors.
///
/// Cheap to clone; clones share the connection pool, rate limiter, retry
/// budget and credentials.
pub struct Client<A: Api> {
    pub(crate) transport: Transport,
    pub(crate) state: A::State,
}

// By hand: a derive would demand `A: Clone`.
impl<A: Api> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client { transport: self.transport.clone(), state: self.state.clone() }
    }
}

/// The transport's settings and the provider's state, never a credential.
impl<A: Api> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Client");
        out.field("transport", &self.transport);
        if std::mem::size_of::<A::State>() > 0 {
            out.field("state", &self.state);
        }
        out.finish()
    }
}

impl<A: Api> Client<A> {
    /// A builder; set the credentials (and the base URL where the provider
    /// documents no public host), then `build()`.
    pub fn builder() -> ClientBuilder<A> {
        ClientBuilder::new()
    }

    /// A client from the provider's environment variables ([`Api::ENV`]):
    /// its credentials, each required, and its base URL, required only
    /// where the provider documents no public host.
    ///
    /// # Errors
    /// [`crate::Error::Config`] naming the missing variable, or an invalid base URL.
    pub fn from_env() -> Result<Self> {
        Self::builder().with_env_vars()?.build()
    }

    /// A handle on the same pool, limiter and credentials whose calls use
    /// `options`' deadline, retry policy, attempt timeout and extra headers:
    /// `client.with_call_options(CallOptions::new().deadline(Some(d)))`.
    pub fn with_call_options(&self, options: CallOptions) -> Self {
        Client { transport: self.transport.with_call_options(options), state: self.state.clone() }
    }

    /// Sends any request with this client's auth, headers, rate limits,
    /// retries and errors; for endpoints walletkit does not know yet.
    ///
    /// # Errors
    /// Any [`crate::Error`] the transport maps.
    pub async fn send_raw(&self, req: Request) -> Result<RawResponse> {
        self.transport.send(A::prepare(&self.state, req)).await
    }
}

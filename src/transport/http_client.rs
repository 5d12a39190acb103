//! The HTTP client a transport sends with: the caller's, or walletkit's own
//! (no redirects, no proxy to loopback), and the checks on the base URL.

use std::net::IpAddr;

use reqwest::header::HeaderValue;
use reqwest::Url;

use super::options::TransportOptions;
use crate::error::{Error, Result};

/// Refuses plain HTTP to anything but loopback, and HTTPS without a TLS
/// feature unless the caller brings a client.
pub(super) fn check_base(base: &Url, options: &TransportOptions) -> Result<()> {
    check_scheme(base)?;
    if base.scheme() == "https"
        && options.http_client.is_none()
        && !cfg!(any(feature = "rustls", feature = "native-tls"))
    {
        return Err(Error::Config(
            "the base URL is HTTPS but walletkit was built without TLS: enable its `rustls` or `native-tls` \
             feature, or pass your own client with `.http_client(..)`"
                .into(),
        ));
    }
    Ok(())
}

/// The caller's client, or walletkit's own for `base`.
pub(super) fn http_client(options: &TransportOptions, base: &Url) -> Result<reqwest::Client> {
    match &options.http_client {
        Some(client) => Ok(client.clone()),
        None => default_http_client(options, base),
    }
}

/// `walletkit/<version>` plus the caller's suffix.
pub(super) fn user_agent(options: &TransportOptions) -> Result<HeaderValue> {
    let mut agent = concat!("walletkit/", env!("CARGO_PKG_VERSION")).to_string();
    if let Some(suffix) = &options.user_agent_suffix {
        agent.push(' ');
        agent.push_str(suffix);
    }
    HeaderValue::from_str(&agent).map_err(|_| Error::Config("the user agent suffix is not a valid header value".into()))
}

/// walletkit's own client: no redirects, the connect and pool idle
/// timeouts, the chosen TLS.
/// A loopback base never goes through a proxy (`HTTP_PROXY` and the like):
/// plain HTTP is allowed there only because it never leaves the machine,
/// and a proxy would carry it, `Authorization` included, in cleartext.
fn default_http_client(options: &TransportOptions, base: &Url) -> Result<reqwest::Client> {
    let mut http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if is_loopback(base) {
        http = http.no_proxy();
    }
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    {
        http = http.tls_backend_native();
    }
    if let Some(t) = options.connect_timeout {
        http = http.connect_timeout(t);
    }
    // reqwest's 90 s outlives load balancers' idle timeouts; see
    // `DEFAULT_POOL_IDLE_TIMEOUT`.
    http = http.pool_idle_timeout(options.pool_idle_timeout);
    http.build().map_err(|e| Error::Config(format!("the HTTP client could not be built ({e})")))
}

/// HTTPS, or plain HTTP to a loopback host only.
fn check_scheme(url: &Url) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(Error::Config(format!(
            "plain HTTP is refused for the non-loopback host {}; use an HTTPS base URL",
            url.host_str().unwrap_or_default()
        ))),
        other => Err(Error::Config(format!("the base URL's scheme {other} is not supported; use HTTPS"))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in ["https://api.example.com", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"] {
            assert!(check_scheme(&Url::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        for bad in ["http://api.example.com", "http://10.0.0.1", "ftp://localhost"] {
            assert!(matches!(check_scheme(&Url::parse(bad).unwrap()), Err(Error::Config(_))), "{bad}");
        }
    }
}

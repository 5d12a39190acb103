//! Metrics of every call (feature `metrics`), through the `metrics` facade.
//!
//! Why the facade and not OpenTelemetry: a library should record, not
//! choose where records go. The facade is one small crate that does nothing
//! until the application installs a recorder, so it costs nothing to users
//! who do not; the application picks the exporter (Prometheus,
//! OpenTelemetry through `metrics-exporter-opentelemetry`, StatsD, …).
//! OpenTelemetry's SDK would bring its own runtime pieces and versions into
//! every user's build.
//!
//! Names and attributes follow OpenTelemetry's HTTP client conventions
//! where they exist; the rest are `walletkit.client.*`. Labels are the
//! provider, the method, the route template (`/transfers/{id}`), the host,
//! the status and an error type: never an id, a query or a credential.
//! Without the feature, every call here is an empty inline function.

#[cfg(not(feature = "metrics"))]
use std::time::Duration;

#[cfg(not(feature = "metrics"))]
use reqwest::Url;

use super::attempt::Attempted;
use super::request::Request;
use crate::error::Provider;

#[cfg(feature = "metrics")]
/// Duration of each HTTP attempt, in seconds (OpenTelemetry's
/// `http.client.request.duration`: a retry is a request of its own).
pub const REQUEST_DURATION: &str = "http.client.request.duration";
#[cfg(feature = "metrics")]
/// Attempts per call (a histogram; 1 without retries), labelled by outcome.
pub const ATTEMPTS: &str = "walletkit.client.attempts";
#[cfg(feature = "metrics")]
/// Answers with status 429 (the provider's rate limit).
pub const RATE_LIMITED: &str = "walletkit.client.rate_limited";
#[cfg(feature = "metrics")]
/// Retries: attempts after the first, labelled by what the previous one met.
pub const RETRIES: &str = "walletkit.client.retries";
#[cfg(feature = "metrics")]
/// Calls that ended with [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).
pub const OUTCOME_UNKNOWN: &str = "walletkit.client.outcome_unknown";
#[cfg(feature = "metrics")]
/// Time spent waiting for the client-side rate limiter, in seconds.
pub const RATE_LIMITER_WAIT: &str = "walletkit.client.rate_limiter.wait.duration";
#[cfg(feature = "metrics")]
/// Logins the client made for a token (WaaS), labelled by outcome.
pub const LOGINS: &str = "walletkit.client.logins";

#[cfg(feature = "metrics")]
/// The label names, as OpenTelemetry spells them where it has one.
mod label {
    pub const PROVIDER: &str = "walletkit.provider";
    pub const METHOD: &str = "http.request.method";
    pub const STATUS: &str = "http.response.status_code";
    pub const ERROR: &str = "error.type";
    pub const ROUTE: &str = "url.template";
    pub const SERVER: &str = "server.address";
    pub const OUTCOME: &str = "walletkit.outcome";
    pub const RATE_CLASS: &str = "walletkit.rate_class";
}

#[cfg(feature = "metrics")]
/// A route template for a label: the request's template, or for a path
/// given without one (a raw request), the path with every segment that may
/// be an id (anything but letters, `-`, `_`, `.` and `v1`-like versions)
/// replaced by `{id}`. Never the query.
pub(crate) fn route_label(req: &Request) -> std::borrow::Cow<'static, str> {
    if let Some(route) = req.route {
        return route.into();
    }
    let path = req.path.split(['?', '#']).next().unwrap_or_default();
    let word = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic() || b"-_.".contains(&b));
    let version = |s: &str| s.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| if s.is_empty() || word(s) && s.len() <= 40 || version(s) { s } else { "{id}" })
        .collect();
    segments.join("/").into()
}

#[cfg(feature = "metrics")]
/// Registers the unit and description of every walletkit metric with the
/// installed recorder; call it once after installing yours (optional: the
/// metrics are recorded either way).
pub fn describe() {
    on::describe();
}

#[cfg(feature = "metrics")]
mod on {
    use std::borrow::Cow;
    use std::time::Duration;

    use ::metrics::{counter, describe_counter, describe_histogram, histogram, Label, Unit};
    use reqwest::Url;

    use super::{label, route_label, Attempted, Provider, Request};
    use crate::transport::attempt::Failure;

    pub(super) fn describe() {
        describe_histogram!(super::REQUEST_DURATION, Unit::Seconds, "Duration of each HTTP attempt.");
        describe_histogram!(super::ATTEMPTS, Unit::Count, "Attempts per call.");
        describe_counter!(super::RATE_LIMITED, Unit::Count, "Answers with status 429.");
        describe_counter!(super::RETRIES, Unit::Count, "Retries after a failed attempt.");
        describe_counter!(super::OUTCOME_UNKNOWN, Unit::Count, "Calls whose outcome is unknown.");
        describe_histogram!(super::RATE_LIMITER_WAIT, Unit::Seconds, "Waits for the client-side rate limiter.");
        describe_counter!(super::LOGINS, Unit::Count, "Logins for a token.");
    }

    /// The labels one call's metrics share.
    pub(in crate::transport) struct Observer {
        provider: &'static str,
        method: Cow<'static, str>,
        route: Cow<'static, str>,
        server: String,
        login: bool,
    }

    impl Observer {
        pub(in crate::transport) fn new(provider: Provider, req: &Request, base: &Url) -> Self {
            let method = match req.method.as_str() {
                "GET" => Cow::Borrowed("GET"),
                "POST" => Cow::Borrowed("POST"),
                "PUT" => Cow::Borrowed("PUT"),
                "DELETE" => Cow::Borrowed("DELETE"),
                "PATCH" => Cow::Borrowed("PATCH"),
                other => Cow::Owned(other.to_string()),
            };
            Observer {
                provider: provider_name(provider),
                method,
                route: route_label(req),
                server: base.host_str().unwrap_or_default().to_string(),
                login: req.without_auth,
            }
        }

        fn call_labels(&self) -> Vec<Label> {
            vec![
                Label::new(label::PROVIDER, self.provider),
                Label::new(label::METHOD, self.method.clone()),
                Label::new(label::ROUTE, self.route.clone()),
            ]
        }

        /// One attempt ended: its duration, and a 429.
        pub(in crate::transport) fn attempt(&self, attempted: &Attempted, latency: Duration) {
            let mut labels = self.call_labels();
            labels.push(Label::new(label::SERVER, self.server.clone()));
            let status = attempted.status();
            if let Some(status) = status {
                labels.push(Label::new(label::STATUS, status.to_string()));
            }
            if let Some(error) = error_type(attempted) {
                labels.push(Label::new(label::ERROR, error));
            }
            histogram!(super::REQUEST_DURATION, labels).record(latency.as_secs_f64());
            if status == Some(429) {
                counter!(super::RATE_LIMITED, self.call_labels()).increment(1);
            }
        }

        /// Another attempt follows the one that met `failure`.
        pub(in crate::transport) fn retry(&self, failure: &Failure) {
            let mut labels = self.call_labels();
            labels.push(Label::new(label::ERROR, failure_type(failure)));
            counter!(super::RETRIES, labels).increment(1);
        }

        /// The call ended after `attempts` attempts with `outcome`.
        pub(in crate::transport) fn end(&self, attempts: u32, outcome: &'static str) {
            let mut labels = self.call_labels();
            labels.push(Label::new(label::OUTCOME, outcome));
            histogram!(super::ATTEMPTS, labels).record(f64::from(attempts));
            if outcome == "outcome_unknown" {
                counter!(super::OUTCOME_UNKNOWN, self.call_labels()).increment(1);
            }
            if self.login {
                let outcome = if outcome == "success" { "success" } else { "error" };
                let labels = [Label::new(label::PROVIDER, self.provider), Label::new(label::OUTCOME, outcome)];
                counter!(super::LOGINS, labels.to_vec()).increment(1);
            }
        }
    }

    /// A wait of `waited` for the client-side limit of `class`.
    pub(in crate::transport) fn limiter_wait(provider: Provider, class: &'static str, waited: Duration) {
        let labels = vec![Label::new(label::PROVIDER, provider_name(provider)), Label::new(label::RATE_CLASS, class)];
        histogram!(super::RATE_LIMITER_WAIT, labels).record(waited.as_secs_f64());
    }

    fn provider_name(provider: Provider) -> &'static str {
        match provider {
            Provider::Milta => "milta",
            Provider::MilaCoins => "milacoins",
            Provider::Wallets => "wallets",
            Provider::Waas => "waas",
        }
    }

    /// OpenTelemetry's `error.type`: the status of an error answer, else
    /// what the transport met; `None` for a success.
    fn error_type(attempted: &Attempted) -> Option<Cow<'static, str>> {
        match attempted {
            Attempted::Success { .. } => None,
            Attempted::TooLarge { .. } => Some(Cow::Borrowed("body_too_large")),
            Attempted::Failed(failure) => Some(failure_type(failure)),
        }
    }

    fn failure_type(failure: &Failure) -> Cow<'static, str> {
        match failure {
            Failure::Answer { api, .. } => Cow::Owned(api.status.to_string()),
            Failure::Connect(_) => Cow::Borrowed("connect_error"),
            Failure::NoAnswer { timed_out: true, .. } => Cow::Borrowed("timeout"),
            Failure::NoAnswer { .. } => Cow::Borrowed("no_answer"),
            Failure::Redirected { .. } => Cow::Borrowed("redirected"),
            // A kind of failure added later, until it is named here.
            #[allow(unreachable_patterns)]
            _ => Cow::Borrowed("_OTHER"),
        }
    }
}

#[cfg(not(feature = "metrics"))]
mod off {
    use super::{Attempted, Duration, Provider, Request, Url};
    use crate::transport::attempt::Failure;

    /// Without the feature: nothing recorded, nothing kept.
    pub(in crate::transport) struct Observer;

    impl Observer {
        #[inline]
        pub(in crate::transport) fn new(_: Provider, _: &Request, _: &Url) -> Self {
            Observer
        }
        #[inline]
        pub(in crate::transport) fn attempt(&self, _: &Attempted, _: Duration) {}
        #[inline]
        pub(in crate::transport) fn retry(&self, _: &Failure) {}
        #[inline]
        pub(in crate::transport) fn end(&self, _: u32, _: &'static str) {}
    }

    #[inline]
    pub(in crate::transport) fn limiter_wait(_: Provider, _: &'static str, _: Duration) {}
}

#[cfg(not(feature = "metrics"))]
pub(super) use off::{limiter_wait, Observer};
#[cfg(feature = "metrics")]
pub(super) use on::{limiter_wait, Observer};

#[cfg(feature = "metrics")]
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_label_is_the_template_or_the_path_without_ids_and_query() {
        let templated = Request::get(crate::RequestPath::with_route("/transfers/T-1", "/transfers/{id}"));
        assert_eq!(route_label(&templated), "/transfers/{id}");
        for (path, label) in [
            ("/api/v1/transactions", "/api/v1/transactions"),
            ("/api/v1/transactions/4711", "/api/v1/transactions/{id}"),
            ("/wallets/w-9f3a?currency=EUR", "/wallets/{id}"),
            ("/invoices/payment-page", "/invoices/payment-page"),
            ("/transfers/0f8fad5b-d9cb-469f-a165-70867728950e/status", "/transfers/{id}/status"),
        ] {
            assert_eq!(route_label(&Request::get(path)), label, "{path}");
        }
    }
}

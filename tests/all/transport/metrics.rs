//! The metrics of feature `metrics`, read from a recording backend installed
//! for one thread only (`with_local_recorder` on a current-thread runtime):
//! names, labels and counts for a success, a retried 429, an unknown
//! outcome, a login and a rate-limiter wait, and never an id, a query or a
//! secret in a label.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use walletkit::metrics::{
    ATTEMPTS, LOGINS, OUTCOME_UNKNOWN, RATE_LIMITED, RATE_LIMITER_WAIT, REQUEST_DURATION, RETRIES,
};
use walletkit::milacoins::{MilaCoinsClient, TransactionId};
use walletkit::milta::{rate_class, MiltaClient};
use walletkit::waas::TransactionId as WaasTransactionId;
use walletkit::Rate;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{fast, waas_client};

const MILTA_BALANCE: &str = include_str!("../../../fixtures/milta/balance.json");
const MILACOINS_TRANSACTION: &str = include_str!("../../../fixtures/milacoins/transaction.json");

/// One recorded metric: its name, labels and value.
#[derive(Debug)]
struct Metric {
    name: String,
    labels: BTreeMap<String, String>,
    value: DebugValue,
}

impl Metric {
    fn count(&self) -> u64 {
        match self.value {
            DebugValue::Counter(n) => n,
            ref other => panic!("{} is not a counter: {other:?}", self.name),
        }
    }

    fn samples(&self) -> Vec<f64> {
        match &self.value {
            DebugValue::Histogram(values) => values.iter().map(|v| v.0).collect(),
            other => panic!("{} is not a histogram: {other:?}", self.name),
        }
    }
}

/// Runs `test` on a current-thread runtime with a recorder of this thread
/// only, and returns what it recorded.
fn recorded<F: Future<Output = ()>>(test: impl FnOnce() -> F) -> Vec<Metric> {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(test());
    });
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let key = key.key();
            let labels = key.labels().map(|l| (l.key().to_string(), l.value().to_string())).collect();
            Metric { name: key.name().to_string(), labels, value }
        })
        .collect()
}

fn named<'a>(metrics: &'a [Metric], name: &str) -> Vec<&'a Metric> {
    metrics.iter().filter(|m| m.name == name).collect()
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// No label value holds any of `forbidden` (ids, queries, credentials).
fn assert_clean(metrics: &[Metric], forbidden: &[&str]) {
    for m in metrics {
        for (key, value) in &m.labels {
            for bad in forbidden {
                assert!(!value.contains(bad), "{}: label {key}={value} holds {bad:?}", m.name);
            }
        }
    }
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

#[test]
fn a_success_records_one_request_duration_and_one_attempt() {
    let metrics = recorded(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET")).and(path("/balance")).respond_with(json(200, MILTA_BALANCE)).mount(&server).await;
        let milta = MiltaClient::builder().base_url(server.uri()).credentials("key-id", "key-secret").build().unwrap();
        milta.account().balance().await.unwrap();
    });
    let call = [("walletkit.provider", "milta"), ("http.request.method", "GET"), ("url.template", "/balance")];

    let durations = named(&metrics, REQUEST_DURATION);
    assert_eq!(durations.len(), 1, "{metrics:#?}");
    let mut expected = labels(&call);
    expected.extend(labels(&[("http.response.status_code", "200"), ("server.address", "127.0.0.1")]));
    assert_eq!(durations[0].labels, expected, "no error.type on a success");
    let seconds = durations[0].samples();
    assert!(seconds.len() == 1 && seconds[0] > 0.0 && seconds[0] < 10.0, "{seconds:?} (seconds)");

    let attempts = named(&metrics, ATTEMPTS);
    let mut expected = labels(&call);
    expected.insert("walletkit.outcome".into(), "success".into());
    assert_eq!((attempts.len(), &attempts[0].labels, attempts[0].samples()), (1, &expected, vec![1.0]));

    for absent in [RATE_LIMITED, RETRIES, OUTCOME_UNKNOWN, LOGINS] {
        assert!(named(&metrics, absent).is_empty(), "{absent}: {metrics:#?}");
    }
    // Milta's documented limit on /balance: one wait, of nothing.
    let waits = named(&metrics, RATE_LIMITER_WAIT);
    assert_eq!(waits.len(), 1);
    assert_eq!(waits[0].labels, labels(&[("walletkit.provider", "milta"), ("walletkit.rate_class", "milta.balance")]));
    assert!(waits[0].samples()[0] < 0.05, "{:?}", waits[0].samples());
}

#[test]
fn a_retried_429_is_counted_with_its_route_template_never_the_id() {
    const ID: &str = "62d95a1ba0a3bf0730f5fd2a";
    let metrics = recorded(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(429))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET")).respond_with(json(200, MILACOINS_TRANSACTION)).mount(&server).await;
        let client = MilaCoinsClient::builder()
            .base_url(server.uri())
            .credentials("mila-key", "mila-secret")
            .retry_policy(fast())
            .build()
            .unwrap();
        client.transactions().get(&TransactionId::from(ID)).await.unwrap();
    });
    let call =
        [("walletkit.provider", "milacoins"), ("http.request.method", "GET"), ("url.template", "/transactions/{id}")];

    let durations = named(&metrics, REQUEST_DURATION);
    let statuses: BTreeMap<_, _> = durations
        .iter()
        .map(|m| {
            (m.labels["http.response.status_code"].clone(), (m.labels.get("error.type").cloned(), m.samples().len()))
        })
        .collect();
    assert_eq!(
        statuses,
        BTreeMap::from([("200".to_string(), (None, 1)), ("429".to_string(), (Some("429".to_string()), 1))]),
        "{metrics:#?}"
    );
    let limited = named(&metrics, RATE_LIMITED);
    assert_eq!((limited.len(), &limited[0].labels, limited[0].count()), (1, &labels(&call), 1));
    let retries = named(&metrics, RETRIES);
    let mut expected = labels(&call);
    expected.insert("error.type".into(), "429".into());
    assert_eq!((retries.len(), &retries[0].labels, retries[0].count()), (1, &expected, 1));
    let attempts = named(&metrics, ATTEMPTS);
    assert_eq!((attempts.len(), attempts[0].samples()), (1, vec![2.0]));
    assert_clean(&metrics, &[ID, "62d95", "mila-key", "mila-secret"]);
}

#[test]
fn an_unknown_outcome_and_the_login_before_it_are_counted() {
    let metrics = recorded(|| async {
        let server = MockServer::start().await;
        Mock::given(path("/api/v1/auth/login"))
            .respond_with(json(200, r#"{"access_token":"tok-secret-1"}"#))
            .mount(&server)
            .await;
        Mock::given(path_regex(r"^/api/v1/transactions/\d+$"))
            .respond_with(ResponseTemplate::new(500))
            .mount(&server)
            .await;
        let err = waas_client(&server).transactions().reverse(&WaasTransactionId::from("7001")).await.unwrap_err();
        assert!(matches!(err, walletkit::Error::OutcomeUnknown(_)), "{err:?}");
    });
    let reversal = [
        ("walletkit.provider", "waas"),
        ("http.request.method", "POST"),
        ("url.template", "/api/v1/transactions/{id}"),
    ];

    let unknown = named(&metrics, OUTCOME_UNKNOWN);
    assert_eq!((unknown.len(), &unknown[0].labels, unknown[0].count()), (1, &labels(&reversal), 1));
    let logins = named(&metrics, LOGINS);
    let expected = labels(&[("walletkit.provider", "waas"), ("walletkit.outcome", "success")]);
    assert_eq!((logins.len(), &logins[0].labels, logins[0].count()), (1, &expected, 1));
    let attempts: BTreeMap<_, _> = named(&metrics, ATTEMPTS)
        .iter()
        .map(|m| ((m.labels["url.template"].clone(), m.labels["walletkit.outcome"].clone()), m.samples()))
        .collect();
    assert_eq!(
        attempts,
        BTreeMap::from([
            (("/api/v1/auth/login".to_string(), "success".to_string()), vec![1.0]),
            (("/api/v1/transactions/{id}".to_string(), "outcome_unknown".to_string()), vec![1.0]),
        ])
    );
    assert!(named(&metrics, RETRIES).is_empty(), "a keyless POST is not retried after a 500");
    assert_clean(&metrics, &["7001", "REVERSE", "command", "?", "tok-secret-1", "pw-1", "ops"]);
}

#[test]
fn a_rate_limiter_wait_is_recorded_in_seconds() {
    let metrics = recorded(|| async {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(json(200, MILTA_BALANCE)).mount(&server).await;
        let milta = MiltaClient::builder()
            .base_url(server.uri())
            .credentials("key-id", "key-secret")
            .rate_limit(rate_class::BALANCE, Some(Rate::new(1, Duration::from_millis(300))))
            .build()
            .unwrap();
        milta.account().balance().await.unwrap();
        milta.account().balance().await.unwrap();
    });
    let waits = named(&metrics, RATE_LIMITER_WAIT);
    assert_eq!(waits.len(), 1, "{metrics:#?}");
    let mut seconds = waits[0].samples();
    seconds.sort_by(f64::total_cmp);
    assert_eq!(seconds.len(), 2);
    assert!(seconds[0] < 0.05 && (0.1..1.0).contains(&seconds[1]), "{seconds:?}");
}

/// An attempt ended by the attempt timeout is `error.type=timeout`, not a
/// lost answer of unknown kind (the read-idle timeout ends an attempt
/// through the same `Failure::timeout`).
#[test]
fn an_attempt_ended_by_a_timer_is_error_type_timeout() {
    let metrics = recorded(|| async {
        let server = MockServer::start().await;
        let slow = json(200, MILTA_BALANCE).set_delay(Duration::from_secs(5));
        Mock::given(method("GET")).and(path("/balance")).respond_with(slow).mount(&server).await;
        let milta = MiltaClient::builder()
            .base_url(server.uri())
            .credentials("key-id", "key-secret")
            .attempt_timeout(Some(Duration::from_millis(50)))
            .retry_policy(fast().max_retries(0))
            .build()
            .unwrap();
        milta.account().balance().await.unwrap_err();
    });
    let durations = named(&metrics, REQUEST_DURATION);
    assert_eq!(durations.len(), 1, "{metrics:#?}");
    assert_eq!(durations[0].labels.get("error.type").map(String::as_str), Some("timeout"), "{metrics:#?}");
}

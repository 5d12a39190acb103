//! The `--faults` text syntax, shared by the binary and by tests.
//!
//! ```text
//! SPEC   = GROUP *( ";" GROUP )
//! GROUP  = [ TARGET *( "+" TARGET ) ":" ] ITEM *( "," ITEM )
//! TARGET = "all" | "milta" | "milacoins" | "wallets" | "waas"     (default: all)
//! ITEM   = "429-first" | "429-every=N" | "retry-after=SECS"
//!        | "5xx-first" | "5xx-every=N" | "5xx-gets-only"
//!        | "drop-first" | "drop-every=N"
//!        | "latency=MS" | "answer-latency=MS" | "drip=MS" | "drip-bytes=N" | "variants" | "no-limits" (Milta) | "none" (clear the target's faults)
//!        | "ignores-page" | "repeats-last-page" | "lies-about-totals" | "has-more-forever"
//! ```
//!
//! Example: `all:429-first,retry-after=0;milta+waas:drop-first;wallets:latency=50`.

use std::fmt;
use std::time::Duration;

use crate::config::SandboxConfig;
use crate::faults::{Faults, Trigger};
use crate::paging::PagingFault;

/// A `--faults` spec that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpecError(String);

impl fmt::Display for FaultSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid fault spec: {}", self.0)
    }
}

impl std::error::Error for FaultSpecError {}

fn err(msg: impl Into<String>) -> FaultSpecError {
    FaultSpecError(msg.into())
}

fn number(item: &str, value: Option<&str>) -> Result<u32, FaultSpecError> {
    let value = value.ok_or_else(|| err(format!("`{item}` needs a value, e.g. `{item}=3`")))?;
    value.parse().map_err(|_| err(format!("`{item}={value}`: {value} is not a whole number")))
}

fn every(item: &str, value: Option<&str>) -> Result<Trigger, FaultSpecError> {
    match number(item, value)? {
        0 => Err(err(format!("`{item}=0`: N must be at least 1"))),
        n => Ok(Trigger::Every(n)),
    }
}

/// One item applied to one API's faults; `Ok(true)` means "no-limits".
fn apply(faults: &mut Faults, item: &str) -> Result<bool, FaultSpecError> {
    let (name, value) = match item.split_once('=') {
        Some((n, v)) => (n.trim(), Some(v.trim())),
        None => (item, None),
    };
    let flag = |f: &mut Faults, set: fn(&mut Faults)| -> Result<bool, FaultSpecError> {
        if value.is_some() {
            return Err(err(format!("`{name}` takes no value")));
        }
        set(f);
        Ok(false)
    };
    match name {
        "429-first" => flag(faults, |f| f.too_many_requests = Some(Trigger::First)),
        "429-every" => {
            faults.too_many_requests = Some(every(name, value)?);
            Ok(false)
        }
        "retry-after" => {
            faults.retry_after_secs = number(name, value)?;
            Ok(false)
        }
        "5xx-first" => flag(faults, |f| f.server_errors = Some(Trigger::First)),
        "5xx-every" => {
            faults.server_errors = Some(every(name, value)?);
            Ok(false)
        }
        "5xx-gets-only" => flag(faults, |f| f.server_errors_gets_only = true),
        "drop-first" => flag(faults, |f| f.drop_after_post = Some(Trigger::First)),
        "drop-every" => {
            faults.drop_after_post = Some(every(name, value)?);
            Ok(false)
        }
        "latency" => {
            faults.latency = Duration::from_millis(u64::from(number(name, value)?));
            Ok(false)
        }
        "answer-latency" => {
            faults.answer_latency = Duration::from_millis(u64::from(number(name, value)?));
            Ok(false)
        }
        "drip" => {
            faults.drip = Some(Duration::from_millis(u64::from(number(name, value)?)));
            Ok(false)
        }
        "drip-bytes" => {
            faults.drip_bytes = match number(name, value)? {
                0 => return Err(err("`drip-bytes=0`: N must be at least 1")),
                n => n as usize,
            };
            Ok(false)
        }
        "variants" => flag(faults, |f| f.variants = true),
        "ignores-page" => flag(faults, |f| f.paging = Some(PagingFault::IgnoresPage)),
        "repeats-last-page" => flag(faults, |f| f.paging = Some(PagingFault::RepeatsLastPage)),
        "lies-about-totals" => flag(faults, |f| f.paging = Some(PagingFault::LiesAboutTotals)),
        "has-more-forever" => flag(faults, |f| f.paging = Some(PagingFault::HasMoreForever)),
        "none" => flag(faults, |f| *f = Faults::default()),
        "no-limits" => {
            if value.is_some() {
                return Err(err("`no-limits` takes no value"));
            }
            Ok(true)
        }
        other => Err(err(format!("unknown item `{other}`"))),
    }
}

impl SandboxConfig {
    /// Applies a `--faults` spec on top of the current switches.
    ///
    /// ```text
    /// SPEC   = GROUP *( ";" GROUP )
    /// GROUP  = [ TARGET *( "+" TARGET ) ":" ] ITEM *( "," ITEM )
    /// TARGET = "all" | "milta" | "milacoins" | "wallets" | "waas"   (default: all)
    /// ITEM   = "429-first" | "429-every=N" | "retry-after=SECS"
    ///        | "5xx-first" | "5xx-every=N" | "5xx-gets-only"
    ///        | "drop-first" | "drop-every=N" | "latency=MS"
    ///        | "answer-latency=MS" (act, then wait before answering)
    ///        | "drip=MS" | "drip-bytes=N" (the body N bytes at a time, MS apart)
    ///        | "variants" (serve the documents' other plausible spellings)
    ///        | "no-limits" (Milta's documented limits off) | "none" (clear)
    ///        | "ignores-page" | "repeats-last-page" | "lies-about-totals"
    ///        | "has-more-forever" (paging misbehaviours)
    /// ```
    ///
    /// For example `all:429-first,retry-after=0;milta+waas:drop-first`. The
    /// paging items set [`Faults::paging`] to the [`PagingFault`] of the same
    /// name; the last one given wins.
    ///
    /// # Errors
    /// [`FaultSpecError`] naming the first item that could not be read.
    pub fn with_fault_spec(mut self, spec: &str) -> Result<Self, FaultSpecError> {
        for group in spec.split(';').map(str::trim).filter(|g| !g.is_empty()) {
            let (targets, items) = match group.split_once(':') {
                Some((t, i)) => (t.trim(), i),
                None => ("all", group),
            };
            let mut chosen = [false; 4];
            for target in targets.split('+').map(str::trim) {
                match target {
                    "all" => chosen = [true; 4],
                    "milta" => chosen[0] = true,
                    "milacoins" => chosen[1] = true,
                    "wallets" => chosen[2] = true,
                    "waas" => chosen[3] = true,
                    other => return Err(err(format!("unknown API `{other}` (milta, milacoins, wallets, waas, all)"))),
                }
            }
            for item in items.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let apis = [
                    &mut self.milta.faults,
                    &mut self.milacoins.faults,
                    &mut self.wallets.faults,
                    &mut self.waas.faults,
                ];
                let mut no_limits = false;
                for (faults, on) in apis.into_iter().zip(chosen) {
                    if on {
                        no_limits |= apply(faults, item)?;
                    }
                }
                if no_limits {
                    if !chosen[0] {
                        return Err(err("`no-limits` applies to Milta only"));
                    }
                    self.milta.limits = None;
                }
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_groups_targets_and_items() {
        let c = SandboxConfig::default()
            .with_fault_spec("all:429-first,retry-after=0; milta+waas:drop-first; wallets:5xx-every=3,5xx-gets-only,latency=50; milta:no-limits; milacoins:variants")
            .unwrap();
        for f in [&c.milta.faults, &c.milacoins.faults, &c.wallets.faults, &c.waas.faults] {
            assert_eq!(f.too_many_requests, Some(Trigger::First));
            assert_eq!(f.retry_after_secs, 0);
        }
        assert_eq!(c.milta.faults.drop_after_post, Some(Trigger::First));
        assert_eq!(c.waas.faults.drop_after_post, Some(Trigger::First));
        assert_eq!(c.milacoins.faults.drop_after_post, None);
        assert_eq!(c.wallets.faults.server_errors, Some(Trigger::Every(3)));
        assert!(c.wallets.faults.server_errors_gets_only);
        assert_eq!(c.wallets.faults.latency, Duration::from_millis(50));
        assert_eq!(c.milta.limits, None);
        assert!(SandboxConfig::default().milta.limits.is_some());
        assert!(c.milacoins.faults.variants);
        assert!(!c.milta.faults.variants && !c.wallets.faults.variants && !c.waas.faults.variants);
        let c = SandboxConfig::default().with_fault_spec("milta:answer-latency=250").unwrap();
        assert_eq!(c.milta.faults.answer_latency, Duration::from_millis(250));
        assert_eq!(c.waas.faults.answer_latency, Duration::ZERO);
    }

    #[test]
    fn items_without_target_apply_to_all_and_none_clears() {
        let c = SandboxConfig::default().with_fault_spec("drop-every=2,variants;waas:none").unwrap();
        assert_eq!(c.milacoins.faults.drop_after_post, Some(Trigger::Every(2)));
        assert!(c.milta.faults.variants);
        assert_eq!(c.waas.faults, Faults::default());
    }

    #[test]
    fn paging_faults_parse_per_target() {
        let c = SandboxConfig::default()
            .with_fault_spec(
                "milta:ignores-page; milacoins:repeats-last-page; wallets:lies-about-totals; waas:has-more-forever",
            )
            .unwrap();
        assert_eq!(c.milta.faults.paging, Some(PagingFault::IgnoresPage));
        assert_eq!(c.milacoins.faults.paging, Some(PagingFault::RepeatsLastPage));
        assert_eq!(c.wallets.faults.paging, Some(PagingFault::LiesAboutTotals));
        assert_eq!(c.waas.faults.paging, Some(PagingFault::HasMoreForever));
        let c =
            SandboxConfig::default().with_fault_spec("variants,ignores-page,has-more-forever;wallets:none").unwrap();
        assert_eq!(c.milta.faults.paging, Some(PagingFault::HasMoreForever), "the last paging item wins");
        assert!(c.milta.faults.variants);
        assert_eq!(c.wallets.faults.paging, None);
        assert_eq!(SandboxConfig::default().milta.faults.paging, None);
    }

    #[test]
    fn errors_name_the_problem() {
        for (spec, needle) in [
            ("bogus", "unknown item `bogus`"),
            ("mars:429-first", "unknown API `mars`"),
            ("429-every", "needs a value"),
            ("429-every=0", "at least 1"),
            ("latency=fast", "not a whole number"),
            ("wallets:no-limits", "Milta only"),
            ("drop-first=2", "takes no value"),
            ("variants=1", "takes no value"),
            ("ignores-page=2", "takes no value"),
            ("has-more-forever=yes", "takes no value"),
            ("ignore-page", "unknown item `ignore-page`"),
        ] {
            let e = SandboxConfig::default().with_fault_spec(spec).unwrap_err();
            assert!(e.to_string().contains(needle), "{spec}: {e}");
        }
    }
}

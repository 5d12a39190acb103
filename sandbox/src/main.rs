//! `walletkit-sandbox [--port-base N] [--faults SPEC] [--host ADDR] [--idle-close MS]`: serves
//! the four fakes until Ctrl-C and prints their base URLs and credentials as
//! shell `export` lines.

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use walletkit_sandbox::{Sandbox, SandboxConfig};

const USAGE: &str = r#"usage: walletkit-sandbox [--port-base N] [--faults SPEC] [--host ADDR] [--idle-close MS]

Serves fakes of the Milta, MilaCoins, Wallets and WaaS APIs on loopback and
prints their base URLs and credentials as shell `export` lines.

  --port-base N   Milta on N, MilaCoins on N+1, Wallets on N+2, WaaS on N+3
                  (default, or 0: free ports)
  --faults SPEC   e.g. 'all:429-first,retry-after=0;milta+waas:drop-first'
                  items: 429-first 429-every=N retry-after=SECS 5xx-first
                  5xx-every=N 5xx-gets-only drop-first drop-every=N
                  latency=MS answer-latency=MS drip=MS drip-bytes=N
                  variants no-limits (milta) none
                  paging misbehaviours: ignores-page repeats-last-page
                  lies-about-totals has-more-forever
  --host ADDR     address to bind (default 127.0.0.1)
  --idle-close MS close keep-alive connections idle for MS milliseconds,
                  as a load balancer does (default: never)

Admin route (WALLETKIT_SANDBOX_ADMIN_URL; every listener serves it under the
reserved prefix /__sandbox), JSON in and out, 400 {"error": ...} if refused:
  GET  /__sandbox/clock                 {"now": "...Z", "offsetSeconds": N}
  POST /__sandbox/clock/advance         {"seconds": 86401}  (never backwards)
  POST /__sandbox/milta/scenarios       {"externalId"|"transferId": "...", or
                                         "next": true, "status": "FAILED"|
                                         "PENDING"|"COMPLETED"}
  POST /__sandbox/milacoins/invoices/end {"id"|"externalID": "...", "status":
                                         "completed"|"invalid"|"underPaid"|
                                         "overPaid"|"paidLate"|"expired"}
  POST /__sandbox/waas/scenarios        {"sourceTransactionId"|"accountNumber":
                                         "...", or "next": true,
                                         "error": "INSUFFICIENT_FUNDS"}
"#;

fn parse(args: &[String]) -> Result<Option<SandboxConfig>, String> {
    let mut config = SandboxConfig::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next().cloned()).ok_or(format!("{flag} needs a value"));
        match flag {
            "-h" | "--help" => return Ok(None),
            "--port-base" => {
                let v = value()?;
                config.port_base = Some(v.parse().map_err(|_| format!("--port-base: `{v}` is not a port number"))?);
            }
            "--faults" => config = config.with_fault_spec(&value()?).map_err(|e| e.to_string())?,
            "--host" => {
                let v = value()?;
                config.host = v.parse::<IpAddr>().map_err(|_| format!("--host: `{v}` is not an IP address"))?;
            }
            "--idle-close" => {
                let v = value()?;
                let ms: u64 = v.parse().map_err(|_| format!("--idle-close: `{v}` is not a number of milliseconds"))?;
                config.idle_close = Some(std::time::Duration::from_millis(ms));
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(config))
}

/// Quotes a value for a POSIX shell.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(Some(config)) => config,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("walletkit-sandbox: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Listen for SIGINT before the exports are printed: a supervisor may
    // send it as soon as it has read them, and the default action would kill
    // the process instead of stopping it cleanly.
    let interrupted = match interrupt() {
        Ok(interrupted) => interrupted,
        Err(e) => {
            eprintln!("walletkit-sandbox: cannot listen for Ctrl-C: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("walletkit-sandbox: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    for (name, value) in sandbox.env_vars() {
        let _ = writeln!(out, "export {name}={}", quote(&value));
    }
    let _ = out.flush();
    drop(out);
    eprintln!("walletkit-sandbox: serving; Ctrl-C to stop");
    if let Err(e) = interrupted.await {
        eprintln!("walletkit-sandbox: cannot wait for Ctrl-C: {e}");
        return ExitCode::FAILURE;
    }
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

/// Registers the SIGINT handler now and returns a future that resolves on
/// the first SIGINT.
#[cfg(unix)]
fn interrupt() -> std::io::Result<impl std::future::Future<Output = std::io::Result<()>>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut sigint = signal(SignalKind::interrupt())?;
    Ok(async move {
        sigint.recv().await;
        Ok(())
    })
}

/// Elsewhere `ctrl_c` registers its handler when first polled.
#[cfg(not(unix))]
fn interrupt() -> std::io::Result<impl std::future::Future<Output = std::io::Result<()>>> {
    Ok(tokio::signal::ctrl_c())
}

#[cfg(test)]
mod tests {
    use walletkit_sandbox::PagingFault;

    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_flags_in_both_forms() {
        let c =
            parse(&args("--port-base 7000 --faults=milta:drop-first;waas:variants --host 127.0.0.2")).unwrap().unwrap();
        assert_eq!(c.port_base, Some(7000));
        assert!(c.milta.faults.drop_after_post.is_some());
        assert!(c.waas.faults.variants && !c.milta.faults.variants);
        assert_eq!(c.host.to_string(), "127.0.0.2");
        assert!(parse(&args("--help")).unwrap().is_none());
        assert!(parse(&args("--port-base")).unwrap_err().contains("needs a value"));
        assert!(parse(&args("--port-base x")).unwrap_err().contains("not a port"));
        assert!(parse(&args("--faults bogus")).unwrap_err().contains("unknown item"));
        let c = parse(&args("--faults wallets:repeats-last-page;milacoins:lies-about-totals")).unwrap().unwrap();
        assert_eq!(c.wallets.faults.paging, Some(PagingFault::RepeatsLastPage));
        assert_eq!(c.milacoins.faults.paging, Some(PagingFault::LiesAboutTotals));
        assert_eq!(c.milta.faults.paging, None);
        for token in ["ignores-page", "repeats-last-page", "lies-about-totals", "has-more-forever"] {
            assert!(USAGE.contains(token), "USAGE names {token}");
            assert!(parse(&args(&format!("--faults {token}"))).is_ok(), "{token}");
        }
        let c = parse(&args("--idle-close 1500 --faults waas:drip=200,drip-bytes=4")).unwrap().unwrap();
        assert_eq!(c.idle_close, Some(std::time::Duration::from_millis(1500)));
        assert_eq!((c.waas.faults.drip, c.waas.faults.drip_bytes), (Some(std::time::Duration::from_millis(200)), 4));
        assert!(parse(&args("--idle-close soon")).unwrap_err().contains("milliseconds"));
        assert!(parse(&args("--verbose")).unwrap_err().contains("unknown argument"));
    }

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(quote("http://127.0.0.1:1"), "'http://127.0.0.1:1'");
        assert_eq!(quote("it's"), "'it'\\''s'");
    }
}

//! pgbench 15's command lines and output: the summary report and per-transaction logs.
//!
//! A run is `pgbench -n -b MODE -M PROTOCOL -c C -j J -T S -l --log-prefix=DIR/pgbench_log`;
//! the summary comes on stdout, and `-l` writes one file per thread, one line per
//! transaction: `client_id transaction_no time script_no time_epoch time_us`, where `time` is
//! the latency in microseconds, or `failed` / `skipped` instead of a number.
//!
//! Entry points: [`Summary::parse`], [`log_latencies_us`], [`Mode`], [`Protocol`].

use std::fmt;
use std::str::FromStr;

/// A built-in pgbench script (`-b NAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `tpcb-like`: the TPC-B-like read/write transaction.
    TpcbLike,
    /// `simple-update`: TPC-B-like without the branch and teller updates.
    SimpleUpdate,
    /// `select-only`: one primary-key lookup.
    SelectOnly,
}

impl Mode {
    /// pgbench's name of the script.
    pub fn name(self) -> &'static str {
        match self {
            Mode::TpcbLike => "tpcb-like",
            Mode::SimpleUpdate => "simple-update",
            Mode::SelectOnly => "select-only",
        }
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "tpcb-like" => Ok(Mode::TpcbLike),
            "simple-update" => Ok(Mode::SimpleUpdate),
            "select-only" => Ok(Mode::SelectOnly),
            _ => Err(format!(
                "unknown mode {s:?} (tpcb-like, simple-update, select-only)"
            )),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// pgbench's query protocol (`-M`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Simple query protocol.
    Simple,
    /// Extended query protocol, unnamed statements.
    Extended,
    /// Extended query protocol with prepared statements.
    Prepared,
}

impl Protocol {
    /// pgbench's name of the protocol.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Simple => "simple",
            Protocol::Extended => "extended",
            Protocol::Prepared => "prepared",
        }
    }
}

impl FromStr for Protocol {
    type Err = String;
    fn from_str(s: &str) -> Result<Protocol, String> {
        match s {
            "simple" => Ok(Protocol::Simple),
            "extended" => Ok(Protocol::Extended),
            "prepared" => Ok(Protocol::Prepared),
            _ => Err(format!(
                "unknown protocol {s:?} (simple, extended, prepared)"
            )),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The figures of one pgbench run's summary report.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// `tps = N (without initial connection time)`.
    pub tps: f64,
    /// `latency average = N ms`.
    pub latency_avg_ms: f64,
    /// `number of transactions actually processed: N`.
    pub processed: u64,
    /// `number of failed transactions: N (P%)`; pgbench 14 and older do not print it (0).
    pub failed: u64,
}

/// The text after `label` on the first line that starts with it.
fn field<'a>(output: &'a str, label: &str) -> Option<&'a str> {
    output
        .lines()
        .find_map(|line| line.strip_prefix(label))
        .map(str::trim)
}

/// The leading number of `text` (up to the first space or `/`).
fn leading_number<T: FromStr>(text: &str) -> Option<T> {
    text.split([' ', '/']).next()?.parse().ok()
}

impl Summary {
    /// Reads the summary from pgbench's stdout; an error names the missing line.
    pub fn parse(output: &str) -> Result<Summary, String> {
        let number = |label: &str| -> Result<f64, String> {
            field(output, label)
                .and_then(leading_number)
                .ok_or_else(|| format!("pgbench output has no {label:?} line"))
        };
        let processed = field(output, "number of transactions actually processed:")
            .and_then(leading_number)
            .ok_or("pgbench output has no \"number of transactions actually processed\" line")?;
        let failed = match field(output, "number of failed transactions:") {
            Some(text) => leading_number(text)
                .ok_or_else(|| format!("bad failed-transactions count {text:?}"))?,
            None => 0,
        };
        Ok(Summary {
            tps: number("tps =")?,
            latency_avg_ms: number("latency average =")?,
            processed,
            failed,
        })
    }
}

/// Latencies in microseconds of the completed transactions in one `pgbench -l` log file
/// (failed and skipped transactions are left out); an error names the malformed line.
pub fn log_latencies_us(log: &str) -> Result<Vec<u64>, String> {
    let mut latencies = Vec::new();
    for line in log.lines().filter(|line| !line.trim().is_empty()) {
        let time = line
            .split_whitespace()
            .nth(2)
            .ok_or_else(|| format!("short pgbench log line {line:?}"))?;
        match time {
            "failed" | "skipped" => {}
            _ => latencies.push(
                time.parse()
                    .map_err(|_| format!("bad latency in pgbench log line {line:?}"))?,
            ),
        }
    }
    Ok(latencies)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TPCB_15: &str = "\
pgbench (15.8 (Ubuntu 15.8-1.pgdg22.04+1))
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 1
query mode: prepared
number of clients: 4
number of threads: 2
maximum number of tries: 1
duration: 10 s
number of transactions actually processed: 12873
number of failed transactions: 0 (0.000%)
latency average = 3.106 ms
initial connection time = 5.917 ms
tps = 1287.653913 (without initial connection time)
";

    #[test]
    fn summary_of_a_pgbench_15_run() {
        let summary = Summary::parse(TPCB_15).expect("parses");
        assert_eq!(
            summary,
            Summary {
                tps: 1287.653913,
                latency_avg_ms: 3.106,
                processed: 12873,
                failed: 0,
            }
        );
    }

    #[test]
    fn failed_transactions_are_counted() {
        let output = TPCB_15.replace(
            "number of failed transactions: 0 (0.000%)",
            "number of failed transactions: 17 (0.132%)",
        );
        assert_eq!(Summary::parse(&output).expect("parses").failed, 17);
    }

    #[test]
    fn transactions_run_with_t_report_processed_over_total() {
        let output = TPCB_15.replace("processed: 12873", "processed: 1600/1600");
        assert_eq!(Summary::parse(&output).expect("parses").processed, 1600);
    }

    #[test]
    fn summary_without_tps_is_an_error_naming_the_line() {
        let output: String = TPCB_15
            .lines()
            .filter(|l| !l.starts_with("tps"))
            .map(|l| format!("{l}\n"))
            .collect();
        let err = Summary::parse(&output).expect_err("no tps");
        assert!(err.contains("tps ="), "{err}");
    }

    #[test]
    fn older_pgbench_without_failed_line_reports_none() {
        let output: String = TPCB_15
            .lines()
            .filter(|l| !l.starts_with("number of failed"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(Summary::parse(&output).expect("parses").failed, 0);
    }

    #[test]
    fn log_lines_give_latencies_and_skip_failures() {
        let log = "\
0 0 1203 0 1700000000 123456
0 1 987 0 1700000000 124443
1 0 failed 0 1700000000 125000
1 1 skipped 0 1700000000 125100
2 0 15022 0 1700000001 2001
";
        assert_eq!(
            log_latencies_us(log).expect("parses"),
            vec![1203, 987, 15022]
        );
    }

    #[test]
    fn malformed_log_line_is_an_error() {
        assert!(log_latencies_us("0 0\n").is_err());
        assert!(log_latencies_us("0 0 abc 0 1 2\n").is_err());
    }

    #[test]
    fn modes_and_protocols_round_trip_their_names() {
        for mode in [Mode::TpcbLike, Mode::SimpleUpdate, Mode::SelectOnly] {
            assert_eq!(mode.name().parse::<Mode>(), Ok(mode));
        }
        for protocol in [Protocol::Simple, Protocol::Extended, Protocol::Prepared] {
            assert_eq!(protocol.name().parse::<Protocol>(), Ok(protocol));
        }
        assert!("tpcb".parse::<Mode>().is_err());
    }
}

//! The benchmark's results and their markdown table.
//!
//! Entry points: [`Figures`], [`Row`], [`Report::markdown`].

use std::fmt::Write;

use super::pgbench::{Mode, Protocol};

/// One server's figures for one (mode, protocol, clients) over all rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Median of the rounds' TPS (without initial connection time).
    pub tps_median: f64,
    /// Median of the rounds' `latency average`, ms.
    pub latency_avg_ms: f64,
    /// 99th percentile of all logged transaction latencies of all rounds, ms; `None`
    /// without logged transactions.
    pub latency_p99_ms: Option<f64>,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// pgbench script.
    pub mode: Mode,
    /// Query protocol.
    pub protocol: Protocol,
    /// Concurrent clients.
    pub clients: u32,
    /// tusk's figures.
    pub tusk: Figures,
    /// PostgreSQL's figures.
    pub postgres: Figures,
}

/// A whole benchmark's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Scale factor of `pgbench -i`.
    pub scale: u32,
    /// Seconds per run.
    pub seconds: u32,
    /// Runs per server per line.
    pub rounds: u32,
    /// Wall-clock seconds of `pgbench -i` on tusk.
    pub tusk_init_seconds: f64,
    /// Wall-clock seconds of `pgbench -i` on PostgreSQL.
    pub postgres_init_seconds: f64,
    /// tusk's `VmHWM`, KiB.
    pub tusk_peak_rss_kib: Option<u64>,
    /// Sum of `VmHWM` over PostgreSQL's processes at the end, KiB (see `rss.rs`).
    pub postgres_peak_rss_kib: Option<u64>,
    /// Table lines.
    pub rows: Vec<Row>,
    /// Failed transactions, aborted runs, broken invariants; empty when all is well.
    pub problems: Vec<String>,
}

fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "unknown".to_string(),
        |k| format!("{:.1} MiB", k as f64 / 1024.0),
    )
}

impl Report {
    /// The report as markdown: a settings line, the table, init times, memory, problems.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "pgbench scale {}, {} s per run, {} rounds (tusk and PostgreSQL 15 alternating)\n",
            self.scale, self.seconds, self.rounds
        );
        out.push_str(
            "| mode | protocol | clients | TPS tusk | TPS PostgreSQL | tusk/PostgreSQL \
             | latency avg tusk (ms) | p99 tusk (ms) | latency avg PostgreSQL (ms) \
             | p99 PostgreSQL (ms) |\n",
        );
        out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for row in &self.rows {
            let ratio = if row.postgres.tps_median > 0.0 {
                format!("{:.2}", row.tusk.tps_median / row.postgres.tps_median)
            } else {
                "-".to_string()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.1} | {:.1} | {} | {:.3} | {} | {:.3} | {} |",
                row.mode,
                row.protocol,
                row.clients,
                row.tusk.tps_median,
                row.postgres.tps_median,
                ratio,
                row.tusk.latency_avg_ms,
                ms(row.tusk.latency_p99_ms),
                row.postgres.latency_avg_ms,
                ms(row.postgres.latency_p99_ms),
            );
        }
        let _ = writeln!(
            out,
            "\n`pgbench -i -s {}`: tusk {:.2} s, PostgreSQL {:.2} s",
            self.scale, self.tusk_init_seconds, self.postgres_init_seconds
        );
        let _ = writeln!(
            out,
            "Peak RSS: tusk {} (VmHWM), PostgreSQL {} (sum of VmHWM over the postmaster and \
             its children at the end)",
            mib(self.tusk_peak_rss_kib),
            mib(self.postgres_peak_rss_kib)
        );
        if self.problems.is_empty() {
            out.push_str("Correctness: no failed transactions; TPC-B balances agree on both.\n");
        } else {
            out.push_str("\nProblems:\n");
            for problem in &self.problems {
                let _ = writeln!(out, "- {problem}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(tps: f64) -> Figures {
        Figures {
            tps_median: tps,
            latency_avg_ms: 1.5,
            latency_p99_ms: Some(4.25),
        }
    }

    fn report() -> Report {
        Report {
            scale: 1,
            seconds: 10,
            rounds: 2,
            tusk_init_seconds: 1.234,
            postgres_init_seconds: 0.5,
            tusk_peak_rss_kib: Some(2048),
            postgres_peak_rss_kib: None,
            rows: vec![Row {
                mode: Mode::SelectOnly,
                protocol: Protocol::Prepared,
                clients: 4,
                tusk: figures(500.0),
                postgres: figures(1000.0),
            }],
            problems: Vec::new(),
        }
    }

    #[test]
    fn table_row_carries_ratio_and_latencies() {
        let text = report().markdown();
        assert!(
            text.contains(
                "| select-only | prepared | 4 | 500.0 | 1000.0 | 0.50 | 1.500 | 4.250 | 1.500 | 4.250 |"
            ),
            "{text}"
        );
        assert!(text.contains("tusk 1.23 s, PostgreSQL 0.50 s"), "{text}");
        assert!(
            text.contains("tusk 2.0 MiB (VmHWM), PostgreSQL unknown"),
            "{text}"
        );
        assert!(text.contains("Correctness: no failed"), "{text}");
    }

    #[test]
    fn problems_are_listed() {
        let mut report = report();
        report
            .problems
            .push("tusk: 3 failed transactions".to_string());
        let text = report.markdown();
        assert!(text.contains("- tusk: 3 failed transactions"), "{text}");
        assert!(!text.contains("Correctness: no failed"), "{text}");
    }
}

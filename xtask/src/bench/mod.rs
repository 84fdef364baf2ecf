//! `cargo xtask bench`: tusk beside PostgreSQL 15 under pgbench.
//!
//! A run, step by step:
//! 1. Start a temporary tusk and a temporary PostgreSQL 15 (`regress/server.rs`) with the
//!    same settings ([`settings`]): fsync on, `synchronous_commit = on`, equal
//!    `shared_buffers`, `max_connections` above the most clients asked for. A tusk that
//!    only starts without them is an error: the comparison would not be fair.
//! 2. `pgbench -i -s SCALE` on each, timed by the wall clock.
//! 3. For each (mode, protocol, clients): `--rounds` rounds, each running pgbench against
//!    tusk, then PostgreSQL (A B A B ...), so drift of a shared machine falls on both. Runs
//!    use `-n` (no vacuum: it would truncate `pgbench_history` and lose the invariant of
//!    step 4) and `-l` into a temporary directory for the p99 latency (`pgbench.rs`).
//! 4. Check: no run had failed transactions or aborted, and on each server
//!    sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta).
//! 5. Read peak memory (`rss.rs`), stop both servers, print the markdown table
//!    (`report.rs`); the exit code is 1 when step 4 found a problem.
//!
//! Entry point: [`run`].

pub mod pgbench;
pub mod report;
pub mod rss;
pub mod stats;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::regress::server::{InstanceSettings, Server, ServerKind, SUPERUSER};
use pgbench::{log_latencies_us, Mode, Protocol, Summary};
use report::{Figures, Report, Row};

/// `shared_buffers` of both servers.
pub const SHARED_BUFFERS: &str = "128MB";

/// Extra time a pgbench run may take beyond its `-T` before it is stopped.
const RUN_GRACE: Duration = Duration::from_secs(120);

/// Options of one benchmark (see README.md, "Benchmarks").
#[derive(Debug, Clone)]
pub struct Options {
    /// tusk binary.
    pub tusk_binary: PathBuf,
    /// PostgreSQL 15 bin directory (initdb, postgres).
    pub pg_bin: PathBuf,
    /// psql binary.
    pub psql: PathBuf,
    /// pgbench binary.
    pub pgbench: PathBuf,
    /// `pgbench -i -s` scale factor.
    pub scale: u32,
    /// Seconds per run (`-T`).
    pub seconds: u32,
    /// Runs per server per (mode, protocol, clients).
    pub rounds: u32,
    /// Client counts (`-c`).
    pub clients: Vec<u32>,
    /// Built-in scripts (`-b`).
    pub modes: Vec<Mode>,
    /// Query protocols (`-M`).
    pub protocols: Vec<Protocol>,
    /// pgbench threads (`-j`), at most the clients of a run.
    pub jobs: u32,
}

/// Settings both servers run with: fsync on plus `shared_buffers`, `synchronous_commit`,
/// and `max_connections` = the most clients + 10 (at least 100, PostgreSQL's default).
pub fn settings(max_clients: u32) -> InstanceSettings {
    InstanceSettings {
        fsync: true,
        settings: vec![
            ("shared_buffers".to_string(), SHARED_BUFFERS.to_string()),
            ("synchronous_commit".to_string(), "on".to_string()),
            (
                "max_connections".to_string(),
                (max_clients + 10).max(100).to_string(),
            ),
        ],
    }
}

/// One server under benchmark.
struct Target {
    name: &'static str,
    server: Server,
    /// `VmHWM` semantics differ: tusk is one process, PostgreSQL a process tree.
    process_tree: bool,
}

impl Target {
    fn client(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .args(["-h", &self.server.host])
            .args(["-p", &self.server.port.to_string()])
            .args(["-U", &self.server.user])
            .env_remove("PGOPTIONS")
            .env_remove("PGDATABASE")
            .stdin(Stdio::null());
        command
    }

    fn peak_rss_kib(&self) -> Option<u64> {
        let pid = self.server.pid()?;
        if self.process_tree {
            rss::tree_peak_rss_kib(pid)
        } else {
            rss::peak_rss_kib(pid)
        }
    }
}

/// Runs `command` to completion, stopping it after `limit`.
fn run_with_limit(mut command: Command, limit: Duration) -> Result<Output, String> {
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run {:?}: {e}", command.get_program()))?;
    let pid = child.id();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        thread::spawn(move || {
            let deadline = Instant::now() + limit;
            while !done.load(std::sync::atomic::Ordering::Acquire) {
                if Instant::now() >= deadline {
                    let pid = nix::unistd::Pid::from_raw(i32::try_from(pid).expect("pid fits"));
                    let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let output = child.wait_with_output();
    done.store(true, std::sync::atomic::Ordering::Release);
    let _ = watchdog.join();
    output.map_err(|e| format!("could not wait for {:?}: {e}", command.get_program()))
}

/// `pgbench -i -s SCALE postgres`; returns wall-clock seconds.
fn initialize(options: &Options, target: &Target) -> Result<f64, String> {
    let mut command = target.client(&options.pgbench);
    command.args(["-i", "-s", &options.scale.to_string(), "postgres"]);
    let started = Instant::now();
    let output = run_with_limit(command, Duration::from_secs(3600))?;
    let seconds = started.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!(
            "pgbench -i on {} failed ({}):\n{}",
            target.name,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(seconds)
}

/// What one pgbench run gave.
struct RunResult {
    summary: Summary,
    latencies_us: Vec<u64>,
}

/// One timed pgbench run with per-transaction logs in `log_dir` (removed afterwards).
/// An aborted run (non-zero exit) is reported in `problems` and yields its summary when
/// pgbench printed one.
fn run_once(
    options: &Options,
    target: &Target,
    (mode, protocol, clients): (Mode, Protocol, u32),
    log_dir: &Path,
    problems: &mut Vec<String>,
) -> Result<Option<RunResult>, String> {
    fs::create_dir_all(log_dir)
        .map_err(|e| format!("could not create {}: {e}", log_dir.display()))?;
    let mut command = target.client(&options.pgbench);
    command
        .args(["-n", "-b", mode.name(), "-M", protocol.name()])
        .args(["-c", &clients.to_string()])
        .args(["-j", &options.jobs.clamp(1, clients).to_string()])
        .args(["-T", &options.seconds.to_string()])
        .arg("-l")
        .arg(format!(
            "--log-prefix={}",
            log_dir.join("pgbench_log").display()
        ))
        .arg("postgres");
    let limit = Duration::from_secs(u64::from(options.seconds)) + RUN_GRACE;
    let output = run_with_limit(command, limit)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let what = format!("{}: {mode} {protocol} -c {clients}", target.name);
    if !output.status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        problems.push(format!(
            "{what}: pgbench exited with {} ({})",
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
        ));
    }
    let summary = match Summary::parse(&stdout) {
        Ok(summary) => summary,
        Err(message) if !output.status.success() => {
            eprintln!("bench: {what}: {message}");
            let _ = fs::remove_dir_all(log_dir);
            return Ok(None);
        }
        Err(message) => return Err(format!("{what}: {message}\n{stdout}")),
    };
    if summary.failed > 0 {
        problems.push(format!("{what}: {} failed transactions", summary.failed));
    }
    let mut latencies_us = Vec::new();
    for entry in fs::read_dir(log_dir)
        .map_err(|e| format!("could not read {}: {e}", log_dir.display()))?
        .flatten()
    {
        let text = fs::read_to_string(entry.path())
            .map_err(|e| format!("could not read {}: {e}", entry.path().display()))?;
        latencies_us.extend(log_latencies_us(&text)?);
    }
    let _ = fs::remove_dir_all(log_dir);
    Ok(Some(RunResult {
        summary,
        latencies_us,
    }))
}

/// The rounds' results folded into one server's figures.
fn figures(results: &mut [RunResult]) -> Figures {
    let tps: Vec<f64> = results.iter().map(|r| r.summary.tps).collect();
    let latency: Vec<f64> = results.iter().map(|r| r.summary.latency_avg_ms).collect();
    let mut all: Vec<u64> = results
        .iter_mut()
        .flat_map(|r| std::mem::take(&mut r.latencies_us))
        .collect();
    Figures {
        tps_median: stats::median(&tps).unwrap_or(0.0),
        latency_avg_ms: stats::median(&latency).unwrap_or(0.0),
        latency_p99_ms: stats::percentile(&mut all, 99.0).map(|us| us as f64 / 1000.0),
    }
}

/// The TPC-B invariant on one server: all four sums equal; a mismatch is a problem.
fn check_balances(options: &Options, target: &Target, problems: &mut Vec<String>) {
    let mut command = target.client(&options.psql);
    command.args([
        "-X",
        "-At",
        "-c",
        "SELECT (SELECT sum(abalance) FROM pgbench_accounts), \
                (SELECT sum(bbalance) FROM pgbench_branches), \
                (SELECT sum(tbalance) FROM pgbench_tellers), \
                coalesce((SELECT sum(delta) FROM pgbench_history), 0)",
        "postgres",
    ]);
    match run_with_limit(command, Duration::from_secs(600)) {
        Ok(output) if output.status.success() => {
            let text = String::from_utf8_lossy(&output.stdout);
            let sums: Vec<&str> = text.trim().split('|').collect();
            if sums.len() != 4 || sums.iter().any(|s| *s != sums[0]) {
                problems.push(format!(
                    "{}: TPC-B balances disagree (accounts|branches|tellers|history): {}",
                    target.name,
                    text.trim()
                ));
            }
        }
        Ok(output) => problems.push(format!(
            "{}: balance check failed: {}",
            target.name,
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(message) => problems.push(format!("{}: {message}", target.name)),
    }
}

/// Runs the whole benchmark, prints the table, and returns the exit code: 0, or 1 when a
/// run failed transactions or aborted or the balances disagree. `Err` for setup failures.
pub fn run(options: &Options) -> Result<i32, String> {
    if options.rounds == 0
        || options.clients.is_empty()
        || options.modes.is_empty()
        || options.protocols.is_empty()
    {
        return Err("nothing to run: --rounds, --clients, --modes, --protocols".to_string());
    }
    if options.clients.contains(&0) {
        return Err("--clients must be positive".to_string());
    }
    let work = std::env::temp_dir().join(format!("tusk-bench-{}", std::process::id()));
    fs::create_dir_all(&work).map_err(|e| format!("could not create {}: {e}", work.display()))?;
    let result = run_in(options, &work);
    let _ = fs::remove_dir_all(&work);
    let report = result?;
    print!("{}", report.markdown());
    Ok(if report.problems.is_empty() { 0 } else { 1 })
}

fn start(options: &Options, kind: ServerKind, work: &Path, name: &str) -> Result<Server, String> {
    let max_clients = options.clients.iter().copied().max().unwrap_or(1);
    let log_dir = work.join(name);
    let server = Server::start_with(
        kind,
        &options.psql,
        SUPERUSER,
        &log_dir,
        &log_dir,
        settings(max_clients),
    )
    .map_err(|e| format!("{name}: {e}"))?;
    if server.settings_dropped {
        let log = fs::read_to_string(log_dir.join("postmaster.log")).unwrap_or_default();
        return Err(format!(
            "{name} did not start with the benchmark settings {:?}:\n{log}",
            settings(max_clients).settings
        ));
    }
    Ok(server)
}

fn run_in(options: &Options, work: &Path) -> Result<Report, String> {
    eprintln!("bench: starting tusk and PostgreSQL 15");
    let tusk = Target {
        name: "tusk",
        server: start(
            options,
            ServerKind::Tusk {
                binary: options.tusk_binary.clone(),
            },
            work,
            "tusk",
        )?,
        process_tree: false,
    };
    let postgres = Target {
        name: "PostgreSQL",
        server: start(
            options,
            ServerKind::Postgres {
                bin_dir: options.pg_bin.clone(),
            },
            work,
            "postgres",
        )?,
        process_tree: true,
    };
    let targets = [tusk, postgres];
    let mut init_seconds = [0.0; 2];
    for (target, seconds) in targets.iter().zip(init_seconds.iter_mut()) {
        eprintln!("bench: pgbench -i -s {} on {}", options.scale, target.name);
        *seconds = initialize(options, target)?;
    }
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for &mode in &options.modes {
        for &protocol in &options.protocols {
            for &clients in &options.clients {
                let mut results: [Vec<RunResult>; 2] = [Vec::new(), Vec::new()];
                for round in 1..=options.rounds {
                    for (index, target) in targets.iter().enumerate() {
                        eprintln!(
                            "bench: {mode} {protocol} -c {clients} round {round}/{} on {}",
                            options.rounds, target.name
                        );
                        let log_dir = work.join(format!("log-{index}-{round}"));
                        if let Some(result) = run_once(
                            options,
                            target,
                            (mode, protocol, clients),
                            &log_dir,
                            &mut problems,
                        )? {
                            results[index].push(result);
                        }
                    }
                }
                let [tusk_results, postgres_results] = &mut results;
                rows.push(Row {
                    mode,
                    protocol,
                    clients,
                    tusk: figures(tusk_results),
                    postgres: figures(postgres_results),
                });
            }
        }
    }
    for target in &targets {
        check_balances(options, target, &mut problems);
    }
    let [tusk_rss, postgres_rss] = [targets[0].peak_rss_kib(), targets[1].peak_rss_kib()];
    for mut target in targets {
        target.server.stop();
    }
    Ok(Report {
        scale: options.scale,
        seconds: options.seconds,
        rounds: options.rounds,
        tusk_init_seconds: init_seconds[0],
        postgres_init_seconds: init_seconds[1],
        tusk_peak_rss_kib: tusk_rss,
        postgres_peak_rss_kib: postgres_rss,
        rows,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(tps: f64, latency: f64, logged: &[u64]) -> RunResult {
        RunResult {
            summary: Summary {
                tps,
                latency_avg_ms: latency,
                processed: 10,
                failed: 0,
            },
            latencies_us: logged.to_vec(),
        }
    }

    #[test]
    fn figures_take_medians_and_p99_over_all_rounds() {
        let mut results = vec![
            result(100.0, 2.0, &[1000, 2000]),
            result(300.0, 1.0, &[3000]),
            result(200.0, 4.0, &[500, 9000]),
        ];
        let figures = figures(&mut results);
        assert_eq!(figures.tps_median, 200.0);
        assert_eq!(figures.latency_avg_ms, 2.0);
        assert_eq!(figures.latency_p99_ms, Some(9.0));
    }

    #[test]
    fn settings_are_durable_and_fit_the_clients() {
        let s = settings(300);
        assert!(s.fsync);
        assert!(s
            .settings
            .contains(&("max_connections".to_string(), "310".to_string())));
        assert!(settings(4)
            .settings
            .contains(&("max_connections".to_string(), "100".to_string())));
    }
}

//! Developer tasks, run as `cargo xtask <command>`.
//!
//! Commands:
//! - `regress`: PostgreSQL 15's regression suite against tusk (or PostgreSQL), scored by
//!   files passed and statement blocks matched; see `docs/regress.md`.
//! - `bench`: tusk beside PostgreSQL 15 under pgbench, as a markdown table; see README.md,
//!   "Benchmarks".

mod bench;
mod regress;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use regress::server::{ServerKind, SUPERUSER};

#[derive(Parser)]
#[command(name = "xtask", about = "Developer tasks for tusk")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Run PostgreSQL 15's regression suite and score the server.
    Regress(RegressArgs),
    /// Benchmark tusk beside PostgreSQL 15 with pgbench.
    Bench(BenchArgs),
}

#[derive(Args)]
struct BenchArgs {
    /// pgbench -i scale factor.
    #[arg(long, default_value_t = 10, value_name = "N")]
    scale: u32,
    /// Seconds per pgbench run.
    #[arg(long, default_value_t = 30, value_name = "S")]
    seconds: u32,
    /// Runs per server per line, alternating tusk and PostgreSQL.
    #[arg(long, default_value_t = 3, value_name = "R")]
    rounds: u32,
    /// Client counts (comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1,8,32",
        value_name = "LIST"
    )]
    clients: Vec<u32>,
    /// pgbench built-in scripts: tpcb-like, simple-update, select-only.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "tpcb-like,select-only",
        value_name = "LIST"
    )]
    modes: Vec<bench::pgbench::Mode>,
    /// Query protocols: simple, extended, prepared.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "simple,prepared",
        value_name = "LIST"
    )]
    protocols: Vec<bench::pgbench::Protocol>,
    /// pgbench threads (capped at the clients of a run) [default: CPUs].
    #[arg(long, value_name = "J")]
    jobs: Option<u32>,
    /// tusk binary [default: target/release/tusk].
    #[arg(long, value_name = "PATH")]
    tusk_bin: Option<PathBuf>,
    /// PostgreSQL 15 bin directory [default: $PG_BIN or /usr/lib/postgresql/15/bin].
    #[arg(long, value_name = "BIN_DIR")]
    pg_bin: Option<PathBuf>,
}

#[derive(Args)]
struct RegressArgs {
    /// Suite directory [default: ../shared/pg_regress from the repository root].
    #[arg(long, value_name = "DIR")]
    suite: Option<PathBuf>,
    /// Output directory [default: regress-out in the repository root].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Schedule file [default: SUITE/parallel_schedule].
    #[arg(long, value_name = "FILE")]
    schedule: Option<PathBuf>,
    /// tusk binary [default: target/debug/tusk, built if missing].
    #[arg(long, value_name = "PATH", conflicts_with_all = ["postgres", "server_url"])]
    tusk_bin: Option<PathBuf>,
    /// Test a temporary PostgreSQL 15 instead [default BIN_DIR: $PG_BIN or /usr/lib/postgresql/15/bin].
    #[arg(long, value_name = "BIN_DIR", num_args = 0..=1, default_missing_value = "", conflicts_with = "server_url")]
    postgres: Option<String>,
    /// Test a running server at HOST:PORT.
    #[arg(long, value_name = "HOST:PORT")]
    server_url: Option<String>,
    /// Database user to connect as.
    #[arg(long, default_value = SUPERUSER)]
    user: String,
    /// psql 15 binary [default: BIN_DIR/psql].
    #[arg(long, value_name = "PATH")]
    psql: Option<PathBuf>,
    /// Directory of regress.so, refint.so, autoinc.so (PG_LIBDIR) [default: the suite directory].
    #[arg(long, value_name = "DIR")]
    dlpath: Option<PathBuf>,
    /// Seconds a test may run before psql is stopped.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    timeout: u64,
    /// Tests run at once within a schedule group.
    #[arg(long, default_value_t = 1, value_name = "N")]
    jobs: usize,
    /// Run only these tests (comma-separated), in schedule order.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    tests: Vec<String>,
    /// Exit 1 if any test matches fewer blocks than regress/ratchet.tsv allows.
    #[arg(long)]
    check_ratchet: bool,
    /// Rewrite regress/ratchet.tsv and regress/summary.md with this run's counts.
    #[arg(long)]
    update_ratchet: bool,
}

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository root")
        .to_path_buf()
}

fn pg_bin_dir(explicit: &str) -> PathBuf {
    if !explicit.is_empty() {
        return PathBuf::from(explicit);
    }
    std::env::var_os("PG_BIN").map_or_else(|| PathBuf::from(regress::DEFAULT_PG_BIN), PathBuf::from)
}

/// `path` made absolute against the current directory: the servers run with another
/// working directory, so a relative `--tusk-bin` would not be found from there.
fn absolute(path: PathBuf) -> Result<PathBuf, String> {
    std::path::absolute(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The tusk binary: explicit, or `target/debug/tusk` (under `CARGO_TARGET_DIR` when set),
/// built with `cargo build -p tusk-server` when missing.
fn tusk_binary(root: &std::path::Path, explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        let path = absolute(path)?;
        if !path.exists() {
            return Err(format!("{} missing", path.display()));
        }
        return Ok(path);
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let binary = target.join("debug").join("tusk");
    if !binary.exists() {
        eprintln!(
            "regress: {} missing; running cargo build -p tusk-server",
            binary.display()
        );
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "-p", "tusk-server"])
            .current_dir(root)
            .status()
            .map_err(|e| format!("could not run cargo: {e}"))?;
        if !status.success() || !binary.exists() {
            return Err(format!(
                "cargo build -p tusk-server did not produce {}",
                binary.display()
            ));
        }
    }
    Ok(binary)
}

/// `BIN_DIR/name` when it exists, else `name` (looked up on `PATH`).
fn client_tool(bin_dir: &std::path::Path, name: &str) -> PathBuf {
    let candidate = bin_dir.join(name);
    if candidate.exists() {
        candidate
    } else {
        PathBuf::from(name)
    }
}

fn bench_options(args: BenchArgs) -> Result<bench::Options, String> {
    let root = repository_root();
    let pg_bin = args.pg_bin.unwrap_or_else(|| pg_bin_dir(""));
    let tusk_binary = match args.tusk_bin {
        Some(path) => absolute(path)?,
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| root.join("target"), PathBuf::from)
            .join("release")
            .join("tusk"),
    };
    if !tusk_binary.exists() {
        return Err(format!(
            "{} missing; build it with cargo build --release -p tusk-server, or pass --tusk-bin",
            tusk_binary.display()
        ));
    }
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(bench::Options {
        tusk_binary,
        psql: client_tool(&pg_bin, "psql"),
        pgbench: client_tool(&pg_bin, "pgbench"),
        pg_bin,
        scale: args.scale.max(1),
        seconds: args.seconds.max(1),
        rounds: args.rounds,
        clients: args.clients,
        modes: args.modes,
        protocols: args.protocols,
        jobs: args
            .jobs
            .unwrap_or_else(|| u32::try_from(cpus).unwrap_or(u32::MAX)),
    })
}

fn regress_options(args: RegressArgs) -> Result<regress::Options, String> {
    let root = repository_root();
    let suite = args
        .suite
        .unwrap_or_else(|| root.join("../shared/pg_regress"));
    let pg_bin = pg_bin_dir(args.postgres.as_deref().unwrap_or(""));
    let server = if let Some(url) = &args.server_url {
        let (host, port) = url
            .rsplit_once(':')
            .ok_or_else(|| format!("--server-url wants HOST:PORT, got {url}"))?;
        let port = port
            .parse()
            .map_err(|_| format!("bad port in --server-url {url}"))?;
        ServerKind::External {
            host: host.to_string(),
            port,
        }
    } else if args.postgres.is_some() {
        ServerKind::Postgres {
            bin_dir: pg_bin.clone(),
        }
    } else {
        ServerKind::Tusk {
            binary: tusk_binary(&root, args.tusk_bin)?,
        }
    };
    let psql = args.psql.unwrap_or_else(|| {
        let candidate = pg_bin.join("psql");
        if candidate.exists() {
            candidate
        } else {
            PathBuf::from("psql")
        }
    });
    Ok(regress::Options {
        schedule: args
            .schedule
            .unwrap_or_else(|| suite.join("parallel_schedule")),
        libdir: args.dlpath.unwrap_or_else(|| suite.clone()),
        suite,
        out: args.out.unwrap_or_else(|| root.join("regress-out")),
        server,
        psql,
        user: args.user,
        timeout: Duration::from_secs(args.timeout),
        jobs: args.jobs.max(1),
        only: args.tests,
        ratchet: root.join("regress").join("ratchet.tsv"),
        committed_summary: root.join("regress").join("summary.md"),
        check_ratchet: args.check_ratchet,
        update_ratchet: args.update_ratchet,
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Task::Regress(args) => {
            match regress_options(args).and_then(|options| regress::run(&options)) {
                Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
                Err(message) => {
                    eprintln!("regress: {message}");
                    ExitCode::from(2)
                }
            }
        }
        Task::Bench(args) => match bench_options(args).and_then(|options| bench::run(&options)) {
            Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            Err(message) => {
                eprintln!("bench: {message}");
                ExitCode::from(2)
            }
        },
    }
}

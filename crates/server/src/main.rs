//! The `tusk` binary: `tusk server`, `tusk initdb`, `tusk ctl`.
//!
//! See `ARCHITECTURE.md` for the threads and layers; this crate holds the postmaster
//! (listening, admission, signals), the backend loop (protocol messages to `Session`
//! calls) and the pg_ctl-style commands.

mod auth;
mod backend;
mod conn;
mod ctl;
mod initdb;
mod pidfile;
mod postmaster;
mod wire;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "tusk",
    version,
    about = "A PostgreSQL-compatible database server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the database server (initialising an empty or missing data directory first).
    Server {
        /// Data directory (default: $PGDATA, else ./tusk-data).
        #[arg(short = 'D', long = "pgdata")]
        data_dir: Option<PathBuf>,
        /// Port to listen on (the `port` parameter).
        #[arg(short = 'p', long)]
        port: Option<u16>,
        /// Set a configuration parameter, `name=value` (repeatable).
        #[arg(short = 'c', value_name = "NAME=VALUE")]
        settings: Vec<String>,
    },
    /// Create a new data directory.
    Initdb {
        /// Data directory to create.
        #[arg(short = 'D', long = "pgdata")]
        data_dir: Option<PathBuf>,
        /// Name of the bootstrap superuser.
        #[arg(short = 'U', long, default_value = "postgres")]
        username: String,
        /// Use checksums on data pages to detect corruption.
        #[arg(short = 'k', long = "data-checksums")]
        data_checksums: bool,
    },
    /// Control a running server: status, stop, reload.
    Ctl {
        /// What to do.
        #[arg(value_enum)]
        action: ctl::Action,
        /// Data directory of the server.
        #[arg(short = 'D', long = "pgdata")]
        data_dir: Option<PathBuf>,
        /// Shutdown mode for stop: smart, fast or immediate.
        #[arg(short = 'm', long, default_value = "fast")]
        mode: ctl::StopMode,
        /// Seconds to wait for stop to complete.
        #[arg(short = 't', long, default_value_t = 60)]
        timeout: u64,
    },
}

/// $PGDATA, else `./tusk-data`.
fn default_data_dir(given: Option<PathBuf>) -> PathBuf {
    given
        .or_else(|| std::env::var_os("PGDATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("tusk-data"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Server {
            data_dir,
            port,
            settings,
        } => postmaster::run(&default_data_dir(data_dir), port, &settings),
        Command::Initdb {
            data_dir,
            username,
            data_checksums,
        } => initdb::initdb(&default_data_dir(data_dir), &username, data_checksums),
        Command::Ctl {
            action,
            data_dir,
            mode,
            timeout,
        } => {
            return ctl::run(action, &default_data_dir(data_dir), mode, timeout);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tusk: {}", e.message);
            if let Some(d) = &e.detail {
                eprintln!("DETAIL:  {d}");
            }
            if let Some(h) = &e.hint {
                eprintln!("HINT:  {h}");
            }
            ExitCode::FAILURE
        }
    }
}

//! `tusk ctl`: pg_ctl's status, stop and reload, through `postmaster.pid` and signals.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::pidfile::{process_alive, read_pid};

/// What `tusk ctl` does.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Action {
    /// Report whether the server runs (exit 3 if not, as pg_ctl).
    Status,
    /// Stop the server.
    Stop,
    /// Make the server re-read its configuration files (SIGHUP).
    Reload,
}

/// pg_ctl's shutdown modes.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum StopMode {
    /// Wait for sessions to end (SIGTERM).
    Smart,
    /// End sessions (SIGINT).
    Fast,
    /// Exit at once (SIGQUIT).
    Immediate,
}

/// Runs a ctl action; exit codes follow pg_ctl (3 = no server running for status).
pub fn run(action: Action, data_dir: &Path, mode: StopMode, timeout: u64) -> ExitCode {
    let pid = read_pid(data_dir).filter(|p| process_alive(*p));
    match (action, pid) {
        (Action::Status, Some(pid)) => {
            println!("tusk ctl: server is running (PID: {pid})");
            ExitCode::SUCCESS
        }
        (Action::Status, None) => {
            println!("tusk ctl: no server running");
            ExitCode::from(3)
        }
        (_, None) => {
            eprintln!(
                "tusk ctl: PID file \"{}\" does not exist",
                data_dir.join("postmaster.pid").display()
            );
            eprintln!("Is server running?");
            ExitCode::FAILURE
        }
        (Action::Reload, Some(pid)) => match kill(Pid::from_raw(pid), Signal::SIGHUP) {
            Ok(()) => {
                println!("server signaled");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("tusk ctl: could not send reload signal (PID: {pid}): {e}");
                ExitCode::FAILURE
            }
        },
        (Action::Stop, Some(pid)) => {
            let signal = match mode {
                StopMode::Smart => Signal::SIGTERM,
                StopMode::Fast => Signal::SIGINT,
                StopMode::Immediate => Signal::SIGQUIT,
            };
            if let Err(e) = kill(Pid::from_raw(pid), signal) {
                eprintln!("tusk ctl: could not send stop signal (PID: {pid}): {e}");
                return ExitCode::FAILURE;
            }
            println!("waiting for server to shut down....");
            let start = Instant::now();
            while process_alive(pid) && start.elapsed() < Duration::from_secs(timeout) {
                std::thread::sleep(Duration::from_millis(50));
            }
            if process_alive(pid) {
                eprintln!("tusk ctl: server does not shut down");
                return ExitCode::FAILURE;
            }
            println!("server stopped");
            ExitCode::SUCCESS
        }
    }
}

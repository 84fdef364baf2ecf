//! pgbench against the `tusk` binary: a `SELECT 1;` script in each query mode must finish
//! every transaction without failures.

mod common;

use std::process::Command;

use common::{client_tool_available, run, TestServer};

/// Clients, threads and transactions per client.
const CLIENTS: u32 = 8;
const THREADS: u32 = 2;
const TRANSACTIONS: u32 = 200;

/// The number after `label` on its line of pgbench's report.
fn reported(stdout: &str, label: &str) -> Option<String> {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .map(|rest| rest.trim().to_string())
}

fn select_one(mode: &str) {
    if !client_tool_available("pgbench", Command::new("pgbench").arg("--version")) {
        return;
    }
    let server = TestServer::start();
    let script = server.dir().join("select1.sql");
    std::fs::write(&script, "SELECT 1;\n").expect("write script");
    let out = run(server.client_command("pgbench").args([
        "-n",
        "-f",
        script.to_str().expect("UTF-8 path"),
        "-c",
        &CLIENTS.to_string(),
        "-j",
        &THREADS.to_string(),
        "-t",
        &TRANSACTIONS.to_string(),
        "-M",
        mode,
        "postgres",
    ]));
    let context = format!(
        "pgbench -M {mode} exited {}\nstdout:\n{}\nstderr:\n{}\nserver log:\n{}",
        out.code,
        out.stdout,
        out.stderr,
        server.log()
    );
    assert_eq!(out.code, 0, "{context}");
    assert_eq!(
        reported(&out.stdout, "query mode:").as_deref(),
        Some(mode),
        "{context}"
    );
    let total = CLIENTS * TRANSACTIONS;
    assert_eq!(
        reported(&out.stdout, "number of transactions actually processed:"),
        Some(format!("{total}/{total}")),
        "{context}"
    );
    assert_eq!(
        reported(&out.stdout, "number of failed transactions:").as_deref(),
        Some("0 (0.000%)"),
        "{context}"
    );
}

#[test]
fn select_one_in_simple_mode() {
    select_one("simple");
}

#[test]
fn select_one_in_extended_mode() {
    select_one("extended");
}

#[test]
fn select_one_in_prepared_mode() {
    select_one("prepared");
}

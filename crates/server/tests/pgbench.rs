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

/// `pgbench -i` (tables, COPY, VACUUM, primary keys), then the TPC-B-like script from two
/// clients in each query mode: no failures, and the balances agree as TPC-B requires.
#[test]
fn tpcb_like_keeps_the_balances() {
    if !client_tool_available("pgbench", Command::new("pgbench").arg("--version")) {
        return;
    }
    let server = TestServer::start();
    let init = run(server
        .client_command("pgbench")
        .args(["-i", "-s", "1", "postgres"]));
    assert_eq!(
        init.code,
        0,
        "pgbench -i: {}\n{}\nserver log:\n{}",
        init.stdout,
        init.stderr,
        server.log()
    );
    for mode in ["simple", "extended", "prepared"] {
        let out = run(server.client_command("pgbench").args([
            "-n", "-c", "2", "-j", "2", "-t", "3", "-M", mode, "postgres",
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
            reported(&out.stdout, "number of failed transactions:").as_deref(),
            Some("0 (0.000%)"),
            "{context}"
        );
    }
    let sums = run(server.client_command("psql").args([
        "-X",
        "-At",
        "-c",
        "SELECT (SELECT sum(abalance) FROM pgbench_accounts), \
                (SELECT sum(bbalance) FROM pgbench_branches), \
                (SELECT sum(tbalance) FROM pgbench_tellers), \
                (SELECT sum(delta) FROM pgbench_history), \
                (SELECT count(*) FROM pgbench_history)",
        "postgres",
    ]));
    let fields: Vec<&str> = sums.stdout.trim().split('|').collect();
    assert_eq!(fields.len(), 5, "{}{}", sums.stdout, sums.stderr);
    assert_eq!(
        fields[4], "18",
        "two clients, three transactions, three modes"
    );
    assert!(
        fields[0] == fields[1] && fields[1] == fields[2] && fields[2] == fields[3],
        "balances disagree: {}",
        sums.stdout
    );
}

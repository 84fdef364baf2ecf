//! psycopg2 (Python's libpq driver), and SQLAlchemy over it, against the `tusk` binary:
//! runs the scripts in `tests/python/` with the server's connection string. Each script
//! prints `ok` on success.

mod common;

use std::path::Path;
use std::process::Command;

use common::{client_tool_available, run, TestServer};

fn run_script(name: &str, module: &str) {
    if !client_tool_available(
        &format!("python3 with {module}"),
        Command::new("python3").args(["-c", &format!("import {module}")]),
    ) {
        return;
    }
    let server = TestServer::start();
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name);
    let out = run(Command::new("python3")
        .arg(&script)
        .arg(server.conninfo())
        .env("PGCONNECT_TIMEOUT", "30"));
    assert!(
        out.code == 0 && out.stdout.trim_end() == "ok",
        "{name} failed (exit {}):\n{}{}\nserver log:\n{}",
        out.code,
        out.stdout,
        out.stderr,
        server.log()
    );
}

#[test]
fn psycopg2_parameters_transactions_and_errors() {
    run_script("psycopg2_basic.py", "psycopg2");
}

#[test]
fn sqlalchemy_reflects_a_schema_and_round_trips_jsonb() {
    run_script("sqlalchemy_reflection.py", "sqlalchemy");
}

#[test]
fn psycopg2_named_cursors_stream_scroll_and_hold() {
    run_script("psycopg2_named_cursors.py", "psycopg2");
}

#[test]
fn psycopg2_listen_notify_delivers_to_idle_listeners() {
    run_script("psycopg2_listen_notify.py", "psycopg2");
}

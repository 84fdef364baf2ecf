//! Identity columns against the `tusk` binary.
//!
//! `identity/script.sql` creates GENERATED ALWAYS and BY DEFAULT identity columns (with
//! sequence options), inserts with and without OVERRIDING SYSTEM / USER VALUE, updates
//! them, reads them back through pg_get_serial_sequence, psql's `\d`, `pg_attribute` and
//! the information schema, checks PostgreSQL's errors, and restarts them with TRUNCATE
//! ... RESTART IDENTITY. `identity/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

use common::{client_tool_available, run, TestServer};

#[test]
fn identity_columns_behave_like_postgres_in_psql() {
    if !client_tool_available("psql", std::process::Command::new("psql").arg("--version")) {
        return;
    }
    let server = TestServer::start();
    std::fs::write(
        server.dir().join("script.sql"),
        common::fixture("identity", "script.sql"),
    )
    .expect("write");
    let out = run(server
        .client_command("sh")
        .current_dir(server.dir())
        .args(["-c", "psql -X -f script.sql 2>&1"]));
    assert_eq!(out.code, 0, "log:\n{}", server.log());
    let expected = common::fixture("identity", "expected.out");
    common::assert_same_output(&out.stdout, &expected, "expected.out");
}

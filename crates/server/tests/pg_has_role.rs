//! `pg_has_role` against the `tusk` binary.
//!
//! `pg_has_role/script.sql` builds roles with INHERIT and NOINHERIT memberships and an
//! admin option, and asks pg_has_role for MEMBER, USAGE and WITH ADMIN OPTION by name and
//! by OID, with PostgreSQL's errors. `pg_has_role/expected.out` is what psql 15 prints for
//! it against PostgreSQL 15 (regenerate it there with `psql -X -f script.sql >
//! expected.out 2>&1`).

mod common;

use common::{client_tool_available, run, TestServer};

#[test]
fn pg_has_role_answers_like_postgres_in_psql() {
    if !client_tool_available("psql", std::process::Command::new("psql").arg("--version")) {
        return;
    }
    let server = TestServer::start();
    std::fs::write(
        server.dir().join("script.sql"),
        common::fixture("pg_has_role", "script.sql"),
    )
    .expect("write");
    let out = run(server
        .client_command("sh")
        .current_dir(server.dir())
        .args(["-c", "psql -X -f script.sql 2>&1"]));
    assert_eq!(out.code, 0, "log:\n{}", server.log());
    let expected = common::fixture("pg_has_role", "expected.out");
    common::assert_same_output(&out.stdout, &expected, "expected.out");
}

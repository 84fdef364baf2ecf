//! The information schema against the `tusk` binary.
//!
//! `information_schema/script.sql` creates tables, a view, primary key, unique, check
//! and foreign key constraints, a sequence and a second schema, then reads them back
//! through `schemata`, `tables`, `columns`, `views`, `table_constraints`,
//! `key_column_usage`, `referential_constraints`, `constraint_column_usage` and
//! `sequences`, and uses the schema's domains. `information_schema/expected.out` is what
//! psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh
//! database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

use common::{client_tool_available, run, TestServer};

#[test]
fn information_schema_views_answer_like_postgres_in_psql() {
    if !client_tool_available("psql", std::process::Command::new("psql").arg("--version")) {
        return;
    }
    let server = TestServer::start();
    std::fs::write(
        server.dir().join("script.sql"),
        common::fixture("information_schema", "script.sql"),
    )
    .expect("write");
    let out = run(server
        .client_command("sh")
        .current_dir(server.dir())
        .args(["-c", "psql -X -f script.sql 2>&1"]));
    assert_eq!(out.code, 0, "log:\n{}", server.log());
    let expected = common::fixture("information_schema", "expected.out");
    common::assert_same_output(&out.stdout, &expected, "expected.out");
}

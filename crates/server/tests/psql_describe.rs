//! psql's `\d` family against the `tusk` binary: the catalog queries psql 15 sends for
//! `\d`, `\d table`, `\d+ table`, `\dt`, `\dt+`, `\ds`, `\dn`, `\du`, `\df`, `\dT`, `\dv`
//! and `\di` must print what they print against PostgreSQL 15.
//!
//! `psql_describe/schema.sql` creates the objects; `psql_describe/expected.out` is psql
//! 15's standard output for `psql_describe/commands.sql` against PostgreSQL 15.18 after
//! the same schema script (regenerate it there with
//! `psql -X -f commands.sql > expected.out`).

mod common;

use common::{client_tool_available, run, TestServer};

fn psql_available() -> bool {
    client_tool_available("psql", std::process::Command::new("psql").arg("--version"))
}

fn fixture(name: &str) -> String {
    common::fixture("psql_describe", name)
}

#[test]
fn describe_commands_print_like_postgres() {
    if !psql_available() {
        return;
    }
    let server = TestServer::start();
    std::fs::write(server.dir().join("schema.sql"), fixture("schema.sql")).expect("write");
    std::fs::write(server.dir().join("commands.sql"), fixture("commands.sql")).expect("write");
    let setup = run(server
        .client_command("psql")
        .current_dir(server.dir())
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "schema.sql"]));
    assert_eq!(setup.code, 0, "schema: {}", setup.stderr);
    let out = run(server
        .client_command("psql")
        .current_dir(server.dir())
        .args(["-X", "-f", "commands.sql"]));
    assert_eq!(
        out.code,
        0,
        "stderr: {}\nlog:\n{}",
        out.stderr,
        server.log()
    );
    let expected = fixture("expected.out");
    common::assert_same_output(&out.stdout, &expected, "expected.out");
    assert_eq!(
        out.stderr,
        "psql:commands.sql:12: error: Did not find any relations.\n\
         psql:commands.sql:13: error: Did not find any relations.\n"
    );
}

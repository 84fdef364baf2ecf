//! The built-in extensions against the `tusk` binary: CREATE / DROP EXTENSION and
//! extension membership, amcheck's B-tree checks, uuid-ossp, pg_stat_statements.
//!
//! `extensions/script.sql` creates and drops extensions (errors for a version, a schema,
//! a duplicate, a role without rights; a rolled-back CREATE EXTENSION; DROP with a
//! dependent view), checks indexes after updates and deletes (plain, partial and
//! expression indexes, `heapallindexed`), and reads pg_stat_statements after a few
//! statements. `extensions/expected.out` is what psql 15 prints for it against
//! PostgreSQL 15 started with `shared_preload_libraries = 'pg_stat_statements'`, in a fresh
//! database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn extensions_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres_with(
        "extensions",
        &["shared_preload_libraries=pg_stat_statements"],
    );
}

#[test]
fn pg_stat_statements_needs_preloading() {
    if !common::client_tool_available("psql", std::process::Command::new("psql").arg("--version")) {
        return;
    }
    let server = common::TestServer::start();
    let out = common::run(server.client_command("psql").args([
        "-X",
        "-c",
        "CREATE EXTENSION pg_stat_statements",
        "-c",
        "SELECT count(*) FROM pg_stat_statements",
    ]));
    assert!(
        out.stderr
            .contains("pg_stat_statements must be loaded via shared_preload_libraries"),
        "stdout: {}\nstderr: {}",
        out.stdout,
        out.stderr
    );
}

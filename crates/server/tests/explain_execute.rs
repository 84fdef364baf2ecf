//! `EXPLAIN EXECUTE` against the `tusk` binary.
//!
//! `explain_execute/script.sql` explains prepared queries for their arguments (each
//! `$n` shown as its value, as PostgreSQL's custom plans are), with ANALYZE, and the
//! errors for a wrong argument count, an unknown statement and a bad argument value.
//! `explain_execute/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn explain_execute_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("explain_execute");
}

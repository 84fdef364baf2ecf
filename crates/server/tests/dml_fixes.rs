//! INSERT, UPDATE and DELETE corner cases against the `tusk` binary.
//!
//! `dml_fixes/script.sql` returns system columns (`tableoid`, `ctid`) from INSERT,
//! UPDATE (including one that moves a row to another partition) and DELETE through a
//! partitioned table, an inheritance parent and INSERT ... ON CONFLICT: each names the
//! leaf or child the row lives in. `dml_fixes/expected.out` is what psql 15 prints for
//! it (stdout and stderr together) against PostgreSQL 15 in a fresh database
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn dml_fixes_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("dml_fixes");
}

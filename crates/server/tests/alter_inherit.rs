//! `ALTER TABLE ... INHERIT` and `NO INHERIT` against the `tusk` binary.
//!
//! `alter_inherit/script.sql` links an existing table to a parent (its rows then show
//! through the parent; `attinhcount` and `coninhcount` count the parent), checks
//! PostgreSQL's errors for missing or different columns and CHECK constraints, NOT
//! NULL, repeated and circular inheritance, partitioned and temporary parents, unlinks
//! it again, and merges a CHECK constraint CREATE TABLE ... INHERITS declares again.
//! `alter_inherit/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn alter_inherit_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("alter_inherit");
}

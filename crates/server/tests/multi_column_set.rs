//! `SET (a, b, ...) = (subquery)` in UPDATE and INSERT ... ON CONFLICT DO UPDATE
//! against the `tusk` binary.
//!
//! `multi_column_set/script.sql` assigns several columns from one correlated or
//! uncorrelated subquery (no row gives NULLs, two rows fail with 21000, a column count
//! mismatch with 42601), through RETURNING, a view, a prepared statement, a WITH query,
//! inheritance and partitions, and checks that the subquery runs once per row for all
//! its columns (a sequence advances once, `random()` agrees across columns). It also
//! checks `DEFAULT` inside an expression (42601). `multi_column_set/expected.out` is
//! what psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a
//! fresh database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn multi_column_set_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("multi_column_set");
}

//! `ROW(a, b) IN (subquery)` and `ROW(a, b) op ANY | ALL (subquery)` against the `tusk`
//! binary.
//!
//! `row_sublinks/script.sql` compares rows with multi-column subqueries (uncorrelated
//! and correlated, VALUES, UNION), with PostgreSQL's NULL results for NOT IN, the
//! ordering operators' row semantics, the one-column row form, and the errors for a
//! column count mismatch or an operator without row semantics.
//! `row_sublinks/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn row_sublinks_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("row_sublinks");
}

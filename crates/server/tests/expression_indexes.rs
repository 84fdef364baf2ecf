//! Expression indexes and partial indexes against the `tusk` binary.
//!
//! `expression_indexes/script.sql` creates indexes on expressions (`lower(email)`,
//! `(a + b)`, several with operator classes and DESC) and with WHERE predicates, reads
//! them back through `pg_index`, `pg_attribute`, `pg_get_indexdef` (plain and pretty) and
//! psql's `\d`, checks unique violations on expression values and among the rows of a
//! partial unique index, ON CONFLICT inference of both kinds, COPY, the build over
//! duplicates, immutability errors, and that the planner scans them.
//! `expression_indexes/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn expression_and_partial_indexes_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("expression_indexes");
}

//! Multirange types against the `tusk` binary.
//!
//! `multiranges/script.sql` covers the built-in multirange types: canonical text input
//! and output, PostgreSQL's malformed-literal errors, constructors and the
//! range-to-multirange casts, comparison, containment with elements, ranges and
//! multiranges, overlap, position and adjacency, `+`, `-`, `*`, the bound functions,
//! `range_merge`, `unnest`, `range_agg`, `range_intersect_agg`, and multirange columns
//! under ORDER BY, DISTINCT, GROUP BY (hashed), unique indexes and COPY; then
//! `CREATE TYPE ... AS RANGE` (text and float8 subtypes): the derived or named
//! multirange type, the `pg_type`, `pg_range` and `pg_proc` rows, the constructors,
//! PostgreSQL's errors for bad attributes and taken names, and DROP TYPE.
//! `multiranges/expected.out` is what psql 15 prints for it (stdout and stderr together)
//! against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn multiranges_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("multiranges");
}

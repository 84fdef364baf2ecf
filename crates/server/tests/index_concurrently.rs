//! CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY and REINDEX CONCURRENTLY against
//! the `tusk` binary.
//!
//! `index_concurrently/script.sql` builds and drops indexes concurrently (IF NOT EXISTS,
//! IF EXISTS, a temporary table) and checks PostgreSQL's restrictions: 25001 inside a
//! transaction block, 0A000 for a partitioned table, for several indexes and for
//! CASCADE. `index_concurrently/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn index_concurrently_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("index_concurrently");
}

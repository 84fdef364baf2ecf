//! REINDEX against the `tusk` binary.
//!
//! `reindex/script.sql` rebuilds the primary key, unique, partial and expression
//! indexes of a table that has seen updates and deletes, by INDEX, TABLE, SCHEMA and
//! DATABASE, with and without CONCURRENTLY and the option list, inside and outside
//! transaction blocks (a REINDEX rolled back leaves a working index), on partitioned
//! tables and indexes, materialized views and temporary tables, reads rows back through
//! the rebuilt indexes, and runs PostgreSQL's errors: wrong relation kinds, missing
//! objects, other databases, system catalogs concurrently, ownership, unknown options.
//! `reindex/expected.out` is what psql 15 prints for it (stdout and stderr together)
//! against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn reindex_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("reindex");
}

//! CREATE privilege on schemas against the `tusk` binary.
//!
//! `schema_create_privilege/script.sql` creates tables, views, sequences, functions,
//! types, domains, materialized views and CREATE TABLE AS / SELECT INTO tables as a role
//! without CREATE on the schema (and on `public`, which PostgreSQL 15 gives PUBLIC no
//! CREATE on), then with it granted. `schema_create_privilege/expected.out` is what psql
//! 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh cluster
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn schema_create_privilege_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("schema_create_privilege");
}

//! Storage parameters of B-tree indexes against the `tusk` binary.
//!
//! `index_storage_parameters/script.sql` creates indexes and PRIMARY KEY / UNIQUE
//! constraints `WITH (fillfactor = n, deduplicate_items = b)`, changes them with ALTER
//! INDEX SET / RESET, and checks PostgreSQL's errors (22023 for unknown parameters,
//! namespaces, bad values, values out of bounds and repeats), `pg_class.reloptions`,
//! `pg_get_indexdef` and psql's `\d`; an index built with a low fillfactor then takes
//! more rows and keeps answering. `index_storage_parameters/expected.out` is what psql 15
//! prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh database
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn index_storage_parameters_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("index_storage_parameters");
}

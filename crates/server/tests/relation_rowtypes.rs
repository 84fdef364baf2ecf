//! Row types of relations and what DROP SCHEMA takes with it, against the `tusk` binary.
//!
//! `relation_rowtypes/script.sql` reads the `pg_type` rows of tables, views and
//! materialized views (and their absence for sequences and indexes), uses a table's
//! name as a type (literals, field selection, columns, whole-row values stored in
//! them, `RETURNS SETOF`), checks the name conflicts between types and relations and
//! the `_name` array type names, follows the row type through RENAME, SET SCHEMA and
//! OWNER TO, runs the ALTER TYPE and DROP TYPE refusals, and drops a schema holding
//! functions, a procedure, a domain, an enum, a composite and a range type with its
//! tables and views. `relation_rowtypes/expected.out` is what psql 15 prints for it
//! (stdout and stderr together) against PostgreSQL 15 in a fresh database (regenerate
//! it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn relation_rowtypes_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("relation_rowtypes");
}

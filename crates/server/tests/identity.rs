//! Identity columns against the `tusk` binary.
//!
//! `identity/script.sql` creates GENERATED ALWAYS and BY DEFAULT identity columns (with
//! sequence options), inserts with and without OVERRIDING SYSTEM / USER VALUE, updates
//! them, reads them back through pg_get_serial_sequence, psql's `\d`, `pg_attribute` and
//! the information schema, checks PostgreSQL's errors, and restarts them with TRUNCATE
//! ... RESTART IDENTITY. `identity/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn identity_columns_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("identity");
}

//! Stored generated columns against the `tusk` binary.
//!
//! `generated_columns/script.sql` defines tables with `GENERATED ALWAYS AS (...) STORED`
//! columns and shows their catalog rows, `information_schema` and `\d`; the definition
//! errors; INSERT, UPDATE, ON CONFLICT, COPY, a BEFORE ROW trigger and an updatable view
//! writing such a table; inheritance; and ALTER TABLE ADD COLUMN ... GENERATED.
//! `generated_columns/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn generated_columns_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("generated_columns");
}

//! Composite types against the `tusk` binary.
//!
//! `composite_types/script.sql` exercises `CREATE TYPE ... AS (...)` (its `pg_type`,
//! `pg_class` and `pg_attribute` rows, the array type, `format_type`), the text input of
//! composite values, field selection, casts of row constructors (and their errors),
//! composite columns in a table (INSERT, SELECT, UPDATE, `row_to_json`), arrays of a
//! composite type, nested composite types, `ALTER TYPE ... ADD | DROP | ALTER | RENAME
//! ATTRIBUTE` and `RENAME TO`, `DROP TYPE` with dependent columns and types, and the
//! errors of other `CREATE TYPE` forms. `composite_types/expected.out` is what psql 15
//! prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh database
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn composite_types_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("composite_types");
}

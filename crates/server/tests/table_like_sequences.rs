//! CREATE TABLE ... LIKE, ALTER SEQUENCE, identity columns through ALTER TABLE, and the
//! dependencies of serial and identity sequences, against the `tusk` binary.
//!
//! `table_like_sequences/script.sql` copies a table with every LIKE option (columns in
//! their place, defaults, generated and identity columns, CHECK constraints, keys and
//! indexes under the new table's names, comments, storage), from views and composite
//! types, and the LIKE errors; alters sequences (every option, RESTART rolled back with
//! its transaction, OWNED BY and its errors); adds, changes and drops identity columns
//! with PostgreSQL's errors; and reads serial and identity dependencies back.
//! `table_like_sequences/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn table_like_and_sequences_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("table_like_sequences");
}

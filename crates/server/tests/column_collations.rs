//! Column collations against the `tusk` binary.
//!
//! `column_collations/script.sql` declares columns and composite attributes with the
//! collations that order text bytewise (`C`, `POSIX`, `default`, `ucs_basic`) in CREATE
//! TABLE, ALTER TABLE ADD COLUMN and CREATE TYPE, copies them with LIKE, shows them in
//! psql's `\d` and `pg_attribute.attcollation`, and gives PostgreSQL's errors for a type
//! without collations and an unknown collation. `column_collations/expected.out` is what
//! psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh
//! C-collated database (regenerate it there with `psql -X -f script.sql > expected.out
//! 2>&1`).

mod common;

#[test]
fn column_collations_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("column_collations");
}

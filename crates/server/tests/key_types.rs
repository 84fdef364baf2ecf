//! Key column types beyond numbers, text and times against the `tusk` binary.
//!
//! `key_types/script.sql` makes `uuid`, `pg_lsn`, `"char"` and `regclass` columns
//! primary keys and unique keys (duplicates rejected, an index scan on a uuid key), orders
//! WAL positions as unsigned 64-bit values, runs `pg_lsn` arithmetic with its range and NaN
//! errors, and calls the WAL position functions. `key_types/expected.out` is what psql 15
//! prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh database
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn uuid_pg_lsn_char_and_regclass_keys_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("key_types");
}

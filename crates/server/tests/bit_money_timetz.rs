//! `bit(n)`, `bit varying(n)`, `money` and `time with time zone` against the `tusk` binary.
//!
//! `bit_money_timetz/script.sql` stores the three kinds of values in table columns (with
//! typmod length checks, bad input and out-of-range amounts refused), indexes and scans
//! them, orders and groups them, and runs their operators, functions, casts and
//! aggregates. `bit_money_timetz/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn bit_money_and_timetz_columns_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("bit_money_timetz");
}

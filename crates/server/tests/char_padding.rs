//! Padding of character strings against the `tusk` binary.
//!
//! `char_padding/script.sql` measures `character(n)` values beside varchar and text
//! ones (trailing spaces of character(n) are padding: not counted by length, counted by
//! octet_length), pads with the two-argument lpad / rpad, and calls pg_sleep_for and
//! pg_sleep_until. `char_padding/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn char_padding_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("char_padding");
}

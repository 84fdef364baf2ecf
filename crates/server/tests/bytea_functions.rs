//! `bytea` functions against the `tusk` binary.
//!
//! `bytea_functions/script.sql` calls substring / substr, btrim / ltrim / rtrim,
//! position, get_byte / set_byte, get_bit / set_bit, bit_count, sha224 .. sha512 and
//! LIKE / NOT LIKE / ESCAPE on bytea values, with PostgreSQL's range and escape errors.
//! `bytea_functions/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn bytea_functions_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("bytea_functions");
}

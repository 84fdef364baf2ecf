//! Polymorphic SQL functions and ROWS FROM against the `tusk` binary.
//!
//! `polymorphic_functions/script.sql` calls SQL functions declared with `anyelement`,
//! `anyarray`, `anyrange` and `anycompatible` arguments, results and OUT arguments (each
//! call analysed for the types its arguments fix), a set-returning one, the CREATE-time
//! and call-time errors, and zips functions side by side with `ROWS FROM` (NULL-padding
//! the shorter, column definition lists per function, WITH ORDINALITY, LATERAL
//! references). `polymorphic_functions/expected.out` is what psql 15 prints for it
//! (stdout and stderr together) against PostgreSQL 15 in a fresh database (regenerate it
//! there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn polymorphic_functions_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("polymorphic_functions");
}

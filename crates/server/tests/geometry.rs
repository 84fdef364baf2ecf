//! Geometric types against the `tusk` binary.
//!
//! `geometry/script.sql` covers the text forms of `point`, `lseg`, `line`, `box`, `path`,
//! `polygon` and `circle` (including `extra_float_digits`), their operators and
//! functions (positions, containment, intersection, distance, closest points, measures),
//! the conversions between them, subscripts, table columns and arrays of them, and the
//! errors of bad input. `geometry/expected.out` is what psql 15 prints for it (stdout
//! and stderr together) against PostgreSQL 15 in a fresh database (regenerate it there
//! with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn geometric_types_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("geometry");
}

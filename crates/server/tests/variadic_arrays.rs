//! `VARIADIC` with an array expression against the `tusk` binary.
//!
//! `variadic_arrays/script.sql` passes arrays that are no `ARRAY[...]` constructor
//! (literals, NULL, empty, multidimensional, columns, parameters) with `VARIADIC` to
//! built-in functions taking `"any"` (`concat`, `format`, `json_build_object`,
//! `num_nulls`) or typed variadic arguments (`jsonb_extract_path`), and to a user-defined
//! SQL function, plus the errors. `variadic_arrays/expected.out` is what psql 15 prints
//! for it (stdout and stderr together) against PostgreSQL 15 in a fresh database
//! (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn variadic_arrays_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("variadic_arrays");
}

//! Assignment to subscripts and fields of target columns against the `tusk` binary.
//!
//! `subscript_assignment/script.sql` assigns array elements and slices (growing
//! one-dimensional arrays, multidimensional bounds errors, NULL arrays), composite fields
//! (nested through arrays and other composites), `jsonb` paths, several targets on one
//! column, domains over arrays, and the same through INSERT column lists, ON CONFLICT DO
//! UPDATE, MERGE and an updatable view, with PostgreSQL's errors.
//! `subscript_assignment/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn subscript_and_field_assignment_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("subscript_assignment");
}

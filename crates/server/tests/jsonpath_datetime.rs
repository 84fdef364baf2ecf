//! The `.datetime()` item method of SQL/JSON paths against the `tusk` binary.
//!
//! `jsonpath_datetime/script.sql` runs PostgreSQL's `jsonb_jsonpath` datetime statements
//! (ISO recognition, templates in strict mode, comparisons across types with and
//! without the `_tz` functions, output forms, errors) plus `.type()` names and silent
//! mode, with the time zone set explicitly. `jsonpath_datetime/expected.out` is what
//! psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh
//! database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn jsonpath_datetime_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("jsonpath_datetime");
}

//! DROP TYPE and DROP DOMAIN of a type functions use, against the `tusk` binary.
//!
//! `drop_type_dependencies/script.sql` creates functions taking or returning a composite
//! type, an enum (and its array type) and a domain; dropping each type then fails with
//! 2BP01 and PostgreSQL's DETAIL naming every function (`depends on type dte[]` for the
//! array type), and DROP ... CASCADE drops the functions with its NOTICE.
//! `drop_type_dependencies/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn drop_type_dependencies_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("drop_type_dependencies");
}

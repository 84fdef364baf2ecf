//! `regprocedure` input and output against the `tusk` binary.
//!
//! `regprocedure_names/script.sql` reads user-defined functions by qualified and bare
//! names with argument types written as aliases (`int`, `int4`), prints them back as
//! PostgreSQL does (`rps.f(integer,text)`), and runs the errors for a missing function
//! and a missing schema; built-in functions too. `regprocedure_names/expected.out` is
//! what psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a
//! fresh database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn regprocedure_names_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("regprocedure_names");
}

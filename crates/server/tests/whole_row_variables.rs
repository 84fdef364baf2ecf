//! Whole-row references to row variables against the `tusk` binary.
//!
//! `whole_row_variables/script.sql` uses `OLD.*` and `NEW.*` in triggers' WHEN
//! conditions (with PostgreSQL's 42P17 errors for a statement trigger), and `v.*` of a
//! composite argument or PL/pgSQL variable in a call and in an INSERT's VALUES list,
//! where it stands for the variable's fields. `whole_row_variables/expected.out` is what
//! psql 15 prints for it (stdout and stderr together) against PostgreSQL 15 in a fresh
//! database (regenerate it there with `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn whole_row_variables_behave_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("whole_row_variables");
}

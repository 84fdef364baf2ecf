//! When INSERT, UPDATE and DELETE need SELECT privilege on their target, against the
//! `tusk` binary.
//!
//! `dml_select_privilege/script.sql` runs, as a role with INSERT, UPDATE and DELETE but
//! not SELECT, statements that read the target's columns (in SET, WHERE or RETURNING,
//! directly or from a subquery, system columns included, an ON CONFLICT arbiter) and
//! statements that read none (`WHERE true`, `RETURNING 1`, a FROM item's columns): the
//! first fail with 42501, the others run, as PostgreSQL 15 decides per column read. The
//! target's SELECT policies likewise apply only to the statements that read it.
//! `dml_select_privilege/expected.out` is what psql 15 prints for it (stdout and stderr
//! together) against PostgreSQL 15 in a fresh database (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn dml_select_privilege_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("dml_select_privilege");
}

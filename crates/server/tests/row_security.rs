//! Row-level security against the `tusk` binary.
//!
//! `row_security/script.sql` creates policies (permissive, restrictive, per command,
//! per role), enables and forces row-level security, and runs SELECT, INSERT, UPDATE,
//! DELETE, RETURNING, prepared statements across SET ROLE, views owned by another role,
//! subqueries, policies reading other tables (and recursion), a leaky function in WHERE
//! (it sees only visible rows), COPY, `row_security = off`, BYPASSRLS, and DROP ROLE of a
//! policy's role. `row_security/expected.out` is what psql 15 prints for it (stdout and
//! stderr together) against PostgreSQL 15 (regenerate it there with
//! `psql -X -f script.sql > expected.out 2>&1`).

mod common;

#[test]
fn row_level_security_behaves_like_postgres_in_psql() {
    common::assert_psql_script_matches_postgres("row_security");
}
